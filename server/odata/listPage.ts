// One page of a collection: filter, order, skip and keyset-resume over the stored array itself. No copy of
// the collection is made: the default (insertion) order resumes by binary search on sequence numbers and
// stops scanning once the page is full; an $orderby keeps only the first skip + pageSize + 1 candidates while it scans.
import { GraphError } from '../graphErrors.js';
import type { CollectionName, EntityOf, Store } from '../store/types.js';
import type { Predicate } from './filterCompile.js';
import { type Ordering, TopK } from './ordering.js';
import type { Cursor } from './paging.js';

type Row = Readonly<Record<string, unknown>>;

export interface PageQuery {
  predicate?: Predicate;
  /** Undefined: insertion order. */
  ordering?: Ordering;
  /** Where the previous page ended; undefined on the first page. */
  cursor?: Cursor;
  /** Applied on the first page only: later pages resume from the cursor. */
  skip: number;
  pageSize: number;
  /** Count every match (first page only, as Graph sends @odata.count once). */
  count: boolean;
}

export interface Page<T> {
  items: T[];
  count?: number;
  /** Set when more matches follow: the cursor values of the last item. */
  next?: { id: string; seq?: number; epoch?: string; keys?: unknown[] };
}

/** The sequence number to resume after: the cursor record's own, else the token's if still comparable. */
function resumeAfter(store: Store, collection: CollectionName, cursor: Cursor): number {
  const current = store.sequenceOf(collection, cursor.id);
  if (current !== undefined) return current;
  if (cursor.seq !== undefined && cursor.epoch === store.sequenceEpoch) return cursor.seq;
  // Graph's words for a page token it can no longer honour.
  throw GraphError.of('badRequest', 'The specified page token value has expired and can no longer be included in your request.');
}

export function selectPage<C extends CollectionName>(store: Store, collection: C, query: PageQuery): Page<EntityOf<C>> {
  const records = store.list(collection) as readonly (EntityOf<C> & Row)[];
  const { predicate, ordering, cursor, pageSize } = query;
  const skip = cursor ? 0 : query.skip;
  let count: number | undefined;
  if (query.count && !cursor) {
    count = 0;
    if (!predicate) count = records.length;
    else for (const r of records) if (predicate(r)) count += 1;
  }

  let items: (EntityOf<C> & Row)[];
  let more: boolean;
  if (!ordering) {
    let i = cursor ? store.indexAfter(collection, resumeAfter(store, collection, cursor)) : 0;
    let skipped = 0;
    items = [];
    more = false;
    for (; i < records.length; i++) {
      const r = records[i]!;
      if (predicate && !predicate(r)) continue;
      if (skipped < skip) {
        skipped += 1;
        continue;
      }
      if (items.length === pageSize) {
        more = true;
        break;
      }
      items.push(r);
    }
  } else {
    const top = new TopK<EntityOf<C> & Row>(skip + pageSize + 1, ordering.compare);
    const keys = cursor?.keys ?? [];
    for (const r of records) {
      if (predicate && !predicate(r)) continue;
      if (cursor && ordering.compareToKeys(r, keys, cursor.id) <= 0) continue;
      top.offer(r);
    }
    const first = top.sorted();
    items = first.slice(skip, skip + pageSize);
    more = first.length > skip + pageSize;
  }

  const last = items.at(-1);
  const page: Page<EntityOf<C>> = { items, count };
  if (more && last) {
    page.next = ordering
      ? { id: last.id, keys: ordering.keysOf(last) }
      : { id: last.id, seq: store.sequenceOf(collection, last.id), epoch: store.sequenceEpoch };
  }
  return page;
}
