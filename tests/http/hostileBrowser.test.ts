// Random browser-shaped requests over real sockets (fast-check): Host names, Origins and Sec-Fetch-Site values
// a page, a rebound name or a sandboxed frame would send, against Graph and admin routes. Whatever the mix:
// a name that is not the emulator's is 421, a Host that is no host[:port] 400 under any ALLOWED_HOSTS, a page from an origin not allowed by name never gets an admin route
// to answer (with ALLOWED_HOSTS=*, nor a page under a name the emulator is not known by without it), CORS never
// answers such an origin nor `null`, never with credentials, and never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AUTH, PACKAGES } from '../support/graph.js';
import { type RawAnswer, type RealServer, realServer, send } from '../support/realServer.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }).map((p) => (p === undefined ? '' : `:${p}`));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);

/**
 * A Host header and how the emulator knows it, by construction rather than by the emulator's own rule: `own` (a
 * loopback or LAN address, localhost), `listed` (ALLOWED_HOSTS names it), `foreign` (nothing does), `invalid` (no
 * host[:port] at all, RFC 3986 §3.2.2).
 */
type HostKind = 'own' | 'listed' | 'foreign' | 'invalid';
const host: fc.Arbitrary<[string, HostKind]> = fc.oneof(
  fc
    .tuple(fc.constantFrom('localhost', 'LocalHost', 'app.localhost', '127.0.0.1', '127.1.2.3', '10.0.0.7', '[::1]'), port)
    .map(([name, p]): [string, HostKind] => [`${name}${p}`, 'own']),
  fc.tuple(fc.constantFrom('graph', 'GRAPH'), port).map(([name, p]): [string, HostKind] => [`${name}${p}`, 'listed']),
  fc
    .tuple(label, fc.constantFrom('.example', '.evil.test', '.localhost.evil.test', '.127.0.0.1.nip.io'), port)
    .map(([name, domain, p]): [string, HostKind] => [`${name}${domain}${p}`, 'foreign']),
  fc.constantFrom('graph.evil.test', 'localhost@evil.test').map((h): [string, HostKind] => [h, 'foreign']),
  fc.constantFrom('localhost:80:80', 'local host', '[::1', 'évil.test', 'localhost/x?y=', 'a.example"><b>').map((h): [string, HostKind] => [h, 'invalid']),
);

/** An Origin header (or none) and whether it is a local development origin. */
const origin: fc.Arbitrary<[string | undefined, boolean]> = fc.oneof(
  fc.constant<[string | undefined, boolean]>([undefined, true]),
  fc
    .tuple(fc.constantFrom('http', 'https'), fc.constantFrom('localhost', '127.0.0.1', '[::1]'), port)
    .map(([scheme, name, p]): [string, boolean] => [`${scheme}://${name}${p}`, true]),
  fc
    .tuple(fc.constantFrom('http', 'https'), label, fc.constantFrom('.example', '.localhost.evil.test'), port)
    .map(([scheme, name, domain, p]): [string, boolean] => [`${scheme}://${name}${domain}${p}`, false]),
  fc.constantFrom('null', 'file://', 'http://localhost.', 'http://127.0.0.1.evil.test', 'chrome-extension://abc').map((o): [string, boolean] => [o, false]),
);

const route = fc.constantFrom(
  { method: 'GET', path: PACKAGES, admin: false },
  { method: 'GET', path: '/_emulator/export', admin: true },
  { method: 'DELETE', path: '/_emulator/faults', admin: true },
  { method: 'POST', path: '/_emulator/reset', admin: true },
);

const site = fc.constantFrom(undefined, 'same-origin', 'same-site', 'cross-site', 'none');

/** The headers a page would send, and whether the admin guard refuses them for their Origin alone. */
function browserHeaders(hostHeader: string, [originHeader, originOk]: [string | undefined, boolean], fetchSite: string | undefined) {
  const headers: Record<string, string> = { ...AUTH, Host: hostHeader };
  if (originHeader !== undefined) headers['Origin'] = originHeader;
  if (fetchSite !== undefined) headers['Sec-Fetch-Site'] = fetchSite;
  const crossSiteWithoutOrigin = originHeader === undefined && fetchSite === 'cross-site';
  return { headers, originRefused: !originOk || crossSiteWithoutOrigin };
}

/** What every answer keeps to, whatever the mix: Graph's envelope, no 5xx, CORS never for a foreign origin, `null` or credentials. */
function expectSafe(res: RawAnswer, originOk: boolean): void {
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) expect(Object.keys(res.body)).toEqual(['error']);
  if (!originOk) expect(res.headers['access-control-allow-origin']).toBeUndefined();
  expect(res.headers['access-control-allow-origin']).not.toBe('null');
  expect(res.headers['access-control-allow-credentials']).toBeUndefined();
}

describe('browser-shaped requests on a real socket', () => {
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({ allowedHosts: ['graph'], fixtures: { fixtures: 'empty', seed: 1 } });
  });
  afterAll(() => emulator.close());

  it('are answered by the rules of host, origin and route', async () => {
    await fc.assert(
      fc.asyncProperty(host, origin, site, route, async ([hostHeader, kind], originCase, fetchSite, { method, path, admin }) => {
        const { headers, originRefused } = browserHeaders(hostHeader, originCase, fetchSite);
        const res = await send(emulator.port, { method, path, headers });
        expectSafe(res, originCase[1]);
        // A user name before '@' and a host that is no host[:port] are 400s of their own (requestHost.ts), any other
        // foreign name Misdirected.
        if (kind === 'invalid') expect(res.status).toBe(400);
        if (kind === 'foreign') expect(res.status).toBe(hostHeader.includes('@') ? 400 : 421);
        if ((kind === 'own' || kind === 'listed') && admin) expect(res.status === 403).toBe(originRefused);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('browser-shaped requests with ALLOWED_HOSTS=*', () => {
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({ allowedHosts: '*', fixtures: { fixtures: 'empty', seed: 1 } });
  });
  afterAll(() => emulator.close());

  it('reach an admin route only under the names the emulator is known by without *', async () => {
    await fc.assert(
      fc.asyncProperty(host, origin, site, route, async ([hostHeader, kind], originCase, fetchSite, { method, path, admin }) => {
        const { headers, originRefused } = browserHeaders(hostHeader, originCase, fetchSite);
        const res = await send(emulator.port, { method, path, headers });
        expectSafe(res, originCase[1]);
        expect(res.status).not.toBe(421);
        // A user name before '@', and a host that is no host[:port], are refused under any ALLOWED_HOSTS, before any
        // other rule (requestHost.ts).
        if (hostHeader.includes('@') || kind === 'invalid') return expect(res.status).toBe(400);
        // A page's request: an Origin, or a Sec-Fetch-Site other than a typed URL's `none`.
        const browser = originCase[0] !== undefined || (fetchSite !== undefined && fetchSite !== 'none');
        if (admin) expect(res.status === 403).toBe(originRefused || (browser && kind !== 'own'));
      }),
      { numRuns: RUNS },
    );
  });
});
