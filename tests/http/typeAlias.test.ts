// An `@odata.type` written with the alias the CSDL gives Graph's namespace (`<Schema Namespace="microsoft.graph"
// Alias="graph">`): Graph's OData reader resolves `#graph.accessPackage` as `#microsoft.graph.accessPackage`
// (Microsoft.OData.Edm FindType → ReplaceAlias), for the body's entity, a nested entity and a complex value alike.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

describe('an @odata.type written with the namespace alias', () => {
  it.each([['#graph.accessPackage'], ['graph.accessPackage']])('%s on a beta and a v1.0 create is the entity type: 201', async (type) => {
    const { app, store, catalogId } = await salesPackage();
    const beta = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ '@odata.type': type, displayName: 'Aliased', accessPackageCatalog: { '@odata.type': '#graph.accessPackageCatalog', id: catalogId } });
    expect(beta.status).toBe(201);
    expect(beta.headers['content-type']).toBe(ODATA_JSON);
    expect(beta.body).toMatchObject({ displayName: 'Aliased', catalogId });
    const v1 = await request(app)
      .post(`${V1}/accessPackages`)
      .set(AUTH)
      .send({ '@odata.type': type, displayName: 'Aliased 1', catalog: { id: catalogId } });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ displayName: 'Aliased 1' });
    expect(store.count('accessPackages')).toBe(3);
  });

  it('another type or one no model has is refused as before, the name quoted as sent', async () => {
    const { app, store } = await salesPackage();
    const other = await request(app).post(PACKAGES).set(AUTH).send({ '@odata.type': '#graph.accessPackageCatalog', displayName: 'x' });
    expectGraphError(
      other,
      400,
      'BadRequest',
      "A resource with type 'microsoft.graph.accessPackageCatalog' was found, but it is not assignable to the expected type 'microsoft.graph.accessPackage'. The type specified in the resource must be equal to either the expected type or a derived type.",
    );
    const unknown = await request(app).post(PACKAGES).set(AUTH).send({ '@odata.type': '#graph.garbage', displayName: 'x' });
    expectGraphError(
      unknown,
      400,
      'BadRequest',
      "A type named 'graph.garbage' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.",
    );
    expect(store.count('accessPackages')).toBe(1);
  });

  it('a complex value’s is read as its type and answered and stored with the namespace', async () => {
    const { app, accessPackageId } = await salesPackage();
    const user = '5a1c4c8e-5a6e-4f0e-9a38-3d6b7a1e2f10';
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({
        displayName: 'p',
        accessPackageId,
        requestorSettings: {
          scopeType: 'SpecificDirectorySubjects',
          acceptRequests: true,
          allowedRequestors: [{ '@odata.type': '#graph.singleUser', isBackup: false, id: user }],
        },
      });
    expect(res.status).toBe(201);
    const expected = [{ '@odata.type': '#microsoft.graph.singleUser', isBackup: false, id: user }];
    expect(res.body.requestorSettings.allowedRequestors).toEqual(expected);
    const read = await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH);
    expect(read.body.requestorSettings.allowedRequestors).toEqual(expected);
  });
});
