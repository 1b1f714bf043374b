// Resource requests (beta): the create page's examples, sent as the page writes them against catalogs with the
// page's ids, answered 201 with the request and delivered at once (the resource, its roles and its root scope in the
// catalog, or gone from it), and the errors of a request the service refuses.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackageresourcerequests?view=graph-rest-beta
import { describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { AccessPackageCatalog } from '../../server/store/types.js';
import { addGroup, createCatalog } from '../support/catalogResources.js';
import { READ, READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';
import { AUTH, CATALOGS, EM, GRAPH_DATE_TIME, GUID, ODATA_JSON, PACKAGES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const REQUESTS = `${EM}/accessPackageResourceRequests`;
const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageResourceRequests/$entity';
/** The catalog ids the page's examples name. */
const SITE_CATALOG = '26ac0c0a-08bc-4a7b-a313-839f58044ba5';
const GROUP_CATALOG = 'beedadfe-01d5-4025-910b-84abb9369997';
const GROUP = 'c6294667-7348-4f5a-be73-9d2c65f574f3';

/** An emulator whose tenant has a catalog under each id, made through the API and stored again under that id. */
async function tenantWith(...ids: string[]): Promise<{ app: Express; store: MemoryStore }> {
  const store = new MemoryStore();
  const app = createApp({ store });
  const made = await createCatalog(app, 'Template');
  const template = (await store.get('accessPackageCatalogs', made)) as AccessPackageCatalog;
  for (const [i, id] of ids.entries()) await store.create('accessPackageCatalogs', { ...template, id, displayName: `Catalog ${i}` });
  return { app, store };
}

/** A resource request sent with a token. */
const post = (app: Express, body: unknown) =>
  request(app)
    .post(REQUESTS)
    .set(AUTH)
    .send(body as object);

const resourcesOf = (app: Express, catalogId: string, query = '') => request(app).get(`${CATALOGS}/${catalogId}/accessPackageResources${query}`).set(AUTH);

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
      url: null,
      accessPackageResourceRoles: [
        { id: expect.stringMatching(GUID), description: null, displayName: 'Member', originId: `Member_${GROUP}`, originSystem: 'AadGroup', type: null },
        { id: expect.stringMatching(GUID), description: null, displayName: 'Owner', originId: `Owner_${GROUP}`, originSystem: 'AadGroup', type: null },
      ],
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

  it('the tutorial: a group added to the General catalog, whose role a package then grants', async () => {
    const { app } = await tenantWith();
    await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Marketing Campaign' }).expect(201);
    const general = (await request(app).get(`${CATALOGS}?$filter=(displayName eq 'General')`).set(AUTH)).body.value[0];
    const added = await post(app, { catalogId: general.id, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } });
    expect(added.status).toBe(201);
    const [group] = (await resourcesOf(app, general.id, `?$filter=originId eq '${GROUP}'`)).body.value;
    expect(group.originSystem).toBe('AadGroup');
  });

  it('isValidationOnly: the request is answered and kept, the catalog gets nothing', async () => {
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
  });
});

describe('POST accessPackageResourceRequests: AdminRemove', () => {
  it('example 5: the resource named by id leaves the catalog with its roles and scopes', async () => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    const { resource } = await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const res = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminRemove', accessPackageResource: { id: resource.id } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(delivered(GROUP_CATALOG, 'AdminRemove'));
    expect((await resourcesOf(app, GROUP_CATALOG)).body.value).toEqual([]);
    expect(store.count('accessPackageResourceRoles')).toBe(0);
    expect(store.count('accessPackageResourceScopes')).toBe(0);
  });
});

describe('GET accessPackageResourceRequests', () => {
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
    expectGraphError(res, 400, 'BadRequest', `The requestType '${String(requestType)}' is not one of AdminAdd, AdminRemove.`);
  });

  it('no accessPackageResource, or one without an originId: 400 saying which', async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    expectGraphError(await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd' }), 400, 'BadRequest', 'The request has no accessPackageResource.');
    const noOrigin = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originSystem: 'AadGroup' } });
    expectGraphError(noOrigin, 400, 'BadRequest', 'The accessPackageResource has no originId.');
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

