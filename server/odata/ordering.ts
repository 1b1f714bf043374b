// $orderby as a comparator over stored records, with the id as the last key so that every order is total
// (a keyset cursor needs that), and a bounded selection of the first k records so a page over a large
// collection costs O(n log k) rather than a full sort.
import { toGraphDateTime } from '../graphTime.js';
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

function dateKey(value: unknown): unknown {
  if (typeof value !== 'string' || (value.length === 28 && value.endsWith('Z'))) return value ?? null;
  return Number.isNaN(Date.parse(value)) ? value : toGraphDateTime(value);
}

export function ordering(keys: readonly OrderKey[], model: EntityModel): Ordering {
  const getters = keys.map((k) => {
    const isDate = model.properties.get(k.property.toLowerCase())?.edmType === 'Edm.DateTimeOffset';
    const name = k.property;
    return isDate ? (r: Row) => dateKey(r[name]) : (r: Row) => r[name] ?? null;
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

/** The k smallest items in order, via a bounded max-heap. */
export function smallest<T>(items: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (items.length <= k * 4) return [...items].sort(compare).slice(0, k);
  const heap: T[] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(heap[i]!, heap[parent]!) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && compare(heap[l]!, heap[top]!) > 0) top = l;
      if (r < heap.length && compare(heap[r]!, heap[top]!) > 0) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      up(heap.length - 1);
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort(compare);
}
