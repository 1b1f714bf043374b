// DNS rebinding, over a real socket: a page whose name now points at 127.0.0.1 sends its own name in Host.
// Only names the emulator is known by are answered; Location and nextLinks only ever name those.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { allowedHostNames, hostAllowed } from '../../server/http/hostCheck.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { seedPackages } from '../support/accessPackages.js';
import { AUTH, PACKAGES, expectGraphError } from '../support/graph.js';
import { INVALID_HOSTS } from '../support/hosts.js';
import { section } from '../support/markdown.js';
import { type RealServer, realServer, send } from '../support/realServer.js';

const USER_INFO_IN_HOST = "The Host header names a user or a password before '@': the emulator takes no credentials in a URL or a Host header.";
const INVALID_HOST =
  "The Host header is not a valid host: a name, an IPv4 address or an [IPv6] address, never empty (RFC 9110 section 4.2.1), then an optional ':' and a port from 1 to 65535 (RFC 3986 section 3.2.2).";
const USER_INFO_IN_TARGET = "The request target names a user or a password before '@': the emulator takes no credentials in a URL or a Host header.";

describe('hostAllowed', () => {
  const names = allowedHostNames({ allowed: ['graph', '.corp.example'], boundHost: 'devbox.lan', baseUrl: 'https://emulator.example.test:8443' });

  it.each([
    'localhost',
    'localhost:4000',
    'LOCALHOST:4000',
    'localhost.:4000',
    'app.localhost:3000',
    '127.0.0.1:4000',
    '10.1.2.3',
    '192.168.100.200:4000',
    '[::1]:4000',
    '[::ffff:127.0.0.1]',
    'graph:4000',
    'a.corp.example',
    'corp.example',
    'devbox.lan:4000',
    'emulator.example.test',
    `${hostname()}:4000`,
  ])('allows %s', (host) => {
    expect(hostAllowed(host, names)).toBe(true);
  });

  it.each([
    'evil.example',
    'evil.example:4000',
    'graph.evil.example',
    'localhost.evil.example',
    'xcorp.example',
    // A name that ends like an address or an allowed name is neither.
    'evil10.1.2.3',
    'evilgraph',
    'a@localhost',
    'localhost:4000/x',
    '',
    '[::1',
    'localhost:port',
    'localhost:0',
    'localhost:65536',
  ])('refuses %j', (host) => {
    expect(hostAllowed(host, names)).toBe(false);
  });

  it("allows a subdomain of localhost with no ALLOWED_HOSTS, as docs/configuration.md's allowedHosts row says", () => {
    expect(hostAllowed('app.localhost:5173', allowedHostNames({}))).toBe(true);
    const row = section('docs/configuration.md', 'Configuration')
      .split('\n')
      .find((line) => line.startsWith('| `allowedHosts` |'));
    expect(row).toContain('besides `localhost` and `*.localhost`, IP addresses');
  });

  it('checks against names in lower case and without a trailing dot, and always against localhost and this machine', () => {
    expect(allowedHostNames({ allowed: ['MyHost.', ''] })).toEqual([...new Set(['localhost', hostname().toLowerCase(), 'myhost'])]);
    expect(allowedHostNames({})).toEqual([...new Set(['localhost', hostname().toLowerCase()])]);
  });
});

