import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, PACKAGES, expectGraphError } from '../support/graph.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

function emulator() {
  let now = 0;
  const store = new MemoryStore();
  const faults = new FaultEngine({ clock: () => now, rules: [{ method: 'POST', path: PACKAGES, status: 429, retryAfter: 2, times: 1 }] });
  return {
    store,
    faults,
    app: createApp({ store, faults }),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('retrying before an injected Retry-After has passed', () => {
  it('earns another 429 with the time left, without consulting the rules, until the wait is over', async () => {
    const { app, store, faults, advance } = emulator();
    const create = () => request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Patient' });

    const first = await create();
    expectGraphError(first, 429, 'TooManyRequests', 'Please retry again later.');
    expect(first.headers['retry-after']).toBe('2');

    const tooSoon = await create();
    expectGraphError(tooSoon, 429, 'TooManyRequests', 'Please retry again later.');
    expect(tooSoon.headers['retry-after']).toBe('2');
    advance(1500);
    expect((await create()).headers['retry-after']).toBe('1');
    expect(faults.describe().rules[0]).toMatchObject({ matched: 1, fired: 1 });

    advance(500);
    const patient = await create();
    expect(patient.status).toBe(201);
    expect(patient.body).toMatchObject({ displayName: 'Patient' });
    expect(store.count('accessPackages')).toBe(1);
  });

  it('holds back only the same client sending the same request', async () => {
    const { app } = emulator();
    expect((await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'a' })).status).toBe(429);
    const otherClient = await request(app).post(PACKAGES).set('Authorization', 'Bearer another').send({ displayName: 'b' });
    expect(otherClient.status).toBe(201);
    const otherRequest = await request(app).get(PACKAGES).set(AUTH);
    expect(otherRequest.status).toBe(200);
    expect(otherRequest.body.value).toEqual([expect.objectContaining({ displayName: 'b' })]);
  });

  it('holds back the same request however its path is spelt: a trailing slash or a key in parentheses', async () => {
    const { app } = emulator();
    expect((await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'a' })).status).toBe(429);
    for (const path of [`${PACKAGES}/`, PACKAGES.toUpperCase()]) {
      const again = await request(app).post(path).set(AUTH).send({ displayName: 'a' });
      expectGraphError(again, 429, 'TooManyRequests', 'Please retry again later.');
      expect(again.headers['retry-after']).toBe('2');
    }
  });

  it('holds back a delete of the package asked for by its key named, or in a segment of its own', async () => {
    let now = 0;
    const store = new MemoryStore();
    const faults = new FaultEngine({ clock: () => now });
    const app = createApp({ store, faults });
    const id = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Held' }).expect(201)).body.id as string;
    faults.replace({ rules: [{ method: 'DELETE', path: '/beta/**/accessPackages/*', status: 429, retryAfter: 5, times: 1 }] });
    expectGraphError(await request(app).delete(`${PACKAGES}(id='${id}')`).set(AUTH), 429, 'TooManyRequests', 'Please retry again later.');
    now += 1000;
    for (const path of [`${PACKAGES}/${id}`, `${PACKAGES}/('${id}')`, `${PACKAGES}(ID=${id})`, `${PACKAGES}/%28'${id}'%29`, `${PACKAGES}/%28id='${id}'%29`]) {
      const again = await request(app).delete(path).set(AUTH);
      expectGraphError(again, 429, 'TooManyRequests', 'Please retry again later.');
      expect(again.headers['retry-after']).toBe('4');
    }
    expect(store.get('accessPackages', id)).toMatchObject({ displayName: 'Held' });
    now += 4000;
    const done = await request(app).delete(`${PACKAGES}(id='${id}')`).set(AUTH);
    expect([done.status, done.text, done.headers['retry-after']]).toEqual([204, '', undefined]);
  });

  it("forgets a tenant's wait when that tenant's faults are cleared or replaced, and only that tenant's", async () => {
    let now = 0;
    const faults = new FaultEngine({ clock: () => now, rules: [{ method: 'GET', status: 429, retryAfter: 30, times: 2 }] });
    const app = createApp({ store: new MemoryStore(), faults });
    const as = (tid: string) => bearer(unsignedJwt({ tid, scp: READ_WRITE }));
    const get = (tid: string) => request(app).get(PACKAGES).set(as(tid));
    expect((await get('worker-1')).status).toBe(429);
    expect((await get('worker-2')).status).toBe(429);
    faults.clearTenant('worker-1');
    expect((await get('worker-1')).status).toBe(200);
    const held = await get('worker-2');
    expect([held.status, held.headers['retry-after']]).toEqual([429, '30']);
    faults.replaceTenant('worker-2', []);
    expect((await get('worker-2')).status).toBe(200);
    now += 1;
  });

  it('forgets the wait when the rules are replaced', async () => {
    const { app, faults } = emulator();
    expect((await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'a' })).status).toBe(429);
    faults.clear();
    expect((await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'a' })).status).toBe(201);
  });
});

describe('what is not a retry of an injected 429', () => {
  it("an X-Emulator-Fault 429 leaves no Retry-After behind, and the header's fault wins over one pending", async () => {
    const { app, advance } = emulator();
    const viaHeader = await request(app).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'status=429');
    expectGraphError(viaHeader, 429, 'TooManyRequests');
    expect(viaHeader.headers['retry-after']).toBe('10');
    const next = await request(app).get(PACKAGES).set(AUTH);
    expect(next.status).toBe(200);
    expect(next.body.value).toEqual([]);

    // The rule's 429 is pending: a request carrying the header gets the header's fault, the next plain one the 429.
    expect((await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'a' })).status).toBe(429);
    expectGraphError(await request(app).post(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'status=500').send({ displayName: 'a' }), 500, 'UnknownError');
    const stillWaiting = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'a' });
    expectGraphError(stillWaiting, 429, 'TooManyRequests');
    expect(stillWaiting.headers['retry-after']).toBe('2');
    advance(2000);
    expect((await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'a' })).status).toBe(201);
  });

  it("another item of the same $batch: a times-1 rule fails one item; the batch sent again is the items' retry", async () => {
    const store = new MemoryStore();
    const faults = new FaultEngine({ clock: () => 0, rules: [{ method: 'GET', path: PACKAGES, status: 429, retryAfter: 3, times: 1 }] });
    const app = createApp({ store, faults });
    const items = ['1', '2', '3'].map((id) => ({ id, method: 'GET', url: PACKAGES.replace('/beta', '') }));
    const batch = () => request(app).post('/beta/$batch').set(AUTH).send({ requests: items });

    const first = await batch();
    expect(first.status).toBe(200);
    const statuses = (res: typeof first) => (res.body.responses as { id: string; status: number }[]).map((r) => [r.id, r.status]).sort();
    expect(statuses(first)).toEqual([
      ['1', 429],
      ['2', 200],
      ['3', 200],
    ]);
    expect(faults.describe().rules[0]).toMatchObject({ matched: 3, fired: 1 });

    const again = await batch();
    expect(statuses(again)).toEqual([
      ['1', 429],
      ['2', 429],
      ['3', 429],
    ]);
    for (const item of again.body.responses as { headers: Record<string, string> }[]) expect(item.headers['Retry-After']).toBe('3');
    expect(faults.describe().rules[0]).toMatchObject({ matched: 3, fired: 1 });
  });
});
