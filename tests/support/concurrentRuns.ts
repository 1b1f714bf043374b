// The requests the concurrency properties send (tests/http/concurrentSerialOrders.test.ts,
// concurrentTenantOrders.test.ts), and the check they share: the outcome of the requests sent at once, the store's
// steps completed in the scheduler's order (scheduledStore.ts), is one that a serial order of them gives.
import { expect } from '@jest/globals';
import fc from 'fast-check';
import type { createApp } from '../../server/app.js';
import type { Dataset } from '../../server/store/records.js';
import type { Store } from '../../server/store/store.js';
import { CATALOGS, PACKAGES, POLICIES } from './graph.js';
import { type Answered, type Sent, sendInProcess } from './inProcessRequests.js';
import { type Outcome, outcomeOf } from './serialOutcomes.js';
import { READ_WRITE, bearer, unsignedJwt } from './tokens.js';

export type App = ReturnType<typeof createApp>;

/** CONCURRENCY_RUNS=n explores longer (and orders up to five requests); CONCURRENCY_SEED and CONCURRENCY_PATH replay a failure. */
export const EXPLORING = process.env['CONCURRENCY_RUNS'] !== undefined;
/** Jest's time for a property that explores: fast-check's own limit (propertyLimits.ts) is lifted too. */
export const EXPLORING_TIMEOUT_MS = 3_600_000;
const SEED = process.env['CONCURRENCY_SEED'] === undefined ? undefined : Number(process.env['CONCURRENCY_SEED']);
const PATH = process.env['CONCURRENCY_PATH'];
/** Requests a run orders, a $batch's items counted one by one: a serial order is sent for each of their orders. */
const MAX_UNITS = EXPLORING ? 5 : 4;

/** The records the requests name, picked from the small set (the tenant a run's requests reach). */
export interface Named {
  initial: Dataset;
  /** A package with a role scope, a package of the same catalog, a package of another catalog. */
  packages: [string, string, string];
  catalogs: { own: string; other: string; empty: string; General: string };
  role: string;
  scope: string;
  /** The tenant the requests reach: undefined for the default one. */
  tenant: string | undefined;
}

/** A request of a run, built from its place in the run (so that what it names is its own). */
export type Step = (n: number, named: Named) => Sent;

/** The small set (which a new tenant starts from) and an empty catalog, and the records the requests name. */
export async function namedRecords(store: Store, app: App, tenant?: string): Promise<Named> {
  expect((await sendInProcess(app, { method: 'POST', url: '/_emulator/reset' })).status).toBe(200);
  const roleScope = store.list('accessPackageResourceRoleScopes')[0]!;
  const first = store.get('accessPackages', roleScope.accessPackageId)!;
  const sibling = store.list('accessPackages').find((p) => p.catalogId === first.catalogId && p.id !== first.id)!;
  const stranger = store.list('accessPackages').find((p) => p.catalogId !== first.catalogId)!;
  const general = store.list('accessPackageCatalogs').find((c) => c.catalogType === 'ServiceDefault')!;
  const empty = await sendInProcess(app, { method: 'POST', url: CATALOGS, body: { displayName: 'Empty' } });
  expect(empty.status).toBe(201);
  return {
    initial: store.snapshot(),
    packages: [first.id, sibling.id, stranger.id],
    catalogs: { own: first.catalogId!, other: stranger.catalogId!, empty: empty.body.id, General: general.id },
    role: roleScope.accessPackageResourceRoleId,
    scope: roleScope.accessPackageResourceScopeId,
    tenant,
  };
}

const graphPackage = (id: string) => `https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages/${id}`;
const pkg = fc.integer({ min: 0, max: 2 });
const catalog = fc.constantFrom('own' as const, 'other' as const, 'empty' as const, 'General' as const);
const unique = fc.boolean();

/** A Graph request of the run's tenant: its token names the tenant. */
function graph(named: Named, sent: Sent): Sent {
  return named.tenant === undefined ? sent : { ...sent, authorization: bearer(unsignedJwt({ tid: named.tenant, scp: READ_WRITE })).Authorization };
}

