import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES as PATH, expectGraphError } from '../support/graph.js';

const APP_ID = '0785ef7c-2d7a-4542-b048-95bcab406e0b';
const TENANT_ID = '9a3d526c-b3c1-4479-ba74-197b5c5751ae';

function jwt(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.`;
}

function throttled(options: { capacity: number; refillPerSecond: number; key?: 'token' | 'client-request-id' }) {
  let now = 0;
  const store = new MemoryStore();
  const app = createApp({ store, faults: new FaultEngine({ throttle: options, clock: () => now }), fixtures: { fixtures: 'empty', seed: 42 } });
  return {
    app,
    store,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('throttling profile', () => {
  it("answers 429 with Retry-After and Graph's throttle headers once a client's bucket is empty", async () => {
    const { app, store, advance } = throttled({ capacity: 5, refillPerSecond: 1 });
    const token = `Bearer ${jwt({ appid: APP_ID, tid: TENANT_ID, roles: ['EntitlementManagement.ReadWrite.All'] })}`;
    const send = () => request(app).post(PATH).set('Authorization', token).send({ displayName: 'x' });

    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await send());
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(answers.map((r) => r.headers['x-ms-throttle-limit-percentage'])).toEqual([undefined, undefined, undefined, undefined, '1.00']);
    expect(answers.every((r) => r.headers['x-ms-resource-unit'] === '1')).toBe(true);

    const limited = await send();
    expectGraphError(limited, 429, 'TooManyRequests', 'Please retry again later.');
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.headers['x-ms-throttle-scope']).toBe(`Tenant_Application/ReadWrite/${APP_ID}/${TENANT_ID}`);
    expect(limited.headers['x-ms-throttle-information']).toBe('ResourceUnitLimitExceeded');
    // The token's tenant holds what it created.
    expect(store.tenants.get(TENANT_ID)!.count('accessPackages')).toBe(5);

    advance(999);
    expect((await send()).status).toBe(429);
    advance(1);
    const after = await send();
    expect(after.status).toBe(201);
    expect(store.tenants.get(TENANT_ID)!.count('accessPackages')).toBe(6);
  });

  it('keeps one bucket per client, by token or by client-request-id', async () => {
    const byToken = throttled({ capacity: 1, refillPerSecond: 0.1 });
    expect((await request(byToken.app).get('/beta/x').set('Authorization', 'Bearer a')).status).toBe(400);
    const other = await request(byToken.app).get('/beta/x').set('Authorization', 'Bearer b');
    expect(other.status).toBe(400);
    const again = await request(byToken.app).get('/beta/x').set('Authorization', 'Bearer a');
    expect(again.status).toBe(429);
    expect(again.headers['retry-after']).toBe('10');

    const byRequestId = throttled({ capacity: 1, refillPerSecond: 1, key: 'client-request-id' });
    const send = (id: string) => request(byRequestId.app).post(PATH).set('Authorization', 'Bearer same').set('client-request-id', id).send({ displayName: id });
    expect((await send('one')).status).toBe(201);
    expect((await send('two')).status).toBe(201);
    expect((await send('one')).status).toBe(429);
  });

  it('counts a client-request-id within its tenant and app: another tenant or app sending the same one has a bucket of its own', async () => {
    const { app, store } = throttled({ capacity: 1, refillPerSecond: 0.5, key: 'client-request-id' });
    const OTHER_TENANT = '3f2a0b9e-6c1d-4e7f-8a5b-2c9d0e1f4a6b';
    const OTHER_APP = '5b1e9c2d-7a3f-4d8e-9b6c-0e2f1a4d7c3b';
    const as = (appid: string, tid: string) => `Bearer ${jwt({ appid, tid, roles: ['EntitlementManagement.ReadWrite.All'] })}`;
    const send = (token: string) => request(app).post(PATH).set('Authorization', token).set('client-request-id', 'worker').send({ displayName: 'x' });
    expect((await send(as(APP_ID, TENANT_ID))).status).toBe(201);
    const otherTenant = await send(as(APP_ID, OTHER_TENANT));
    expect([otherTenant.status, otherTenant.headers['x-ms-throttle-limit-percentage']]).toEqual([201, '1.00']);
    expect(otherTenant.body).toMatchObject({ displayName: 'x' });
    expect((await send(as(OTHER_APP, TENANT_ID))).status).toBe(201);
    expect(store.tenants.get(OTHER_TENANT)!.count('accessPackages')).toBe(1);

    const limited = await send(as(APP_ID, OTHER_TENANT));
    expectGraphError(limited, 429, 'TooManyRequests', 'Please retry again later.');
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.headers['x-ms-throttle-scope']).toBe(`Tenant_Application/ReadWrite/${APP_ID}/${OTHER_TENANT}`);
    expect(store.tenants.get(OTHER_TENANT)!.count('accessPackages')).toBe(1);
    expect(store.tenants.get(TENANT_ID)!.count('accessPackages')).toBe(2);
  });

  it('keys a client by its token alone unless the profile says client-request-id: a new id per request gets no new bucket', async () => {
    const { app } = throttled({ capacity: 1, refillPerSecond: 0.5 });
    const send = (id: string) => request(app).get(PATH).set('Authorization', 'Bearer same').set('client-request-id', id);
    expect((await send('one')).status).toBe(200);
    const limited = await send('two');
    expectGraphError(limited, 429, 'TooManyRequests', 'Please retry again later.');
    expect(limited.headers['retry-after']).toBe('2');
  });

  it('keys a request without client-request-id by its token when the profile says client-request-id', async () => {
    const { app } = throttled({ capacity: 1, refillPerSecond: 0.5, key: 'client-request-id' });
    const send = (token: string) => request(app).get(PATH).set('Authorization', `Bearer ${token}`);
    expect((await send('a')).status).toBe(200);
    expect((await send('b')).status).toBe(200);
    expectGraphError(await send('a'), 429, 'TooManyRequests');
    expect((await request(app).get(PATH).set('Authorization', 'Bearer a').set('client-request-id', 'fresh')).status).toBe(200);
  });

  it.each([
    ['an opaque token', 'Bearer opaque', `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`, `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`],
    ['a v2 token naming its app in azp', `Bearer ${jwt({ azp: APP_ID, tid: TENANT_ID, scp: 'EntitlementManagement.ReadWrite.All' })}`, APP_ID, TENANT_ID],
    [
      'a token whose appid is no string',
      `Bearer ${jwt({ appid: 7, azp: APP_ID, tid: TENANT_ID, scp: 'EntitlementManagement.ReadWrite.All' })}`,
      APP_ID,
      TENANT_ID,
    ],
  ])('names the app and tenant of %s in x-ms-throttle-scope, the zero id for what it does not name', async (_name, authorization, app, tenant) => {
    const throttledApp = throttled({ capacity: 1, refillPerSecond: 1 }).app;
    expect((await request(throttledApp).get(PATH).set('Authorization', authorization)).status).toBe(200);
    const limited = await request(throttledApp).get(PATH).set('Authorization', authorization);
    expectGraphError(limited, 429, 'TooManyRequests');
    expect(limited.headers['x-ms-throttle-scope']).toBe(`Tenant_Application/ReadWrite/${app}/${tenant}`);
  });

  it("leaves the emulator's own endpoints alone", async () => {
    const { app } = throttled({ capacity: 1, refillPerSecond: 0.1 });
    for (let i = 0; i < 3; i += 1) {
      const res = await request(app).get('/_emulator/faults');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ rules: [], throttle: { capacity: 1, refillPerSecond: 0.1 } });
    }
  });
});
