// The writes a store has accepted but not yet made durable, by record: what a write sees that readers do not yet.
// Readers see only what is on disk; a write is checked, and an update built, against the store as it will be once
// every write accepted before it is durable (PendingView). So two PATCHes of one record in the same sync both
// count, a package created while its catalog's delete is in flight finds no catalog, and two creates of one
// uniqueName in the same sync clash. A refused write refuses every write behind it as well (journal.ts), so a
// write built on a refused one is refused too, and once the last one settles, what is stored answers again.
import type { CollectionName, EntityOf } from './records.js';

type Row = EntityOf<CollectionName>;

interface Pending {
  /** The record once the last pending write to it is durable; null when that write deletes it. */
  value: Row | null;
  /** Writes to it still in flight. */
  count: number;
}

interface PendingKey {
  collection: CollectionName;
  id: string;
}

export class PendingWrites {
  private readonly byCollection = new Map<CollectionName, Map<string, Pending>>();

  /** The record as the pending writes leave it: null when deleted, undefined when no write to it is in flight. */
  latest(collection: CollectionName, id: string): Row | null | undefined {
    return this.byCollection.get(collection)?.get(id)?.value;
  }

  /** Whether the record exists, counting the writes in flight; `stored` answers for what is durable. */
  exists(collection: CollectionName, id: string, stored: () => boolean): boolean {
    const pending = this.latest(collection, id);
    return pending === undefined ? stored() : pending !== null;
  }

  /** Note a write in flight (the record it puts, or null for a delete); the key it returns settles it. */
  add(collection: CollectionName, id: string, value: Row | null): PendingKey {
    const records = this.byCollection.get(collection) ?? new Map<string, Pending>();
    this.byCollection.set(collection, records);
    const pending = records.get(id);
    if (pending === undefined) records.set(id, { value, count: 1 });
    else {
      pending.value = value;
      pending.count += 1;
    }
    return { collection, id };
  }

  /** The write is durable (and applied) or refused. */
  settle({ collection, id }: PendingKey): void {
    const records = this.byCollection.get(collection);
    const pending = records?.get(id);
    if (records === undefined || pending === undefined) return;
    pending.count -= 1;
    if (pending.count > 0) return;
    records.delete(id);
    if (records.size === 0) this.byCollection.delete(collection);
  }

  /** The records of a collection in flight, by id; undefined when none is. */
  of(collection: CollectionName): ReadonlyMap<string, Pending> | undefined {
    return this.byCollection.get(collection);
  }
}
