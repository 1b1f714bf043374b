// A resource request's relationships: v1.0's catalog and resource, beta's accessPackageResource, read through
// $expand on the list and an item and through their paths, and v1.0's catalog/id in $filter as its list page writes
// it. v1.0's contain their target (v1.0-Prod.csdl), so each expanded one carries its @odata.context; beta's does not,
// so it carries none.
// https://learn.microsoft.com/graph/api/entitlementmanagement-list-resourcerequests?view=graph-rest-1.0 ($expand)
// https://learn.microsoft.com/graph/api/resources/accesspackageresourcerequest?view=graph-rest-1.0 (the relationships)
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, GUID, ODATA_JSON, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { GROUP, GROUP_CATALOG, REQUESTS, SITE_CATALOG, post, resourcesOf, tenantWith } from '../support/resourceRequests.js';

const V1_REQUESTS = `${V1}/resourceRequests`;
const V1_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement';
const BETA_CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement';

/** A catalog holding the page's group, added by a request whose id is returned. */
async function added() {
  const tenant = await tenantWith(GROUP_CATALOG);
  const made = await post(tenant.app, {
    catalogId: GROUP_CATALOG,
    requestType: 'AdminAdd',
    accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' },
  });
  expect(made.status).toBe(201);
  const resource = (await request(tenant.app).get(`${V1}/catalogs/${GROUP_CATALOG}/resources`).set(AUTH)).body.value[0];
  const catalog = await request(tenant.app).get(`${V1}/catalogs/${GROUP_CATALOG}`).set(AUTH);
  const { '@odata.context': _context, ...catalogEntity } = catalog.body;
  return { ...tenant, requestId: made.body.id as string, resource, catalog: catalogEntity };
}

describe('v1.0 resourceRequests: $expand=catalog,resource', () => {
  it('on the list: each request with its catalog and the resource it added, each after its own @odata.context', async () => {
    const { app, requestId, resource, catalog } = await added();
    const res = await request(app).get(`${V1_REQUESTS}?$expand=catalog,resource`).set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/resourceRequests(catalog(),resource())`,
      value: [
        {
          id: requestId,
          createdDateTime: expect.any(String),
          requestType: 'adminAdd',
          state: 'delivered',
          'catalog@odata.context': `${V1_CONTEXT}/resourceRequests('${requestId}')/catalog/$entity`,
          catalog,
          'resource@odata.context': `${V1_CONTEXT}/resourceRequests('${requestId}')/resource/$entity`,
          resource,
        },
      ],
    });
    expect(resource).toMatchObject({ id: expect.stringMatching(GUID), originId: GROUP, originSystem: 'AadGroup' });
  });

  it('on one request, with a nested $select; and through the paths', async () => {
    const { app, requestId, resource, catalog } = await added();
    const one = await request(app).get(`${V1_REQUESTS}/${requestId}?$expand=resource($select=displayName)`).set(AUTH);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/resourceRequests(resource(displayName))/$entity`,
      id: requestId,
      createdDateTime: expect.any(String),
      requestType: 'adminAdd',
      state: 'delivered',
      'resource@odata.context': `${V1_CONTEXT}/resourceRequests('${requestId}')/resource(displayName)/$entity`,
      resource: { id: resource.id, displayName: resource.displayName },
    });
    const path = await request(app).get(`${V1_REQUESTS}/${requestId}/catalog`).set(AUTH);
    expect(path.body).toEqual({ '@odata.context': `${V1_CONTEXT}/resourceRequests('${requestId}')/catalog/$entity`, ...catalog });
  });

  it('a resource the request removed is gone: expanded as null, its path 404', async () => {
    const { app, resource } = await added();
    const removed = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'adminRemove', resource: { id: resource.id }, catalog: { id: GROUP_CATALOG } });
    expect(removed.status).toBe(201);
    const res = await request(app).get(`${V1_REQUESTS}/${removed.body.id}?$expand=resource`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.resource).toBeNull();
    expectGraphError(await request(app).get(`${V1_REQUESTS}/${removed.body.id}/resource`).set(AUTH), 404, 'ResourceNotFound');
  });
});

describe('v1.0 resourceRequests: $filter=catalog/id', () => {
  it("the list page's filter finds one catalog's requests; beta's catalogId is no v1.0 property", async () => {
    const { app, requestId } = await added();
    const mine = await request(app).get(`${V1_REQUESTS}?$filter=catalog/id eq '${GROUP_CATALOG}' and requestType eq 'adminAdd'`).set(AUTH);
    expect(mine.status).toBe(200);
    expectGraphHeaders(mine);
    expect(mine.body.value.map((r: { id: string }) => r.id)).toEqual([requestId]);
    // Another catalog's id (this tenant has no such catalog) finds none.
    const none = await request(app).get(`${V1_REQUESTS}?$filter=catalog/id eq '${SITE_CATALOG}'`).set(AUTH);
    expect(none.body.value).toEqual([]);
    const beta = await request(app).get(`${V1_REQUESTS}?$filter=catalogId eq '${GROUP_CATALOG}'`).set(AUTH);
    expectGraphError(beta, 400, 'InvalidFilter');
  });
});

describe('beta accessPackageResourceRequests: $expand=accessPackageResource', () => {
  it('each request with its resource, and no @odata.context before it (the navigation does not contain it)', async () => {
    const { app, requestId } = await added();
    const betaResource = (await resourcesOf(app, GROUP_CATALOG)).body.value[0];
    const list = await request(app).get(`${REQUESTS}?$expand=accessPackageResource`).set(AUTH);
    expect(list.status).toBe(200);
    expect(list.body['@odata.context']).toBe(`${BETA_CONTEXT}/accessPackageResourceRequests(accessPackageResource())`);
    expect(list.body.value).toEqual([expect.objectContaining({ id: requestId, requestType: 'AdminAdd', accessPackageResource: betaResource })]);
    expect(Object.keys(list.body.value[0]).filter((name) => name.includes('@odata'))).toEqual([]);
    const one = await request(app).get(`${REQUESTS}/${requestId}?$expand=accessPackageResource($select=displayName)`).set(AUTH);
    expect(one.body.accessPackageResource).toEqual({ id: betaResource.id, displayName: betaResource.displayName });
  });

  it("v1.0's catalog is no beta navigation: 400 naming it", async () => {
    const { app } = await added();
    const res = await request(app).get(`${REQUESTS}?$expand=catalog`).set(AUTH);
    expectGraphError(res, 400, 'BadRequest', "Could not find a property named 'catalog' on type 'microsoft.graph.accessPackageResourceRequest'.");
  });
});
