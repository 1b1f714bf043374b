// Resource requests (beta) for each origin system and in any case: an application's and a site's roles and root
// scope, a site's url from its address, ids matched in any case (a GUID's case names the same object), the
// resource named for removal by originSystem and originId, and the request list filtered and refused a DELETE.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackageresourcerequests?view=graph-rest-beta
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { addGroup } from '../support/catalogResources.js';
import { AUTH, GUID, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { GROUP, GROUP_CATALOG, REQUESTS, SITE_CATALOG, post, resourcesOf, tenantWith } from '../support/resourceRequests.js';

const EXPAND = '?$expand=accessPackageResourceRoles($select=displayName,description,originId,originSystem),accessPackageResourceScopes';

describe('POST accessPackageResourceRequests: each origin system', () => {
  it("an application: named from its originId, Default Access and User with their descriptions, their originIds GUIDs, the root scope with the application's originId", async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const appId = '2cd8c2bb-0b9d-4b3c-8e53-2a3f8b11c7e1';
    const res = await post(app, {
      catalogId: GROUP_CATALOG,
      requestType: 'AdminAdd',
      accessPackageResource: { originId: appId, originSystem: 'AadApplication' },
    });
    expect(res.status).toBe(201);
    const [resource] = (await resourcesOf(app, GROUP_CATALOG, EXPAND)).body.value;
    // Sent without a name: one made from its originId, the application's description with it.
    const team = resource.displayName.split(' ')[0];
    expect(resource).toMatchObject({
      displayName: `${team} app 2cd8c2bb`,
      description: `Application of the ${team} team.`,
      originId: appId,
      originSystem: 'AadApplication',
      resourceType: 'Application',
      url: null,
    });
    expect(resource.accessPackageResourceRoles).toMatchObject([
      {
        displayName: 'Default Access',
        description: 'Default access to the application.',
        originId: '00000000-0000-0000-0000-000000000000',
        originSystem: 'AadApplication',
      },
      {
        displayName: 'User',
        description: 'Standard user of the application.',
        originId: '2cd8c2bb-0b9d-4b3c-8e53-000000000001',
        originSystem: 'AadApplication',
      },
    ]);
    expect(resource.accessPackageResourceScopes).toMatchObject([{ displayName: 'Root', isRootScope: true, originId: appId, url: null }]);
  });

  it("an http site sent without its url: the address is the resource's and the root scope's url; the roles' originIds are the permission levels'", async () => {
    const { app } = await tenantWith(SITE_CATALOG);
    const site = 'http://contoso.sharepoint.com/sites/CSR';
    const res = await post(app, {
      catalogId: SITE_CATALOG,
      requestType: 'AdminAdd',
      accessPackageResource: { originId: site, originSystem: 'SharePointOnline' },
    });
    expect(res.status).toBe(201);
    const [resource] = (await resourcesOf(app, SITE_CATALOG, EXPAND)).body.value;
    expect(resource).toMatchObject({ displayName: 'CSR', description: site, url: site, resourceType: 'SharePoint Online Site' });
    expect(resource.accessPackageResourceRoles.map((r: { displayName: string; originId: string }) => [r.displayName, r.originId])).toEqual([
      ['Contributors', '4'],
      ['Creators', '3'],
      ['Viewers', '5'],
    ]);
    expect(resource.accessPackageResourceScopes).toMatchObject([{ isRootScope: true, originId: site, originSystem: 'SharePointOnline', url: site }]);
  });

  it("an application's and a site's resourceType and url as sent: the resource's and its root scope's", async () => {
    const { app } = await tenantWith(GROUP_CATALOG, SITE_CATALOG);
    /** The catalog's one resource, added as sent, with its roles and scope. */
    const added = async (catalogId: string, accessPackageResource: object) => {
      expect((await post(app, { catalogId, requestType: 'AdminAdd', accessPackageResource })).status).toBe(201);
      return (await resourcesOf(app, catalogId, EXPAND)).body.value[0];
    };
    const appId = '2cd8c2bb-0b9d-4b3c-8e53-2a3f8b11c7e1';
    const appUrl = `https://myapps.microsoft.com/signin/${appId}`;
    expect(await added(GROUP_CATALOG, { originId: appId, originSystem: 'AadApplication', resourceType: 'Web app', url: appUrl })).toMatchObject({
      resourceType: 'Web app',
      url: appUrl,
      accessPackageResourceScopes: [{ isRootScope: true, url: appUrl }],
    });
    // A site's page sent beside its address is its url; the address stays its originId.
    const site = 'https://contoso.sharepoint.com/sites/CSR';
    const page = `${site}/SitePages/Home.aspx`;
    expect(await added(SITE_CATALOG, { originId: site, originSystem: 'SharePointOnline', resourceType: 'Team site', url: page })).toMatchObject({
      originId: site,
      resourceType: 'Team site',
      url: page,
      accessPackageResourceScopes: [{ originId: site, url: page }],
    });
  });

  it('an id sent for the resource is not kept: the resource gets its own, and the same group under another id is already onboarded', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const sentId = '354078e5-dbce-4894-8af4-0ab274d41662';
    const res = await post(app, {
      catalogId: GROUP_CATALOG,
      requestType: 'AdminAdd',
      accessPackageResource: { id: sentId, originId: GROUP, originSystem: 'AadGroup' },
    });
    expect(res.status).toBe(201);
    const [resource] = (await resourcesOf(app, GROUP_CATALOG)).body.value;
    expect(resource.id).toMatch(GUID);
    expect(resource.id).not.toBe(sentId);
    // Nor does it name another resource: the same group sent again under another id is already onboarded.
    const again = await post(app, {
      catalogId: GROUP_CATALOG,
      requestType: 'AdminAdd',
      accessPackageResource: { id: '0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5', originId: GROUP, originSystem: 'AadGroup' },
    });
    expectGraphError(again, 400, 'BadRequest', 'The specified resource is already onboarded to ELM.');
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toEqual([resource]);
  });
});

