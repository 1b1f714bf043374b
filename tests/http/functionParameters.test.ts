// filterByCurrentUser's `on` in every form OData 4.01's URL conventions give an enum parameter: the plain string,
// the typed literal, a parameter alias given in the query string; an alias with no value, given twice, or of
// another type a 400.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const TYPE = 'microsoft.graph.accessPackageFilterByCurrentUserOptions';

async function setup() {
  const app = createApp({ store: new MemoryStore() });
  const catalogId = await createCatalog(app, 'Sales');
  const ids: string[] = [];
  for (const name of ['Open', 'Also open']) {
    const id = await createPackage(app, name, catalogId);
    await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({
        accessPackageId: id,
        displayName: `${name} policy`,
        requestorSettings: { scopeType: 'AllExistingDirectorySubjects', acceptRequests: true, allowedRequestors: [] },
      })
      .expect(201);
    ids.push(id);
  }
  await createPackage(app, 'Closed', catalogId);
  return { app, ids: ids.sort() };
}

describe("filterByCurrentUser's parameter in OData's forms", () => {
  it.each([
    [`${PACKAGES}/filterByCurrentUser(on=${TYPE}'allowedRequestor')`],
    [`${PACKAGES}/filterByCurrentUser(on=graph.accessPackageFilterByCurrentUserOptions'allowedRequestor')`],
    [`${PACKAGES}/microsoft.graph.filterByCurrentUser(on=@p)?@p='allowedRequestor'`],
    [`${PACKAGES}/filterByCurrentUser(on=@p)?@p=${encodeURIComponent(`${TYPE}'allowedRequestor'`)}`],
    [`${V1}/accessPackages/filterByCurrentUser( on = @which )?$select=id&@which='allowedRequestor'`],
  ])('reads %s as on=allowedRequestor', async (url) => {
    const { app, ids } = await setup();
    const res = await request(app).get(url).set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body['@odata.context']).toMatch(/\$metadata#identityGovernance\/entitlementManagement\/accessPackages(\(id\))?$/);
    expect(res.body.value.map((p: { id: string }) => p.id).sort()).toEqual(ids);
    // A function's answer names each item's type, written before its properties.
    for (const item of res.body.value) expect(Object.entries(item)[0]).toEqual(['@odata.type', '#microsoft.graph.accessPackage']);
  });

  it('follows the nextLink of a call through an alias to the next page', async () => {
    const { app, ids } = await setup();
    const first = await request(app).get(`${PACKAGES}/filterByCurrentUser(on=@p)?$top=1&@p='allowedRequestor'`).set(AUTH);
    expect(first.status).toBe(200);
    expect(first.body['@odata.nextLink']).toContain('@p=%27allowedRequestor%27');
    const next = await request(app)
      .get(new URL(first.body['@odata.nextLink']).pathname + new URL(first.body['@odata.nextLink']).search)
      .set(AUTH);
    expect(next.status).toBe(200);
    expect([...first.body.value, ...next.body.value].map((p: { id: string }) => p.id).sort()).toEqual(ids);
  });

  it('refuses an alias the query string does not give or gives twice, a literal of another type, and another member', async () => {
    const { app } = await setup();
    expectGraphError(
      await request(app).get(`${PACKAGES}/filterByCurrentUser(on=@p)?@q='allowedRequestor'`).set(AUTH),
      400,
      'BadRequest',
      "The parameter alias '@p' of the parameter 'on' is given no value in the query string.",
    );
    expectGraphError(
      await request(app).get(`${PACKAGES}/filterByCurrentUser(on=microsoft.graph.accessPackageCatalogState'allowedRequestor')`).set(AUTH),
      400,
      'BadRequest',
      `The value microsoft.graph.accessPackageCatalogState'allowedRequestor' of the parameter 'on' is not of its type '${TYPE}'.`,
    );
    expectGraphError(
      await request(app).get(`${PACKAGES}/filterByCurrentUser(on=@p)?@p=microsoft.graph.bogus'allowedRequestor'`).set(AUTH),
      400,
      'BadRequest',
      `The value microsoft.graph.bogus'allowedRequestor' of the parameter 'on' is not of its type '${TYPE}'.`,
    );
    expectGraphError(
      await request(app).get(`${PACKAGES}/filterByCurrentUser(on=@p)?@p=${TYPE}'target'`).set(AUTH),
      400,
      'BadRequest',
      "The value 'target' is not valid for the parameter 'on'; the allowed value is allowedRequestor.",
    );
    for (const query of ["@p='allowedRequestor'&@p='target'", "@p='allowedRequestor'&%40p='allowedRequestor'"]) {
      expectGraphError(
        await request(app).get(`${PACKAGES}/filterByCurrentUser(on=@p)?${query}`).set(AUTH),
        400,
        'BadRequest',
        "Query option '@p' was specified more than once, but it must be specified at most once.",
      );
    }
    expectGraphError(
      await request(app).get(`${PACKAGES}/filterByCurrentUser(on=allowedRequestor)`).set(AUTH),
      400,
      'BadRequest',
      "The function 'filterByCurrentUser' needs its parameter 'on', as in filterByCurrentUser(on='allowedRequestor').",
    );
  });
});
