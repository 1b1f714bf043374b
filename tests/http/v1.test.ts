// /v1.0/identityGovernance/entitlementManagement: v1.0's names, property sets and contexts over the same state as
// beta — a package, catalog or policy written through one version is read through the other, as on the live service.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { addGroup } from '../support/catalogResources.js';
import { AUTH, CATALOGS, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';
import { V1_CONTEXT, createV1Package, setupV1 as setup } from '../support/v1.js';

describe('v1.0 catalogs', () => {
  it('creates with v1.0’s names and values, seen through beta in beta’s', async () => {
    const { app, catalogId, catalog } = await setup();
    expect(catalog.status).toBe(201);
    expect(catalog.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/catalogs/$entity`,
      id: catalogId,
      displayName: 'sales',
      description: 'for sales',
      catalogType: 'userManaged',
      state: 'published',
      isExternallyVisible: true,
      createdDateTime: expect.any(String),
      modifiedDateTime: expect.any(String),
    });
    expect((await request(app).get(`${CATALOGS}/${catalogId}`).set(AUTH)).body).toMatchObject({ catalogStatus: 'Published', catalogType: 'UserManaged' });
    await request(app).patch(`${CATALOGS}/${catalogId}`).set(AUTH).send({ catalogStatus: 'Unpublished' });
    const list = await request(app).get(`${V1}/catalogs?$filter=state eq 'unpublished'&$select=displayName,state`).set(AUTH);
    expect(list.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/catalogs(displayName,state)`,
      value: [{ id: catalogId, displayName: 'sales', state: 'unpublished' }],
    });
  });

  it('reads a stored status v1.0 cannot name as unknownFutureValue, and keeps it when that GET comes back as a PATCH', async () => {
    const { app, store } = await setup();
    // A data file may hold one; a write takes only Published and Unpublished (catalogStatus.test.ts).
    const draft = await request(app).post(CATALOGS).set(AUTH).send({ displayName: 'odd' });
    const stored = store.get('accessPackageCatalogs', draft.body.id)!;
    await store.update('accessPackageCatalogs', { ...stored, catalogStatus: 'Draft' });
    const read = (await request(app).get(`${V1}/catalogs/${draft.body.id}`).set(AUTH)).body as Record<string, unknown>;
    expect(read['state']).toBe('unknownFutureValue');
    const sentBack = await request(app)
      .patch(`${V1}/catalogs/${draft.body.id}`)
      .set(AUTH)
      .send({ ...read, description: 'renamed through v1.0' });
    expect([sentBack.status, sentBack.text]).toEqual([204, '']);
    expect((await request(app).get(`${CATALOGS}/${draft.body.id}`).set(AUTH)).body).toMatchObject({
      catalogStatus: 'Draft',
      description: 'renamed through v1.0',
    });
  });
});

