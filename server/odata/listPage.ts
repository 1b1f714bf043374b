// One page of a collection: filter, order, skip and keyset-resume over the stored slots themselves. No
// copy of the collection is made. The default (insertion) order resumes by binary search on sequence
// numbers and stops scanning once the page is full. An $orderby walks the store's index on its first key
// from where the page starts and stops once the page is full too: the first page at 100,000 records reads
// about a page of records, where a scan with a bounded heap read all of them (3–9 ms). A scan in insertion
// order steps over whole blocks of positions that the filter rules out (BoundPredicate.mayMatch): a
// contains(tolower(displayName),'…') that matches nothing at 100,000 records is 400 searches of a block's
// text instead of 100,000 tests (7 ms).
import type { CollectionName, EntityOf } from '../store/records.js';
import { type CollectionView, TEXT_BLOCK_SHIFT } from '../store/collectionView.js';
import type { Store } from '../store/store.js';
import type { BoundPredicate, Predicate } from './filterCompile.js';
import { type CaseColumns, caseColumnValue } from './caseColumns.js';
import { type Ordering, TopK } from './ordering.js';
import { type Cursor, expiredToken, fullKeys } from './paging.js';

type Row = Readonly<Record<string, unknown>>;
type Test = BoundPredicate;

interface PageQuery {
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
  throw expiredToken();
}

/** The cursor with the long sort values its token carries as digests read back from its record (paging.ts). */
function withFullKeys(store: Store, collection: CollectionName, cursor: Cursor, ordering: Ordering): Cursor {
  const record = store.get(collection, cursor.id) as Row | undefined;
  return { ...cursor, keys: fullKeys(cursor, record && ordering.keysOf(record)) };
}

/** tolower()/toupper() of a property, kept by the store beside the records instead of computed per record and request. */
function caseColumns(view: CollectionView<Row>): CaseColumns {
  const columns: CaseColumns = (fn, property, form) => view.derived(`${fn}(${property}) ${form}`, (record) => caseColumnValue(fn, record[property], form));
  columns.text = (fn, property, form, block) => {
    columns(fn, property, form);
    return view.derivedText(`${fn}(${property}) ${form}`, block);
  };
  return columns;
}

/**
 * Visit the records from position `from` on that pass `test`, in position order, until `visit` answers false.
 * A block of positions that `test.mayMatch` rules out is stepped over whole.
 */
function scan<T extends Row>(slots: readonly (T | undefined)[], from: number, test: Test | undefined, visit: (record: T) => boolean): void {
  const mayMatch = test?.mayMatch;
  for (let i = from; i < slots.length; ) {
    const block = i >> TEXT_BLOCK_SHIFT;
    const end = Math.min(slots.length, (block + 1) << TEXT_BLOCK_SHIFT);
    if (mayMatch !== undefined && !mayMatch(block)) {
      i = end;
      continue;
    }
    for (; i < end; i++) {
      const r = slots[i];
      if (r === undefined || (test && !test(r, i))) continue;
      if (!visit(r)) return;
    }
  }
}

export function selectPage<C extends CollectionName>(store: Store, collection: C, query: PageQuery): Page<EntityOf<C>> {
  const view = store.view(collection) as CollectionView<EntityOf<C> & Row>;
  const slots = view.slots;
  const { predicate, ordering, pageSize } = query;
  const cursor = query.cursor?.digests && ordering ? withFullKeys(store, collection, query.cursor, ordering) : query.cursor;
  const test: Test | undefined = predicate === undefined ? undefined : (predicate.over?.(caseColumns(view)) ?? predicate);
  const skip = cursor ? 0 : query.skip;
  let count: number | undefined;
  if (query.count && !cursor) {
    count = 0;
    if (!test) count = view.size;
    else {
      let matches = 0;
      scan(slots, 0, test, () => {
        matches += 1;
        return true;
      });
      count = matches;
    }
  }

  let items: (EntityOf<C> & Row)[];
  let more: boolean;
  if (!ordering) {
    const from = cursor ? view.positionAfter(resumeAfter(store, collection, cursor)) : 0;
    const found: (EntityOf<C> & Row)[] = [];
    let skipped = 0;
    let full = false;
    scan(slots, from, test, (r) => {
      if (skipped < skip) {
        skipped += 1;
        return true;
      }
      if (found.length === pageSize) {
        full = true;
        return false;
      }
      found.push(r);
      return true;
    });
    items = found;
    more = full;
  } else {
    const need = skip + pageSize + 1;
    const first = ordering.unindexed ? sortedMatches(slots, ordering, test, cursor, need) : inOrder(view, ordering, test, cursor, need);
    items = first.slice(skip, skip + pageSize);
    more = first.length > skip + pageSize;
  }

  const last = items.at(-1);
  const page: Page<EntityOf<C>> = { items, count };
  if (more && last) page.next = cursorAfter(store, collection, ordering, last);
  return page;
}

/** Where the next page starts when `last` ends this one (a page cut short too: list.ts). */
export function cursorAfter(
  store: Store,
  collection: CollectionName,
  ordering: Ordering | undefined,
  last: Row & { id: string },
): NonNullable<Page<Row>['next']> {
  return ordering ? { id: last.id, keys: ordering.keysOf(last) } : { id: last.id, seq: store.sequenceOf(collection, last.id), epoch: store.sequenceEpoch };
}

