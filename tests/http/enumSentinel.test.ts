// unknownFutureValue, the sentinel member of Graph's evolvable enums, is read but never set: a create or an update
// sending it is Graph's 400 for an invalid enum value, beta and v1.0, and nothing is stored.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { validatorFor } from '../../server/resources/validation.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, CATALOGS, V1, expectGraphError } from '../support/graph.js';

const invalid = (property: string, type: string) =>
  `Invalid value for property '${property}': cannot convert the literal 'unknownFutureValue' to the expected type 'microsoft.graph.${type}'.`;

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalog = await request(app).post(`${V1}/catalogs`).set(AUTH).send({ displayName: 'Enums', state: 'published' });
  const pkg = await request(app)
    .post(`${V1}/accessPackages`)
    .set(AUTH)
    .send({ displayName: 'Enums', catalog: { id: catalog.body.id } });
  return { app, store, catalogId: catalog.body.id as string, packageId: pkg.body.id as string };
}

describe('unknownFutureValue in a request body', () => {
  it('is refused on a v1.0 catalog’s create and update, which leave the catalog as it was', async () => {
    const { app, store, catalogId } = await setup();
    const count = store.list('accessPackageCatalogs').length;
    const created = await request(app).post(`${V1}/catalogs`).set(AUTH).send({ displayName: 'Future', state: 'unknownFutureValue' });
    expectGraphError(created, 400, 'BadRequest', invalid('state', 'accessPackageCatalogState'));
    const patched = await request(app).patch(`${V1}/catalogs/${catalogId}`).set(AUTH).send({ state: 'unknownFutureValue' });
    expectGraphError(patched, 400, 'BadRequest', invalid('state', 'accessPackageCatalogState'));
    expect(store.list('accessPackageCatalogs')).toHaveLength(count);
    const beta = await request(app).get(`${CATALOGS}/${catalogId}`).set(AUTH);
    expect(beta.body.catalogStatus).toBe('Published');
    expect((await request(app).get(`${V1}/catalogs/${catalogId}`).set(AUTH)).body.state).toBe('published');
  });

  it('is refused as a v1.0 policy’s allowedTargetScope and a beta catalog’s privilegeLevel', async () => {
    const { app, store, packageId } = await setup();
    const policy = { displayName: 'Future', allowedTargetScope: 'unknownFutureValue', accessPackage: { id: packageId } };
    expectGraphError(
      await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(policy),
      400,
      'BadRequest',
      invalid('allowedTargetScope', 'allowedTargetScope'),
    );
    expect(store.list('accessPackageAssignmentPolicies')).toHaveLength(0);
    const catalog = { displayName: 'Future', privilegeLevel: 'unknownFutureValue' };
    expectGraphError(await request(app).post(CATALOGS).set(AUTH).send(catalog), 400, 'BadRequest', invalid('privilegeLevel', 'privilegeLevel'));
  });

  it('stays valid in a stored record, so a data file that holds it still loads', () => {
    const record = { id: '5e2bd6b2-3e0b-4bd6-8c6c-6c1d0e0b8a11', displayName: 'Stored', privilegeLevel: 'unknownFutureValue' };
    expect(validatorFor('accessPackageCatalog').check(record, true)).toBe(record);
  });
});
