// Resource requests the service refuses (beta), each in Graph's envelope with nothing written: the permissions, an
// unknown catalog, a resource the catalog holds already, a requestType or originSystem not served, an originId
// that is no group's or application's GUID or no site's URL, a removal of
// what the catalog does not hold or a package still grants. Sources: docs/entitlement-management.md#resource-requests.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { addGroup } from '../support/catalogResources.js';
import { AUTH, CATALOGS, PACKAGES, expectGraphError } from '../support/graph.js';
import { GROUP, GROUP_CATALOG, REQUESTS, SITE_CATALOG, post, resourcesOf, tenantWith } from '../support/resourceRequests.js';
import { READ, READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

describe('POST accessPackageResourceRequests: refused', () => {
  const group = { originId: GROUP, originSystem: 'AadGroup' };

  it("a token with the read permission alone: Graph's 403; with ReadWrite, 201 and the caller as the resource's addedBy", async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const as = (scp: string) => bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', upn: 'megan@contoso.onmicrosoft.com', scp }));
    const body = { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: group };
    const refused = await request(app).post(REQUESTS).set(as(READ)).send(body);
    expectGraphError(refused, 403, 'UnAuthorized');
    expect((await request(app).get(REQUESTS).set(as(READ))).status).toBe(200);
    expect((await request(app).post(REQUESTS).set(as(READ_WRITE)).send(body)).status).toBe(201);
    const [resource] = (await resourcesOf(app, GROUP_CATALOG)).body.value;
    expect(resource.addedBy).toBe('megan@contoso.onmicrosoft.com');
  });

  it('an unknown catalog: 400 InvalidModel, as for a package (microsoft-graph-docs issue 9895)', async () => {
    const { app } = await tenantWith();
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: group });
    expectGraphError(res, 400, 'InvalidModel', 'Model is not valid.');
    // The catalog's name sent for its id names no catalog either.
    const named = await post(app, { catalogId: 'General', requestType: 'AdminAdd', accessPackageResource: group });
    expectGraphError(named, 400, 'InvalidModel', 'Model is not valid.');
  });

  it('a catalog a data file keeps under an id that is no GUID: named by no request, as by no URL; nothing added', async () => {
    const { app, store } = await tenantWith('general');
    const res = await post(app, { catalogId: 'General', requestType: 'AdminAdd', accessPackageResource: group });
    expectGraphError(res, 400, 'InvalidModel', 'Model is not valid.');
    expect(store.count('accessPackageResources')).toBe(0);
    expectGraphError(await request(app).get(`${CATALOGS}/general`).set(AUTH), 400, 'BadRequest');
  });

  it('a resource the catalog already holds: 400 with the live wording, and nothing added twice', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const send = () => post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: group });
    expect((await send()).status).toBe(201);
    const res = await send();
    expectGraphError(res, 400, 'BadRequest', 'The specified resource is already onboarded to ELM.');
    expect(res.body.error.details).toEqual([]);
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toHaveLength(1);
    expect((await request(app).get(REQUESTS).set(AUTH)).body.value).toHaveLength(1);
  });

  it.each([['Bogus'], ['adminadd'], [null]])('requestType %p: 400 naming the types served', async (requestType) => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType, accessPackageResource: group });
    expectGraphError(res, 400, 'BadRequest', `The requestType '${String(requestType)}' is not one of AdminAdd, AdminUpdate, AdminRemove.`);
  });

  it('no accessPackageResource (absent or null), or one without an originId (absent or empty): 400 saying which, nothing kept', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    expectGraphError(await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd' }), 400, 'BadRequest', 'The request has no accessPackageResource.');
    const noOrigin = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originSystem: 'AadGroup' } });
    expectGraphError(noOrigin, 400, 'BadRequest', 'The accessPackageResource has no originId.');
    const none = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: null });
    expectGraphError(none, 400, 'BadRequest', 'The request has no accessPackageResource.');
    const empty = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: '', originSystem: 'AadGroup' } });
    expectGraphError(empty, 400, 'BadRequest', 'The accessPackageResource has no originId.');
    expect((await request(app).get(REQUESTS).set(AUTH)).body.value).toEqual([]);
  });

  it.each([
    ['AadGroup', 'group'],
    ['AadApplication', 'servicePrincipal'],
  ])("an %s originId that is no GUID (a group's name sent for its id): 400 naming the id, nothing added or kept", async (originSystem, typeName) => {
    const { app } = await tenantWith(GROUP_CATALOG);
    for (const isValidationOnly of [false, true]) {
      const res = await post(app, {
        catalogId: GROUP_CATALOG,
        requestType: 'AdminAdd',
        isValidationOnly,
        accessPackageResource: { displayName: 'Marketing resources', originId: 'Marketing resources', originSystem },
      });
      expectGraphError(res, 400, 'BadRequest', `Invalid id 'Marketing resources': a ${typeName} id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.`);
      expect(res.body.error.details).toEqual([]);
    }
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toEqual([]);
    expect((await request(app).get(REQUESTS).set(AUTH)).body.value).toEqual([]);
  });

  it.each([
    ['Community Outreach'],
    ['contoso.sharepoint.com/sites/CSR'],
    ['ftp://contoso.sharepoint.com/sites/CSR'],
    ['https://contoso sharepoint.com/sites/CSR'],
    // An address with no host, one that only holds an http URL, and a host led by a tab (which a URL parser drops).
    ['https:///sites/CSR'],
    ['view-source:https://contoso.sharepoint.com/sites/CSR'],
    ['https://\tcontoso.sharepoint.com/sites/CSR'],
  ])('a SharePointOnline originId %p that is not the URL of a site: 400, nothing added', async (originId) => {
    const { app } = await tenantWith(SITE_CATALOG);
    const res = await post(app, { catalogId: SITE_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId, originSystem: 'SharePointOnline' } });
    expectGraphError(res, 400, 'BadRequest', `The originId '${originId}' is not the URL of a SharePoint Online site.`);
    expect(res.body.error.details).toEqual([]);
    expect((await resourcesOf(app, SITE_CATALOG)).body.value).toEqual([]);
  });

  it('an AdminRemove of a resource the catalog does not hold: 404 ResourceNotFound', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const res = await post(app, {
      catalogId: GROUP_CATALOG,
      requestType: 'AdminRemove',
      accessPackageResource: { id: '354078e5-dbce-4894-8af4-0ab274d41662' },
    });
    expectGraphError(res, 404, 'ResourceNotFound', 'The resource was not found.');
  });

  it('an AdminRemove of a resource whose role a package grants: 400, the resource stays', async () => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    const { resource, member, scope } = await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const accessPackageId = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Sales', catalogId: GROUP_CATALOG })).body.id as string;
    const granted = await request(app)
      .post(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`)
      .set(AUTH)
      .send({ accessPackageResourceRole: { id: member.id }, accessPackageResourceScope: { id: scope.id } });
    expect(granted.status).toBe(201);
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminRemove', accessPackageResource: { id: resource.id } });
    expectGraphError(res, 400, 'BadRequest', 'The resource: Sales members can not be removed because access packages grant its roles.');
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toHaveLength(1);
    // Another resource of the catalog, none of whose roles a package grants, is removed all the same.
    const { resource: other } = await addGroup(store, GROUP_CATALOG, 'Design');
    const removed = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminRemove', accessPackageResource: { id: other.id } });
    expect([removed.status, removed.body.requestState]).toEqual([201, 'Delivered']);
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value.map((r: { id: string }) => r.id)).toEqual([resource.id]);
  });

  it.each(['AdminUpdate', 'AdminRemove'])('an %s naming its resource by an originId of null: 404 ResourceNotFound', async (requestType) => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType, accessPackageResource: { originSystem: 'AadGroup', originId: null } });
    expectGraphError(res, 404, 'ResourceNotFound', 'The resource was not found.');
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toHaveLength(1);
  });

  it("example 2's resource environment, which the emulator does not keep: 400, nothing added", async () => {
    const { app } = await tenantWith('de9315c1-272b-4905-924b-cc112ca180c7');
    const res = await post(app, {
      catalogId: 'de9315c1-272b-4905-924b-cc112ca180c7',
      accessPackageResource: {
        displayName: 'Community Outreach',
        originId: 'https://contoso.sharepoint.com/sites/CSR',
        originSystem: 'SharePointOnline',
        accessPackageResourceEnvironment: { originId: 'https://contoso-admin.sharepoint.com/' },
      },
      requestType: 'AdminAdd',
    });
    expectGraphError(res, 400, 'BadRequest', /accessPackageResourceEnvironment/);
  });

  it('an originSystem entitlement management has not: 400 naming the three', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadRole' } });
    expectGraphError(res, 400, 'BadRequest', "The originSystem 'AadRole' is not one of AadGroup, AadApplication, SharePointOnline.");
  });
});
