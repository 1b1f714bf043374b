// $orderby as a comparator over stored records, with the id as the last key so that every order is total
// (a keyset cursor needs that); its first key is what the store keeps an index by. A bounded selection of
// the first k records orders the records that tie on the first key by the others, in O(g log k) for g ties.
import { canonicalDateTime } from '../graphTime.js';
import type { EntityModel } from './entityModel.js';
import type { OrderKey } from './queryOptions.js';

type Row = Readonly<Record<string, unknown>>;
type Comparator = (a: Row, b: Row) => number;

export interface Ordering {
  /** The sort key values of a record, as compared (DateTimeOffset canonicalised). */
  keysOf(record: Row): unknown[];
  /** Compare a record with key values previously taken by keysOf, ties broken by id. */
  compareToKeys(record: Row, keys: readonly unknown[], id: string): number;
  compare: Comparator;
  /** The first key, which a store index can keep records sorted by (ascending, ties by id). */
  leading: {
    /** Names the index: the property, and how its values are compared. */
    name: string;
    /** Ascending by the first key alone. */
    compare: Comparator;
    /** Compare a record's first key with a first key value taken by keysOf. */
    compareToKey(record: Row, key: unknown): number;
    descending: boolean;
  };
  /** One key only: then the index order (key, id) is the order itself, or its groups reversed. */
  single: boolean;
  /** Keys no store index can keep up to date (read from other records): each page sorts the matches itself. */
  unindexed?: boolean;
}

// OData orders null before every value; strings by ordinal (UTF-16 code unit) comparison.
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as never) < (b as never) ? -1 : (a as never) > (b as never) ? 1 : 0;
}

export function ordering(keys: readonly OrderKey[], model: EntityModel): Ordering {
  const isDate = (k: OrderKey) => model.properties.get(k.property.toLowerCase())?.edmType === 'Edm.DateTimeOffset';
  const getters = keys.map((k) => {
    const name = k.property;
    return isDate(k) ? (r: Row) => canonicalDateTime(r[name]) : (r: Row) => r[name] ?? null;
  });
  const signs = keys.map((k) => (k.descending ? -1 : 1));
  const compareToKeys = (record: Row, values: readonly unknown[], id: string): number => {
    for (let i = 0; i < getters.length; i++) {
      const c = compareValues(getters[i]!(record), values[i] ?? null);
      if (c !== 0) return c * signs[i]!;
    }
    return compareValues(record['id'], id);
  };
  const keysOf = (record: Row): unknown[] => getters.map((g) => g(record));
  const first = getters[0]!;
  return {
    keysOf,
    compareToKeys,
    leading: {
      name: `${keys[0]!.property}${isDate(keys[0]!) ? ' as DateTimeOffset' : ''}`,
      compare: (a, b) => compareValues(first(a), first(b)),
      compareToKey: (record, key) => compareValues(first(record), key ?? null),
      descending: keys[0]!.descending,
    },
    single: keys.length === 1,
    compare: (a, b) => {
      for (let i = 0; i < getters.length; i++) {
        const c = compareValues(getters[i]!(a), getters[i]!(b));
        if (c !== 0) return c * signs[i]!;
      }
      return compareValues(a['id'], b['id']);
    },
  };
}

/**
 * The k smallest items offered, kept in a bounded max-heap while the caller scans: O(n log k) time and
 * O(k) memory, with no array of all candidates (which at 100,000 records costs more in GC than in sorting).
 */
export class TopK<T> {
  private readonly heap: T[] = [];

  constructor(
    private readonly k: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  offer(item: T): void {
    const heap = this.heap;
    if (heap.length < this.k) {
      heap.push(item);
      this.up(heap.length - 1);
    } else if (this.k > 0 && this.compare(item, heap[0]!) < 0) {
      heap[0] = item;
      this.down(0);
    }
  }

  /** The kept items, smallest first. */
  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(heap[i]!, heap[parent]!) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && this.compare(heap[l]!, heap[top]!) > 0) top = l;
      if (r < heap.length && this.compare(heap[r]!, heap[top]!) > 0) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  }
}
