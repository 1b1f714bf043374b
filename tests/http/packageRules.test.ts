// The rules Graph holds packages to: always in an existing catalog (General when none is named), catalogId
// read-only after the create, moved only by moveToCatalog, uniqueName an alternate key, and what goes with a
// deleted package.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { emptyDataset } from '../../server/store/records.js';
import { newGeneralCatalog } from '../../server/resources/generalCatalog.js';
import { packageRules } from '../../server/resources/accessPackages/rules.js';
import { addGroup, createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const GRAPH = 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement';

function setup() {
  const store = new MemoryStore();
  return { store, app: createApp({ store }) };
}

const general = async (app: ReturnType<typeof createApp>) =>
  (await request(app).get(`${CATALOGS}?$filter=(displayName eq 'General')`).set(AUTH)).body.value[0] as { id: string; catalogType: string };

describe('a package is always in an existing catalog', () => {
  it('a create naming no catalog goes to the built-in General catalog, made when the tenant lacks one', async () => {
    const { app } = setup();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'No catalog' });
    expect(res.status).toBe(201);
    const catalog = await general(app);
    expect(catalog.catalogType).toBe('ServiceDefault');
    expect(res.body.catalogId).toBe(catalog.id);
    expect((await request(app).post(PACKAGES).set(AUTH).send({})).body.catalogId).toBe(catalog.id);
  });

  it.each([
    ['an unknown catalog GUID', { catalogId: '99999999-0000-4000-8000-000000000000' }],
    ['a malformed id', { catalogId: 'not-a-guid' }],
    ['a nested catalog that does not exist', { accessPackageCatalog: { id: '99999999-0000-4000-8000-000000000000' } }],
    ['a nested catalog whose id is no GUID', { accessPackageCatalog: { id: 'sales' } }],
    ['a catalog id of the wrong type', { catalogId: 7 }],
  ])('%s is entitlement management’s 400 InvalidModel, and nothing is stored', async (_name, body) => {
    const { app, store } = setup();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'x', ...body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/^(InvalidModel|BadRequest)$/);
    if (typeof (body as { catalogId?: unknown }).catalogId === 'string' || 'accessPackageCatalog' in body) {
      expectGraphError(res, 400, 'InvalidModel', 'Model is not valid.');
    }
    expect(store.count('accessPackages')).toBe(0);
  });

  it.each([
    ['a bind that is a number', PACKAGES, { 'accessPackageCatalog@odata.bind': 5 }],
    ['a bind that is an object', PACKAGES, { 'accessPackageCatalog@odata.bind': { id: 'x' } }],
    ['a bind that is an array', PACKAGES, { 'accessPackageCatalog@odata.bind': ['a'] }],
    ['a bind that is null', PACKAGES, { 'accessPackageCatalog@odata.bind': null }],
    ['a nested catalog without an id', PACKAGES, { accessPackageCatalog: {} }],
    ['a nested catalog named by displayName', PACKAGES, { accessPackageCatalog: { displayName: 'x' } }],
    ['a nested catalog that is null', PACKAGES, { accessPackageCatalog: null }],
    ['a nested catalog without an id beside a valid catalogId', PACKAGES, { catalogId: 'CATALOG', accessPackageCatalog: {} }],
    ['a catalogId and a nested catalog naming two catalogs', PACKAGES, { catalogId: 'CATALOG', accessPackageCatalog: { id: 'OTHER' } }],
    [
      'a catalogId and a bind naming two catalogs',
      PACKAGES,
      { catalogId: 'CATALOG', 'accessPackageCatalog@odata.bind': `${GRAPH}/accessPackageCatalogs/OTHER` },
    ],
    ['v1.0: a catalog and a bind naming two catalogs', `${V1}/accessPackages`, { catalog: { id: 'CATALOG' }, 'catalog@odata.bind': `${GRAPH}/catalogs/OTHER` }],
    ['v1.0: a catalog without an id', `${V1}/accessPackages`, { catalog: {} }],
    ['v1.0: a catalog that is null', `${V1}/accessPackages`, { catalog: null }],
    ['v1.0: a bind that is a number', `${V1}/accessPackages`, { 'catalog@odata.bind': 5 }],
  ])('%s names no catalog: 400 InvalidModel, and nothing is stored, not even a General catalog', async (_name, path, body) => {
    const { app, store } = setup();
    const catalogId = await createCatalog(app, 'Sales');
    const otherId = await createCatalog(app, 'Other');
    const ids = (text: string) => text.replace('OTHER', otherId).replace('CATALOG', catalogId);
    const named = JSON.parse(ids(JSON.stringify(body))) as object;
    const res = await request(app)
      .post(path)
      .set(AUTH)
      .send({ displayName: 'x', ...named });
    expectGraphError(res, 400, 'InvalidModel', 'Model is not valid.');
    expect(store.count('accessPackages')).toBe(0);
    expect(store.count('accessPackageCatalogs')).toBe(2);
  });

  it('a bind names its catalog in any key form a URL takes, and a URL under a catalog names none', async () => {
    const { app, store } = setup();
    const catalogId = await createCatalog(app, 'Sales');
    await request(app).patch(`${CATALOGS}/${catalogId}`).set(AUTH).send({ uniqueName: 'sales' }).expect(204);
    const root = 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackageCatalogs';
    const bind = (url: string, path = PACKAGES, name = 'accessPackageCatalog@odata.bind') =>
      request(app)
        .post(path)
        .set(AUTH)
        .send({ displayName: 'x', [name]: url });
    for (const url of [`${root}('${catalogId}')`, `${root}(id='${catalogId}')`, `${root}(uniqueName='sales')`]) {
      const res = await bind(url);
      expect(res.status).toBe(201);
      expect(res.body.catalogId).toBe(catalogId);
    }
    const v1 = await bind(
      `https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/catalogs(uniqueName='sales')`,
      `${V1}/accessPackages`,
      'catalog@odata.bind',
    );
    expect(v1.status).toBe(201);
    expect((await request(app).get(`${PACKAGES}/${v1.body.id}?$select=catalogId`).set(AUTH)).body.catalogId).toBe(catalogId);
    for (const url of [`${root}(uniqueName='nobody')`, `${root}(displayName='Sales')`, `${root}/${catalogId}/accessPackages`]) {
      expectGraphError(await bind(url), 400, 'InvalidModel', 'Model is not valid.');
    }
    expect(store.count('accessPackages')).toBe(4);
  });

  it('a catalogId of null names none, the same as leaving it out: the package goes to General', async () => {
    const { app } = setup();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'x', catalogId: null });
    expect(res.status).toBe(201);
    expect(res.body.catalogId).toBe((await general(app)).id);
  });

  it('a package naming no catalog lands in the General catalog of the data it is written into, though a reset replaced the one found before', () => {
    // As a create finds it when a reset comes between its lookup (preparing) and its write (creating, inside the write).
    const stale = newGeneralCatalog();
    const current = newGeneralCatalog();
    const store = new MemoryStore({ ...emptyDataset(), accessPackageCatalogs: [current] });
    const record: Record<string, unknown> = { id: '11111111-0000-4000-8000-000000000001', catalogId: stale.id, uniqueName: null };
    packageRules.creating!(record, {}, { store, version: 'beta', caller: null });
    expect(record['catalogId']).toBe(current.id);
    // A catalog the body names is that one, General or not.
    const named: Record<string, unknown> = { id: '11111111-0000-4000-8000-000000000002', uniqueName: null };
    expect(() => packageRules.creating!(named, { catalogId: stale.id }, { store, version: 'beta', caller: null })).toThrow(
      expect.objectContaining({ status: 400, code: 'InvalidModel' }),
    );
  });

  it('a policy naming two different packages (accessPackageId and a nested accessPackage) is 400 InvalidModel; the same one twice creates', async () => {
    const { app, store } = setup();
    const catalogId = await createCatalog(app, 'Sales');
    const [first, second] = [await createPackage(app, 'First', catalogId), await createPackage(app, 'Second', catalogId)];
    const refused = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'p', accessPackageId: first, accessPackage: { id: second } });
    expectGraphError(refused, 400, 'InvalidModel', 'Model is not valid.');
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
    const same = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'p', accessPackageId: first, accessPackage: { id: first.toUpperCase() } });
    expect([same.status, same.body.accessPackageId]).toEqual([201, first]);
  });

  it('catalogId is read-only after the create: PATCH ignores it, and the nested catalog too', async () => {
    const { app } = setup();
    const [a, b] = [await createCatalog(app, 'A'), await createCatalog(app, 'B')];
    const id = await createPackage(app, 'Stays', a);
    for (const body of [{ catalogId: b }, { catalogId: '99999999-0000-4000-8000-000000000000' }, { accessPackageCatalog: { id: b } }]) {
      expect((await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send(body)).status).toBe(204);
      expect((await request(app).get(`${PACKAGES}/${id}`).set(AUTH)).body.catalogId).toBe(a);
    }
  });

  it('moveToCatalog moves a package (200, no body), into an existing catalog only', async () => {
    const { app } = setup();
    const [a, b] = [await createCatalog(app, 'A'), await createCatalog(app, 'B')];
    const id = await createPackage(app, 'Moves', a);
    const res = await request(app).post(`${PACKAGES}/${id}/moveToCatalog`).set(AUTH).send({ catalogId: b });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await request(app).get(`${PACKAGES}/${id}`).set(AUTH)).body.catalogId).toBe(b);
    expectGraphError(await request(app).post(`${PACKAGES}/${id}/moveToCatalog`).set(AUTH).send({ catalogId: 'nope' }), 400, 'InvalidModel');
    expectGraphError(await request(app).get(`${PACKAGES}/${id}/moveToCatalog`).set(AUTH), 405, 'MethodNotAllowed');
  });

  it('moveToCatalog refuses a parameter the action does not declare, as OData does, and moves nothing', async () => {
    const { app, store } = setup();
    const [a, b] = [await createCatalog(app, 'A'), await createCatalog(app, 'B')];
    const id = await createPackage(app, 'Stays', a);
    const res = await request(app).post(`${PACKAGES}/${id}/moveToCatalog`).set(AUTH).send({ catalogId: b, extra: 1 });
    expectGraphError(res, 400, 'BadRequest', "The parameter 'extra' in the request payload is not a valid parameter for the operation 'moveToCatalog'.");
    expect(store.get('accessPackages', id)).toMatchObject({ catalogId: a });
    // An odata instance annotation is no parameter: the parameter reader refuses one it knows, before any parameter.
    const annotated = await request(app).post(`${PACKAGES}/${id}/moveToCatalog`).set(AUTH).send({ '@odata.type': '#microsoft.graph.x', catalogId: b });
    expectGraphError(
      annotated,
      400,
      'BadRequest',
      "The annotation 'odata.type' was found. This annotation is either not recognized or not expected at the current position.",
    );
    expect(store.get('accessPackages', id)).toMatchObject({ catalogId: a });
  });

  it('moveToCatalog never dates the package back: a modifiedDateTime set in the future moves one tick on', async () => {
    const { app } = setup();
    const [a, b] = [await createCatalog(app, 'A'), await createCatalog(app, 'B')];
    const created = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'f', catalogId: a, modifiedDateTime: '2031-01-01T00:00:00Z' });
    expect((await request(app).post(`${PACKAGES}/${created.body.id}/moveToCatalog`).set(AUTH).send({ catalogId: b })).status).toBe(200);
    const read = await request(app).get(`${PACKAGES}/${created.body.id}`).set(AUTH);
    expect(read.body).toMatchObject({ catalogId: b, modifiedDateTime: '2031-01-01T00:00:00.0000001Z' });
  });

  it('moveToCatalog takes the role scopes along when the resources are in the target catalog, and refuses otherwise', async () => {
    const { app, store } = setup();
    const [a, b, c] = [await createCatalog(app, 'A'), await createCatalog(app, 'B'), await createCatalog(app, 'C')];
    const groupId = '7b56ede0-9b58-40bd-b11e-b3d18fc32698';
    const inA = await addGroup(store, a, 'Sales', groupId);
    const inB = await addGroup(store, b, 'Sales', groupId);
    const id = await createPackage(app, 'With roles', a);
    const created = await request(app)
      .post(`${PACKAGES}/${id}/accessPackageResourceRoleScopes`)
      .set(AUTH)
      .send({ accessPackageResourceRole: { id: inA.member.id }, accessPackageResourceScope: { id: inA.scope.id } });
    expect(created.status).toBe(201);
    expectGraphError(
      await request(app).post(`${PACKAGES}/${id}/moveToCatalog`).set(AUTH).send({ catalogId: c }),
      400,
      'BadRequest',
      'The resources in the access package must be present in the target catalog.',
    );
    expect((await request(app).post(`${PACKAGES}/${id}/moveToCatalog`).set(AUTH).send({ catalogId: b })).status).toBe(200);
    const roleScopes = await request(app).get(`${PACKAGES}/${id}/accessPackageResourceRoleScopes`).set(AUTH);
    expect(roleScopes.body.value.map((r: { id: string }) => r.id)).toEqual([`${inB.member.id}_${inB.scope.id}`]);
  });
});

