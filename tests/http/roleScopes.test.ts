// A catalog's resources and their roles, read as the pages show them, and the resource role scopes of a package:
// created from a role and a scope of the package's catalog, listed, expanded with their role and scope, deleted.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { addGroup, createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, expectGraphError } from '../support/graph.js';

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalogId = await createCatalog(app, 'Sales');
  const otherCatalog = await createCatalog(app, 'Elsewhere');
  const sales = await addGroup(store, catalogId, 'Sales team', 'b31fe1f1-3651-488f-bd9a-1711887fd4ca');
  const elsewhere = await addGroup(store, otherCatalog, 'Finance team');
  const accessPackageId = await createPackage(app, 'Sales reps', catalogId);
  return { store, app, catalogId, sales, elsewhere, accessPackageId };
}

describe('a catalog’s resources and roles', () => {
  it('lists the resources of a catalog, not another’s', async () => {
    const { app, catalogId, sales } = await setup();
    const res = await request(app).get(`${CATALOGS}/${catalogId}/accessPackageResources`).set(AUTH);
    expect(res.body.value).toEqual([expect.objectContaining({ id: sales.resource.id, displayName: 'Sales team', originSystem: 'AadGroup' })]);
    expect(res.body.value[0]).not.toHaveProperty('catalogId');
  });

  it('filters roles as the list page does, by originSystem and accessPackageResource/id, with the resource expanded', async () => {
    const { app, catalogId, sales } = await setup();
    const filter = `(originSystem+eq+%27AadGroup%27+and+accessPackageResource/id+eq+%27${sales.resource.id}%27)`;
    const res = await request(app).get(`${CATALOGS}/${catalogId}/accessPackageResourceRoles?$filter=${filter}&$expand=accessPackageResource`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.value.map((r: { displayName: string }) => r.displayName).sort()).toEqual(['Member', 'Owner']);
    expect(res.body.value[0].accessPackageResource).toMatchObject({ id: sales.resource.id, originId: sales.resource.originId });
    expect(res.body.value[0]).not.toHaveProperty('accessPackageResourceId');
    const selected = await request(app).get(`${CATALOGS}/${catalogId}/accessPackageResourceRoles?$filter=${filter}&$select=displayName,originId`).set(AUTH);
    expect(selected.body.value).toContainEqual({ id: sales.member.id, displayName: 'Member', originId: `Member_${sales.resource.originId}` });
  });

  it('reads a resource’s roles and scopes through it', async () => {
    const { app, catalogId, sales } = await setup();
    const res = await request(app).get(`${CATALOGS}/${catalogId}/accessPackageResources?$expand=accessPackageResourceScopes`).set(AUTH);
    expect(res.body.value[0].accessPackageResourceScopes).toEqual([expect.objectContaining({ id: sales.scope.id, isRootScope: true })]);
  });
});

