// The read side both stores share: everything is answered from the in-memory Collections, so only the
// write side (durable or not) differs between the file store and the memory store.
import type { Collections } from './collections.js';
import type { CollectionName, Dataset, EntityOf } from './records.js';
import type { CollectionView } from './collectionView.js';

export abstract class StateReads {
  protected constructor(protected readonly state: Collections) {}

  list<C extends CollectionName>(collection: C): readonly EntityOf<C>[] {
    return this.state.list(collection);
  }

  get<C extends CollectionName>(collection: C, id: string): EntityOf<C> | undefined {
    return this.state.of(collection).get(id) as EntityOf<C> | undefined;
  }

  count(collection: CollectionName): number {
    return this.state.of(collection).size;
  }

  sequenceOf(collection: CollectionName, id: string): number | undefined {
    return this.state.of(collection).sequenceOf(id);
  }

  view<C extends CollectionName>(collection: C): CollectionView<EntityOf<C>> {
    return this.state.of(collection) as unknown as CollectionView<EntityOf<C>>;
  }

  get sequenceEpoch(): string {
    return this.state.sequenceEpoch;
  }

  snapshot(): Dataset {
    return this.state.toDataset();
  }
}
