// Resource requests in v1.0 (`resourceRequests`): the create page's example, an adminRemove, and v1.0's refusals;
// the same requests read through beta in beta's shape.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests?view=graph-rest-1.0
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { addGroup } from '../support/catalogResources.js';
import { AUTH, GRAPH_DATE_TIME, GUID, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { GROUP, GROUP_CATALOG, REQUESTS, SITE_CATALOG, tenantWith } from '../support/resourceRequests.js';

describe('v1.0 resourceRequests', () => {
  const V1_REQUESTS = `${V1}/resourceRequests`;
  const V1_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/resourceRequests/$entity';
  const TEST_GROUP = '8ab659d0-3839-427d-8c54-5ae92f0b3e2e';

  it("the create page's example 1: 201 with the request in v1.0's shape and Location; the group is in the catalog as sent; listed by state and createdDateTime", async () => {
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
    // Filtered by when it was made: after that time it is not there yet.
    const made = await request(app).get(`${V1_REQUESTS}?$filter=createdDateTime le ${res.body.createdDateTime}`).set(AUTH);
    expect(made.body.value).toEqual(list.body.value);
    const later = await request(app).get(`${V1_REQUESTS}?$filter=createdDateTime gt ${res.body.createdDateTime}`).set(AUTH);
    expect(later.status).toBe(200);
    expect(later.body.value).toEqual([]);
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

  it("a requestType that is no member of v1.0's enum: 400; an unknown or null catalog: 400 InvalidModel", async () => {
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
    // A member of the enum the service does not take from an admin (a user's request type).
    const userAdd = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'userAdd', resource, catalog: { id: GROUP_CATALOG } });
    expectGraphError(userAdd, 400, 'BadRequest', "The requestType 'userAdd' is not one of adminAdd, adminUpdate, adminRemove.");
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
    const nullCatalog = await request(app).post(V1_REQUESTS).set(AUTH).send({ requestType: 'adminAdd', resource, catalog: null });
    expectGraphError(nullCatalog, 400, 'InvalidModel', 'Model is not valid.');
  });
});
