// $filter on v1.0's enum properties (a catalog's state and catalogType): a string literal must name a member,
// the qualified literal microsoft.graph.<enum>'<member>' is read, and what Graph's OData library refuses for an
// enum (string functions, ordering against a string) is its 400, not a string comparison.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, CATALOGS, ODATA_JSON, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { V1_CONTEXT, setupV1 } from '../support/v1.js';

async function twoCatalogs() {
  const { app, catalogId: published } = await setupV1();
  const draft = await request(app).post(`${V1}/catalogs`).set(AUTH).send({ displayName: 'drafts', state: 'unpublished' });
  return { app, published, unpublished: draft.body.id as string };
}

const STATE = 'microsoft.graph.accessPackageCatalogState';
const CONSTANT = (text: string) => `OData query is invalid: The string '${text}' is not a valid enumeration type constant.`;
const SIGNATURE = (name: string) =>
  `OData query is invalid: No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`;

describe('v1.0 $filter on enum properties', () => {
  it('matches a member named by a string, by its value, or by the qualified literal; $orderby still sorts', async () => {
    const { app, published, unpublished } = await twoCatalogs();
    const byName = await request(app).get(`${V1}/catalogs?$filter=state eq 'published'&$select=displayName,state`).set(AUTH);
    expect(byName.status).toBe(200);
    expectGraphHeaders(byName);
    expect(byName.headers['content-type']).toBe(ODATA_JSON);
    expect(byName.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/catalogs(displayName,state)`,
      value: [{ id: published, displayName: 'sales', state: 'published' }],
    });
    const byValue = await request(app).get(`${V1}/catalogs?$filter=state eq 1&$select=state`).set(AUTH);
    expect(byValue.body.value).toEqual([{ id: unpublished, state: 'unpublished' }]);
    const qualified = await request(app)
      .get(`${V1}/catalogs?$filter=catalogType eq microsoft.graph.accessPackageCatalogType'userManaged' and state gt ${STATE}'unpublished'&$select=state`)
      .set(AUTH);
    expect(qualified.status).toBe(200);
    expect(qualified.body).toEqual({ '@odata.context': `${V1_CONTEXT}/catalogs(state)`, value: [{ id: published, state: 'published' }] });
    const ordered = await request(app).get(`${V1}/catalogs?$orderby=state desc&$select=state`).set(AUTH);
    expect(ordered.body.value).toEqual([
      { id: unpublished, state: 'unpublished' },
      { id: published, state: 'published' },
    ]);
  });

  it.each([
    ["catalogType eq 'bogus'", CONSTANT('bogus')],
    ["catalogType eq 'UserManaged'", CONSTANT('UserManaged')],
    ['state eq 7', CONSTANT('7')],
    ['state eq 7L', CONSTANT('7')],
    [
      'state eq 99999999999999999999',
      `OData query is invalid: A binary operator with incompatible types was detected. Found operand types '${STATE}' and 'Edm.Decimal' for operator kind 'Equal'.`,
    ],
    [`state eq ${STATE}'draft'`, CONSTANT(`${STATE}'draft'`)],
    ["contains(state,'pub')", SIGNATURE('contains')],
    ["startswith(state,'pub')", SIGNATURE('startswith')],
    [
      "state gt 'a'",
      `OData query is invalid: A binary operator with incompatible types was detected. Found operand types '${STATE}' and 'Edm.String' for operator kind 'GreaterThan'.`,
    ],
    [
      'state eq true',
      `OData query is invalid: A binary operator with incompatible types was detected. Found operand types '${STATE}' and 'Edm.Boolean' for operator kind 'Equal'.`,
    ],
  ])('%s is a 400 InvalidFilter', async (filter, message) => {
    const { app } = await twoCatalogs();
    const res = await request(app).get(`${V1}/catalogs`).query({ $filter: filter }).set(AUTH);
    expectGraphError(res, 400, 'InvalidFilter', message);
  });

  it('binds an enum in a nested $filter whatever the records', async () => {
    const { app } = await setupV1();
    const res = await request(app).get(`${V1}/accessPackages?$expand=catalog($filter=state eq 'Published')`).set(AUTH);
    expectGraphError(res, 400, 'InvalidFilter', CONSTANT('Published'));
  });

  it('leaves beta’s catalog status and type plain strings', async () => {
    const { app, published } = await twoCatalogs();
    const res = await request(app).get(`${CATALOGS}?$filter=startswith(catalogStatus,'Pub') and catalogType eq 'UserManaged'&$select=catalogStatus`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([{ id: published, catalogStatus: 'Published' }]);
  });
});
