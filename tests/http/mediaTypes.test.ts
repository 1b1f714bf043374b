// What Graph reads a request body as: `application/json`, and no other type. Its OData reader matches the type and
// subtype against the ones it supports, so a JSON-based type (JSON Merge Patch, JSON Patch, a vendor's `+json`) is a
// 415 on every Graph write, in a $batch item too, nothing stored; the admin API reads it as JSON. A body with no type is a 415 too.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, PACKAGES, POLICIES, expectGraphError } from '../support/graph.js';

const JSON_BASED = ['application/merge-patch+json', 'application/json-patch+json', 'application/vnd.contoso+json; charset=utf-8'];
const refused = (type: string) => `The content type '${type}' is not supported. Use 'application/json'.`;

describe('a body of a JSON-based type that is not application/json', () => {
  it.each(JSON_BASED)('%s: a 415 on a create, a PATCH, a PUT, a $ref and an action, nothing stored or changed', async (type) => {
    const { app, store, catalogId, accessPackageId } = await salesPackage();
    const policy = (await request(app).post(POLICIES).set(AUTH).send({ displayName: 'p', accessPackageId })).body.id as string;
    const writes = [
      request(app)
        .post(PACKAGES)
        .set(AUTH)
        .set('Content-Type', type)
        .send(JSON.stringify({ displayName: 'Merged' })),
      request(app)
        .patch(`${PACKAGES}/${accessPackageId}`)
        .set(AUTH)
        .set('Content-Type', type)
        .send(JSON.stringify({ displayName: 'Merged' })),
      request(app)
        .patch(`${CATALOGS}/${catalogId}`)
        .set(AUTH)
        .set('Content-Type', type)
        .send(JSON.stringify({ displayName: 'Merged' })),
      request(app)
        .put(`${POLICIES}/${policy}`)
        .set(AUTH)
        .set('Content-Type', type)
        .send(JSON.stringify({ displayName: 'Merged' })),
      request(app)
        .post(`${PACKAGES}/${accessPackageId}/incompatibleGroups/$ref`)
        .set(AUTH)
        .set('Content-Type', type)
        .send(JSON.stringify({ '@odata.id': 'https://graph.microsoft.com/beta/groups/5c7a1b9e-0f2b-4a53-9a55-0b1f4a2d3c4e' })),
      request(app).post(`${PACKAGES}/${accessPackageId}/moveToCatalog`).set(AUTH).set('Content-Type', type).send(JSON.stringify({ catalogId })),
    ];
    for (const res of await Promise.all(writes)) expectGraphError(res, 415, 'UnsupportedMediaType', refused(type));
    expect(store.list('accessPackages').map((p) => p['displayName'])).toEqual(['Sales reps']);
    expect(store.get('accessPackageCatalogs', catalogId)?.['displayName']).toBe('Sales');
    expect(store.get('accessPackageAssignmentPolicies', policy)?.['displayName']).toBe('p');
    expect(store.count('accessPackageIncompatibilities')).toBe(0);
  });

  it('the $batch itself, and a batch item sent so, are 415s', async () => {
    const { app, store } = await salesPackage();
    const batch = {
      requests: [
        {
          id: '1',
          method: 'POST',
          url: '/identityGovernance/entitlementManagement/accessPackages',
          headers: { 'Content-Type': 'application/merge-patch+json' },
          body: { displayName: 'Merged' },
        },
      ],
    };
    const whole = await request(app).post('/beta/$batch').set(AUTH).set('Content-Type', 'application/vnd.contoso+json').send(JSON.stringify(batch));
    expectGraphError(whole, 415, 'UnsupportedMediaType', refused('application/vnd.contoso+json'));
    const res = await request(app).post('/beta/$batch').set(AUTH).send(batch);
    expect(res.status).toBe(200);
    expect(res.body.responses[0]).toMatchObject({
      id: '1',
      status: 415,
      body: { error: { code: 'UnsupportedMediaType', message: refused('application/merge-patch+json') } },
    });
    expect(store.count('accessPackages')).toBe(1);
  });

  it('application/json in any case, with its parameters, is read', async () => {
    const { app } = await salesPackage();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .set('Content-Type', 'Application/JSON;odata.metadata=minimal;odata.streaming=true')
      .send(JSON.stringify({ displayName: 'x' }));
    expect(res.status).toBe(201);
  });
});

describe('the admin API', () => {
  it('reads a +json type as JSON, and answers another type with the 415, the rules left as they were', async () => {
    const app = createApp({ store: new MemoryStore() });
    const rules = [{ method: 'GET', status: 503 }];
    const put = await request(app).put('/_emulator/faults').set('Content-Type', 'application/merge-patch+json').send(JSON.stringify({ rules }));
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ rules: [{ ...rules[0], matched: 0, fired: 0 }] });
    const text = await request(app)
      .put('/_emulator/faults')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ rules: [] }));
    expectGraphError(text, 415, 'UnsupportedMediaType', refused('text/plain'));
    expect((await request(app).get('/_emulator/faults')).body).toEqual(put.body);
  });
});

describe('a body sent with no Content-Type', () => {
  it('is a 415 saying the type it needs, nothing stored', async () => {
    const { app, store } = await salesPackage();
    const before = store.count('accessPackages');
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .unset('Content-Type')
      .send(Buffer.from(JSON.stringify({ displayName: 'x' })));
    expectGraphError(res, 415, 'UnsupportedMediaType', "A request body needs Content-Type 'application/json'.");
    expect(store.count('accessPackages')).toBe(before);
  });
});
