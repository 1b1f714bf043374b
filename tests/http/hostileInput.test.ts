// The emulator's own hostile-input suite: random OData queries, skiptokens, bodies and headers (fast-check) through
// the app. Whatever comes in: never a 5xx the client did not ask for (X-Emulator-Fault status=5xx), every 4xx in
// Graph's envelope, and no request that costs more CPU than a generous bound (tests/support/cpuTime.ts: a request
// that blocked the event loop would show here, in its own CPU time or the next one's).
// FUZZ_RUNS raises the number of cases per property; a failure prints the seed and path that replay it.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { cpuMsOf } from '../support/cpuTime.js';
import type { Answer } from '../support/graph.js';
import { PACKAGES } from '../support/graph.js';
import { authorization, body, faultHeader, queryString, skiptoken, text } from '../support/hostileInput.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const CATALOGS = '/beta/identityGovernance/entitlementManagement/accessPackageCatalogs';
/** Generous: the fuzzing itself, and the garbage collector, are counted with the request. */
const MOST_CPU_MS = 1_000;

const store = new MemoryStore(generateDataset({ seed: 3, accessPackages: 40, accessPackageCatalogs: 4 }));
const app = createApp({ store, faults: new FaultEngine({ seed: 1 }) });
const someId = store.list('accessPackages')[0]!.id;

/** Graph's envelope, exactly: https://learn.microsoft.com/graph/errors */
function expectEnvelope(res: Answer): void {
  expect(res.headers['content-type']).toBe('application/json');
  expect(Object.keys(res.body)).toEqual(['error']);
  // Entitlement management's own errors (InvalidFilter, UnAuthorized) carry `details: []`, as the live service's do.
  const withDetails = 'details' in res.body.error;
  expect(Object.keys(res.body.error)).toEqual(withDetails ? ['code', 'message', 'details', 'innerError'] : ['code', 'message', 'innerError']);
  if (withDetails) expect(res.body.error.details).toEqual([]);
  expect(typeof res.body.error.code).toBe('string');
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.innerError['request-id']).toBe(res.headers['request-id']);
}

/** Sends and checks one request, and the CPU it took; a 5xx is allowed only when `asked` says the client asked for one. */
async function checked(send: () => request.Test, asked = false): Promise<Answer> {
  const { value: res, cpuMs } = await cpuMsOf(send);
  expect(cpuMs).toBeLessThan(MOST_CPU_MS);
  if (!asked) expect(res.status).toBeLessThan(500);
  if (res.status >= 400) expectEnvelope(res);
  return res;
}

const property = <T>(arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<void>) => fc.assert(fc.asyncProperty(arbitrary, run), { numRuns: RUNS });

describe('hostile input never breaks the emulator', () => {
  it('OData queries on collections and items', async () => {
    const path = fc.constantFrom(PACKAGES, `${PACKAGES}/`, `${PACKAGES}/${someId}`, CATALOGS, `${PACKAGES.toUpperCase()}`);
    await property(fc.tuple(path, queryString), async ([where, query]) => {
      const res = await checked(() => request(app).get(`${where}?${query}`).set('Authorization', 'Bearer t'));
      if (res.status === 200) expect(res.body['@odata.context']).toMatch(/^https:\/\/graph\.microsoft\.com\/beta\/\$metadata#/);
    });
  });

  it('skiptokens, alone and beside an order', async () => {
    const order = fc.constantFrom('', '&$orderby=displayName', '&$orderby=isHidden desc,displayName', '&$orderby=createdDateTime');
    await property(fc.tuple(skiptoken, order), async ([token, orderby]) => {
      await checked(() =>
        request(app)
          .get(`${PACKAGES}?$skiptoken=${encodeURIComponent(token)}${orderby}`)
          .set('Authorization', 'Bearer t'),
      );
    });
  });

  it('bodies of creates and updates', async () => {
    const target = fc.constantFrom(
      ['post', PACKAGES],
      ['patch', `${PACKAGES}/${someId}`],
      ['post', CATALOGS],
      ['patch', `${PACKAGES}/missing`],
    ) as fc.Arbitrary<['post' | 'patch', string]>;
    await property(fc.tuple(target, body), async ([[method, path], [payload, type]]) => {
      await checked(() => request(app)[method](path).set('Authorization', 'Bearer t').set('Content-Type', type).send(payload));
    });
  });

  it('headers: tokens, page-size preferences, client ids and fault requests', async () => {
    const headers = fc.record({
      authorization,
      prefer: fc.oneof(
        fc.integer().map((n) => `odata.maxpagesize=${n}`),
        text(20),
      ),
      clientRequestId: fc.string({ maxLength: 40 }),
      fault: fc.option(faultHeader),
    });
    await property(headers, async (h) => {
      const send = () => {
        const req = request(app)
          .get(PACKAGES)
          .set('Authorization', h.authorization)
          .set('Prefer', h.prefer.replace(/[^\x20-\x7e]/g, ''))
          .set('client-request-id', h.clientRequestId);
        return h.fault === null ? req : req.set('X-Emulator-Fault', h.fault);
      };
      await checked(send, h.fault !== null && /status=5\d\d/.test(h.fault));
    });
  });

  it('admin bodies: fault rules and resets', async () => {
    const admin = createApp({ store: new MemoryStore(), faults: new FaultEngine({ seed: 1 }) });
    const rule = fc.record(
      {
        path: fc.oneof(fc.constantFrom('/beta/**', '/@(a|b)', '/{a,{b}}', '/[a-', '/*a*a*a*z'), text(30)),
        status: fc.jsonValue({ maxDepth: 0 }),
        latency: fc.jsonValue({ maxDepth: 1 }),
        retryAfter: fc.jsonValue({ maxDepth: 0 }),
        method: fc.jsonValue({ maxDepth: 0 }),
        drop: fc.constantFrom('reset', 'hang', 'never'),
      },
      { requiredKeys: [] },
    );
    const throttle = fc.record(
      { capacity: fc.jsonValue({ maxDepth: 0 }), refillPerSecond: fc.oneof(fc.double(), fc.jsonValue({ maxDepth: 0 })) },
      { requiredKeys: [] },
    );
    const change = fc.oneof(
      fc.tuple(
        fc.constant('put' as const),
        fc.constant('/_emulator/faults'),
        fc.record({ rules: fc.array(rule, { maxLength: 3 }), throttle }, { requiredKeys: [] }),
      ),
      fc.tuple(fc.constant('post' as const), fc.constant('/_emulator/faults'), fc.oneof(rule, fc.jsonValue({ maxDepth: 2 }))),
      fc.tuple(
        fc.constant('post' as const),
        fc.constant('/_emulator/reset'),
        fc.oneof(
          fc.record({ fixtures: fc.oneof(fc.constantFrom('empty', 'small', 'huge'), text(10)), seed: fc.jsonValue({ maxDepth: 0 }) }, { requiredKeys: [] }),
          fc.jsonValue({ maxDepth: 3 }),
        ),
      ),
    );
    await property(change, async ([method, path, payload]) => {
      await checked(() => request(admin)[method](path).set('Content-Type', 'application/json').send(JSON.stringify(payload)));
      await request(admin).delete('/_emulator/faults').expect(204);
    });
  });
});