export const graphSteps: fc.Arbitrary<Step>[] = [
  fc.tuple(catalog, unique).map(
    ([c, u]): Step =>
      (n, named) =>
        graph(named, {
          method: 'POST',
          url: PACKAGES,
          body: { displayName: `Package ${n}`, catalogId: named.catalogs[c], ...(u ? { uniqueName: 'shared-package' } : {}) },
        }),
  ),
  unique.map(
    (u): Step =>
      (n, named) =>
        graph(named, { method: 'POST', url: CATALOGS, body: { displayName: `Catalog ${n}`, ...(u ? { uniqueName: 'shared-catalog' } : {}) } }),
  ),
  fc.tuple(pkg, unique).map(
    ([p, u]): Step =>
      (n, named) =>
        graph(named, {
          method: 'PATCH',
          url: `${PACKAGES}/${named.packages[p]}`,
          body: u ? { uniqueName: 'shared-package' } : { description: `Patched by ${n}` },
        }),
  ),
  pkg.map(
    (p): Step =>
      (_n, named) =>
        graph(named, { method: 'DELETE', url: `${PACKAGES}/${named.packages[p]}` }),
  ),
  catalog.map(
    (c): Step =>
      (_n, named) =>
        graph(named, { method: 'DELETE', url: `${CATALOGS}/${named.catalogs[c]}` }),
  ),
  pkg.map(
    (p): Step =>
      (n, named) =>
        graph(named, { method: 'POST', url: POLICIES, body: { accessPackageId: named.packages[p], displayName: `Policy ${n}` } }),
  ),
  pkg.map(
    (p): Step =>
      (_n, named) =>
        graph(named, {
          method: 'POST',
          url: `${PACKAGES}/${named.packages[p]}/accessPackageResourceRoleScopes`,
          body: { accessPackageResourceRole: { id: named.role }, accessPackageResourceScope: { id: named.scope } },
        }),
  ),
  fc.tuple(pkg, pkg).map(
    ([p, q]): Step =>
      (_n, named) =>
        graph(named, {
          method: 'POST',
          url: `${PACKAGES}/${named.packages[p]}/incompatibleAccessPackages/$ref`,
          body: { '@odata.id': graphPackage(named.packages[q]!) },
        }),
  ),
  fc.tuple(pkg, pkg).map(
    ([p, q]): Step =>
      (_n, named) =>
        graph(named, { method: 'DELETE', url: `${PACKAGES}/${named.packages[p]}/incompatibleAccessPackages/${named.packages[q]}/$ref` }),
  ),
  fc.constant(
    (_n: number, named: Named): Sent =>
      graph(named, { method: 'DELETE', url: `${PACKAGES}/${named.packages[0]}/accessPackageResourceRoleScopes/${named.role}_${named.scope}` }),
  ),
  fc.tuple(pkg, catalog).map(
    ([p, c]): Step =>
      (_n, named) =>
        graph(named, {
          method: 'POST',
          url: `${PACKAGES}/${named.packages[p]}/moveToCatalog`,
          body: { catalogId: named.catalogs[c] },
        }),
  ),
];

/** `?tenant=` for the run's tenant. */
const ofTenant = (named: Named) => (named.tenant === undefined ? '' : `?tenant=${named.tenant}`);

export const adminSteps: fc.Arbitrary<Step>[] = [
  fc.constant((_n: number, named: Named): Sent => ({ method: 'POST', url: `/_emulator/reset${ofTenant(named)}`, body: named.initial })),
  fc.constant((_n: number, named: Named): Sent => ({ method: 'POST', url: `/_emulator/snapshots/base/restore${ofTenant(named)}` })),
  fc.constant((_n: number, named: Named): Sent => ({ method: 'PUT', url: `/_emulator/snapshots/base${ofTenant(named)}` })),
  fc.constant((_n: number, named: Named): Sent => ({ method: 'DELETE', url: `/_emulator/snapshots/base${ofTenant(named)}` })),
];

/** The run's tenant dropped (DELETE /_emulator/tenants/{tid}); its next Graph request adds it again, from the fixtures. */
export const dropStep = fc.constant((_n: number, named: Named): Sent => ({ method: 'DELETE', url: `/_emulator/tenants/${named.tenant}` }));

/**
 * Two Graph requests as the items of one $batch, which start together. Graph runs the items of a batch without
 * dependsOn in any order, each a request of its own (https://learn.microsoft.com/graph/json-batching): the serial
 * orders are those of the items, each sent alone.
 */
export const batchStep = fc.tuple(fc.oneof(...graphSteps), fc.oneof(...graphSteps)).map(
  ([a, b]): Step =>
    (n, named) => {
      const items = [a(n * 10 + 1, named), b(n * 10 + 2, named)];
      return {
        method: 'POST',
        url: '/beta/$batch',
        ...(items[0]!.authorization === undefined ? {} : { authorization: items[0]!.authorization }),
        items,
        body: {
          requests: items.map((item, i) => ({
            id: String(i + 1),
            method: item.method,
            url: item.url.replace('/beta', ''),
            ...(item.body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: item.body }),
          })),
        },
      };
    },
);

