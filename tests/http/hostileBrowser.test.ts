// Random browser-shaped requests over real sockets (fast-check): Host names, Origins and Sec-Fetch-Site values
// a page, a rebound name or a sandboxed frame would send, against Graph and admin routes. Whatever the mix:
// a name that is not the emulator's is 421, a page from an origin not allowed by name never gets an admin route
// to answer, CORS never answers such an origin nor `null`, never with credentials, and never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AUTH, PACKAGES } from '../support/graph.js';
import { type RealServer, realServer, send } from '../support/realServer.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }).map((p) => (p === undefined ? '' : `:${p}`));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);

/** A Host header and whether the emulator answers it: by construction, not by the emulator's own rule. */
const host: fc.Arbitrary<[string, boolean]> = fc.oneof(
  fc
    .tuple(fc.constantFrom('localhost', 'LocalHost', 'app.localhost', '127.0.0.1', '127.1.2.3', '10.0.0.7', '[::1]', 'graph', 'GRAPH'), port)
    .map(([name, p]): [string, boolean] => [`${name}${p}`, true]),
  fc
    .tuple(label, fc.constantFrom('.example', '.evil.test', '.localhost.evil.test', '.127.0.0.1.nip.io'), port)
    .map(([name, domain, p]): [string, boolean] => [`${name}${domain}${p}`, false]),
  fc.constantFrom('graph.evil.test', 'localhost@evil.test', 'localhost:80:80', 'local host', '[::1', 'évil.test').map((h): [string, boolean] => [h, false]),
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

let emulator: RealServer;
beforeAll(async () => {
  emulator = await realServer({ allowedHosts: ['graph'], fixtures: { fixtures: 'empty', seed: 1 } });
});
afterAll(() => emulator.close());

describe('browser-shaped requests on a real socket', () => {
  it('are answered by the rules of host, origin and route', async () => {
    const site = fc.constantFrom(undefined, 'same-origin', 'same-site', 'cross-site', 'none');
    await fc.assert(
      fc.asyncProperty(host, origin, site, route, async ([hostHeader, hostOk], [originHeader, originOk], fetchSite, { method, path, admin }) => {
        const headers: Record<string, string> = { ...AUTH, Host: hostHeader };
        if (originHeader !== undefined) headers['Origin'] = originHeader;
        if (fetchSite !== undefined) headers['Sec-Fetch-Site'] = fetchSite;
        const res = await send(emulator.port, { method, path, headers });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(Object.keys(res.body)).toEqual(['error']);
        if (!hostOk) expect(res.status).toBe(421);
        const crossSiteWithoutOrigin = originHeader === undefined && fetchSite === 'cross-site';
        if (hostOk && admin) expect(res.status === 403).toBe(!originOk || crossSiteWithoutOrigin);
        if (!originOk) expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(res.headers['access-control-allow-origin']).not.toBe('null');
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });
});
