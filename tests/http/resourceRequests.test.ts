// Resource requests (beta): the create page's examples, sent as the page writes them against catalogs with the
// page's ids, answered 201 with the request and delivered at once (the resource, its roles and its root scope in the
// catalog, or gone from it), the requests listed and read; the refusals are in resourceRequestErrors.test.ts.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackageresourcerequests?view=graph-rest-beta
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { addGroup } from '../support/catalogResources.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { AUTH, CATALOGS, GRAPH_DATE_TIME, GUID, ODATA_JSON, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { CONTEXT, GROUP, GROUP_CATALOG, REQUESTS, SITE_CATALOG, post, resourcesOf, tenantWith } from '../support/resourceRequests.js';

const EM_CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement';
/** The answer to a delivered request, as the page's example 2 shows it in full, for the request's own values. */
function delivered(catalogId: string, requestType: string, justification: string | null = null): Record<string, unknown> {
  return {
    '@odata.context': CONTEXT,
    id: expect.stringMatching(GUID),
    catalogId,
    executeImmediately: false,
    expirationDateTime: null,
    isValidationOnly: false,
    justification,
    requestState: 'Delivered',
    requestStatus: 'Fulfilled',
    requestType,
  };
}

describe('POST accessPackageResourceRequests: AdminAdd', () => {
  it('example 4, a group: 201 with the request and Location; the group is in the catalog with Member, Owner and a root scope', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } });
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body).toEqual(delivered(GROUP_CATALOG, 'AdminAdd'));
    expect(res.headers['location']).toBe(`${new URL(res.request.url).origin}${REQUESTS}/${res.body.id}`);

    const resources = (await resourcesOf(app, GROUP_CATALOG, '?$expand=accessPackageResourceRoles,accessPackageResourceScopes')).body.value;
    expect(resources).toHaveLength(1);
    const [group] = resources;
    expect(group).toEqual({
      id: expect.stringMatching(GUID),
      addedBy: null,
      addedOn: expect.stringMatching(GRAPH_DATE_TIME),
      attributes: [],
      // No directory to read the group from: a name made from its id, the same every time.
      description: 'Security group of the Engineering team.',
      displayName: 'Engineering team c6294667',
      isPendingOnboarding: false,
      originId: GROUP,
      originSystem: 'AadGroup',
      resourceType: 'Security Group',
      url: `https://account.activedirectory.windowsazure.com/r?tenantId=${DEFAULT_TENANT_ID}#/manageMembership?objectType=Group&objectId=${GROUP}`,
      'accessPackageResourceRoles@odata.context': `${EM_CONTEXT}/accessPackageCatalogs('${GROUP_CATALOG}')/accessPackageResources('${group.id}')/accessPackageResourceRoles`,
      accessPackageResourceRoles: [
        { id: expect.stringMatching(GUID), description: null, displayName: 'Member', originId: `Member_${GROUP}`, originSystem: 'AadGroup', type: null },
        { id: expect.stringMatching(GUID), description: null, displayName: 'Owner', originId: `Owner_${GROUP}`, originSystem: 'AadGroup', type: null },
      ],
      'accessPackageResourceScopes@odata.context': `${EM_CONTEXT}/accessPackageCatalogs('${GROUP_CATALOG}')/accessPackageResources('${group.id}')/accessPackageResourceScopes`,
      accessPackageResourceScopes: [
        {
          id: expect.stringMatching(GUID),
          description: 'Root Scope',
          displayName: 'Root',
          isRootScope: true,
          originId: GROUP,
          originSystem: 'AadGroup',
          roleOriginId: null,
          url: null,
        },
      ],
    });
    // The roles as the list resource roles page's example filters them.
    const roles = await request(app)
      .get(`${CATALOGS}/${GROUP_CATALOG}/accessPackageResourceRoles?$filter=(originSystem eq 'AadGroup' and accessPackageResource/id eq '${group.id}')`)
      .set(AUTH);
    expect(roles.body.value.map((r: { originId: string }) => r.originId)).toEqual([`Member_${GROUP}`, `Owner_${GROUP}`]);
  });

  it('example 1, a site with its name sent: the resource as sent, the justification kept, the site roles', async () => {
    const { app } = await tenantWith(SITE_CATALOG);
    const site = 'https://contoso.sharepoint.com/sites/Sales';
    const res = await post(app, {
      catalogId: SITE_CATALOG,
      requestType: 'AdminAdd',
      justification: '',
      accessPackageResource: {
        displayName: 'Sales',
        description: site,
        url: site,
        resourceType: 'SharePoint Online Site',
        originId: site,
        originSystem: 'SharePointOnline',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(delivered(SITE_CATALOG, 'AdminAdd', ''));
    const [resource] = (await resourcesOf(app, SITE_CATALOG, '?$expand=accessPackageResourceRoles($select=displayName)')).body.value;
    expect(resource).toMatchObject({ displayName: 'Sales', description: site, url: site, originId: site, resourceType: 'SharePoint Online Site' });
    expect(resource.accessPackageResourceRoles.map((r: { displayName: string }) => r.displayName)).toEqual(['Contributors', 'Creators', 'Viewers']);
  });

  it("the tutorial's request: the group named as sent, a Security Group whatever resourceType says, its Member role found as the tutorial finds it", async () => {
    const { app } = await tenantWith();
    // A tenant as the emulator starts one: Graph's General catalog alone.
    await request(app).post('/_emulator/reset').send({ fixtures: 'empty', seed: 42 }).expect(200);
    const general = (await request(app).get(`${CATALOGS}?$filter=(displayName eq 'General')`).set(AUTH)).body.value[0];
    const groupId = 'e93e24d1-2b65-4a6c-a1dd-654a12225487';
    const added = await post(app, {
      catalogId: general.id,
      requestType: 'AdminAdd',
      justification: '',
      accessPackageResource: {
        displayName: 'Marketing resources',
        description: 'Marketing group',
        resourceType: 'AadGroup',
        originId: groupId,
        originSystem: 'AadGroup',
      },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual(delivered(general.id, 'AdminAdd', ''));
    const listed = await resourcesOf(app, general.id, "?$filter=(displayName eq 'Marketing resources')");
    expect(listed.body.value).toEqual([
      {
        id: expect.stringMatching(GUID),
        addedBy: null,
        addedOn: expect.stringMatching(GRAPH_DATE_TIME),
        attributes: [],
        description: 'Marketing group',
        displayName: 'Marketing resources',
        isPendingOnboarding: false,
        originId: groupId,
        originSystem: 'AadGroup',
        resourceType: 'Security Group',
        url: `https://account.activedirectory.windowsazure.com/r?tenantId=${DEFAULT_TENANT_ID}#/manageMembership?objectType=Group&objectId=${groupId}`,
      },
    ]);
    const resourceId = listed.body.value[0].id;
    const roles = await request(app)
      .get(
        `${CATALOGS}/${general.id}/accessPackageResourceRoles?$filter=(originSystem+eq+%27AadGroup%27+and+accessPackageResource/id+eq+%27${resourceId}%27+and+displayName+eq+%27Member%27)&$expand=accessPackageResource`,
      )
      .set(AUTH);
    expect(roles.body.value).toEqual([
      expect.objectContaining({ displayName: 'Member', originId: `Member_${groupId}`, accessPackageResource: listed.body.value[0] }),
    ]);
  });

  it('isValidationOnly: the request is answered and kept, naming no resource; the catalog gets nothing', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const res = await post(app, {
      catalogId: GROUP_CATALOG,
      requestType: 'AdminAdd',
      isValidationOnly: true,
      accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' },
    });
    expect(res.status).toBe(201);
    expect(res.body.isValidationOnly).toBe(true);
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toEqual([]);
    // It names no resource: none was added.
    const expanded = await request(app).get(`${REQUESTS}/${res.body.id}?$expand=accessPackageResource`).set(AUTH);
    expect(expanded.body.accessPackageResource).toBeNull();
    const [kept] = (await request(app).get('/_emulator/export')).body.accessPackageResourceRequests;
    expect(kept).toMatchObject({ id: res.body.id, accessPackageResourceId: null });
  });
});

describe('POST accessPackageResourceRequests: AdminRemove', () => {
  it('example 5: the resource named by id leaves the catalog with its roles and scopes; the request keeps its id', async () => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    const { resource } = await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminRemove', accessPackageResource: { id: resource.id } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(delivered(GROUP_CATALOG, 'AdminRemove'));
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toEqual([]);
    expect(store.count('accessPackageResourceRoles')).toBe(0);
    expect(store.count('accessPackageResourceScopes')).toBe(0);
    // The request's data keeps the resource it removed (docs/data-and-persistence.md), the resource gone.
    const [kept] = (await request(app).get('/_emulator/export')).body.accessPackageResourceRequests;
    expect(kept).toMatchObject({ id: res.body.id, requestType: 'AdminRemove', accessPackageResourceId: resource.id });
  });

  it('isValidationOnly: the resource stays with its roles and scope, and the request names it', async () => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    const { resource } = await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const before = (await resourcesOf(app, GROUP_CATALOG)).body.value;
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminRemove', isValidationOnly: true, accessPackageResource: { id: resource.id } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ...delivered(GROUP_CATALOG, 'AdminRemove'), isValidationOnly: true });
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toEqual(before);
    expect(store.count('accessPackageResourceRoles')).toBe(2);
    expect(store.count('accessPackageResourceScopes')).toBe(1);
    const expanded = await request(app).get(`${REQUESTS}/${res.body.id}?$expand=accessPackageResource($select=displayName)`).set(AUTH);
    expect(expanded.body.accessPackageResource).toEqual({ id: resource.id, displayName: 'Sales members' });
  });
});

describe('GET accessPackageResourceRequests', () => {
  it("a catalog's delete takes its requests with it", async () => {
    const { app } = await tenantWith(GROUP_CATALOG, SITE_CATALOG);
    const kept = await post(app, { catalogId: SITE_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } });
    await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } }).expect(201);
    await request(app).delete(`${CATALOGS}/${GROUP_CATALOG}`).set(AUTH).expect(204);
    expect((await request(app).get(REQUESTS).set(AUTH)).body.value.map((r: { id: string }) => r.id)).toEqual([kept.body.id]);
  });

  it('lists the requests made and reads one by id', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const made = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } });
    const { '@odata.context': _context, ...entity } = made.body;
    const list = await request(app).get(REQUESTS).set(AUTH);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageResourceRequests',
      value: [entity],
    });
    const one = await request(app).get(`${REQUESTS}/${entity.id}`).set(AUTH);
    expect(one.body).toEqual({ '@odata.context': CONTEXT, ...entity });
    const patch = await request(app).patch(`${REQUESTS}/${entity.id}`).set(AUTH).send({});
    expectGraphError(patch, 405, 'MethodNotAllowed');
  });
});
