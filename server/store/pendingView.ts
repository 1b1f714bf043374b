// A tenant's store as a write sees it: the durable records with the writes accepted before it and still in flight
// laid over them (pendingWrites.ts). Graph requests that change data read through it (http/tenantStores.ts); GET
// and HEAD read the store itself, so nothing is visible to a reader before it is on disk. Queries' indexes
// (view, sequenceOf) stay those of the durable records: a write reads records by id or by a scan of the list.
import type { PendingWrites } from './pendingWrites.js';
import type { TenantStore } from './tenantStore.js';
import type { BaselineInfo, RecordChange, Store, Tenants } from './store.js';
import type { CollectionName, Dataset, EntityOf } from './records.js';
import type { CollectionView } from './collectionView.js';

export class PendingView implements Store {
  constructor(
    private readonly store: TenantStore,
    private readonly pending: PendingWrites,
  ) {}

  get<C extends CollectionName>(collection: C, id: string): EntityOf<C> | undefined {
    const pending = this.pending.latest(collection, id);
    return pending === undefined ? this.store.get(collection, id) : ((pending ?? undefined) as EntityOf<C> | undefined);
  }

  /** The durable records in their order, each changed or left out as the pending writes leave it, then the new ones. */
  list<C extends CollectionName>(collection: C): readonly EntityOf<C>[] {
    const durable = this.store.list(collection);
    const pending = this.pending.of(collection);
    if (pending === undefined) return durable;
    const merged: EntityOf<C>[] = [];
    for (const record of durable) {
      const latest = pending.get(record.id);
      if (latest === undefined) merged.push(record);
      else if (latest.value !== null) merged.push(latest.value as EntityOf<C>);
    }
    for (const [id, latest] of pending) {
      if (latest.value !== null && this.store.get(collection, id) === undefined) merged.push(latest.value as EntityOf<C>);
    }
    return merged;
  }

  count(collection: CollectionName): number {
    let count = this.store.count(collection);
    for (const [id, latest] of this.pending.of(collection) ?? []) {
      const stored = this.store.get(collection, id) !== undefined;
      if (stored && latest.value === null) count -= 1;
      else if (!stored && latest.value !== null) count += 1;
    }
    return count;
  }

  sequenceOf(collection: CollectionName, id: string): number | undefined {
    return this.store.sequenceOf(collection, id);
  }

  view<C extends CollectionName>(collection: C): CollectionView<EntityOf<C>> {
    return this.store.view(collection);
  }

  get sequenceEpoch(): string {
    return this.store.sequenceEpoch;
  }

  get forWrites(): Store {
    return this;
  }

  get busy(): Promise<void> | undefined {
    return this.store.busy;
  }

  create<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<void> {
    return this.store.create(collection, record);
  }

  update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean> {
    return this.store.update(collection, record);
  }

  remove(collection: CollectionName, id: string): Promise<boolean> {
    return this.store.remove(collection, id);
  }

  apply(build: (store: Store) => readonly RecordChange[] | undefined): Promise<boolean> {
    return this.store.apply(build);
  }

  replaceAll(dataset: Dataset, shiftMs?: number): Promise<void> {
    return this.store.replaceAll(dataset, shiftMs);
  }

  snapshot(): Dataset {
    return this.store.snapshot();
  }

  saveBaseline(name: string): Promise<{ baseline: BaselineInfo; replaced: boolean }> {
    return this.store.saveBaseline(name);
  }

  listBaselines(): BaselineInfo[] {
    return this.store.listBaselines();
  }

  restoreBaseline(name: string): Promise<BaselineInfo | undefined> {
    return this.store.restoreBaseline(name);
  }

  removeBaseline(name: string): Promise<boolean> {
    return this.store.removeBaseline(name);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  get location(): string {
    return this.store.location;
  }

  get problem(): string | undefined {
    return this.store.problem;
  }

  get tenantId(): string {
    return this.store.tenantId;
  }

  get tenants(): Tenants {
    return this.store.tenants;
  }
}