describe('POST accessPackageResourceRequests: ids in any case', () => {
  it('a catalogId in upper case: the catalog found and named in lower case; the same group in upper case is already onboarded', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const res = await post(app, {
      catalogId: GROUP_CATALOG.toUpperCase(),
      requestType: 'AdminAdd',
      accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' },
    });
    expect(res.status).toBe(201);
    expect(res.body.catalogId).toBe(GROUP_CATALOG);
    expect((await request(app).get(`${REQUESTS}?$filter=catalogId eq '${GROUP_CATALOG}'`).set(AUTH)).body.value).toHaveLength(1);
    const again = await post(app, {
      catalogId: GROUP_CATALOG,
      requestType: 'AdminAdd',
      accessPackageResource: { originId: GROUP.toUpperCase(), originSystem: 'AadGroup' },
    });
    expectGraphError(again, 400, 'BadRequest', 'The specified resource is already onboarded to ELM.');
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toHaveLength(1);
  });

  it("a site's address with its scheme in upper case is a site's URL", async () => {
    const { app } = await tenantWith(SITE_CATALOG);
    const site = 'HTTPS://contoso.sharepoint.com/sites/CSR';
    const res = await post(app, {
      catalogId: SITE_CATALOG,
      requestType: 'AdminAdd',
      accessPackageResource: { originId: site, originSystem: 'SharePointOnline' },
    });
    expect(res.status).toBe(201);
    expect((await resourcesOf(app, SITE_CATALOG)).body.value).toMatchObject([{ originId: site, url: site, displayName: 'CSR' }]);
  });

  it('an AdminRemove naming the resource by its id in upper case removes it', async () => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    const { resource } = await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminRemove', accessPackageResource: { id: resource.id.toUpperCase() } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ requestType: 'AdminRemove', requestState: 'Delivered', requestStatus: 'Fulfilled' });
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toEqual([]);
  });
});

describe('POST accessPackageResourceRequests: AdminRemove by originSystem and originId', () => {
  it("takes only that resource's roles and scope: another resource of the catalog keeps its own", async () => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const kept = await addGroup(store, GROUP_CATALOG, 'Marketing members');
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminRemove', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } });
    expect(res.status).toBe(201);
    const [left] = (await resourcesOf(app, GROUP_CATALOG, EXPAND)).body.value;
    expect(left).toMatchObject({
      id: kept.resource.id,
      accessPackageResourceRoles: [{ originId: kept.member.originId }, { originId: kept.owner.originId }],
      accessPackageResourceScopes: [{ id: kept.scope.id }],
    });
  });

  it('the originId under another originSystem names nothing (404); under its own, the resource leaves', async () => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const send = (originSystem: string) =>
      post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminRemove', accessPackageResource: { originId: GROUP, originSystem } });
    expectGraphError(await send('AadApplication'), 404, 'ResourceNotFound', 'The resource was not found.');
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toHaveLength(1);
    expect((await send('AadGroup')).status).toBe(201);
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toEqual([]);
    expect(store.count('accessPackageResourceRoles')).toBe(0);
  });
});

describe('the requests made', () => {
  it('filtered by requestState, requestStatus, justification and isValidationOnly; a DELETE is 405 with the methods served', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const made = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } });
    const delivered = await request(app).get(`${REQUESTS}?$filter=requestState eq 'Delivered'`).set(AUTH);
    expect(delivered.status).toBe(200);
    expectGraphHeaders(delivered);
    expect(delivered.body.value.map((r: { id: string }) => r.id)).toEqual([made.body.id]);
    expect((await request(app).get(`${REQUESTS}?$filter=requestState eq 'Pending'`).set(AUTH)).body.value).toEqual([]);
    // Each plain property of the request is filterable.
    const ids = async (filter: string) => {
      const found = await request(app).get(`${REQUESTS}?$filter=${filter}`).set(AUTH);
      return { filter, status: found.status, ids: found.body.value?.map((r: { id: string }) => r.id) };
    };
    for (const filter of ["requestStatus eq 'Fulfilled'", "justification eq 'x' or justification eq null", 'isValidationOnly eq false']) {
      expect(await ids(filter)).toEqual({ filter, status: 200, ids: [made.body.id] });
    }
    expect(await ids("requestStatus eq 'Accepted'")).toEqual({ filter: "requestStatus eq 'Accepted'", status: 200, ids: [] });
    const deleted = await request(app).delete(`${REQUESTS}/${made.body.id}`).set(AUTH);
    expectGraphError(deleted, 405, 'MethodNotAllowed', "The HTTP method 'DELETE' is not allowed for the requested resource.");
    expect(deleted.headers['allow']).toBe('GET, HEAD');
  });
});