describe('v1.0 resourceRequests', () => {
  const V1_REQUESTS = `${V1}/resourceRequests`;
  const V1_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/resourceRequests/$entity';
  const TEST_GROUP = '8ab659d0-3839-427d-8c54-5ae92f0b3e2e';

  it("the create page's example 1: 201 with the request in v1.0's shape and Location; the group is in the catalog as sent", async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const res = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({
        requestType: 'adminAdd',
        resource: { displayName: 'Test group', originId: TEST_GROUP, originSystem: 'AadGroup' },
        catalog: { id: GROUP_CATALOG },
      });
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.body).toEqual({
      '@odata.context': V1_CONTEXT,
      id: expect.stringMatching(GUID),
      createdDateTime: expect.stringMatching(GRAPH_DATE_TIME),
      requestType: 'adminAdd',
      state: 'delivered',
    });
    expect(res.headers['location']).toBe(`${new URL(res.request.url).origin}${V1_REQUESTS}/${res.body.id}`);
    const resources = await request(app).get(`${V1}/catalogs/${GROUP_CATALOG}/resources?$expand=roles,scopes`).set(AUTH);
    expect(resources.body.value).toEqual([
      expect.objectContaining({
        displayName: 'Test group',
        originId: TEST_GROUP,
        originSystem: 'AadGroup',
        roles: [
          expect.objectContaining({ displayName: 'Member', originId: `Member_${TEST_GROUP}` }),
          expect.objectContaining({ displayName: 'Owner', originId: `Owner_${TEST_GROUP}` }),
        ],
        scopes: [expect.objectContaining({ displayName: 'Root', isRootScope: true, originId: TEST_GROUP })],
      }),
    ]);
    // The same request read through beta, in beta's shape.
    const beta = await request(app).get(`${REQUESTS}/${res.body.id}`).set(AUTH);
    expect(beta.body).toMatchObject({ catalogId: GROUP_CATALOG, requestType: 'AdminAdd', requestState: 'Delivered', requestStatus: 'Fulfilled' });
    const list = await request(app).get(`${V1_REQUESTS}?$filter=state eq 'delivered'`).set(AUTH);
    expect(list.body.value).toEqual([{ id: res.body.id, createdDateTime: res.body.createdDateTime, requestType: 'adminAdd', state: 'delivered' }]);
  });

  it('adminRemove: the resource named by id leaves the catalog', async () => {
    const { app, store } = await tenantWith(GROUP_CATALOG);
    const { resource } = await addGroup(store, GROUP_CATALOG, 'Sales members', GROUP);
    const res = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'adminRemove', resource: { id: resource.id }, catalog: { id: GROUP_CATALOG } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ requestType: 'adminRemove', state: 'delivered' });
    expect((await request(app).get(`${V1}/catalogs/${GROUP_CATALOG}/resources`).set(AUTH)).body.value).toEqual([]);
  });

  it("a requestType that is no member of v1.0's enum: 400; an unknown catalog: 400 InvalidModel", async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const resource = { originId: TEST_GROUP, originSystem: 'AadGroup' };
    const bogus = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'AdminAdd', resource, catalog: { id: GROUP_CATALOG } });
    expectGraphError(
      bogus,
      400,
      'BadRequest',
      "Invalid value for property 'requestType': cannot convert the literal 'AdminAdd' to the expected type 'microsoft.graph.accessPackageRequestType'.",
    );
    const update = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'adminUpdate', resource, catalog: { id: GROUP_CATALOG } });
    expectGraphError(update, 400, 'BadRequest', "The requestType 'adminUpdate' is not one of adminAdd, adminRemove.");
    const bare = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'adminAdd', catalog: { id: GROUP_CATALOG } });
    expectGraphError(bare, 400, 'BadRequest', 'The request has no resource.');
    const unknown = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'adminAdd', resource, catalog: { id: SITE_CATALOG } });
    expectGraphError(unknown, 400, 'InvalidModel', 'Model is not valid.');
  });
});
