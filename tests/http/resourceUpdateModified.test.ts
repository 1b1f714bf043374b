// An AdminUpdate (v1.0 adminUpdate) moves the resource's modifiedDateTime forward, as every update moves a record's:
// v1.0's accessPackageResource declares modifiedDateTime, beta's type has none (fixtures/csdl/*.xml), so only v1.0
// shows it; the request's answer is as before.
// https://learn.microsoft.com/graph/api/resources/accesspackageresource?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests?view=graph-rest-1.0 (example 5)
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, CATALOGS, GRAPH_DATE_TIME, V1, expectGraphHeaders } from '../support/graph.js';
import { CONTEXT, GROUP, GROUP_CATALOG, post, tenantWith, v1Answer } from '../support/resourceRequests.js';
import { validatorFor } from '../../server/resources/validation.js';

const V1_RESOURCES = `${V1}/catalogs/${GROUP_CATALOG}/resources`;
const attributes = [
  {
    name: 'officeLocation',
    destination: { '@odata.type': 'microsoft.graph.accessPackageUserDirectoryAttributeStore' },
    source: {
      '@odata.type': '#microsoft.graph.accessPackageResourceAttributeQuestion',
      question: {
        '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
        text: 'What office do you work at?',
        sequence: 0,
        isSingleLineQuestion: true,
      },
    },
  },
];

/** The catalog with the page's group added; the group as v1.0 reads it, alone and in the list. */
async function withGroup() {
  const tenant = await tenantWith(GROUP_CATALOG);
  await post(tenant.app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } }).expect(
    201,
  );
  const [listed] = (await request(tenant.app).get(V1_RESOURCES).set(AUTH).expect(200)).body.value;
  return { ...tenant, listed };
}

const readV1 = async (app: Parameters<typeof request>[0], id: string) => {
  const one = await request(app).get(`${V1_RESOURCES}/${id}`).set(AUTH);
  expect(one.status).toBe(200);
  const [listed] = (await request(app).get(V1_RESOURCES).set(AUTH)).body.value;
  return { one: one.body, listed };
};

describe("a resource's modifiedDateTime", () => {
  it('added: v1.0 shows createdDateTime and modifiedDateTime as the same instant; the record keeps only its type’s properties', async () => {
    const { store, listed } = await withGroup();
    expect(listed.createdDateTime).toMatch(GRAPH_DATE_TIME);
    expect(listed.modifiedDateTime).toBe(listed.createdDateTime);
    // The record holds its type's stored properties and no other: no createdBy or modifiedBy, which the type lacks
    // (it names its adder in addedBy), for a data file to read back as written.
    const record = store.get('accessPackageResources', listed.id)!;
    expect(Object.keys(record).sort()).toEqual([...validatorFor('accessPackageResource').propertyNames].sort());
  });

  it('a v1.0 adminUpdate moves it past the time before; a GET of the resource shows it, and nothing else changes', async () => {
    const { app, listed } = await withGroup();
    const res = await request(app)
      .post(`${V1}/resourceRequests`)
      .set(AUTH)
      .send({ requestType: 'adminUpdate', catalog: { id: GROUP_CATALOG }, resource: { originId: GROUP, originSystem: 'AadGroup', attributes } });
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.body).toEqual(v1Answer('adminUpdate'));
    const { one, listed: after } = await readV1(app, listed.id);
    expect(after.modifiedDateTime).toMatch(GRAPH_DATE_TIME);
    expect(after.modifiedDateTime > listed.modifiedDateTime).toBe(true);
    expect(one).toMatchObject({ id: listed.id, modifiedDateTime: after.modifiedDateTime });
    expect(after).toEqual({ ...listed, attributes, modifiedDateTime: after.modifiedDateTime });
  });

  it('a beta AdminUpdate moves it too; beta, whose type has no modifiedDateTime, shows none; a validation only moves nothing', async () => {
    const { app, listed } = await withGroup();
    const beta = `${CATALOGS}/${GROUP_CATALOG}/accessPackageResources`;
    const [betaBefore] = (await request(app).get(beta).set(AUTH)).body.value;
    const update = { catalogId: GROUP_CATALOG, requestType: 'AdminUpdate', accessPackageResource: { id: listed.id, attributes: [] } };
    const checked = await post(app, { ...update, isValidationOnly: true });
    expect(checked.status).toBe(201);
    expect((await readV1(app, listed.id)).listed).toEqual(listed);
    const res = await post(app, update);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ '@odata.context': CONTEXT, requestType: 'AdminUpdate', requestState: 'Delivered' });
    const { one, listed: after } = await readV1(app, listed.id);
    expect(after.modifiedDateTime > listed.modifiedDateTime).toBe(true);
    expect(one.modifiedDateTime).toBe(after.modifiedDateTime);
    expect(after.createdDateTime).toBe(listed.createdDateTime);
    const [betaAfter] = (await request(app).get(beta).set(AUTH)).body.value;
    expect(betaAfter).toEqual(betaBefore);
    expect(betaAfter).not.toHaveProperty('modifiedDateTime');
  });
});

describe("a resource's modifiedDateTime stored later than now (imported data)", () => {
  it.each([
    ['modifiedDateTime', { modifiedDateTime: '2099-01-01T00:00:00.0000000Z' }],
    ['addedOn, with no modifiedDateTime', { addedOn: '2099-01-01T00:00:00.0000000Z', modifiedDateTime: undefined }],
  ])('an adminUpdate moves it one tick past the stored %s, never back', async (_case, stored) => {
    const { app, store, listed } = await withGroup();
    const record = store.get('accessPackageResources', listed.id)!;
    await store.update('accessPackageResources', { ...record, ...stored });
    const res = await request(app)
      .post(`${V1}/resourceRequests`)
      .set(AUTH)
      .send({ requestType: 'adminUpdate', catalog: { id: GROUP_CATALOG }, resource: { id: listed.id, attributes: [] } });
    expect(res.status).toBe(201);
    const { one } = await readV1(app, listed.id);
    expect(one.modifiedDateTime).toBe('2099-01-01T00:00:00.0000001Z');
  });
});

describe("v1.0 resources' dates in a query", () => {
  it('$filter and $orderby take createdDateTime and modifiedDateTime, as beta takes addedOn: the updated resource found by its modifiedDateTime', async () => {
    const { app, listed: group } = await withGroup();
    const APP = 'e81d7f57-0840-45e1-894b-f505c1bdcc1f';
    await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminAdd', accessPackageResource: { originId: APP, originSystem: 'AadApplication' } }).expect(
      201,
    );
    await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminUpdate', accessPackageResource: { id: group.id, attributes: [] } }).expect(201);
    const originIds = async (options: string) => {
      const res = await request(app).get(`${V1_RESOURCES}?${options}&$select=originId`).set(AUTH);
      expect(res.status).toBe(200);
      expectGraphHeaders(res);
      return (res.body.value as Array<{ originId: string }>).map((r) => r.originId);
    };
    const added = (await request(app).get(V1_RESOURCES).set(AUTH)).body.value.find((r: { originId: string }) => r.originId === APP);
    expect(await originIds('$orderby=createdDateTime desc')).toEqual([APP, GROUP]);
    // The group, added first, was updated after the application was added.
    expect(await originIds('$orderby=modifiedDateTime desc')).toEqual([GROUP, APP]);
    expect(await originIds(`$filter=createdDateTime gt ${encodeURIComponent(group.createdDateTime)}`)).toEqual([APP]);
    expect(await originIds(`$filter=modifiedDateTime gt ${encodeURIComponent(added.modifiedDateTime)}`)).toEqual([GROUP]);
  });
});
