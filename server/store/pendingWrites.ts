// The writes a store has accepted but not yet made durable, by record: what the next write must be checked
// against while readers still see only what is on disk. Two creates of one id in the same sync are a conflict;
// an update of a record whose create is still in flight finds it; a delete in flight hides it from a second one.
import type { CollectionName } from './types.js';

interface Pending {
  /** Whether the record exists once the last pending write to it is durable. */
  exists: boolean;
  /** Writes to it still in flight. */
  count: number;
}

export class PendingWrites {
  private readonly byRecord = new Map<string, Pending>();

  /** Whether the record exists, counting the writes in flight; `stored` answers for what is durable. */
  exists(collection: CollectionName, id: string, stored: () => boolean): boolean {
    return this.byRecord.get(`${collection}/${id}`)?.exists ?? stored();
  }

  /** Note a write in flight; the key it returns settles it, durable or refused. */
  add(collection: CollectionName, id: string, exists: boolean): string {
    const key = `${collection}/${id}`;
    const pending = this.byRecord.get(key);
    if (pending === undefined) this.byRecord.set(key, { exists, count: 1 });
    else {
      pending.exists = exists;
      pending.count += 1;
    }
    return key;
  }

  /**
   * The write is durable (and applied) or refused. A refusal refuses every write behind it as well
   * (journal.ts), so once the last one settles, what is stored answers again.
   */
  settle(key: string): void {
    const pending = this.byRecord.get(key);
    if (pending === undefined) return;
    pending.count -= 1;
    if (pending.count === 0) this.byRecord.delete(key);
  }
}
