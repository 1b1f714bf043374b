// A value derived from every record of a collection, kept by position beside its slots (the lower-cased
// strings a tolower() filter reads: odata/caseColumns.ts), and the same values as text, one block of
// 2^TEXT_BLOCK_SHIFT positions at a time, for a scan that searches a block's text before its records.
// The collection (collections.ts) tells the column every write; the values array is never replaced, so a
// reader may hold it (CollectionView.derived).
import { SharedStrings } from './sharedStrings.js';
import type { CollectionName, EntityOf } from './records.js';
import { TEXT_BLOCK_SHIFT } from './collectionView.js';

type AnyEntity = EntityOf<CollectionName>;

/** Distinct values a column pools before it checks that pooling pays (values repeat). */
const DERIVED_POOL = 4096;

export class DerivedColumn {
  /** By position, as the collection's slots; undefined at a hole. */
  readonly values: unknown[];
  /** Dropped once it holds DERIVED_POOL values of which fewer repeated than not. */
  private pool: SharedStrings | undefined = new SharedStrings(DERIVED_POOL);
  /** text()'s blocks, built on demand; undefined where a write changed the block since. */
  private readonly texts: (string | undefined)[] = [];

  constructor(
    private readonly derive: (record: AnyEntity) => unknown,
    slots: readonly (AnyEntity | undefined)[],
  ) {
    this.values = slots.map((record) => (record === undefined ? undefined : this.valueOf(record)));
  }

  /** The record at `at` was written (at the end: appended), or deleted when undefined. */
  set(at: number, record: AnyEntity | undefined): void {
    this.values[at] = record === undefined ? undefined : this.valueOf(record);
    const block = at >> TEXT_BLOCK_SHIFT;
    if (block < this.texts.length) this.texts[block] = undefined;
  }

  /** The collection dropped its slots from `length` on. */
  truncate(length: number): void {
    this.values.length = length;
    // The block holding `length` lost its end (or all of it): it and every later one are built again.
    this.texts.length = Math.min(this.texts.length, length >> TEXT_BLOCK_SHIFT);
  }

  /** The collection moved its records to close holes (values moved alike): every block is built again. */
  renumbered(): void {
    this.texts.length = 0;
  }

  /** Block `block` as text: each string value followed by '\0', the whole preceded by '\0' (others empty). */
  text(block: number): string {
    let text = this.texts[block];
    if (text === undefined) {
      const values = this.values;
      const end = Math.min(values.length, (block + 1) << TEXT_BLOCK_SHIFT);
      text = '\0';
      for (let at = block << TEXT_BLOCK_SHIFT; at < end; at++) {
        const value = values[at];
        text += typeof value === 'string' ? `${value}\0` : '\0';
      }
      while (this.texts.length < block) this.texts.push(undefined);
      this.texts[block] = text;
    }
    return text;
  }

  private valueOf(record: AnyEntity): unknown {
    const value = this.derive(record);
    const pool = this.pool;
    if (typeof value !== 'string' || pool === undefined) return value;
    const shared = pool.share(value);
    // Values that do not repeat (names, mostly) would only fill the pool: stop pooling this column.
    if (pool.size >= DERIVED_POOL && pool.hits < pool.size) this.pool = undefined;
    return shared;
  }
}