describe('uniqueName, the alternate key', () => {
  it('finds a package by accessPackages(uniqueName=…), and by the key syntax accessPackages(…)', async () => {
    const { app } = setup();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Keyed', uniqueName: "sales's-reps" });
    for (const url of [
      `${PACKAGES}(uniqueName='sales''s-reps')`,
      `${PACKAGES}('${res.body.id}')`,
      `${PACKAGES}(${res.body.id})`,
      `${PACKAGES}(id='${res.body.id}')`,
    ]) {
      const got = await request(app).get(url).set(AUTH);
      expect(got.status).toBe(200);
      expect(got.body.id).toBe(res.body.id);
    }
    expect((await request(app).patch(`${PACKAGES}(uniqueName='sales''s-reps')`).set(AUTH).send({ description: 'by key' })).status).toBe(204);
    expect((await request(app).get(`${PACKAGES}/${res.body.id}`).set(AUTH)).body.description).toBe('by key');
    expectGraphError(await request(app).get(`${PACKAGES}(uniqueName='nobody')`).set(AUTH), 404, 'ResourceNotFound');
    expectGraphError(await request(app).get(`${PACKAGES}(colour='red')`).set(AUTH), 400, 'BadRequest', /not a key of type 'microsoft.graph.accessPackage'/);
  });

  it('names one package only', async () => {
    const { app } = setup();
    await request(app).post(PACKAGES).set(AUTH).send({ uniqueName: 'once' });
    expectGraphError(
      await request(app).post(PACKAGES).set(AUTH).send({ uniqueName: 'once' }),
      400,
      'BadRequest',
      "An access package with the uniqueName 'once' already exists.",
    );
  });
});

