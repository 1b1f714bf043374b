// Model-based: random sequences of Graph requests (reads, HEADs, creates, updates, deletes of packages and
// filterByCurrentUser, alone, sent again as a retry, or in a `$batch`, by clients of several tenants with read-write,
// read-only or application tokens, or the OAuth endpoint's tokens of the client ids clientRoles names) among changes of the
// fault rules (status faults with `after`/`every`/`times`/`probability`/`phase`, latencies, connection resets,
// for every tenant or one), the throttling profile, the fault engine's clock, and reads and clears of the request
// journal, each answer (status, Graph's envelope, Retry-After and the throttle headers) and every journal entry
// (ids, order, status, tenant, the fault applied, the token reduced to its claims) checked against a model
// (tests/support/faultModel.ts) of what docs/faults.md and docs/ci.md say the emulator does.
//
// A failure prints fast-check's seed, path and replayPath; replay it with
//   FAULT_MODEL_SEED=<seed> FAULT_MODEL_PATH=<path> FAULT_MODEL_REPLAY=<replayPath> npm test -- tests/http/faultModel.test.ts
// and explore further with FAULT_MODEL_RUNS=2000 (without it the file runs a bounded number, in a few seconds);
// FAULT_MODEL_STATS=1 prints how many requests ended each way.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TENANTS, expectAdmin } from '../support/graphModel.js';
import {
  type Client,
  DROP_HEADER,
  type FaultModel,
  PACKAGES_PATH,
  type Profile,
  type Rule,
  CLIENT_ROLES,
  DEFAULT_TENANT_ID,
  MINTED,
  TALLY,
  authOf,
  tenantKey,
} from '../support/faultModel.js';
import { AppendRule, ClearFaults, ReadFaults, SetFaults, Wait } from '../support/faultModelAdmin.js';
import { ClearJournal, FaultEmulator, ReadJournal, expectJournalSince } from '../support/faultModelJournal.js';
import { Batch } from '../support/faultModelBatch.js';
import { type Extra, type Kind, type Req, Retry, Send } from '../support/faultModelRequests.js';

const EXPLORING = process.env['FAULT_MODEL_RUNS'] !== undefined;
const RUNS = EXPLORING ? Number(process.env['FAULT_MODEL_RUNS']) : 10;
const MAX_COMMANDS = EXPLORING ? 80 : 30;
const SEED = process.env['FAULT_MODEL_SEED'] === undefined ? undefined : Number(process.env['FAULT_MODEL_SEED']);
const PATH = process.env['FAULT_MODEL_PATH'];
const REPLAY = process.env['FAULT_MODEL_REPLAY'];

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const tenant = fc.constantFrom(...TENANTS);
const crid = opt(fc.constantFrom('c1d2e3f4-0000-4000-8000-000000000001', 'c1d2e3f4-0000-4000-8000-000000000002'));
const client: fc.Arbitrary<Client> = fc
  .tuple(
    fc.oneof(
      fc.record({
        tid: tenant,
        kind: fc.oneof({ weight: 3, arbitrary: fc.constant('rw' as const) }, fc.constant('ro' as const), fc.constant('app' as const)),
      }),
      // The OAuth endpoint's tokens, for the default tenant, of the client ids CLIENT_ROLES names.
      fc.constantFrom('backend' as const, 'reporting' as const).map((kind) => ({ tid: DEFAULT_TENANT_ID, kind })),
    ),
    crid,
  )
  .map(([c, id]) => (id === undefined ? c : { ...c, crid: id }));
