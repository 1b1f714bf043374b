// The requests of one tenant that is not the default one sent at once, its drop among them: Graph writes and reads
// through its token, resets, restores and baselines through ?tenant=, DELETE /_emulator/tenants/{tid}. As for the
// default tenant (concurrentSerialOrders.test.ts), whatever order the store's steps complete in, the answers and the
// tenant (or its absence) are those of one serial order of the same requests. CONCURRENCY_RUNS=n explores longer,
// CONCURRENCY_SEED replays a run.
import { beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { TenantStore } from '../../server/store/tenantStore.js';
import {
  EXPLORING,
  EXPLORING_TIMEOUT_MS,
  type Named,
  type Runner,
  adminSteps,
  assertSerialOrders,
  batchStep,
  dropStep,
  graphSteps,
  namedRecords,
} from '../support/concurrentRuns.js';
import { ScheduledStore } from '../support/scheduledStore.js';

const TENANT = 'worker-1';
const FIXTURES = { fixtures: 'small', seed: 42, referenceDate: '2026-11-01' } as const;

const choices = fc.oneof(
  { weight: 5, arbitrary: fc.oneof(...graphSteps) },
  { weight: 2, arbitrary: fc.oneof(...adminSteps) },
  { weight: 2, arbitrary: dropStep },
  { weight: 1, arbitrary: batchStep },
);

let named: Named;
let runner: Runner;

beforeAll(async () => {
  const store = new MemoryStore();
  named = await namedRecords(store, createApp({ store, fixtures: FIXTURES, journal: null }), TENANT);
  const serial = new MemoryStore();
  const concurrent = new ScheduledStore();
  const stores = { serial, concurrent };
  runner = {
    concurrent: { app: createApp({ store: concurrent, fixtures: FIXTURES, journal: null }), setScheduler: (s) => (concurrent.scheduler = s) },
    serial: { app: createApp({ store: serial, fixtures: FIXTURES, journal: null }) },
    async prepare(which) {
      // The tenant as every run starts it: the records named, and its baseline 'base' of them.
      const opened = await stores[which].tenants.open(TENANT, () => named.initial, 10);
      if (!opened.created) await opened.store.replaceAll(named.initial);
      await opened.store.saveBaseline('base');
    },
    tenantOf: (which) => stores[which].tenants.get(TENANT) as TenantStore | undefined,
  };
});

describe('requests of a tenant sent at once, its drop among them', () => {
  it(
    'leave, in whatever order the store steps complete, what one serial order of them leaves',
    () => assertSerialOrders(choices, runner, named, 20),
    EXPLORING ? EXPLORING_TIMEOUT_MS : undefined,
  );
});
