// A path's percent-encoded unreserved characters are the characters (RFC 3986 §2.3): `/beta/%69dentityGovernance/…`
// is routed as `/beta/identityGovernance/…`, through the resources, $metadata, $batch and the journal alike, while
// `%2F` stays data within its segment and never separates two, and `%24` is never `$` (reserved: RFC 3986 §2.2).
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

let app: Express;
let id: string;

beforeAll(async () => {
  app = createApp({ store: new MemoryStore() });
  expect((await request(app).post('/_emulator/reset').send({ fixtures: 'small', seed: 42 })).status).toBe(200);
  id = (await request(app).get(`${PACKAGES}?$top=1&$select=id`).set(AUTH)).body.value[0].id;
});

describe('encoded unreserved characters in the names of a path', () => {
  it.each([
    ['a letter of a fixed segment', '/beta/%69dentityGovernance/entitlementManagement/accessPackages'],
    ['the version, in upper-case hex', '/%62%65%74%61/identityGovernance/entitlementManagement/accessPackages'],
    [
      'every letter of the entity set',
      `/beta/identityGovernance/entitlementManagement/${[...'accessPackages'].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
    ],
  ])('route %s as the plain path does', async (_case, path) => {
    const [encoded, plain] = await Promise.all([
      request(app).get(`${path}?$top=2&$select=id`).set(AUTH),
      request(app).get(`${PACKAGES}?$top=2&$select=id`).set(AUTH),
    ]);
    expect(encoded.status).toBe(200);
    expectGraphHeaders(encoded);
    expect(encoded.headers['content-type']).toBe(ODATA_JSON);
    expect(encoded.body.value).toEqual(plain.body.value);
    expect(encoded.body['@odata.context']).toBe(plain.body['@odata.context']);
  });

  it('route an item in key syntax whose entity set is encoded, and a navigation under it', async () => {
    const item = await request(app).get(`/beta/identityGovernance/entitlementManagement/%61ccessPackages('${id}')?$select=id`).set(AUTH);
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({ id });
    const catalog = await request(app).get(`${PACKAGES}/${id}/%61ccessPackageCatalog?$select=id`).set(AUTH);
    expect(catalog.status).toBe(200);
    expect(catalog.body['@odata.context']).toMatch(/accessPackages\('[^']+'\)\/accessPackageCatalog\(id\)\/\$entity$/);
  });

  it('never read %2F as a separator: the segment is unknown, named decoded', async () => {
    const res = await request(app).get('/beta/identityGovernance%2FentitlementManagement/accessPackages').set(AUTH);
    expectGraphError(res, 400, 'BadRequest', "Resource not found for the segment 'identityGovernance/entitlementManagement'.");
  });

  it.each([
    ['post', '/beta/%24batch', '%24batch'],
    ['post', '/v1.0/%24Batch', '%24Batch'],
    ['get', '/beta/%24metadata', '%24metadata'],
    ['get', `${PACKAGES}/{id}/%24count`, '%24count'],
  ] as const)("never read an escaped '$' as '$': %s %s is no OData segment, named as sent", async (method, path, shown) => {
    const url = path.replace('{id}', id);
    const sent =
      method === 'post'
        ? request(app)
            .post(url)
            .set(AUTH)
            .send({ requests: [{ id: '1', method: 'GET', url: '/me' }] })
        : request(app).get(url).set(AUTH);
    const res = await sent;
    expectGraphError(res, 400, 'BadRequest', `Resource not found for the segment '${shown}'.`);
    expectGraphHeaders(res);
    // Without a token, as any path the routes do not serve: Graph's 401, where $metadata itself needs none.
    expectGraphError(await request(app).get(url), 401, 'InvalidAuthenticationToken');
    expect((await request(app).get('/beta/$metadata')).status).toBe(200);
  });

  it('serve $metadata and $batch under an encoded version', async () => {
    const metadata = await request(app).get('/%62eta/$metadata');
    expect(metadata.status).toBe(200);
    expect(metadata.headers['content-type']).toBe('application/xml;charset=utf-8');
    const batch = await request(app)
      .post('/%62eta/$batch')
      .set(AUTH)
      .send({ requests: [{ id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages?$top=1&$select=id' }] });
    expect(batch.status).toBe(200);
    expectGraphHeaders(batch);
    expect(batch.body.responses).toEqual([expect.objectContaining({ id: '1', status: 200, body: expect.objectContaining({ value: [{ id }] }) })]);
  });

  it('record the request in the journal, as every Graph request is', async () => {
    await request(app).delete('/_emulator/requests').expect(204);
    await request(app).get('/%62eta/identityGovernance/entitlementManagement/accessPackages?$top=1').set(AUTH).expect(200);
    const journal = await request(app).get('/_emulator/requests');
    expect(journal.body.value).toEqual([
      expect.objectContaining({ method: 'GET', status: 200, path: '/%62eta/identityGovernance/entitlementManagement/accessPackages' }),
    ]);
  });
});