/** The requests a serial order orders: each request, a $batch's items each alone. */
export function unitsOf(sent: readonly Sent[]): Sent[] {
  return sent.flatMap((one) => one.items ?? [one]);
}

/** The answers of the units: a $batch's (200) answer split into its items' answers, in the order of its items. */
function unitAnswers(sent: readonly Sent[], answers: readonly Answered[]): Answered[] {
  return sent.flatMap((one, i) => {
    const answer = answers[i]!;
    if (one.items === undefined) return [answer];
    expect(answer.status).toBe(200);
    const byId = new Map((answer.body.responses as { id: string; status: number; body?: unknown }[]).map((item) => [item.id, item]));
    return one.items.map((_, j) => {
      const item = byId.get(String(j + 1))!;
      return { status: item.status, body: item.body };
    });
  });
}

/** The requests of a run, no more than MAX_UNITS of them for the serial orders. */
function sentOf(steps: fc.Arbitrary<Step[]>, named: Named): fc.Arbitrary<Sent[]> {
  return steps.map((run) => run.map((step, n) => step(n, named))).filter((sent) => unitsOf(sent).length <= MAX_UNITS);
}

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** How a property runs: the store and app of the concurrent runs and of the serial ones, and how each starts. */
export interface Runner {
  concurrent: { app: App; setScheduler(s: fc.Scheduler | undefined): void };
  serial: { app: App };
  /** Puts a store (the concurrent or the serial one) back as every run starts. */
  prepare(which: 'concurrent' | 'serial'): Promise<void>;
  /** The tenant's store, after the run; undefined when the run dropped it. */
  tenantOf(which: 'concurrent' | 'serial'): Store | undefined;
}

/** Sends the requests at once, each started and each store step completed when the scheduler picks it. */
async function sentTogether(runner: Runner, sent: readonly Sent[], s: fc.Scheduler): Promise<Answered[]> {
  await runner.prepare('concurrent');
  runner.concurrent.setScheduler(s);
  try {
    const all = sent.map((one, i) =>
      s.schedule(Promise.resolve(), `send ${i}: ${one.method} ${one.url}`).then(() => sendInProcess(runner.concurrent.app, one)),
    );
    return await s.waitFor(Promise.all(all));
  } finally {
    runner.concurrent.setScheduler(undefined);
  }
}

/** Fails unless the outcome of the requests sent at once is that of one of their serial orders. */
async function expectSomeSerialOrder(runner: Runner, named: Named, sent: readonly Sent[], s: fc.Scheduler): Promise<void> {
  const units = unitsOf(sent);
  const answers = unitAnswers(sent, await sentTogether(runner, sent, s));
  const seen = outcomeOf(units, answers, runner.tenantOf('concurrent'), named.initial);
  const allowed: Outcome[] = [];
  for (const order of permutations(units.map((_, i) => i))) {
    await runner.prepare('serial');
    const serialAnswers: Answered[] = [];
    for (const i of order) serialAnswers[i] = await sendInProcess(runner.serial.app, units[i]!);
    allowed.push(outcomeOf(units, serialAnswers, runner.tenantOf('serial'), named.initial));
  }
  if (allowed.some((outcome) => JSON.stringify(outcome) === JSON.stringify(seen))) return;
  // The first serial order, for a readable difference; the scheduler's report says in which order the steps ran.
  expect({ seen, steps: s.report().map((task) => task.label) }).toEqual({ seen: allowed[0], steps: [] });
}

/**
 * The property: runs of two to four of `choices`, each sent at once and compared with its serial orders; `runs` of
 * them in the suite (CONCURRENCY_RUNS in its place). A promise left rejected unhandled meanwhile fails the test:
 * jest reports it as the running test's failure (a listener on the test's `process`, jest's copy of the worker's,
 * would never hear it).
 */
export async function assertSerialOrders(choices: fc.Arbitrary<Step>, runner: Runner, named: Named, runs: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(sentOf(fc.array(choices, { minLength: 2, maxLength: 4 }), named), fc.scheduler(), async (sent, s) => {
      await expectSomeSerialOrder(runner, named, sent, s);
    }),
    {
      numRuns: EXPLORING ? Number(process.env['CONCURRENCY_RUNS']) : runs,
      ...(SEED === undefined ? {} : { seed: SEED }),
      ...(PATH === undefined ? {} : { path: PATH, endOnFailure: true }),
      ...(EXPLORING ? { interruptAfterTimeLimit: EXPLORING_TIMEOUT_MS } : {}),
    },
  );
}