describe('the Host header on a real socket', () => {
  let emulator: RealServer;
  const store = new MemoryStore();
  beforeAll(async () => {
    await seedPackages(store, 3);
    emulator = await realServer({ store, allowedHosts: ['graph'], pageSize: 2 });
  });
  afterAll(() => emulator.close());

  it.each([
    ['a Graph read', 'GET', PACKAGES],
    ['a reset', 'POST', '/_emulator/reset'],
    ['an export', 'GET', '/_emulator/export'],
  ])('%s for a rebound name is 421 in Graph envelope, naming ALLOWED_HOSTS', async (_case, method, path) => {
    const res = await send(emulator.port, { method, path, headers: { ...AUTH, Host: 'rebind.evil.example:4000' } });
    expectGraphError(
      res,
      421,
      'MisdirectedRequest',
      "The host 'rebind.evil.example:4000' is not a name this emulator answers for. If clients reach it by that name, add it to ALLOWED_HOSTS (comma-separated names).",
    );
    expect(store.count('accessPackages')).toBe(3);
  });

  it('a page from an allowed origin reads the 421 of a name it reached the emulator by: its preflight is answered, the refusal carries CORS headers', async () => {
    const page = { Origin: 'http://localhost:5173', Host: 'devbox.lan:4000' };
    const preflight = await send(emulator.port, {
      method: 'OPTIONS',
      path: PACKAGES,
      headers: { ...page, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization,content-type');
    const res = await send(emulator.port, { method: 'POST', path: PACKAGES, headers: { ...AUTH, ...page, 'Content-Type': 'application/json' }, body: '{}' });
    expectGraphError(
      res,
      421,
      'MisdirectedRequest',
      "The host 'devbox.lan:4000' is not a name this emulator answers for. If clients reach it by that name, add it to ALLOWED_HOSTS (comma-separated names).",
    );
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(store.count('accessPackages')).toBe(3);
  });

  it.each([
    ['a rebound page, whose Origin is the refused name', 'http://rebind.evil.example:4000'],
    ['a page from anywhere else', 'http://evil.example'],
  ])('%s gets the 421 without CORS headers, its preflight too', async (_case, origin) => {
    const headers = { Origin: origin, Host: 'rebind.evil.example:4000' };
    const preflight = await send(emulator.port, { method: 'OPTIONS', path: PACKAGES, headers: { ...headers, 'Access-Control-Request-Method': 'DELETE' } });
    expect(preflight.status).toBe(421);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, ...headers } });
    expectGraphError(res, 421, 'MisdirectedRequest', /^The host 'rebind\.evil\.example:4000' is not a name/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('Location and nextLink name the host the client used, when it is allowed', async () => {
    const created = await send(emulator.port, {
      method: 'POST',
      path: PACKAGES,
      headers: { ...AUTH, Host: 'graph:4000', 'Content-Type': 'application/json' },
      body: '{"displayName":"x"}',
    });
    expect(created.status).toBe(201);
    expect(created.headers['location']).toBe(`http://graph:4000${PACKAGES}/${created.body.id}`);
    const list = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Host: `localhost:${emulator.port}` } });
    expect(list.body['@odata.nextLink']).toMatch(new RegExp(`^http://localhost:${emulator.port}${PACKAGES}\\?\\$skiptoken=`));
  });

  it('names at most 100 characters of a refused host', async () => {
    const long = 'a'.repeat(101);
    const refusal = (shown: string) =>
      `The host '${shown}' is not a name this emulator answers for. If clients reach it by that name, add it to ALLOWED_HOSTS (comma-separated names).`;
    expectGraphError(
      await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Host: long } }),
      421,
      'MisdirectedRequest',
      refusal(`${'a'.repeat(100)}…`),
    );
    expectGraphError(
      await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Host: long.slice(1) } }),
      421,
      'MisdirectedRequest',
      refusal(long.slice(1)),
    );
  });

  it('answers an HTTP/1.0 request without Host: no browser sends one, and no URL is built from it', async () => {
    const socket = connect(emulator.port, '127.0.0.1');
    socket.end('GET /_emulator/health HTTP/1.0\r\n\r\n');
    let text = '';
    for await (const chunk of socket.setEncoding('utf8')) text += chunk;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 'ok' });
  });

  it("builds an HTTP/1.0 request's nextLink without Host from the address and port it reached", async () => {
    const socket = connect(emulator.port, '127.0.0.1');
    socket.end(`GET ${PACKAGES} HTTP/1.0\r\nAuthorization: ${AUTH.Authorization}\r\n\r\n`);
    let text = '';
    for await (const chunk of socket.setEncoding('utf8')) text += chunk;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { value: unknown[]; '@odata.nextLink': string };
    expect(body.value).toHaveLength(2);
    expect(body['@odata.nextLink']).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${emulator.port}${PACKAGES}\\?\\$skiptoken=`));
  });

  it.each([
    ['a Graph read', PACKAGES],
    ['an export', '/_emulator/export'],
  ])('%s whose absolute-form target names a rebound host is 421, whatever Host says', async (_case, path) => {
    // RFC 9112 §3.2.2: the server MUST use the target's host and ignore Host.
    const res = await send(emulator.port, { path: `http://rebind.evil.example${path}`, headers: { ...AUTH, Host: `localhost:${emulator.port}` } });
    expectGraphError(
      res,
      421,
      'MisdirectedRequest',
      "The host 'rebind.evil.example' is not a name this emulator answers for. If clients reach it by that name, add it to ALLOWED_HOSTS (comma-separated names).",
    );
  });

  it.each([
    ['localhost:', 'localhost'],
    ['127.0.0.1:', '127.0.0.1'],
    ['[::1]:', '[::1]'],
    ['graph:', 'graph'],
    // Leading zeros dropped, as `new URL` reads the port.
    ['localhost:0000080', 'localhost:80'],
    ['[::1]:04000', '[::1]:4000'],
  ])('reads the Host %j, an empty port (RFC 3986 §3.2.3) or one with leading zeros, as %j: answered, its URLs naming it so', async (host, named) => {
    const res = await send(emulator.port, { path: `${PACKAGES}?$top=1`, headers: { ...AUTH, Host: host } });
    expect(res.status).toBe(200);
    expect(res.headers['request-id']).toBeDefined();
    expect(res.body['@odata.nextLink']).toMatch(new RegExp(`^http://${named.replace(/[.[\]]/g, '\\$&')}${PACKAGES}\\?\\$top=1&\\$skiptoken=`));
    const target = await send(emulator.port, { path: `http://${host}${PACKAGES}?$top=1`, headers: { ...AUTH, Host: 'rebind.evil.example' } });
    expect(target.status).toBe(200);
    expect(target.body['@odata.nextLink']).toBe(
      res.body['@odata.nextLink'].replace(/skiptoken=.*/, `skiptoken=${target.body['@odata.nextLink'].split('skiptoken=')[1]}`),
    );
  });

  it("answers an absolute-form target for an allowed host, and builds its URLs from the target's host, not Host", async () => {
    const res = await send(emulator.port, { path: `http://graph:4000${PACKAGES}?$top=1`, headers: { ...AUTH, Host: 'rebind.evil.example' } });
    expect(res.status).toBe(200);
    expect(res.body['@odata.nextLink']).toMatch(new RegExp(`^http://graph:4000${PACKAGES}\\?\\$top=1&\\$skiptoken=`));
    const admin = await send(emulator.port, { path: `http://localhost:${emulator.port}/_emulator/health`, headers: { Host: 'rebind.evil.example' } });
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ status: 'ok' });
  });

  it.each([
    ['an allowed one, then a rebound one', ['localhost', 'rebind.evil.example']],
    ['a rebound one, then an allowed one', ['rebind.evil.example', 'localhost']],
    ['the same name twice', ['localhost', 'localhost']],
  ])('two Host headers (%s) are 400 in Graph envelope, for Graph and admin routes', async (_case, [first, second]) => {
    const before = store.list('accessPackages').map((p) => p.id);
    for (const [path, extra] of [
      [PACKAGES, ['Authorization', AUTH.Authorization]],
      ['/_emulator/reset', []],
    ] as const) {
      const res = await send(emulator.port, { method: path === PACKAGES ? 'GET' : 'POST', path, rawHeaders: ['Host', first!, 'host', second!, ...extra] });
      // RFC 9112 §3.2: a server MUST answer 400 to more than one Host header line.
      expectGraphError(res, 400, 'BadRequest', 'The request has more than one Host header.');
    }
    expect(store.list('accessPackages').map((p) => p.id)).toEqual(before);
  });

  it.each(INVALID_HOSTS)('a Host %j that is no host[:port] is 400, not 421', async (host) => {
    expectGraphError(await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Host: host } }), 400, 'BadRequest', INVALID_HOST);
  });

  it('a Host header with a user name or password is 400, never repeating them', async () => {
    for (const host of ['localhost@evil.example', `user:s3cret@localhost:${emulator.port}`]) {
      const res = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Host: host } });
      expectGraphError(res, 400, 'BadRequest', USER_INFO_IN_HOST);
      expect(res.text).not.toContain('s3cret');
      expect(res.text).not.toContain('evil');
    }
  });

  it('an absolute-form target with a user name or password is 400, never repeating them (RFC 9110 §4.2.4)', async () => {
    const res = await send(emulator.port, { path: `http://user:s3cret@localhost:${emulator.port}${PACKAGES}`, headers: AUTH });
    expectGraphError(res, 400, 'BadRequest', USER_INFO_IN_TARGET);
    expect(res.headers['request-id']).toBeDefined();
    expect(res.text).not.toContain('s3cret');
  });

  it.each(['http://user:s3cret@', 'http://@', 'http://localhost'])(
    'an absolute-form target with no path (%s) goes through every step: Graph’s answer',
    async (target) => {
      const res = await send(emulator.port, { path: target, headers: { Host: 'localhost' } });
      if (target.includes('@')) expectGraphError(res, 400, 'BadRequest', USER_INFO_IN_TARGET);
      else {
        // The path `/`, answered as a request for `/` is.
        const root = await send(emulator.port, { path: '/', headers: { Host: 'localhost' } });
        expect([res.status, res.body]).toEqual([root.status, { error: { ...root.body.error, innerError: expect.any(Object) } }]);
      }
      expect(res.headers['request-id']).toBeDefined();
      expect(res.text).not.toContain('s3cret');
    },
  );

  // Express read these targets' paths with url.parse, found none, and answered its own HTML 404 past every step.
  it.each(['http://[::1', 'http://[::1/_emulator/export', 'http://[::1]x/beta/$metadata', 'http://[fe80::1%25eth0]/beta/$metadata'])(
    'an absolute-form target whose host cannot be read (%s) is 400 in Graph’s envelope, with the client-request-id sent',
    async (target) => {
      const res = await send(emulator.port, { path: target, headers: { Host: 'localhost', 'client-request-id': 'mine-1' } });
      expectGraphError(res, 400, 'BadRequest', INVALID_HOST.replace('The Host header', "The request target's host"));
      expect(res.headers['client-request-id']).toBe('mine-1');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    },
  );

  it('an absolute-form target is routed by its path, whatever url.parse makes of its host', async () => {
    // url.parse throws on a malformed punycode label: the host is read as sent, a name not allowed (421).
    const punycode = await send(emulator.port, { path: 'http://xn--a/beta/$metadata', headers: { Host: 'localhost' } });
    expectGraphError(punycode, 421, 'MisdirectedRequest', /^The host 'xn--a' is not a name this emulator answers for\./);
    const metadata = await send(emulator.port, { path: `http://[::1]:${emulator.port}/beta/$metadata`, headers: { Host: 'a.example' } });
    expect(metadata.status).toBe(200);
    expect(metadata.headers['content-type']).toBe('application/xml;charset=utf-8');
    expect(metadata.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('ALLOWED_HOSTS=*', () => {
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({ allowedHosts: '*', fixtures: { fixtures: 'empty', seed: 1 } });
  });
  afterAll(() => emulator.close());

  const REBOUND = 'rebind.evil.example:4000';
  const refusal = (host: string) =>
    `A page reached as '${host}' may not use /_emulator/: with ALLOWED_HOSTS=* a page whose name is re-pointed at this machine reaches the emulator under that name. The admin API accepts browser requests under localhost, an IP address, this machine's name, the bound name and BASE_URL's host; list the name in ALLOWED_HOSTS in place of * to use it.`;

  it('answers Graph routes under any name', async () => {
    const res = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Host: 'anything.example' } });
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([]);
  });

  // A rebound page is of the emulator's own origin: its same-origin GETs carry no Origin, only Sec-Fetch-Site.
  it.each(['/_emulator/export', '/_emulator/requests', '/_emulator/tenants', '/_emulator/faults', '/_emulator/'])(
    "refuses a rebound page's same-origin GET %s without Origin: 403 in Graph envelope",
    async (path) => {
      const res = await send(emulator.port, { path, headers: { Host: REBOUND, 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' } });
      expectGraphError(res, 403, 'UnAuthorized', refusal(REBOUND));
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  it("refuses a rebound page's HEAD, and its requests with its own Origin", async () => {
    const head = await send(emulator.port, { method: 'HEAD', path: '/_emulator/export', headers: { Host: REBOUND, 'Sec-Fetch-Site': 'same-site' } });
    expect(head.status).toBe(403);
    expect(head.headers['content-type']).toBe('application/json');
    const rebound = { Host: REBOUND, Origin: `http://${REBOUND}`, 'Sec-Fetch-Site': 'same-origin' };
    expectGraphError(await send(emulator.port, { method: 'POST', path: '/_emulator/reset', headers: rebound }), 403, 'UnAuthorized', refusal(REBOUND));
    // A local page's call to a rebound name is a browser's all the same.
    const local = { Host: REBOUND, Origin: 'http://localhost:3000', 'Sec-Fetch-Site': 'cross-site' };
    expectGraphError(await send(emulator.port, { method: 'DELETE', path: '/_emulator/faults', headers: local }), 403, 'UnAuthorized', refusal(REBOUND));
  });

  it("checks an absolute-form target's host, not Host", async () => {
    const res = await send(emulator.port, {
      path: `http://${REBOUND}/_emulator/export`,
      headers: { Host: `localhost:${emulator.port}`, 'Sec-Fetch-Site': 'same-origin' },
    });
    expectGraphError(res, 403, 'UnAuthorized', refusal(REBOUND));
  });

  it.each([
    ['curl, an SDK, another container (no Sec-Fetch-*)', {}],
    ['a URL the user typed (Sec-Fetch-Site: none)', { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' }],
  ])('answers %s under any name', async (_case, headers: Record<string, string>) => {
    const res = await send(emulator.port, { path: '/_emulator/faults', headers: { Host: REBOUND, ...headers } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rules: [] });
  });

  it.each([
    ['a user and password', (port: number) => `http://user:s3cret@localhost:${port}`],
    ['an allowed name as the user, another host after it', (port: number) => `http://localhost:${port}@evil.example`],
  ])('refuses an absolute-form target with %s: 400, no nextLink, nothing journaled', async (_case, authority) => {
    const target = `${authority(emulator.port)}${PACKAGES}?$top=1&$select=id`;
    const res = await send(emulator.port, { path: target, headers: { ...AUTH, Host: `localhost:${emulator.port}` } });
    expectGraphError(res, 400, 'BadRequest', USER_INFO_IN_TARGET);
    expect(res.text).not.toMatch(/s3cret|evil/);
    const openid = await send(emulator.port, {
      path: `${authority(emulator.port)}/common/v2.0/.well-known/openid-configuration`,
      headers: { Host: `localhost:${emulator.port}` },
    });
    expectGraphError(openid, 400, 'BadRequest', USER_INFO_IN_TARGET);
    const journal = await send(emulator.port, { path: '/_emulator/requests', headers: { Host: `localhost:${emulator.port}` } });
    expect(journal.status).toBe(200);
    expect(JSON.stringify(journal.body)).not.toMatch(/s3cret|evil/);
  });

  it('refuses a Host header with userinfo: 400, not echoed', async () => {
    const res = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Host: `user:s3cret@localhost:${emulator.port}` } });
    expectGraphError(res, 400, 'BadRequest', USER_INFO_IN_HOST);
    expect(res.text).not.toContain('s3cret');
  });

  it.each(INVALID_HOSTS)('refuses the Host %j: 400 in Graph envelope, nothing created, no Location', async (host) => {
    const created = await send(emulator.port, {
      method: 'POST',
      path: PACKAGES,
      headers: { ...AUTH, Host: host, 'Content-Type': 'application/json' },
      body: '{"displayName":"x"}',
    });
    expectGraphError(created, 400, 'BadRequest', INVALID_HOST);
    expect(created.headers['location']).toBeUndefined();
    expect(created.headers['request-id']).toBeDefined();
    expect(created.text).not.toContain('script');
    const list = await send(emulator.port, { path: PACKAGES, headers: { ...AUTH, Host: `localhost:${emulator.port}` } });
    expect(list.body.value).toEqual([]);
  });

  it('refuses an absolute-form target whose host is no host[:port], though Host is allowed', async () => {
    const res = await send(emulator.port, { path: `http://a.example:80:80${PACKAGES}`, headers: { ...AUTH, Host: `localhost:${emulator.port}` } });
    expectGraphError(res, 400, 'BadRequest', INVALID_HOST.replace('The Host header', "The request target's host"));
  });

  it('still answers two Host headers with a 400', async () => {
    const res = await send(emulator.port, {
      path: PACKAGES,
      rawHeaders: ['Host', 'localhost', 'Host', 'anything.example', 'Authorization', AUTH.Authorization],
    });
    expectGraphError(res, 400, 'BadRequest', 'The request has more than one Host header.');
  });
});