describe('resource role scopes of a package', () => {
  it('creates one from the role named by originId with its resource, and the scope by originId, as the create page’s example 1', async () => {
    const { app, sales, accessPackageId } = await setup();
    const res = await request(app)
      .post(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`)
      .set(AUTH)
      .send({
        accessPackageResourceRole: {
          originId: 'Member_b31fe1f1-3651-488f-bd9a-1711887fd4ca',
          displayName: 'Member',
          originSystem: 'AadGroup',
          accessPackageResource: { id: sales.resource.id, resourceType: 'O365 Group', originId: sales.resource.originId, originSystem: 'AadGroup' },
        },
        accessPackageResourceScope: { originId: sales.resource.originId, originSystem: 'AadGroup' },
      });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#accessPackageResourceRoleScopes/$entity',
      id: `${sales.member.id}_${sales.scope.id}`,
      createdBy: null,
      createdDateTime: expect.any(String),
      modifiedBy: null,
      modifiedDateTime: expect.any(String),
    });
  });

  it('reads a role or scope id that is no GUID as a string naming nothing: 404, as an unknown GUID is', async () => {
    const { app, sales, accessPackageId } = await setup();
    for (const body of [
      { accessPackageResourceRole: { id: 'abc' }, accessPackageResourceScope: { id: sales.scope.id } },
      { accessPackageResourceRole: { id: sales.member.id }, accessPackageResourceScope: { id: 'y' } },
    ]) {
      const res = await request(app).post(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`).set(AUTH).send(body);
      expectGraphError(res, 404, 'ResourceNotFound', 'The resource was not found.');
    }
  });

  it('takes a role named by an originId that several resources share as the one whose resource has the named scope', async () => {
    const { app, store, catalogId, sales, accessPackageId } = await setup();
    const second = await addGroup(store, catalogId, 'Second team');
    // Every application's "Default Access" role has this originId.
    const shared = '00000000-0000-0000-0000-000000000000';
    const defaults = [];
    for (const group of [sales, second]) {
      const role = { ...group.member, id: randomUUID(), displayName: 'Default Access', originId: shared };
      await store.create('accessPackageResourceRoles', role);
      defaults.push(role.id);
    }
    for (const [i, group] of [second, sales].entries()) {
      const res = await request(app)
        .post(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`)
        .set(AUTH)
        .send({
          accessPackageResourceRole: { originId: shared, originSystem: 'AadGroup' },
          accessPackageResourceScope: { originId: group.scope.originId, originSystem: 'AadGroup' },
        });
      expect([res.status, res.headers['content-type'], res.body.id]).toEqual([201, ODATA_JSON, `${defaults[1 - i]}_${group.scope.id}`]);
    }
    // A scope no such role's resource has is still not found.
    const none = await request(app)
      .post(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`)
      .set(AUTH)
      .send({ accessPackageResourceRole: { originId: shared }, accessPackageResourceScope: { originId: 'no-such-scope' } });
    expectGraphError(none, 404, 'ResourceNotFound');
  });

  it('answers a create with the Location the new role scope is read at, in beta and v1.0', async () => {
    const { app, sales, accessPackageId } = await setup();
    const pair = { id: `${sales.member.id}_${sales.scope.id}` };
    const beta = await request(app)
      .post(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`)
      .set(AUTH)
      .send({ accessPackageResourceRole: { id: sales.member.id }, accessPackageResourceScope: { id: sales.scope.id } });
    expect(beta.status).toBe(201);
    const betaPath = `${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes/${pair.id}`;
    expect(beta.headers['location']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(new URL(beta.headers['location']!).pathname).toBe(betaPath);
    expect((await request(app).get(new URL(beta.headers['location']!).pathname).set(AUTH)).body).toMatchObject(pair);
    await request(app).delete(betaPath).set(AUTH).expect(204);
    const v1 = await request(app)
      .post(`/v1.0/identityGovernance/entitlementManagement/accessPackages/${accessPackageId}/resourceRoleScopes`)
      .set(AUTH)
      .send({ role: { id: sales.member.id }, scope: { id: sales.scope.id } });
    expect(v1.status).toBe(201);
    const v1Path = `/v1.0/identityGovernance/entitlementManagement/accessPackages/${accessPackageId}/resourceRoleScopes/${pair.id}`;
    expect(new URL(v1.headers['location']!).pathname).toBe(v1Path);
    expect((await request(app).get(v1Path).set(AUTH)).body).toMatchObject(pair);
  });

  it('expands the role scopes with their role and scope, as the list page shows; deletes one by its id', async () => {
    const { app, sales, accessPackageId } = await setup();
    for (const role of [sales.member, sales.owner]) {
      await request(app)
        .post(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`)
        .set(AUTH)
        .send({ accessPackageResourceRole: { id: role.id }, accessPackageResourceScope: { id: sales.scope.id } });
    }
    const res = await request(app)
      .get(`${PACKAGES}/${accessPackageId}?$expand=accessPackageResourceRoleScopes($expand=accessPackageResourceRole,accessPackageResourceScope)`)
      .set(AUTH);
    expect(res.status).toBe(200);
    const owner = res.body.accessPackageResourceRoleScopes.find((r: { id: string }) => r.id.startsWith(sales.owner.id));
    expect(owner).toMatchObject({
      id: `${sales.owner.id}_${sales.scope.id}`,
      accessPackageResourceRole: { id: sales.owner.id, displayName: 'Owner', originSystem: 'AadGroup', originId: `Owner_${sales.resource.originId}` },
      accessPackageResourceScope: { id: sales.scope.id, displayName: 'Root', isRootScope: true },
    });
    const one = await request(app).get(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes/${owner.id}`).set(AUTH);
    expect(one.body).toMatchObject({ id: owner.id });
    expect((await request(app).delete(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes/${owner.id}`).set(AUTH)).status).toBe(204);
    const left = await request(app).get(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`).set(AUTH);
    expect(left.body.value.map((r: { id: string }) => r.id)).toEqual([`${sales.member.id}_${sales.scope.id}`]);
    expectGraphError(
      await request(app).delete(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes/${owner.id}`).set(AUTH),
      404,
      'ResourceNotFound',
    );
  });

  it('answers 404 ResourceNotFound for a role or a scope that is not in the package’s catalog, and 409 for the same pair twice', async () => {
    const { app, sales, elsewhere, accessPackageId } = await setup();
    const url = `${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`;
    for (const body of [
      { accessPackageResourceRole: { id: elsewhere.member.id }, accessPackageResourceScope: { id: elsewhere.scope.id } },
      { accessPackageResourceRole: { id: sales.member.id }, accessPackageResourceScope: { id: elsewhere.scope.id } },
      {
        accessPackageResourceRole: { originId: 'Member_nobody', accessPackageResource: { id: sales.resource.id } },
        accessPackageResourceScope: { id: sales.scope.id },
      },
      {
        accessPackageResourceRole: { originId: elsewhere.member.originId, accessPackageResource: { id: elsewhere.resource.id } },
        accessPackageResourceScope: { id: sales.scope.id },
      },
    ]) {
      expectGraphError(await request(app).post(url).set(AUTH).send(body), 404, 'ResourceNotFound', 'The resource was not found.');
    }
    const pair = { accessPackageResourceRole: { id: sales.member.id }, accessPackageResourceScope: { id: sales.scope.id } };
    expect((await request(app).post(url).set(AUTH).send(pair)).status).toBe(201);
    expectGraphError(await request(app).post(url).set(AUTH).send(pair), 409, 'Conflict');
  });

  it('reads the body as its type before it looks anything up: a property the type does not have is a 400, not a 404', async () => {
    const { app, sales, accessPackageId } = await setup();
    const url = `${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`;
    const unknown = (name: string, type: string) =>
      `The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type.`;
    expectGraphError(
      await request(app).post(url).set(AUTH).send({ foo: 1 }),
      400,
      'BadRequest',
      unknown('foo', 'microsoft.graph.accessPackageResourceRoleScope'),
    );
    // The emulator's own links are no properties of the type.
    expectGraphError(
      await request(app)
        .post(url)
        .set(AUTH)
        .send({ accessPackageId, accessPackageResourceRole: { id: sales.member.id } }),
      400,
      'BadRequest',
      unknown('accessPackageId', 'microsoft.graph.accessPackageResourceRoleScope'),
    );
    const v1 = `/v1.0/identityGovernance/entitlementManagement/accessPackages/${accessPackageId}/resourceRoleScopes`;
    expectGraphError(
      await request(app).post(v1).set(AUTH).send({ role: {}, bar: 2 }),
      400,
      'BadRequest',
      unknown('bar', 'microsoft.graph.accessPackageResourceRoleScope'),
    );
    // Read-only properties are ignored, as on every create.
    const created = await request(app)
      .post(url)
      .set(AUTH)
      .send({ id: 'mine', createdBy: 'me', accessPackageResourceRole: { id: sales.member.id }, accessPackageResourceScope: { id: sales.scope.id } });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe(`${sales.member.id}_${sales.scope.id}`);
  });

  it('reads the role, the scope and their resource as their types: a wrong type or an unknown property is a 400 naming it', async () => {
    const { app, store, sales, accessPackageId } = await setup();
    const url = `${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`;
    const role = { id: sales.member.id };
    const scope = { id: sales.scope.id };
    const invalid = (name: string, literal: string) =>
      `Invalid value for property '${name}': cannot convert the literal '${literal}' to the expected type 'Edm.String'.`;
    const unknown = (name: string, type: string) =>
      `The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type.`;
    const v1 = `/v1.0/identityGovernance/entitlementManagement/accessPackages/${accessPackageId}/resourceRoleScopes`;
    for (const [path, body, message] of [
      [url, { accessPackageResourceRole: { id: 5 }, accessPackageResourceScope: { id: [] } }, invalid('id', '5')],
      [url, { accessPackageResourceRole: role, accessPackageResourceScope: { id: [] } }, invalid('id', '[]')],
      [url, { accessPackageResourceRole: { ...role, foo: 1 }, accessPackageResourceScope: scope }, unknown('foo', 'microsoft.graph.accessPackageResourceRole')],
      [
        url,
        { accessPackageResourceRole: role, accessPackageResourceScope: { ...scope, catalogId: 'x' } },
        unknown('catalogId', 'microsoft.graph.accessPackageResourceScope'),
      ],
      [
        url,
        {
          accessPackageResourceRole: { originId: 'Member_x', accessPackageResource: { id: sales.resource.id, colour: 'red' } },
          accessPackageResourceScope: scope,
        },
        unknown('colour', 'microsoft.graph.accessPackageResource'),
      ],
      [v1, { role: { ...role, accessPackageResource: {} }, scope }, unknown('accessPackageResource', 'microsoft.graph.accessPackageResourceRole')],
      [
        v1,
        { role: { originId: 'Member_x', resource: { originId: 7 } }, scope },
        "Invalid value for property 'originId': cannot convert the literal '7' to the expected type 'Edm.String'.",
      ],
    ] as const) {
      expectGraphError(await request(app).post(path).set(AUTH).send(body), 400, 'BadRequest', message);
    }
    expect(store.count('accessPackageResourceRoleScopes')).toBe(0);
  });

  it('a body that leaves the role or the scope out, or names one by neither id nor originId, is 400 InvalidModel', async () => {
    const { app, store, sales, accessPackageId } = await setup();
    const url = `${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`;
    const role = { id: sales.member.id };
    const scope = { id: sales.scope.id };
    for (const body of [
      {},
      { accessPackageResourceRole: role },
      { accessPackageResourceRole: null, accessPackageResourceScope: scope },
      { accessPackageResourceRole: role, accessPackageResourceScope: {} },
      { accessPackageResourceRole: { displayName: 'Member' }, accessPackageResourceScope: scope },
      { accessPackageResourceRole: { originId: 'Member_x', accessPackageResource: {} }, accessPackageResourceScope: scope },
    ]) {
      expectGraphError(await request(app).post(url).set(AUTH).send(body), 400, 'InvalidModel', 'Model is not valid.');
    }
    expect(store.count('accessPackageResourceRoleScopes')).toBe(0);
  });
});