/** The first `need` matching records after the cursor, in the order, found by one scan of them all (no index). */
function sortedMatches<T extends Row & { id: string }>(
  slots: readonly (T | undefined)[],
  ordering: Ordering,
  test: Test | undefined,
  cursor: Cursor | undefined,
  need: number,
): T[] {
  const top = new TopK<T>(need, ordering.compare);
  scan(slots, 0, test, (r) => {
    if (!cursor || ordering.compareToKeys(r, cursor.keys ?? [], cursor.id) > 0) top.offer(r);
    return true;
  });
  return top.sorted();
}

/** Walk no further along the index than a group's first steps before a binary search finds its end. */
const GROUP_STEPS = 8;

/**
 * The first `need` matching records after the cursor, in the order, read from the store's index on the first
 * key (ascending, ties by id). Ascending with one key, the index order is the order. Otherwise the index is
 * read a group of equal first keys at a time, groups in the order's direction: with one key a group is
 * already in the order (ids ascend whichever way the key goes), with more keys a bounded heap orders it.
 */
function inOrder<T extends Row & { id: string }>(
  view: CollectionView<T>,
  ordering: Ordering,
  test: Test | undefined,
  cursor: Cursor | undefined,
  need: number,
): T[] {
  const { leading } = ordering;
  const slots = view.slots;
  const index = view.sorted(leading.name, leading.compare);
  const out: T[] = [];
  const key = cursor?.keys?.[0] ?? null;
  const record = (rank: number): T => slots[index.at(rank)]!;
  const take = (rank: number): void => {
    const at = index.at(rank);
    const r = slots[at]!;
    if (!test || test(r, at)) out.push(r);
  };

  if (ordering.single) {
    // The first rank after the cursor in index order (key, then id): where a one-key page resumes.
    const after = cursor
      ? index.partition((at) => {
          const c = leading.compareToKey(slots[at]!, key);
          return c < 0 || (c === 0 && slots[at]!.id <= cursor.id);
        })
      : 0;
    if (!leading.descending) {
      for (let rank = after; rank < index.size && out.length < need; rank++) take(rank);
      return out;
    }
    // Descending: the cursor's group from just after it, then the groups before it in the index.
    let end = cursor ? index.partition((at) => leading.compareToKey(slots[at]!, key) <= 0) : index.size;
    if (cursor && after < end) {
      for (let rank = after; rank < end && out.length < need; rank++) take(rank);
      end = groupStart(end - 1);
    } else if (cursor && end > 0 && leading.compareToKey(record(end - 1), key) === 0) {
      end = groupStart(end - 1);
    }
    while (end > 0 && out.length < need) {
      const start = groupStart(end - 1);
      for (let rank = start; rank < end && out.length < need; rank++) take(rank);
      end = start;
    }
    return out;
  }

  // More keys: a group of equal first keys at a time; the cursor's own group only after the cursor.
  const inGroup = (start: number, end: number): void => {
    const top = new TopK<T>(need - out.length, ordering.compare);
    const resume = cursor !== undefined && leading.compareToKey(record(start), key) === 0;
    for (let rank = start; rank < end; rank++) {
      const at = index.at(rank);
      const r = slots[at]!;
      if (test && !test(r, at)) continue;
      if (resume && ordering.compareToKeys(r, cursor.keys ?? [], cursor.id) <= 0) continue;
      top.offer(r);
    }
    out.push(...top.sorted());
  };
  if (!leading.descending) {
    let start = cursor ? index.partition((at) => leading.compareToKey(slots[at]!, key) < 0) : 0;
    while (start < index.size && out.length < need) {
      const end = groupEnd(start);
      inGroup(start, end);
      start = end;
    }
  } else {
    let end = cursor ? index.partition((at) => leading.compareToKey(slots[at]!, key) <= 0) : index.size;
    while (end > 0 && out.length < need) {
      const start = groupStart(end - 1);
      inGroup(start, end);
      end = start;
    }
  }
  return out;

  /** The first rank of the group holding rank `last`. */
  function groupStart(last: number): number {
    const value = record(last);
    for (let rank = last, steps = 0; rank > 0; rank--, steps++) {
      if (leading.compare(record(rank - 1), value) !== 0) return rank;
      if (steps === GROUP_STEPS) {
        const k = ordering.keysOf(value)[0];
        return index.partition((at) => leading.compareToKey(slots[at]!, k) < 0);
      }
    }
    return 0;
  }

  /** One past the last rank of the group holding rank `first`. */
  function groupEnd(first: number): number {
    const value = record(first);
    for (let rank = first + 1, steps = 0; rank < index.size; rank++, steps++) {
      if (leading.compare(record(rank), value) !== 0) return rank;
      if (steps === GROUP_STEPS) {
        const k = ordering.keysOf(value)[0];
        return index.partition((at) => leading.compareToKey(slots[at]!, k) <= 0);
      }
    }
    return index.size;
  }
}
