// The fault model-based test's commands (tests/http/faultModel.test.ts) as fast-check draws them: clients, requests,
// fault rules (statuses with Graph's or their own code and message, probabilities, latencies fixed, ranged or
// lognormal, every kind of drop), throttling profiles, X-Emulator-Fault headers, and reads of the journal.
import fc from 'fast-check';
import { TENANTS } from './graphModel.js';
import { type Client, DEFAULT_TENANT_ID, DROP_HEADER, PACKAGES_PATH, type Profile, type Rule } from './faultModel.js';
import { AppendRule, ClearFaults, ReadFaults, type Refusal, Refused, SetFaults, Wait } from './faultModelAdmin.js';
import { ClearJournal, ReadJournal } from './faultModelJournal.js';
import { Batch } from './faultModelBatch.js';
import { type Extra, type HeaderFault, type Kind, type Req, Retry, Send } from './faultModelRequests.js';

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
const req: fc.Arbitrary<Req> = fc
  .record({
    kind: fc.constantFrom<Kind>('get', 'get', 'head', 'offered', 'create', 'patch', 'delete', 'delete'),
    n: fc.nat(20),
    long: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, fc.constant(true)),
  })
  .map(({ long, ...r }) => (long && r.kind === 'patch' ? { ...r, long } : r));
/** A delay: fixed (no draw), a range (one draw) or lognormal (two draws), all of a few ms. */
const latency = fc.constantFrom(0, 1, { min: 0, max: 3 }, { min: 2, max: 2 }, { median: 1, sigma: 0.8, max: 4 });
/** Graph's code and message, or a rule's own in their place (docs/faults.md, `code`, `message`). */
const override = fc.record(
  {
    code: fc.constantFrom('Request_ResourceNotFound', 'serviceNotAvailable', 'x'.repeat(200)),
    message: fc.constantFrom('Try again.', 'Dépassé : « réessayez » 🚦 "quoted" </script>', 'm'.repeat(2000)),
  },
  { requiredKeys: [] },
);
/** A rule's effect: a status (phase before or after, with a latency or not), a latency alone, or a drop. */
const effect: fc.Arbitrary<Partial<Rule>> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(400, 401, 403, 404, 409, 412, 500, 502, 504), opt(override)).map(([status, o]) => ({ status, ...o })),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(429, 503), opt(fc.constantFrom(0, 1, 2, 5, 30)), opt(override))
      .map(([status, retryAfter, o]) => ({ status, retryAfter, ...o })),
  },
  { weight: 2, arbitrary: latency.map((l) => ({ latency: l })) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('reset' as const, 'empty' as const, 'malformed' as const, 'reset' as const, 'empty' as const, 'malformed' as const, 'hang' as const)
      .map((drop) => ({ drop, headers: { [DROP_HEADER]: 'yes' } })),
  },
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
    probability: opt(fc.constantFrom(0, 1, 0.2, 0.5, 0.5, 0.8)),
    slowness: latency,
    phase: opt(fc.constant('after' as const)),
    slow: fc.boolean(),
  })
  .map(({ effect: e, phase, slow, slowness, ...rest }) => {
    const fields = Object.fromEntries(Object.entries({ ...rest, ...e }).filter(([, v]) => v !== undefined)) as Rule;
    if (phase !== undefined && e.latency === undefined) fields.phase = phase;
    if ((e.status !== undefined || e.drop !== undefined) && slow) fields.latency = slowness;
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
/** An X-Emulator-Fault: a status (with a Retry-After, a code and message of its own, a phase, a delay), or a delay alone. */
const headerFault: fc.Arbitrary<HeaderFault> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(429 as const, 500 as const, 503 as const),
      opt(fc.constantFrom(0, 2)),
      fc.boolean(),
      // A header's value is Latin-1 text without `;`: a code and message of its own in ASCII.
      opt(
        fc.record(
          { code: fc.constantFrom('Throttled', 'activityLimitReached'), message: fc.constantFrom('Slow down.', 'Wait = "2 s", then retry') },
          { requiredKeys: [] },
        ),
      ),
      opt(fc.constantFrom({ min: 0, max: 3 }, { min: 1, max: 2 }, { min: 0, max: 0 })),
    )
    .map(([status, retryAfter, late, o, delay]) => ({
      status,
      ...(retryAfter === undefined || status === 500 ? {} : { retryAfter }),
      ...(late ? { phase: 'after' as const } : {}),
      ...o,
      ...(delay === undefined ? {} : { latency: delay }),
    })),
  // A delay alone, drawn from the header's own sequence.
  fc.constantFrom({ min: 0, max: 3 }, { min: 1, max: 2 }).map((latency) => ({ latency })),
);
/** Mostly nothing; now and then the header drop rules ask for, or an X-Emulator-Fault. */
const extra: fc.Arbitrary<Extra> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constant('drop' as const) },
  { weight: 2, arbitrary: headerFault },
);
/** A `$batch` item's request, now and then with an X-Emulator-Fault of its own. */
const item: fc.Arbitrary<Req> = fc
  .tuple(req, fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, headerFault))
  .map(([r, fault]) => (fault === undefined ? r : { ...r, fault }));
const statusFilter = fc.constantFrom('2xx', '4xx', '5xx', '429', '404', '201');

/** A rule that draws on most requests: a probability between 0 and 1, for any method and path or not. */
const drawing: fc.Arbitrary<Rule> = fc.tuple(rule, fc.constantFrom(0.1, 0.3, 0.5, 0.7, 0.9), fc.boolean()).map(([r, probability, any]) => {
  const { path: _p, method: _m, after: _a, every: _e, ...wide } = r;
  return { ...(any ? wide : r), probability };
});
/** A rule that drops the connection of any request carrying the header drop rules ask for, now and then or always. */
const dropping: fc.Arbitrary<Rule> = rule.filter((r) => r.drop !== undefined).map(({ path: _p, method: _m, after: _a, ...wide }) => wide);
const setFaults = (rules: fc.Arbitrary<Rule>) =>
  fc
    .tuple(
      fc.array(rules, { maxLength: 3 }),
      opt(tenant),
      fc.oneof({ weight: 2, arbitrary: fc.constant('keep' as const) }, fc.constant(null), { weight: 3, arbitrary: profile }),
    )
    .map(([rules, t, p]) => new SetFaults(t === undefined ? rules : rules.map(({ tenant: _, ...r }) => r), t, p));
const appendRule = (rules: fc.Arbitrary<Rule>) =>
  fc.tuple(rules, opt(tenant)).map(([r, t]) => new AppendRule(t === undefined ? r : (({ tenant: _, ...rest }) => rest)(r), t));

export const commands = [
  fc.constant(new Retry()),
  fc.constant(new Retry()),
  fc.tuple(client, req, extra).map(([c, r, e]) => new Send(c, r, e)),
  fc.tuple(client, req, extra).map(([c, r, e]) => new Send(c, r, e)),
  fc.tuple(client, req, extra).map(([c, r, e]) => new Send(c, r, e)),
  fc.tuple(client, fc.array(item, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([c, rs, chain]) => new Batch(c, rs, chain)),
  setFaults(rule),
  setFaults(rule),
  setFaults(drawing),
  appendRule(rule),
  appendRule(drawing),
  appendRule(dropping),
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
  fc
    .tuple(
      fc.constantFrom<Refusal>('no token', 'wrong token', 'other tenant', 'invalid'),
      tenant,
      fc.constantFrom('PUT' as const, 'POST' as const, 'DELETE' as const),
    )
    .map(([refusal, t, call]) => new Refused(refusal, t, call)),
];
