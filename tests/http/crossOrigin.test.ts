// What a web page open in the developer's browser can do to the emulator, over a real socket: the admin API
// refuses every origin not allowed by name (a simple POST to /_emulator/reset used to wipe the data), and CORS
// answers local origins and CORS_ORIGINS only, never `null`, never with credentials.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hostname } from 'node:os';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';
import { AUTH, PACKAGES, expectGraphError } from '../support/graph.js';
import { type RealServer, realServer, send } from '../support/realServer.js';

const EVIL = 'http://evil.example';

describe('the admin API refuses browsers from origins not allowed by name', () => {
  let emulator: RealServer;
  const store = new MemoryStore();
  beforeAll(async () => {
    emulator = await realServer({ store, corsOrigins: ['https://app.contoso.com'], fixtures: { fixtures: 'empty', seed: 1 } });
  });
  afterAll(() => emulator.close());

  const kept = async () => {
    await store.replaceAll(datasetOf({ accessPackages: [accessPackage({ displayName: 'Kept' })] }));
  };

  it.each([
    [
      'a cross-origin POST without a body (a <form>, fetch no-cors, sendBeacon)',
      'POST',
      '/_emulator/reset',
      { Origin: EVIL, 'Sec-Fetch-Site': 'cross-site' },
      `The origin '${EVIL}' may not use /_emulator/.`,
    ],
    ['Origin: null (a sandboxed frame, a file: page)', 'POST', '/_emulator/reset', { Origin: 'null' }, "The origin 'null' may not use /_emulator/."],
    [
      'a cross-site navigation without Origin',
      'GET',
      '/_emulator/export',
      { 'Sec-Fetch-Site': 'cross-site' },
      'A cross-site request without an Origin may not use /_emulator/.',
    ],
    [
      'a page on another port of a LAN address',
      'DELETE',
      '/_emulator/faults',
      { Origin: 'http://192.168.1.20:8080' },
      "The origin 'http://192.168.1.20:8080' may not use /_emulator/.",
    ],
  ])('%s: 403 in Graph envelope naming CORS_ORIGINS, data untouched', async (_case, method, path, headers, message) => {
    await kept();
    const res = await send(emulator.port, { method, path, headers });
    expectGraphError(res, 403, 'UnAuthorized', new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*CORS_ORIGINS`));
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['Kept']);
  });

  it.each([
    ['no Origin (curl, SDKs, test suites)', {}],
    ['a local development origin', { Origin: 'http://localhost:5173', 'Sec-Fetch-Site': 'same-site' }],
    ['an origin CORS_ORIGINS names', { Origin: 'https://app.contoso.com', 'Sec-Fetch-Site': 'cross-site' }],
  ])('%s may reset', async (_case, headers: Record<string, string>) => {
    await kept();
    const res = await send(emulator.port, { method: 'POST', path: '/_emulator/reset', headers });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'reset', records: { accessPackages: 0 } });
    if (headers.Origin) expect(res.headers['access-control-allow-origin']).toBe(headers.Origin);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it.each([['0.0.0.0'], ['[::]'], ['[::ffff:127.0.0.1]'], ['[::ffff:7f00:1]']])(
    'under %s, which reaches loopback but is no loopback to a browser (no Sec-Fetch-Site there), admin answers 403 and the page is not served',
    async (address) => {
      await kept();
      const host = `${address}:${emulator.port}`;
      const message = `The admin API and page are not served under '${host}': a browser does not treat that address as this machine's, so another site could open them there. Use 127.0.0.1, [::1] or localhost.`;
      for (const [method, path] of [
        ['GET', '/_emulator/ui/data?tenant=opened-by-a-link'],
        ['GET', '/_emulator/tenants'],
        ['POST', '/_emulator/reset'],
        // The page's own calls carry its origin, which would be the emulator's own under that name.
        ['POST', '/_emulator/token'],
      ] as const) {
        const headers: Record<string, string> = path === '/_emulator/token' ? { Host: host, Origin: `http://${host}` } : { Host: host };
        const res = await send(emulator.port, { method, path, headers });
        expectGraphError(res, 403, 'UnAuthorized', message);
        expect(res.headers['content-type']).toBe('application/json');
      }
      expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['Kept']);
      // Graph's routes, which CORS guards, still answer there (curl users of http://0.0.0.0:4000).
      const graph = await send(emulator.port, { path: PACKAGES, headers: { Host: host, ...AUTH } });
      expect(graph.status).toBe(200);
      expect((graph.body as { value: unknown[] }).value).toHaveLength(1);
    },
  );

  it("the emulator's own pages count as allowed", async () => {
    const res = await send(emulator.port, {
      path: '/_emulator/health',
      headers: { Origin: `http://127.0.0.1:${emulator.port}`, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(res.status).toBe(200);
  });

  it('a preflight from an origin not allowed gets no CORS headers, so the browser never sends the request', async () => {
    const res = await send(emulator.port, { method: 'OPTIONS', path: '/_emulator/faults', headers: { Origin: EVIL, 'Access-Control-Request-Method': 'PUT' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });
});

describe("ALLOWED_HOSTS=*: the admin page under the emulator's own names", () => {
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({ allowedHosts: '*', fixtures: { fixtures: 'empty', seed: 1 } });
  });
  afterAll(() => emulator.close());

  it.each(['localhost', '127.0.0.1', hostname()])('opened as http://%s:port/_emulator/, loads, reads and writes', async (name) => {
    const host = `${name}:${emulator.port}`;
    const page = await send(emulator.port, { path: '/_emulator/', headers: { Host: host, 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    // Its same-origin GETs carry no Origin; its writes carry the page's own.
    const read = await send(emulator.port, { path: '/_emulator/export', headers: { Host: host, 'Sec-Fetch-Site': 'same-origin' } });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ accessPackages: [] });
    const write = await send(emulator.port, {
      method: 'POST',
      path: '/_emulator/reset',
      headers: { Host: host, Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(write.status).toBe(200);
    expect(write.body).toMatchObject({ status: 'reset', records: { accessPackages: 0 } });
    expect(write.headers['access-control-allow-origin']).toBe(`http://${host}`);
  });
});

describe('CORS_ORIGINS=* opens the Graph routes, never /_emulator/*', () => {
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({ corsOrigins: '*' });
  });
  afterAll(() => emulator.close());

  it('Graph routes answer any origin with *, without credentials', async () => {
    const res = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Origin: EVIL } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('the admin API still refuses a page from anywhere', async () => {
    const res = await send(emulator.port, {
      method: 'PUT',
      path: '/_emulator/faults',
      headers: { Origin: EVIL, 'Content-Type': 'application/json' },
      body: '{"rules":[{"status":500}]}',
    });
    expectGraphError(res, 403, 'UnAuthorized', /CORS_ORIGINS/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const rules = await send(emulator.port, { path: '/_emulator/faults' });
    expect(rules.body).toEqual({ rules: [] });
  });

  it.each(['/_EMULATOR/reset', '/_Emulator/faults', '/_EMULATOR'])(
    "answers a page's preflight to %s, which the admin routes serve, without CORS headers",
    async (path) => {
      const res = await send(emulator.port, {
        method: 'OPTIONS',
        path,
        headers: { Origin: EVIL, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
      expect(res.headers['vary']).toBe('Origin');
    },
  );
});

describe('CORS on Graph routes by default: local origins only', () => {
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({});
  });
  afterAll(() => emulator.close());

  it.each(['http://localhost:3000', 'https://localhost', 'http://127.0.0.1:8080', 'http://[::1]:5173'])('reflects %s, without credentials', async (origin) => {
    const res = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Origin: origin } });
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(res.headers['access-control-expose-headers'])).toContain('request-id');
  });

  it.each([EVIL, 'null', 'http://localhost.evil.example', 'http://127.0.0.1.nip.io:4000'])('does not answer %s', async (origin) => {
    const res = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Origin: origin } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('CORS_ORIGINS as written and as a browser sends it', () => {
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({ corsOrigins: ['https://Dev.Example.test:443'], fixtures: { fixtures: 'empty', seed: 1 } });
  });
  afterAll(() => emulator.close());

  it("answers the page's Origin, which has no default port, on Graph and admin routes", async () => {
    const origin = 'https://dev.example.test';
    const graph = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Origin: origin, 'Sec-Fetch-Site': 'cross-site' } });
    expect(graph.status).toBe(200);
    expect(graph.headers['access-control-allow-origin']).toBe(origin);
    const admin = await send(emulator.port, { path: '/_emulator/faults', headers: { Origin: origin, 'Sec-Fetch-Site': 'cross-site' } });
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ rules: [] });
    expect(admin.headers['access-control-allow-origin']).toBe(origin);
  });
});
