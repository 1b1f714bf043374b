// accessPackageCatalogs: list and get with the same OData support as packages, created, updated and deleted as
// Graph does, a catalog that still holds packages kept, its packages as a path and as $expand.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { AccessPackageCatalog } from '../../server/store/records.js';
import { AUTH, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

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
    expectGraphError(
      await request(app).get(`${CATALOGS}?$expand=owner`).set(AUTH),
      400,
      'BadRequest',
      "Could not find a property named 'owner' on type 'microsoft.graph.accessPackageCatalog'.",
    );
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
  it('POST answers 201 with the catalog as the create page shows it: UserManaged, Published unless said otherwise', async () => {
    const app = await setup();
    const res = await request(app)
      .post(CATALOGS)
      .set(AUTH)
      .send({ displayName: 'sales', description: 'for employees working with sales and outside sales partners', isExternallyVisible: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      '@odata.context': `${CONTEXT}/$entity`,
      displayName: 'sales',
      catalogType: 'UserManaged',
      catalogStatus: 'Published',
      isExternallyVisible: true,
      privilegeLevel: 'standard',
      uniqueName: null,
    });
    expect(res.headers['location']).toMatch(new RegExp(`${CATALOGS}/${res.body.id}$`));
    expect((await request(app).get(`${CATALOGS}/${res.body.id}`).set(AUTH)).body.displayName).toBe('sales');
  });

  it('PATCH answers 204 and changes what was sent; catalogType stays read-only', async () => {
    const app = await setup();
    const id = catalog(2).id;
    const res = await request(app).patch(`${CATALOGS}/${id}`).set(AUTH).send({ displayName: 'Catalog One', catalogType: 'ServiceDefault' });
    expect(res.status).toBe(204);
    const after = (await request(app).get(`${CATALOGS}/${id}`).set(AUTH)).body;
    expect(after).toMatchObject({ displayName: 'Catalog One', catalogType: 'UserManaged' });
    expect(after.modifiedDateTime > catalog(2).modifiedDateTime).toBe(true);
  });

  it('DELETE answers 204 for an empty catalog, and refuses one that still holds packages', async () => {
    const app = await setup();
    expect(
      (
        await request(app)
          .delete(`${CATALOGS}/${catalog(3).id}`)
          .set(AUTH)
      ).status,
    ).toBe(204);
    expectGraphError(
      await request(app)
        .get(`${CATALOGS}/${catalog(3).id}`)
        .set(AUTH),
      404,
      'ResourceNotFound',
    );
    await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'Kept', catalogId: catalog(4).id });
    const refused = await request(app)
      .delete(`${CATALOGS}/${catalog(4).id}`)
      .set(AUTH);
    expectGraphError(refused, 400, 'BadRequest', 'The catalog: Catalog 4 can not be deleted because it contains access packages.');
    expect(refused.body.error.details).toEqual([]);
    expect(
      (
        await request(app)
          .get(`${CATALOGS}/${catalog(4).id}`)
          .set(AUTH)
      ).status,
    ).toBe(200);
  });

  it('serves its packages as a path and as $expand, and finds a catalog by uniqueName', async () => {
    const app = await setup();
    const created = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'In 2', catalogId: catalog(2).id });
    const path = await request(app)
      .get(`${CATALOGS}/${catalog(2).id}/accessPackages?$select=displayName`)
      .set(AUTH);
    expect(path.body).toEqual({
      '@odata.context': `${CONTEXT}('${catalog(2).id}')/accessPackages(displayName)`,
      value: [{ id: created.body.id, displayName: 'In 2' }],
    });
    const expanded = await request(app)
      .get(`${CATALOGS}?$expand=accessPackages($select=id)&$filter=id eq '${catalog(2).id}'`)
      .set(AUTH);
    expect(expanded.body.value[0].accessPackages).toEqual([{ id: created.body.id }]);
    await request(app)
      .patch(`${CATALOGS}/${catalog(3).id}`)
      .set(AUTH)
      .send({ uniqueName: 'finance' });
    const byKey = await request(app).get(`${CATALOGS}(uniqueName='finance')`).set(AUTH);
    expect(byKey.body.id).toBe(catalog(3).id);
  });

  it('still needs a token, like every Graph route', async () => {
    const res = await request(await setup()).get(CATALOGS);
    expectGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
  });
});
