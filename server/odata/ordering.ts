// $orderby as a comparator over stored records, with the id as the last key so that every order is total
// (a keyset cursor needs that), and a bounded selection of the first k records so a page over a large
// collection costs O(n log k) rather than a full sort.
import { canonicalDateTime } from '../graphTime.js';
import type { EntityModel } from './entityModel.js';
import type { OrderKey } from './queryOptions.js';

type Row = Readonly<Record<string, unknown>>;
export type Comparator = (a: Row, b: Row) => number;

export interface Ordering {
  /** The sort key values of a record, as compared (DateTimeOffset canonicalised). */
  keysOf(record: Row): unknown[];
  /** Compare a record with key values previously taken by keysOf, ties broken by id. */
  compareToKeys(record: Row, keys: readonly unknown[], id: string): number;
  compare: Comparator;
}

// OData orders null before every value; strings by ordinal (UTF-16 code unit) comparison.
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as never) < (b as never) ? -1 : (a as never) > (b as never) ? 1 : 0;
}

export function ordering(keys: readonly OrderKey[], model: EntityModel): Ordering {
  const getters = keys.map((k) => {
    const isDate = model.properties.get(k.property.toLowerCase())?.edmType === 'Edm.DateTimeOffset';
    const name = k.property;
    return isDate ? (r: Row) => canonicalDateTime(r[name]) : (r: Row) => r[name] ?? null;
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
  return {
    keysOf,
    compareToKeys,
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
