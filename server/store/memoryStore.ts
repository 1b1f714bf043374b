// The in-memory store (DATA_FILE=:memory:): same semantics as the file store, nothing on disk.
import { type Baseline, Baselines, StoreWithBaselines } from './baselines.js';
import { Collections } from './collections.js';
import { shiftDates } from './dateShift.js';
import type { CollectionName, Dataset, EntityOf, Store } from './types.js';

export class MemoryStore extends StoreWithBaselines implements Store {
  readonly location = ':memory:';
  /** Nothing is written, so nothing fails. */
  readonly problem = undefined;
  protected readonly baselines = new Baselines();

  constructor(dataset?: Dataset) {
    super(new Collections(dataset));
  }

  async create<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<void> {
    this.state.of(collection).insert(record);
  }

  async update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean> {
    return this.state.of(collection).replace(record);
  }

  async remove(collection: CollectionName, id: string): Promise<boolean> {
    return this.state.of(collection).delete(id);
  }

  async replaceAll(dataset: Dataset, shiftMs = 0): Promise<void> {
    this.state.replaceAll(shiftDates(dataset, shiftMs));
  }

  protected async datasetOf(baseline: Baseline): Promise<Dataset> {
    // Saved here, so always in memory.
    return baseline.dataset!;
  }

  async close(): Promise<void> {}
}
