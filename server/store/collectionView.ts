// What a query reads of one collection (CollectionView, Store.view): records by position, with the derived
// columns, orders and block texts the store keeps beside them up to date on every write.

/**
 * Read access to one collection for queries. Positions follow insertion order; a deleted record leaves a
 * hole (undefined) in its slot until enough holes have gathered to compact them away in one pass, so a
 * delete moves nothing. A view is valid until the next write: read it within one synchronous step.
 */
export interface CollectionView<T> {
  /** Records by position, in insertion order; undefined where a record was deleted. */
  readonly slots: readonly (T | undefined)[];
  /** Records stored (the slots less the holes). */
  readonly size: number;
  /** The position of the first slot whose record was inserted after sequence number `seq`. */
  positionAfter(seq: number): number;
  /**
   * `derive(record)` by position (undefined at holes), computed for every record the first time `name` is
   * asked for and kept up to date on every write after that. Equal string values share one string.
   * The `derive` of the first call is the one kept: one name, one function.
   */
  derived<V>(name: string, derive: (record: T) => V): readonly (V | undefined)[];
  /**
   * The positions ordered by `compareKeys`, ties broken by id, built the first time `name` is asked for
   * and kept up to date on every write after that. As with `derived`, one name, one comparison.
   */
  sorted(name: string, compareKeys: (a: T, b: T) => number): OrderedPositions;
  /**
   * The derived column `name` (asked for through `derived` first) as text, one block of 2^TEXT_BLOCK_SHIFT
   * positions at a time: each string value of the block followed by '\0', the whole preceded by '\0'
   * (holes and values that are not strings as empty). Built when first asked for and kept until a write
   * changes the block: one search of a block's text tells a scan whether any record of it can match.
   */
  derivedText(name: string, block: number): string;
}

/** Positions per block of CollectionView.derivedText: 256. */
export const TEXT_BLOCK_SHIFT = 8;

/** Positions in an order: read by rank. */
export interface OrderedPositions {
  readonly size: number;
  /** The position of rank `rank`: O(1) when the ranks asked for follow each other, O(log n) otherwise. */
  at(rank: number): number;
  /** The rank of the first position for which `before` is false; `before` must hold for a prefix of the order only. */
  partition(before: (position: number) => boolean): number;
}