const req: fc.Arbitrary<Req> = fc.record({
  kind: fc.constantFrom<Kind>('get', 'get', 'head', 'offered', 'create', 'patch', 'delete', 'delete'),
  n: fc.nat(20),
});
/** A rule's effect: a status (phase before or after, with a latency or not), a latency alone, or a reset. */
const effect: fc.Arbitrary<Partial<Rule>> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(400, 401, 403, 404, 409, 412, 500, 502, 504).map((status) => ({ status })) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(429, 503), opt(fc.constantFrom(0, 1, 2, 5, 30))).map(([status, retryAfter]) => ({ status, retryAfter })),
  },
  { weight: 1, arbitrary: fc.constant({ latency: 1 }) },
  { weight: 1, arbitrary: fc.constant({ drop: 'reset' as const, headers: { [DROP_HEADER]: 'yes' } }) },
);
const rule: fc.Arbitrary<Rule> = fc
  .record({
    effect,
    name: opt(fc.constantFrom('outage', 'slow')),
    tenant: opt(tenant),
    method: opt(fc.constantFrom('GET' as const, 'POST' as const, 'PATCH' as const, 'DELETE' as const)),
    path: opt(
      fc.oneof(
        fc.constantFrom(PACKAGES_PATH, '/beta/**/accessPackages/*', PACKAGES_PATH.toUpperCase()),
        // One package the model knows, its key in one of three forms (made concrete when the rule is sent).
        fc.tuple(fc.nat(5), fc.nat(2)).map(([n, form]) => `PACKAGE:${n}:${form}`),
      ),
    ),
    after: opt(fc.nat(3)),
    every: opt(fc.integer({ min: 1, max: 3 })),
    times: opt(fc.integer({ min: 1, max: 3 })),
    probability: opt(fc.constantFrom(0 as const, 1 as const)),
    phase: opt(fc.constant('after' as const)),
    slow: fc.boolean(),
  })
  .map(({ effect: e, phase, slow, ...rest }) => {
    const fields = Object.fromEntries(Object.entries({ ...rest, ...e }).filter(([, v]) => v !== undefined)) as Rule;
    if (phase !== undefined && e.latency === undefined) fields.phase = phase;
    if (e.status !== undefined && slow) fields.latency = 1;
    return fields;
  });
const profile: fc.Arbitrary<Profile> = fc
  .record({
    capacity: fc.integer({ min: 1, max: 5 }),
    refillPerSecond: fc.constantFrom(0.5, 1, 3),
    tenant: opt(tenant),
    key: opt(fc.constant('client-request-id' as const)),
    headers: opt(fc.constant(false as const)),
  })
  .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as Profile);
/** Mostly nothing; now and then the header drop rules ask for, or an X-Emulator-Fault. */
const extra: fc.Arbitrary<Extra> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constant('drop' as const) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(429 as const, 500 as const, 503 as const), opt(fc.constantFrom(0, 2)), fc.boolean())
      .map(([status, retryAfter, late]) => ({
        status,
        ...(retryAfter === undefined || status === 500 ? {} : { retryAfter }),
        ...(late ? { phase: 'after' as const } : {}),
      })),
  },
);
const statusFilter = fc.constantFrom('2xx', '4xx', '5xx', '429', '404', '201');

const setFaults = fc
  .tuple(
    fc.array(rule, { maxLength: 3 }),
    opt(tenant),
    fc.oneof({ weight: 2, arbitrary: fc.constant('keep' as const) }, fc.constant(null), { weight: 3, arbitrary: profile }),
  )
  .map(([rules, t, p]) => new SetFaults(t === undefined ? rules : rules.map(({ tenant: _, ...r }) => r), t, p));
const appendRule = fc.tuple(rule, opt(tenant)).map(([r, t]) => new AppendRule(t === undefined ? r : (({ tenant: _, ...rest }) => rest)(r), t));

const commands = [
  fc.constant(new Retry()),
  fc.constant(new Retry()),
  fc.tuple(client, req, extra).map(([c, r, e]) => new Send(c, r, e)),
  fc.tuple(client, req, extra).map(([c, r, e]) => new Send(c, r, e)),
  fc.tuple(client, req, extra).map(([c, r, e]) => new Send(c, r, e)),
  fc.tuple(client, fc.array(req, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([c, rs, chain]) => new Batch(c, rs, chain)),
  setFaults,
  setFaults,
  appendRule,
  appendRule,
  opt(tenant).map((t) => new ClearFaults(t)),
  opt(tenant).map((t) => new ReadFaults(t)),
  fc.constantFrom(200, 1000, 3000, 11_000).map((ms) => new Wait(ms)),
  fc
    .record({
      method: opt(fc.constantFrom('GET', 'head', 'post', 'PATCH', 'DELETE')),
      path: opt(fc.constantFrom(PACKAGES_PATH, '/beta/**/accessPackages/*', PACKAGES_PATH.toUpperCase())),
      status: opt(statusFilter),
      tenant: opt(tenant),
      since: opt(fc.nat(40)),
      limit: opt(fc.integer({ min: 1, max: 6 })),
      pathOf: opt(fc.nat(40)),
    })
    .map((f) => new ReadJournal(Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)))),
  opt(tenant).map((t) => new ClearJournal(t)),
];

