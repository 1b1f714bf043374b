// A property annotation (`name@odata.bind`, `name@odata.type`) names a property of the entity's type: Graph's OData
// reader looks the property up first, so one naming a property the type does not have is the 400 of that property,
// in beta and v1.0, on a create, a PATCH and a PUT, nothing stored or changed. The other version's catalog bind is
// such a name: it puts no package in General.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const BETA_GRAPH = 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement';
const V1_GRAPH = 'https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement';

const setup = salesPackage;

const refused = (property: string, type: string) =>
  `The property '${property}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type.`;

describe('a property annotation naming no property of the type', () => {
  it('v1.0’s catalog@odata.bind on a beta create is a 400 naming catalog, and no package lands in General', async () => {
    const { app, store, catalogId } = await setup();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'Bound', 'catalog@odata.bind': `${BETA_GRAPH}/accessPackageCatalogs/${catalogId}` });
    expectGraphError(res, 400, 'BadRequest', refused('catalog', 'accessPackage'));
    expect(res.headers['location']).toBeUndefined();
    expect(store.list('accessPackages').map((p) => p['displayName'])).toEqual(['Sales reps']);
    expect(store.list('accessPackageCatalogs')).toHaveLength(1);
  });

  it('beta’s accessPackageCatalog@odata.bind on a v1.0 create is a 400 naming accessPackageCatalog', async () => {
    const { app, store, catalogId } = await setup();
    const res = await request(app)
      .post(`${V1}/accessPackages`)
      .set(AUTH)
      .send({ displayName: 'Bound', catalog: { id: catalogId }, 'accessPackageCatalog@odata.bind': `${V1_GRAPH}/catalogs/${catalogId}` });
    expectGraphError(res, 400, 'BadRequest', refused('accessPackageCatalog', 'accessPackage'));
    expect(store.count('accessPackages')).toBe(1);
  });

  it.each([
    ['a catalog', CATALOGS, { displayName: 'x', 'accessPackage@odata.bind': 'x' }, 'accessPackage', 'accessPackageCatalog'],
    ['a policy', POLICIES, { displayName: 'x', 'package@odata.type': '#microsoft.graph.accessPackage' }, 'package', 'accessPackageAssignmentPolicy'],
    ['a v1.0 catalog', `${V1}/catalogs`, { displayName: 'x', 'accessPackageResources@odata.bind': [] }, 'accessPackageResources', 'accessPackageCatalog'],
  ])('on %s create: a 400 naming the property, nothing stored', async (_name, path, body, property, type) => {
    const { app, store, accessPackageId } = await setup();
    const before = store.count('accessPackageCatalogs') + store.count('accessPackageAssignmentPolicies');
    const res = await request(app)
      .post(path)
      .set(AUTH)
      .send({ ...body, ...(path === POLICIES ? { accessPackageId } : {}) });
    expectGraphError(res, 400, 'BadRequest', refused(property, type));
    expect(store.count('accessPackageCatalogs') + store.count('accessPackageAssignmentPolicies')).toBe(before);
  });

  it('on a PATCH and a policy PUT: a 400, nothing changed; a nested entity’s is its type’s', async () => {
    const { app, store, catalogId, accessPackageId } = await setup();
    const patched = await request(app).patch(`${PACKAGES}/${accessPackageId}`).set(AUTH).send({ displayName: 'Renamed', 'foo@odata.type': '#String' });
    expectGraphError(patched, 400, 'BadRequest', refused('foo', 'accessPackage'));
    expect(store.get('accessPackages', accessPackageId)?.['displayName']).toBe('Sales reps');
    const nested = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ accessPackageCatalog: { id: catalogId, 'owner@odata.bind': 'x' } });
    expectGraphError(nested, 400, 'BadRequest', refused('owner', 'accessPackageCatalog'));
    const policy = (await request(app).post(POLICIES).set(AUTH).send({ displayName: 'p', accessPackageId })).body.id as string;
    const put = await request(app)
      .put(`${POLICIES}/${policy}`)
      .set(AUTH)
      .send({ displayName: 'q', 'questions@odata.bind': 'x', 'v1Settings@odata.type': '#x' });
    expectGraphError(put, 400, 'BadRequest', refused('v1Settings', 'accessPackageAssignmentPolicy'));
    expect(store.get('accessPackageAssignmentPolicies', policy)?.['displayName']).toBe('p');
  });

  it('an annotation of a property the type has, or of one of its navigation properties, is still read', async () => {
    const { app, catalogId } = await setup();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ 'displayName@odata.type': '#String', displayName: 'x', 'accessPackageCatalog@odata.bind': `${BETA_GRAPH}/accessPackageCatalogs/${catalogId}` });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ displayName: 'x', catalogId });
  });
});