describe('v1.0 access packages', () => {
  it('creates in the catalog named by "catalog": {"id": …}; the package is seen through beta and back', async () => {
    const { app, catalogId } = await setup();
    const res = await request(app)
      .post(`${V1}/accessPackages`)
      .set(AUTH)
      .send({ displayName: 'sales reps', description: 'outside sales', isHidden: false, catalog: { id: catalogId } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/accessPackages/$entity`,
      id: expect.any(String),
      displayName: 'sales reps',
      description: 'outside sales',
      isHidden: false,
      createdDateTime: expect.any(String),
      modifiedDateTime: expect.any(String),
    });
    const beta = await request(app).get(`${PACKAGES}/${res.body.id}`).set(AUTH);
    expect(beta.body).toMatchObject({ catalogId, displayName: 'sales reps', isRoleScopesVisible: false });
    await request(app).patch(`${PACKAGES}/${res.body.id}`).set(AUTH).send({ description: 'changed through beta' });
    const v1 = await request(app).get(`${V1}/accessPackages/${res.body.id}?$expand=catalog($select=displayName)`).set(AUTH);
    expect(v1.body).toMatchObject({ description: 'changed through beta', catalog: { id: catalogId, displayName: 'sales' } });
    expect(v1.body).not.toHaveProperty('catalogId');
  });

  it.each([
    ['no catalog', { displayName: 'x' }],
    ['no displayName', { catalog: { id: 'CATALOG' } }],
    ['an unknown catalog', { displayName: 'x', catalog: { id: '99999999-0000-4000-8000-000000000000' } }],
  ])('refuses a create with %s: 400 InvalidModel', async (_name, body) => {
    const { app, catalogId } = await setup();
    const sent = JSON.parse(JSON.stringify(body).replace('CATALOG', catalogId));
    expectGraphError(await request(app).post(`${V1}/accessPackages`).set(AUTH).send(sent), 400, 'InvalidModel', 'Model is not valid.');
  });

  it('refuses a v1.0 update that nulls the displayName its create requires, as the create does; beta may clear it', async () => {
    const { app, catalogId } = await setup();
    const id = await createV1Package(app, catalogId, 'named');
    const nulled = await request(app).patch(`${V1}/accessPackages/${id}`).set(AUTH).send({ displayName: null, description: 'kept out' });
    expectGraphError(nulled, 400, 'InvalidModel', 'Model is not valid.');
    expect((await request(app).get(`${V1}/accessPackages/${id}`).set(AUTH)).body).toMatchObject({ displayName: 'named', description: null });
    // A PATCH without it keeps it.
    expect((await request(app).patch(`${V1}/accessPackages/${id}`).set(AUTH).send({ description: 'd' })).status).toBe(204);
    // Beta's create takes a package without a displayName, and so does its update.
    const beta = await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send({ displayName: null });
    expect([beta.status, beta.headers['content-type'], beta.text]).toEqual([204, undefined, '']);
    expect((await request(app).get(`${PACKAGES}/${id}`).set(AUTH)).body).toMatchObject({ displayName: null, description: 'd' });
    // A v1.0 client may send back what it read of a package without one: its GET, null displayName and all.
    const read = (await request(app).get(`${V1}/accessPackages/${id}`).set(AUTH)).body as Record<string, unknown>;
    expect(read['displayName']).toBeNull();
    const sentBack = await request(app)
      .patch(`${V1}/accessPackages/${id}`)
      .set(AUTH)
      .send({ ...read, description: 'again' });
    expect([sentBack.status, sentBack.text]).toEqual([204, '']);
    expect((await request(app).get(`${V1}/accessPackages/${id}`).set(AUTH)).body).toMatchObject({ displayName: null, description: 'again' });
  });

  it('names relationships as v1.0 does: $expand=assignmentPolicies works, beta’s accessPackageAssignmentPolicies does not', async () => {
    const { app, catalogId } = await setup();
    const id = await createV1Package(app, catalogId, 'p');
    await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: id, displayName: 'from beta' });
    const res = await request(app).get(`${V1}/accessPackages?$expand=assignmentPolicies($select=displayName)`).set(AUTH);
    expect(res.body.value[0].assignmentPolicies).toEqual([{ id: expect.any(String), displayName: 'from beta' }]);
    expectGraphError(
      await request(app).get(`${V1}/accessPackages?$expand=accessPackageAssignmentPolicies`).set(AUTH),
      400,
      'BadRequest',
      "Could not find a property named 'accessPackageAssignmentPolicies' on type 'microsoft.graph.accessPackage'.",
    );
    expectGraphError(
      await request(app).post(`${V1}/accessPackages/${id}/moveToCatalog`).set(AUTH).send({}),
      400,
      'BadRequest',
      "Resource not found for the segment 'moveToCatalog'.",
    );
  });
});

describe('v1.0 resource role scopes and incompatibilities', () => {
  it('adds a role scope named as the v1.0 page names it (role, its resource, scope) and lists it', async () => {
    const { app, store, catalogId } = await setup();
    const group = await addGroup(store, catalogId, 'example group', '0282e19d-bf41-435d-92a4-99bab93af305');
    const pkg = await createV1Package(app, catalogId, 'p');
    const res = await request(app)
      .post(`${V1}/accessPackages/${pkg}/resourceRoleScopes`)
      .set(AUTH)
      .send({
        role: { id: group.member.id, originSystem: 'AadGroup', originId: group.member.originId, resource: { id: group.resource.id } },
        scope: { id: group.scope.id, originId: group.scope.originId, originSystem: 'AadGroup', isRootScope: true },
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: `${group.member.id}_${group.scope.id}`, createdDateTime: expect.any(String) });
    const listed = await request(app).get(`${V1}/accessPackages/${pkg}?$expand=resourceRoleScopes($expand=role,scope)`).set(AUTH);
    expect(listed.body.resourceRoleScopes).toEqual([
      {
        id: res.body.id,
        createdDateTime: expect.any(String),
        'role@odata.context': `https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/accessPackages('${pkg}')/resourceRoleScopes('${res.body.id}')/role/$entity`,
        role: expect.objectContaining({ id: group.member.id }),
        'scope@odata.context': `https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/accessPackages('${pkg}')/resourceRoleScopes('${res.body.id}')/scope/$entity`,
        scope: expect.objectContaining({ id: group.scope.id }),
      },
    ]);
    const roles = await request(app).get(`${V1}/catalogs/${catalogId}/resources?$expand=roles,scopes`).set(AUTH);
    expect(roles.body.value[0]).toMatchObject({
      displayName: 'example group',
      createdDateTime: expect.any(String),
      roles: expect.any(Array),
      scopes: expect.any(Array),
    });
    expect(roles.body.value[0]).not.toHaveProperty('addedOn');
    // The v1.0 list page's filter: `resource/id`, where beta names the navigation accessPackageResource.
    const filtered = await request(app)
      .get(`${V1}/catalogs/${catalogId}/resourceRoles?$filter=(originSystem eq 'AadGroup' and resource/id eq '${group.resource.id}')&$expand=resource`)
      .set(AUTH);
    expect(filtered.status).toBe(200);
    expect(filtered.body.value.map((r: { id: string }) => r.id).sort()).toEqual([group.member.id, group.owner.id].sort());
    expect(filtered.body.value[0].resource.id).toBe(group.resource.id);
    // Each version's own name only: beta's path on v1.0 and v1.0's on beta are refused as Graph refuses them.
    const betaPath = await request(app).get(`${V1}/catalogs/${catalogId}/resourceRoles?$filter=accessPackageResource/id eq '${group.resource.id}'`).set(AUTH);
    expectGraphError(betaPath, 400, 'InvalidFilter', "OData query is invalid: Navigation paths ('accessPackageResource/id') are not supported in $filter.");
    const v1Path = await request(app).get(`${CATALOGS}/${catalogId}/accessPackageResourceRoles?$filter=resource/id eq '${group.resource.id}'`).set(AUTH);
    expectGraphError(v1Path, 400, 'InvalidFilter', "OData query is invalid: Navigation paths ('resource/id') are not supported in $filter.");
  });

  it('links incompatible packages through v1.0 paths, read back through beta', async () => {
    const { app, catalogId } = await setup();
    const [a, b] = [await createV1Package(app, catalogId, 'a'), await createV1Package(app, catalogId, 'b')];
    const add = await request(app)
      .post(`${V1}/accessPackages/${a}/incompatibleAccessPackages/$ref`)
      .set(AUTH)
      .send({ '@odata.id': `https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/accessPackages/${b}` });
    expect(add.status).toBe(204);
    expect((await request(app).get(`${PACKAGES}/${b}/accessPackagesIncompatibleWith`).set(AUTH)).body.value.map((p: { id: string }) => p.id)).toEqual([a]);
  });
});