/** The model's start: each tenant made by a read of its first packages, then the journal cleared. */
async function start(real: FaultEmulator, size: number): Promise<{ model: FaultModel; counts: Map<string, number> }> {
  for (const id of Object.keys(CLIENT_ROLES)) {
    const form = { grant_type: 'client_credentials', client_id: id, client_secret: 'any', scope: 'https://graph.microsoft.com/.default' };
    const res = await real.api().post(`/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`).type('form').send(form);
    expect(res.status).toBe(200);
    MINTED.set(id, res.body.access_token as string);
  }
  // Without a `*` entry, a client CLIENT_ROLES does not name gets no token, as Entra ID refuses an unknown application.
  const unknown = { grant_type: 'client_credentials', client_id: 'stranger', client_secret: 'any', scope: 'https://graph.microsoft.com/.default' };
  const refused = await real.api().post(`/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`).type('form').send(unknown);
  expect([refused.status, refused.body.error]).toEqual([400, 'unauthorized_client']);
  // The default tenant holds what the store holds (nothing, in memory) until a reset gives it the fixtures.
  expectAdmin(await real.api().post('/_emulator/reset'), 200);
  const packages = new Map<string, string[]>();
  let reads = 0;
  for (const tid of new Set(TENANTS.map(tenantKey))) {
    const res = await real
      .api()
      .get(`${PACKAGES_PATH}?$top=3&$select=id`)
      .set(authOf({ tid, kind: 'rw' }));
    expect(res.status).toBe(200);
    packages.set(
      tid,
      (res.body.value as { id: string }[]).map((p) => p.id),
    );
    reads += 1;
  }
  expectAdmin(await real.api().delete('/_emulator/requests'), 204);
  const tenants = await real.api().get('/_emulator/tenants');
  const counts = new Map((tenants.body.value as Held[]).map((t) => [t.id, t.records.accessPackages]));
  const model: FaultModel = {
    now: 0,
    rules: [],
    profile: undefined,
    buckets: new Map(),
    pending: new Map(),
    journal: [],
    size,
    lastId: reads,
    packages,
    unseen: new Map(),
  };
  return { model, counts };
}
type Held = { id: string; records: { accessPackages: number } };

describe('fault injection, throttling and the request journal against a model', () => {
  it(
    'answers every random sequence of requests and fault changes as the model predicts',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 3, max: 30 }),
          fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max', ...(REPLAY === undefined ? {} : { replayPath: REPLAY }) }),
          async (size, cmds) => {
            const real = await FaultEmulator.create(size);
            try {
              const { model, counts } = await start(real, size);
              await fc.asyncModelRun(() => ({ model, real }), cmds);
              // The journal as a whole, the rules' counters, and every package each tenant holds.
              await expectJournalSince(model, real, 0);
              await new ReadFaults(undefined).run(model, real);
              const tenants = (await real.api().get('/_emulator/tenants')).body.value as Held[];
              for (const [tid, known] of model.packages) {
                const made = known.length - 3 + (model.unseen.get(tid) ?? 0);
                expect([tid, tenants.find((t) => t.id === tid)!.records.accessPackages]).toEqual([tid, counts.get(tid)! + made]);
              }
            } finally {
              await real.close();
            }
          },
        ),
        {
          numRuns: RUNS,
          ...(SEED === undefined ? {} : { seed: SEED }),
          ...(PATH === undefined ? {} : { path: PATH, endOnFailure: true }),
          ...(EXPLORING ? { interruptAfterTimeLimit: 3_600_000 } : {}),
        },
      );
      if (process.env['FAULT_MODEL_STATS'] !== undefined)
        console.log(
          [...TALLY]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => `${v}\t${k}`)
            .join('\n'),
        );
    },
    EXPLORING ? 3_700_000 : undefined,
  );
});
