// The in-memory store (DATA_FILE=:memory:): same semantics as the file store, nothing on disk.
import { Collections } from './collections.js';
import { type CollectionName, type Dataset, type EntityOf, type Store } from './types.js';

export class MemoryStore implements Store {
  readonly location = ':memory:';
  private readonly state: Collections;

  constructor(dataset?: Dataset) {
    this.state = new Collections(dataset);
  }

  list<C extends CollectionName>(collection: C): readonly EntityOf<C>[] {
    return this.state.list(collection);
  }

  get<C extends CollectionName>(collection: C, id: string): EntityOf<C> | undefined {
    return this.state.of(collection).get(id) as EntityOf<C> | undefined;
  }

  count(collection: CollectionName): number {
    return this.state.list(collection).length;
  }

  sequenceOf(collection: CollectionName, id: string): number | undefined {
    return this.state.of(collection).sequenceOf(id);
  }

  indexAfter(collection: CollectionName, seq: number): number {
    return this.state.of(collection).indexAfter(seq);
  }

  get sequenceEpoch(): string {
    return this.state.sequenceEpoch;
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

  snapshot(): Dataset {
    return this.state.toDataset();
  }

  async close(): Promise<void> {}
}