describe('deleting a package', () => {
  it('takes its policies, role scopes and incompatibility links with it, and leaves the others', async () => {
    const { app, store } = setup();
    const catalog = await createCatalog(app, 'A');
    const group = await addGroup(store, catalog, 'Sales');
    const [gone, kept] = [await createPackage(app, 'Gone', catalog), await createPackage(app, 'Kept', catalog)];
    await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: gone, displayName: 'p' });
    await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: kept, displayName: 'q' });
    await request(app)
      .post(`${PACKAGES}/${gone}/accessPackageResourceRoleScopes`)
      .set(AUTH)
      .send({ accessPackageResourceRole: { id: group.member.id }, accessPackageResourceScope: { id: group.scope.id } });
    await request(app)
      .post(`${PACKAGES}/${kept}/incompatibleAccessPackages/$ref`)
      .set(AUTH)
      .send({ '@odata.id': `https://graph.microsoft.com/beta${PACKAGES.slice(5)}/${gone}` });
    expect((await request(app).delete(`${PACKAGES}/${gone}`).set(AUTH)).status).toBe(204);
    expect(store.list('accessPackageAssignmentPolicies').map((p) => p.accessPackageId)).toEqual([kept]);
    expect(store.count('accessPackageResourceRoleScopes')).toBe(0);
    expect(store.count('accessPackageIncompatibilities')).toBe(0);
  });
});
