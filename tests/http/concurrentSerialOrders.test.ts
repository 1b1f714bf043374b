// A few Graph and admin requests of one tenant sent at once, their writes' durable steps completed in an order
// fast-check's scheduler picks (tests/support/scheduledStore.ts: the journal's queue, its group syncs, a reset's
// stored dataset, a baseline's files), must leave what one of the serial orders of the same requests leaves: each
// answer's status and error, each admin answer's body, and the whole store (tests/support/concurrentRuns.ts). A lost
// write, a record in two states, a role scope or a policy of a deleted package, a uniqueName taken twice, a reset or
// a restore mixed with a write, a 2xx for a write that is not stored: each is an outcome no serial order gives.
// CONCURRENCY_RUNS=n explores longer, CONCURRENCY_SEED replays a run.
import { beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import {
  EXPLORING,
  EXPLORING_TIMEOUT_MS,
  type Named,
  type Runner,
  adminSteps,
  assertSerialOrders,
  batchStep,
  graphSteps,
  namedRecords,
} from '../support/concurrentRuns.js';
import { ScheduledStore } from '../support/scheduledStore.js';

const choices = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(...graphSteps) },
  { weight: 2, arbitrary: fc.oneof(...adminSteps) },
  { weight: 1, arbitrary: batchStep },
);

let named: Named;
let runner: Runner;

beforeAll(async () => {
  const store = new MemoryStore();
  named = await namedRecords(store, createApp({ store, fixtures: { fixtures: 'small', seed: 42, referenceDate: '2026-11-01' }, journal: null }));
  const serial = new MemoryStore();
  const concurrent = new ScheduledStore();
  const stores = { serial, concurrent };
  runner = {
    concurrent: { app: createApp({ store: concurrent, journal: null }), setScheduler: (s) => (concurrent.scheduler = s) },
    serial: { app: createApp({ store: serial, journal: null }) },
    async prepare(which) {
      await stores[which].replaceAll(named.initial);
      await stores[which].saveBaseline('base');
    },
    tenantOf: (which) => stores[which],
  };
});

describe('requests of one tenant sent at once', () => {
  it(
    'leave, in whatever order the store steps complete, what one serial order of them leaves',
    () => assertSerialOrders(choices, runner, named, 30),
    EXPLORING ? EXPLORING_TIMEOUT_MS : undefined,
  );
});
