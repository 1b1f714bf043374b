// The in-memory store (DATA_FILE=:memory:): same semantics as the file store, nothing on disk.
import { Collections } from './collections.js';
import { StateReads } from './stateReads.js';
import type { CollectionName, Dataset, EntityOf, Store } from './types.js';

export class MemoryStore extends StateReads implements Store {
  readonly location = ':memory:';

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

  async replaceAll(dataset: Dataset): Promise<void> {
    this.state.replaceAll(dataset);
  }

  async close(): Promise<void> {}
}
