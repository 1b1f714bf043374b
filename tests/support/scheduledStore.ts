// A store whose durable steps a fast-check scheduler (fc.scheduler()) completes, in whatever order it picks: the
// tests of concurrent requests (tests/http/concurrentSerialOrders.test.ts) use it to meet every interleaving of a
// few requests' writes rather than the one fixed delays give. It keeps the file store's order of events
// (server/store/fileStore.ts, journal.ts): a write waits in the journal's queue; a sync makes all the writes queued
// before it durable at once (group commit), and their commits run in the order they were asked, each before the
// next one's; a reset stores its dataset first, then queues its entry; a baseline's dataset and then the list are
// written. Each of those waits is a task of the scheduler. Without a scheduler every step is done at once.
import type fc from 'fast-check';
import { Baselines } from '../../server/store/baselines.js';
import { Collections } from '../../server/store/collections.js';
import type { JournalLine } from '../../server/store/journalLines.js';
import { type Persistence, TenantSet } from '../../server/store/tenants.js';
import { TenantStore } from '../../server/store/tenantStore.js';
import type { Dataset } from '../../server/store/records.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';

interface Queued {
  label: string;
  commit: () => void;
  resolve: () => void;
}

class ScheduledPersistence implements Persistence {
  scheduler: fc.Scheduler | undefined;
  private queue: Queued[] = [];
  private draining = false;
  readonly writeProblem = undefined;

  /** One wait on the disk: a task the scheduler completes when it picks it. */
  private step(label: string): Promise<void> {
    return this.scheduler === undefined ? Promise.resolve() : this.scheduler.schedule(Promise.resolve(), label);
  }

  private enqueue(label: string, commit: () => void): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ label, commit, resolve });
      if (!this.draining) void this.drain();
    });
  }

  /** The journal's loop: what is queued goes in one sync, then each is committed and acknowledged in turn. */
  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      await this.step(`sync ${batch.map((q) => q.label).join(', ')}`);
      for (const queued of batch) {
        queued.commit();
        queued.resolve();
      }
    }
    this.draining = false;
  }

  async persist(entry: JournalLine, commit: () => void): Promise<void> {
    await this.enqueue(entry.op === 'batch' ? `batch of ${entry.changes.length}` : `${entry.op}${'c' in entry ? ` ${entry.c}` : ''}`, commit);
  }

  async persistReset(tenant: string, _dataset: Dataset, _shiftMs: number, commit: () => void): Promise<void> {
    await this.step(`store the dataset of a reset of ${tenant}`);
    await this.enqueue(`reset ${tenant}`, commit);
  }

  async forget(tenant: string): Promise<void> {
    await this.step(`forget ${tenant}`);
  }

  baselinesOf(tenant: string, check: () => void): Baselines {
    return new Baselines({
      saved: async (baseline) => {
        await this.step(`store the dataset of baseline ${baseline.info.name} of ${tenant}`);
        check();
        await this.step(`list baseline ${baseline.info.name} of ${tenant}`);
      },
      removed: async (baseline) => {
        check();
        await this.step(`unlist baseline ${baseline.info.name} of ${tenant}`);
      },
    });
  }

  async readBaseline(): Promise<Dataset> {
    throw new Error('Every baseline of a scheduled store is in memory.');
  }

  async release(): Promise<void> {}
}

/** The default tenant's store over a ScheduledPersistence; `scheduler` is set for a run, and cleared after it. */
export class ScheduledStore extends TenantStore {
  private readonly persistence: ScheduledPersistence;

  constructor(dataset?: Dataset) {
    super(new TenantSet(':memory:'), DEFAULT_TENANT_ID, new Collections(dataset));
    this.persistence = new ScheduledPersistence();
    this.tenants.attach(this.persistence, this);
  }

  set scheduler(scheduler: fc.Scheduler | undefined) {
    this.persistence.scheduler = scheduler;
  }
}
