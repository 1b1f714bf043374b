// Model-based: random sequences of Graph requests (reads, HEADs, creates, updates, deletes of packages and
// filterByCurrentUser, alone, sent again as a retry, or in a `$batch`, by clients of several tenants with read-write,
// read-only or application tokens, or the OAuth endpoint's tokens of the client ids clientRoles names, now and then
// with an X-Emulator-Fault of their own) among changes of the fault rules (status faults with `after`/`every`/`times`/
// `probability`/`phase` and Graph's or their own code and message, latencies fixed, ranged or lognormal, every kind of
// dropped connection, for every tenant or one), refused changes (no ADMIN_TOKEN, another tenant, a bad rule), the
// throttling profile, the fault engine's clock, and reads and clears of the request journal, on an emulator of a random
// seed, journal size, JOURNAL=on or off and ADMIN_TOKEN or none. Each answer (status, Graph's envelope, Retry-After and
// the throttle headers, or the error Node's HTTP client or fetch reports for a dropped connection) and every journal
// entry (ids, order, status, tenant, the fault applied with its seeded delay, the token reduced to its claims, the
// bodies cut past their cap) is checked against a model (tests/support/faultModel.ts) of what docs/faults.md and
// docs/ci.md say the emulator does: which requests a probability fires for, and which delay each draws, are predicted
// from each tenant's seeded sequences (tests/support/faultModelDraws.ts).
//
// A failure prints fast-check's seed, path and replayPath; replay it with
//   FAULT_MODEL_SEED=<seed> FAULT_MODEL_PATH=<path> FAULT_MODEL_REPLAY=<replayPath> npm test -- tests/http/faultModel.test.ts
// and explore further with FAULT_MODEL_RUNS=2000 (without it the file runs a bounded number, in a few seconds);
// FAULT_MODEL_STATS=1 prints how many requests ended each way.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TENANTS, expectAdmin } from '../support/graphModel.js';
import { type FaultModel, CLIENT_ROLES, DEFAULT_TENANT_ID, MINTED, PACKAGES_PATH, TALLY, authOf, tenantKey } from '../support/faultModel.js';
import { ReadFaults } from '../support/faultModelAdmin.js';
import { commands } from '../support/faultModelCommands.js';
import { DRAWN, Draws } from '../support/faultModelDraws.js';
import { FaultEmulator, type Settings, expectJournalOff } from '../support/faultModelEmulator.js';
import { expectJournalSince } from '../support/faultModelJournal.js';

const EXPLORING = process.env['FAULT_MODEL_RUNS'] !== undefined;
const RUNS = EXPLORING ? Number(process.env['FAULT_MODEL_RUNS']) : 10;
const MAX_COMMANDS = EXPLORING ? 80 : 30;
const SEED = process.env['FAULT_MODEL_SEED'] === undefined ? undefined : Number(process.env['FAULT_MODEL_SEED']);
const PATH = process.env['FAULT_MODEL_PATH'];
const REPLAY = process.env['FAULT_MODEL_REPLAY'];

/** JOURNAL_SIZE, SEED, JOURNAL (mostly on) and ADMIN_TOKEN (or none). */
const settings: fc.Arbitrary<Settings> = fc
  .record({
    size: fc.integer({ min: 3, max: 30 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    journal: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
    adminToken: fc.option(fc.constant('correct horse battery staple'), { nil: undefined }),
  })
  .map(({ adminToken, ...rest }) => (adminToken === undefined ? rest : { ...rest, adminToken }));

/** The model's start: each tenant made by a read of its first packages, then the journal cleared. */
async function start(real: FaultEmulator, { size, seed }: Settings): Promise<{ model: FaultModel; counts: Map<string, number> }> {
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
  expectAdmin(await real.admin().post('/_emulator/reset'), 200);
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
  const cleared = await real.admin().delete('/_emulator/requests');
  if (real.settings.journal) expectAdmin(cleared, 204);
  else expectJournalOff(cleared);
  const tenants = await real.admin().get('/_emulator/tenants');
  const counts = new Map((tenants.body.value as Held[]).map((t) => [t.id, t.records.accessPackages]));
  const model: FaultModel = {
    now: 0,
    draws: new Draws(seed),
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
          settings,
          fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max', ...(REPLAY === undefined ? {} : { replayPath: REPLAY }) }),
          async (settings, cmds) => {
            const real = await FaultEmulator.create(settings);
            try {
              const { model, counts } = await start(real, settings);
              await fc.asyncModelRun(() => ({ model, real }), cmds);
              // The journal as a whole, the rules' counters, and every package each tenant holds.
              await expectJournalSince(model, real, 0);
              await new ReadFaults(undefined).run(model, real);
              const tenants = (await real.admin().get('/_emulator/tenants')).body.value as Held[];
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
          [...TALLY, ['(random draws)', DRAWN.count] as const]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => `${v}\t${k}`)
            .join('\n'),
        );
    },
    EXPLORING ? 3_700_000 : undefined,
  );
});
