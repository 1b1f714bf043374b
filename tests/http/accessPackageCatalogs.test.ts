// accessPackageCatalogs: the second resource on the one pattern (resources/registry.ts) — list and get
// with the same OData support as packages, writes refused with 405 and Allow.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { AccessPackageCatalog } from '../../server/store/types.js';
import { AUTH, ODATA_JSON, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const CATALOGS = '/beta/identityGovernance/entitlementManagement/accessPackageCatalogs';
const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageCatalogs';

function catalog(n: number, overrides: Partial<AccessPackageCatalog> = {}): AccessPackageCatalog {
  const at = `2024-01-0${n}T00:00:00.0000000Z`;
  return {
    id: `0000000${n}-0000-4000-8000-000000000000`,
    catalogStatus: 'Published',
    catalogType: 'UserManaged',
    createdBy: 'admin@contoso.onmicrosoft.com',
    createdDateTime: at,
    description: `Catalog ${n}`,
    displayName: `Catalog ${n}`,
    isExternallyVisible: n % 2 === 0,
    modifiedBy: 'admin@contoso.onmicrosoft.com',
    modifiedDateTime: at,
    ...overrides,
  };
}

const RECORDS = [catalog(1, { displayName: 'General', catalogType: 'ServiceDefault' }), catalog(2), catalog(3), catalog(4)];

async function setup() {
  const store = new MemoryStore();
  for (const r of RECORDS) await store.create('accessPackageCatalogs', r);
  return createApp({ store });
}

describe('GET accessPackageCatalogs', () => {
  it('answers the collection with its context and the records as stored', async () => {
    const res = await request(await setup())
      .get(CATALOGS)
      .set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body).toEqual({ '@odata.context': CONTEXT, value: RECORDS });
  });

  it("filters as the tutorial does, $filter=(displayName eq 'General')", async () => {
    const res = await request(await setup())
      .get(`${CATALOGS}?$filter=(displayName eq 'General')`)
      .set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([RECORDS[0]]);
  });

  it('selects, orders, counts and pages with nextLinks like the packages', async () => {
    const app = await setup();
    const first = await request(app).get(`${CATALOGS}?$select=displayName&$orderby=createdDateTime desc&$top=3&$count=true`).set(AUTH);
    expect(first.status).toBe(200);
    expect(first.body['@odata.context']).toBe(`${CONTEXT}(displayName)`);
    expect(first.body['@odata.count']).toBe(4);
    expect(first.body.value).toEqual([4, 3, 2].map((n) => ({ id: RECORDS[n - 1]!.id, displayName: RECORDS[n - 1]!.displayName })));
    const next = new URL(first.body['@odata.nextLink'] as string);
    expect(next.pathname).toBe(CATALOGS);
    const second = await request(app).get(`${next.pathname}${next.search}`).set(AUTH);
    expect(second.body.value).toEqual([{ id: RECORDS[0]!.id, displayName: 'General' }]);
    expect(second.body['@odata.nextLink']).toBeUndefined();
  });

  it('names the collection and the type in query errors', async () => {
    const app = await setup();
    expectGraphError(
      await request(app).get(`${CATALOGS}?$filter=isHidden eq true`).set(AUTH),
      400,
      'InvalidFilter',
      "OData query is invalid: Could not find a property named 'isHidden' on type 'microsoft.graph.accessPackageCatalog'.",
    );
    expectGraphError(await request(app).get(`${CATALOGS}?$search=x`).set(AUTH), 400, 'BadRequest', /'\$search' is not supported on accessPackageCatalogs/);
    expectGraphError(await request(app).get(`${CATALOGS}?$expand=accessPackages`).set(AUTH), 400, 'BadRequest', /accessPackages/);
  });
});

describe('GET accessPackageCatalogs/{id}', () => {
  it('answers the entity with the $entity context and no @odata.type', async () => {
    const res = await request(await setup())
      .get(`${CATALOGS}/${RECORDS[2]!.id.toUpperCase()}`)
      .set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.body).toEqual({ '@odata.context': `${CONTEXT}/$entity`, ...RECORDS[2] });
  });

  it('answers 404 for an unknown id and 400 for a malformed one, naming the type', async () => {
    const app = await setup();
    expectGraphError(
      await request(app).get(`${CATALOGS}/99999999-0000-4000-8000-000000000000`).set(AUTH),
      404,
      'ResourceNotFound',
      'The resource was not found.',
    );
    expectGraphError(await request(app).get(`${CATALOGS}/nope`).set(AUTH), 400, 'BadRequest', /an accessPackageCatalog id is a GUID/);
  });
});

describe('catalog writes', () => {
  it.each([
    ['POST', CATALOGS, 'GET'],
    ['PATCH', `${CATALOGS}/${catalog(1).id}`, 'GET'],
    ['DELETE', `${CATALOGS}/${catalog(1).id}`, 'GET'],
  ])('%s answers 405 with Allow and changes nothing', async (method, url, allow) => {
    const app = await setup();
    const res = await request(app)[method.toLowerCase() as 'post'](url).set(AUTH).send({ displayName: 'x' });
    expectGraphError(res, 405, 'MethodNotAllowed');
    expect(res.headers['allow']).toBe(allow);
    expect((await request(app).get(CATALOGS).set(AUTH)).body.value).toEqual(RECORDS);
  });

  it('still needs a token, like every Graph route', async () => {
    const res = await request(await setup()).get(CATALOGS);
    expectGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
  });
});
