// Tenants over HTTP: each token's tid sees its own data, a new tenant starts with the fixtures, the admin API
// resets, exports, lists and drops one tenant at a time, and parallel workers never see each other's data.
import { describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { startEmulator } from '../../server/index.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { FileStore } from '../../server/store/fileStore.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { countsOf, recordCounts } from '../support/counts.js';
import { tempDir } from '../support/emulatorProcess.js';
import { PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const FIXTURES = { fixtures: 'small', seed: 5, referenceDate: REFERENCE_DATE };
const small = () => generateDataset({ seed: 5, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE });
const as = (tid: string | undefined) => bearer(unsignedJwt({ ...(tid === undefined ? {} : { tid }), upn: `admin@${tid ?? 'default'}.test`, scp: READ_WRITE }));
const names = (res: request.Response): string[] => res.body.value.map((p: { displayName: string }) => p.displayName);

function appWith(store = new MemoryStore(), options: { maxTenants?: number; fixtures?: typeof FIXTURES } = {}) {
  const unexpected: unknown[] = [];
  const app = createApp({ store, fixtures: options.fixtures ?? FIXTURES, maxTenants: options.maxTenants, onUnexpectedError: (err) => unexpected.push(err) });
  return { store, app, unexpected };
}

describe('a tenant per tid', () => {
  it("starts a new tenant with the configured fixtures: the same records as the default tenant's set", async () => {
    const { app, store } = appWith();
    const res = await request(app).get(`${PACKAGES}?$top=999`).set(as('worker-1'));
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.body.value).toHaveLength(25);
    expect(store.count('accessPackages')).toBe(0);
    const exported = await request(app).get('/_emulator/export?tenant=worker-1');
    expect(exported.status).toBe(200);
    expect(exported.text).toBe(serializeDataset(small()));
  });

  it('keeps what one tenant writes from every other, and tokens without tid, or not JWTs, in the default tenant', async () => {
    const { app, store } = appWith(new MemoryStore(), { fixtures: { fixtures: 'empty', seed: 5, referenceDate: REFERENCE_DATE } });
    const created = await request(app).post(PACKAGES).set(as('Worker-1')).send({ displayName: 'Mine' });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('admin@Worker-1.test');
    expect(names(await request(app).get(PACKAGES).set(as('worker-1')))).toEqual(['Mine']);
    expect(names(await request(app).get(PACKAGES).set(as('worker-2')))).toEqual([]);
    expect(names(await request(app).get(PACKAGES).set(as(undefined)))).toEqual([]);
    expect(names(await request(app).get(PACKAGES).set(as(DEFAULT_TENANT_ID)))).toEqual([]);
    await request(app).post(PACKAGES).set(bearer('not-a-jwt')).send({ displayName: 'Default' }).expect(201);
    expect(names(await request(app).get(PACKAGES).set(as(DEFAULT_TENANT_ID.toUpperCase())))).toEqual(['Default']);
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['Default']);
    expectGraphError(await request(app).get(`${PACKAGES}/${created.body.id}`).set(as('worker-2')), 404, 'ResourceNotFound');
  });

  it('refuses a tid that cannot name a tenant with a 401, and adds no tenant', async () => {
    const { app, store } = appWith();
    const res = await request(app).get(PACKAGES).set(as('worker 1'));
    expectGraphError(
      res,
      401,
      'InvalidAuthenticationToken',
      "Access token validation failure. Invalid tenant: the tid claim must be 1 to 128 letters, digits, '.', '-' or '_'.",
    );
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });

  it('adds no tenant for a path no resource serves', async () => {
    const { app, store } = appWith();
    expectGraphError(await request(app).get('/beta/identityGovernance/entitlementManagement/nothingHere').set(as('typo')), 400, 'BadRequest');
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });

  it("answers Graph's 507 for a new tenant past MAX_TENANTS, and still serves the tenants it holds", async () => {
    const { app, unexpected } = appWith(new MemoryStore(), { maxTenants: 2 });
    await request(app).get(PACKAGES).set(as('one')).expect(200);
    const refused = await request(app).post(PACKAGES).set(as('two')).send({ displayName: 'x' });
    expectGraphError(
      refused,
      507,
      'quotaLimitReached',
      "This emulator holds 2 tenants, the most it is allowed (MAX_TENANTS 2): tenant 'two' cannot be added. Drop tenants with DELETE /_emulator/tenants/{tid}, or raise MAX_TENANTS.",
    );
    expectGraphError(await request(app).post('/_emulator/reset?tenant=two'), 507, 'quotaLimitReached');
    await request(app).get(PACKAGES).set(as('one')).expect(200);
    await request(app).delete('/_emulator/tenants/one').expect(204);
    await request(app).get(PACKAGES).set(as('two')).expect(200);
    // An answer the emulator gives on purpose, not a failure for the log.
    expect(unexpected).toEqual([]);
  });

  it("lets a library user mint a token for a tenant with the running emulator's mintToken", async () => {
    const emulator = await startEmulator({ fixtures: 'small', seed: 5, referenceDate: REFERENCE_DATE, auth: 'strict' });
    try {
      const token = await emulator.mintToken({ tid: 'worker-7' });
      const created = await fetch(`${emulator.url}${PACKAGES}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ displayName: 'Seven' }),
      });
      expect(created.status).toBe(201);
      expect(emulator.store.tenants.get('worker-7')?.count('accessPackages')).toBe(26);
      expect(emulator.store.count('accessPackages')).toBe(25);
    } finally {
      await emulator.close();
    }
  });
});

describe('the admin API, tenant by tenant', () => {
  it('resets, exports and lists the tenant ?tenant= names, and adds it on a reset', async () => {
    const { app, store } = appWith(new MemoryStore(small()));
    const reset = await request(app).post('/_emulator/reset?tenant=Worker-9').send({ fixtures: 'empty' });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ status: 'reset', fixtures: 'empty', seed: 5, records: recordCounts({ accessPackageCatalogs: 1 }) });
    await request(app).post(PACKAGES).set(as('worker-9')).send({ displayName: 'Nine' }).expect(201);

    const list = await request(app).get('/_emulator/tenants');
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toMatch(/^application\/json/);
    expect(list.headers['request-id']).toBeDefined();
    expect(list.body).toEqual({
      value: [
        { id: DEFAULT_TENANT_ID, isDefault: true, records: countsOf(small()) },
        { id: 'worker-9', isDefault: false, records: recordCounts({ accessPackages: 1, accessPackageCatalogs: 1 }) },
      ],
    });
    const exported = JSON.parse((await request(app).get('/_emulator/export?tenant=worker-9')).text);
    expect(exported.accessPackages.map((p: { displayName: string }) => p.displayName)).toEqual(['Nine']);
    // The default tenant is untouched by the other's reset and writes, and is what a route without ?tenant= means.
    expect((await request(app).get('/_emulator/export')).text).toBe(serializeDataset(small()));
    expect(store.snapshot()).toEqual(small());
    const health = await request(app).get('/_emulator/health');
    expect(health.body).toMatchObject({ status: 'ok', records: countsOf(small()), tenants: 2 });
  });

  it('drops a tenant with its data; its next request starts it again from the fixtures', async () => {
    const { app, store } = appWith();
    await request(app).post(PACKAGES).set(as('gone')).send({ displayName: 'Lost' }).expect(201);
    const dropped = await request(app).delete('/_emulator/tenants/GONE');
    expect(dropped.status).toBe(204);
    expect(dropped.text).toBe('');
    expect(dropped.headers['request-id']).toBeDefined();
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
    expectGraphError(await request(app).get('/_emulator/export?tenant=gone'), 404, 'ResourceNotFound', /^There is no tenant 'gone'/);
    expectGraphError(await request(app).delete('/_emulator/tenants/gone'), 404, 'ResourceNotFound', "There is no tenant 'gone'.");
    const again = await request(app).get(`${PACKAGES}?$top=999`).set(as('gone'));
    expect(again.body.value).toHaveLength(25);
    expect(names(again)).not.toContain('Lost');
  });

  it('GET and DELETE /_emulator/tenants take no query parameter: a 400, and no tenant dropped in place of the one named', async () => {
    const { app, store } = appWith();
    await request(app).post('/_emulator/reset?tenant=w-del').expect(200);
    await request(app).post('/_emulator/reset?tenant=w-keep').expect(200);
    const dropped = await request(app).delete('/_emulator/tenants/w-del?tenant=w-keep&junk=1');
    expectGraphError(dropped, 400, 'BadRequest', "Unknown query parameter 'tenant': DELETE /_emulator/tenants/w-del takes none.");
    expect(dropped.headers['request-id']).toBeDefined();
    expectGraphError(
      await request(app).get('/_emulator/tenants?tenant=w-keep'),
      400,
      'BadRequest',
      "Unknown query parameter 'tenant': GET /_emulator/tenants takes none.",
    );
    expect(store.tenants.ids().sort()).toEqual([DEFAULT_TENANT_ID, 'w-del', 'w-keep'].sort());
  });

  it.each([
    ['DELETE', `/_emulator/tenants/${DEFAULT_TENANT_ID}`, 400, 'The default tenant cannot be dropped: reset it with POST /_emulator/reset instead.'],
    ['DELETE', '/_emulator/tenants/a%20b', 400, "The tenant 'a b' is not a tenant id: a tenant id is 1 to 128 letters, digits, '.', '-' or '_'."],
    ['GET', '/_emulator/export?tenant=a%2Fb', 400, "The tenant 'a/b' is not a tenant id: a tenant id is 1 to 128 letters, digits, '.', '-' or '_'."],
    ['GET', '/_emulator/export?tenant=', 400, "The tenant '' is not a tenant id: a tenant id is 1 to 128 letters, digits, '.', '-' or '_'."],
    ['POST', '/_emulator/reset?tenant=a&tenant=b', 400, "The query parameter 'tenant' must be given once, with one tenant id."],
    ['GET', '/_emulator/faults?tenant=a!', 400, "The tenant 'a!' is not a tenant id: a tenant id is 1 to 128 letters, digits, '.', '-' or '_'."],
    // A misspelt parameter never falls back to the default tenant (or, for faults, to every tenant).
    ['POST', '/_emulator/reset?tid=fresh', 400, "Unknown query parameter 'tid': POST /_emulator/reset takes only 'tenant'."],
    ['GET', '/_emulator/export?Tenant=fresh', 400, "Unknown query parameter 'Tenant': GET /_emulator/export takes only 'tenant'."],
    ['DELETE', '/_emulator/faults?tenant%5B%5D=a', 400, "Unknown query parameter 'tenant[]': DELETE /_emulator/faults takes only 'tenant'."],
    ['PUT', '/_emulator/snapshots/clean?tenant=a&x=1', 400, "Unknown query parameter 'x': PUT /_emulator/snapshots/clean takes only 'tenant'."],
    [
      'GET',
      '/_emulator/export?tenant=nobody',
      404,
      "There is no tenant 'nobody': a tenant is added by its first Graph request, or by POST /_emulator/reset?tenant=nobody.",
    ],
  ])('%s %s is a %i naming the problem', async (method, url, status, message) => {
    const { app, store } = appWith();
    const res = await request(app)[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url);
    expectGraphError(res, status, status === 400 ? 'BadRequest' : 'ResourceNotFound', message);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });
});

describe('parallel workers, each in its own tenant (file store, real sockets)', () => {
  it('never see each other’s data through concurrent resets and creates, in memory and on disk', async () => {
    const file = path.join(await tempDir('tenants-parallel-'), 'db.json');
    const store = await FileStore.open(file);
    const server = createApp({ store, fixtures: FIXTURES }).listen(0);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // Each worker resets its tenant and creates its packages, again and again, all workers at once; after
      // each round it must see exactly the packages of that round, whatever the others did meanwhile.
      const worker = async (tid: string) => {
        const seen: string[][] = [];
        for (let round = 0; round < 4; round += 1) {
          const reset = await request(url).post(`/_emulator/reset?tenant=${tid}`).send({ fixtures: 'empty' });
          expect(reset.status).toBe(200);
          await Promise.all(
            Array.from({ length: 6 }, (_, i) =>
              request(url)
                .post(PACKAGES)
                .set(as(tid))
                .send({ displayName: `${tid} ${round}.${i}` })
                .expect(201),
            ),
          );
          seen.push(names(await request(url).get(PACKAGES).set(as(tid))).sort());
        }
        return seen;
      };
      const tids = ['alpha', 'beta', 'gamma'];
      const results = await Promise.all(tids.map(worker));
      for (const [w, tid] of tids.entries()) {
        expect(results[w]).toEqual(Array.from({ length: 4 }, (_, round) => Array.from({ length: 6 }, (_, i) => `${tid} ${round}.${i}`)));
      }
      // The default tenant never took part: the fixtures it was seeded with are all it has.
      expect(store.count('accessPackages')).toBe(0);

      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      const reopened = await FileStore.open(file);
      try {
        for (const tid of tids) {
          const stored = reopened.tenants
            .get(tid)!
            .list('accessPackages')
            .map((p) => p.displayName);
          expect(stored.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `${tid} 3.${i}`));
        }
      } finally {
        await reopened.close();
      }
    } finally {
      server.close();
      await store.close().catch(() => undefined);
    }
  });
});
