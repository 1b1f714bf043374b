// Named baselines: copies of a store's whole state saved under a name to be put back later in one step
// (PUT/GET/DELETE /_emulator/snapshots/{name}, POST …/restore). Both stores keep them here, with the same
// limits; the file store makes each change durable through `persist` before it is visible (fileStore.ts keeps
// them beside the data file, so they survive restarts).
import { perCollection } from '../collections.js';
import { serializeDataset } from './dataFileFormat.js';
import { StateReads } from './stateReads.js';
import { type BaselineInfo, StoreError } from './store.js';
import type { CollectionName, Dataset } from './records.js';

export type { BaselineInfo };

export interface Baseline {
  info: BaselineInfo;
  /** Its records; undefined until first needed for a baseline read back from disk. */
  dataset: Dataset | undefined;
  /** The stored dataset holding it (datasetFiles.ts), for the file store. */
  id?: string;
}

/** Baselines one store keeps. */
export const MAX_BASELINES = 20;
/** A baseline's size in the data file format: what a reset body may hold (admin/data.ts), so any baseline can be exported and posted back. */
const MAX_BASELINE_BYTES = 32 * 1024 * 1024;
/** Letters, digits, '.', '_' and '-', starting with a letter or a digit: a URL segment that needs no encoding. */
export const BASELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** How the file store makes a change durable before it is applied; `next` is the list as it will be. */
export interface BaselinePersistence {
  saved(baseline: Baseline, text: string, next: readonly Baseline[], replaced: Baseline | undefined): Promise<void>;
  removed(baseline: Baseline, next: readonly Baseline[]): Promise<void>;
}

const IN_MEMORY: BaselinePersistence = { saved: async () => undefined, removed: async () => undefined };

function recordCounts(dataset: Dataset): Record<CollectionName, number> {
  return perCollection((name) => dataset[name].length);
}

export class Baselines {
  private readonly byName = new Map<string, Baseline>();
  /** Changes go one at a time: each persists the list as the one before left it. */
  private changes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly persist: BaselinePersistence = IN_MEMORY,
    loaded: readonly Baseline[] = [],
    private readonly limits = { count: MAX_BASELINES, bytes: MAX_BASELINE_BYTES },
  ) {
    for (const baseline of loaded) this.byName.set(baseline.info.name, baseline);
  }

  /** In the order they were first saved. */
  list(): BaselineInfo[] {
    return [...this.byName.values()].map((b) => b.info);
  }

  all(): Baseline[] {
    return [...this.byName.values()];
  }

  get(name: string): Baseline | undefined {
    return this.byName.get(name);
  }

  /**
   * Save `dataset` as `name`, replacing a baseline of that name; rejects with StoreError('quota') past a limit. A
   * function is called for the data in its turn, after the changes and restores asked before (the store's state then).
   */
  save(name: string, data: Dataset | (() => Dataset), now = new Date()): Promise<{ baseline: BaselineInfo; replaced: boolean }> {
    return this.oneAtATime(async () => {
      const dataset = typeof data === 'function' ? data() : data;
      const replaced = this.byName.get(name);
      if (replaced === undefined && this.byName.size >= this.limits.count) {
        throw new StoreError(
          'quota',
          `At most ${this.limits.count} baselines are kept: delete one (DELETE /_emulator/snapshots/{name}) before saving '${name}'.`,
        );
      }
      const text = serializeDataset(dataset);
      const bytes = Buffer.byteLength(text);
      if (bytes > this.limits.bytes) {
        // In bytes, which tell apart a size a byte over the limit; in MB to read at a glance.
        const size = (n: number) => `${n.toLocaleString('en-US')} bytes (${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 3 : 1)} MiB)`;
        throw new StoreError('quota', `The data is ${size(bytes)} in the data file format; a baseline holds at most ${size(this.limits.bytes)}.`);
      }
      const baseline: Baseline = { info: { name, createdDateTime: now.toISOString(), records: recordCounts(dataset) }, dataset };
      const next = new Map(this.byName).set(name, baseline);
      await this.persist.saved(baseline, text, [...next.values()], replaced);
      this.byName.set(name, baseline);
      return { baseline: baseline.info, replaced: replaced !== undefined };
    });
  }

  /** False when there is none of that name. */
  remove(name: string): Promise<boolean> {
    return this.oneAtATime(async () => {
      const baseline = this.byName.get(name);
      if (baseline === undefined) return false;
      const next = new Map(this.byName);
      next.delete(name);
      await this.persist.removed(baseline, [...next.values()]);
      this.byName.delete(name);
      return true;
    });
  }

  /**
   * `use` the baseline `name` in its turn, after the saves and deletes asked before (its answer: undefined when there
   * is none), while those asked after wait: a restore then puts back the baseline they leave, and a save asked
   * during it saves what it put in place, as in a serial order of them.
   */
  restore(name: string, use: (baseline: Baseline) => Promise<void>): Promise<BaselineInfo | undefined> {
    return this.oneAtATime(async () => {
      const baseline = this.byName.get(name);
      if (baseline === undefined) return undefined;
      await use(baseline);
      return baseline.info;
    });
  }

  private oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changes.then(change);
    this.changes = run.catch(() => undefined);
    return run;
  }
}

/** The baseline methods of the Store interface, the same for both stores: saved from their state, restored with replaceAll. */
export abstract class StoreWithBaselines extends StateReads {
  protected abstract readonly baselines: Baselines;

  abstract replaceAll(dataset: Dataset, shiftMs?: number): Promise<void>;

  /** The records of a baseline whose dataset is not in memory yet (one the file store read back at start). */
  protected abstract datasetOf(baseline: Baseline): Promise<Dataset>;

  saveBaseline(name: string): Promise<{ baseline: BaselineInfo; replaced: boolean }> {
    return this.baselines.save(name, () => this.snapshot());
  }

  listBaselines(): BaselineInfo[] {
    return this.baselines.list();
  }

  restoreBaseline(name: string): Promise<BaselineInfo | undefined> {
    return this.baselines.restore(name, async (baseline) => {
      baseline.dataset ??= await this.datasetOf(baseline);
      await this.replaceAll(baseline.dataset);
    });
  }

  removeBaseline(name: string): Promise<boolean> {
    return this.baselines.remove(name);
  }
}
