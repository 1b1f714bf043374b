// In-memory state shared by both stores: per collection an array of slots in insertion order (handed out
// as-is to readers), a parallel array of insertion sequence numbers, and an id -> position map. Sequence
// numbers let a list resume after the last record a page returned even when records were created or
// deleted in between (keyset paging), without offsets.
// A delete leaves a hole in its slot instead of shifting the records after it: at 100,000 records a
// shift moved the whole array and invalidated the id map, 30 ms per delete. The holes are compacted away
// in one pass once there are more of them than records, so a delete costs O(1) amortised and a scan
// visits at most twice as many slots as records. Beside the slots a collection keeps, once a query has
// asked for them, derived columns (derivedColumn.ts: lower-cased strings for tolower() filters) and sorted
// indexes (sortedPositions.ts, for $orderby), and tells them every write.
import { randomBytes } from 'node:crypto';
import { SharedStrings } from './sharedStrings.js';
import { DerivedColumn } from './derivedColumn.js';
import { COLLECTION_NAMES, perCollection } from '../collections.js';
import { SortedPositions } from './sortedPositions.js';
import { type CollectionName, type Dataset, type EntityOf, emptyDataset } from './records.js';
import type { CollectionView, OrderedPositions } from './collectionView.js';
import { StoreError } from './store.js';

type AnyEntity = EntityOf<CollectionName>;

/** Hands out increasing numbers; shared by the collections of one store and kept across resets. */
class SequenceCounter {
  /** Names this numbering: after a restart records are renumbered, and old numbers mean nothing. */
  readonly epoch = randomBytes(6).toString('base64url');
  private last = 0;
  next(): number {
    this.last += 1;
    return this.last;
  }
}

/** Holes tolerated before a compaction, whatever the size: a small collection is not compacted at every delete. */
const MIN_HOLES = 32;

class Collection implements CollectionView<AnyEntity> {
  /** Records by position; undefined where a record was deleted and the hole not yet compacted. */
  readonly slots: (AnyEntity | undefined)[];
  /** seqs[i] is the insertion sequence number of slots[i], holes included; strictly increasing. */
  private readonly seqs: number[];
  private readonly positions = new Map<string, number>();
  /** Built on the first lookup: a data file of 100,000 records opens without it. */
  private positionsValid = false;
  private holes = 0;
  /** list()'s answer while there are holes, until the next write. */
  private dense: AnyEntity[] | undefined;
  private readonly columns = new Map<string, DerivedColumn>();
  private readonly indexes = new Map<string, SortedPositions>();

  constructor(
    records: AnyEntity[],
    private readonly counter: SequenceCounter,
    private readonly strings: SharedStrings,
  ) {
    for (const record of records) strings.compact(record);
    this.slots = records;
    this.seqs = records.map(() => counter.next());
  }

  get size(): number {
    return this.slots.length - this.holes;
  }

  /** The records without holes, in insertion order. */
  list(): readonly AnyEntity[] {
    if (this.holes === 0) return this.slots as AnyEntity[];
    this.dense ??= this.slots.filter((r) => r !== undefined);
    return this.dense;
  }

  private position(id: string): number | undefined {
    if (!this.positionsValid) {
      this.positions.clear();
      for (let i = 0; i < this.slots.length; i++) {
        const record = this.slots[i];
        if (record !== undefined) this.positions.set(record.id, i);
      }
      this.positionsValid = true;
    }
    return this.positions.get(id);
  }

  get(id: string): AnyEntity | undefined {
    const at = this.position(id);
    return at === undefined ? undefined : this.slots[at];
  }

  insert(record: AnyEntity): void {
    if (this.position(record.id) !== undefined) throw new StoreError('conflict', `A record with id '${record.id}' already exists.`);
    const at = this.slots.length;
    this.positions.set(record.id, at);
    this.slots.push(this.strings.compact(record));
    this.seqs.push(this.counter.next());
    for (const column of this.columns.values()) column.set(at, record);
    for (const index of this.indexes.values()) index.add(at);
    this.dense = undefined;
  }

  /** Insert or replace: what replaying a journal needs (idempotent). */
  put(record: AnyEntity): void {
    if (!this.replace(record)) this.insert(record);
  }

  replace(record: AnyEntity): boolean {
    const at = this.position(record.id);
    if (at === undefined) return false;
    for (const index of this.indexes.values()) index.remove(at);
    this.slots[at] = this.strings.compact(record);
    for (const column of this.columns.values()) column.set(at, record);
    for (const index of this.indexes.values()) index.add(at);
    this.dense = undefined;
    return true;
  }

  sequenceOf(id: string): number | undefined {
    const at = this.position(id);
    return at === undefined ? undefined : this.seqs[at];
  }

  /** Position of the first slot inserted after `seq` (binary search: seqs is sorted, holes included). */
  positionAfter(seq: number): number {
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.seqs[mid]! <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  delete(id: string): boolean {
    const at = this.position(id);
    if (at === undefined) return false;
    for (const index of this.indexes.values()) index.remove(at);
    this.positions.delete(id);
    this.dense = undefined;
    if (at === this.slots.length - 1) {
      // The last slot, and any holes before it, go at once: nothing after them moves.
      this.truncate(at);
      while (this.slots.length > 0 && this.slots[this.slots.length - 1] === undefined) {
        this.truncate(this.slots.length - 1);
        this.holes -= 1;
      }
    } else {
      this.slots[at] = undefined;
      for (const column of this.columns.values()) column.set(at, undefined);
      this.holes += 1;
    }
    // Either way the records may now be fewer than the holes: deletes from the end lower the one, not the other.
    if (this.holes > MIN_HOLES && this.holes > this.size) this.compact();
    return true;
  }

  derived<V>(name: string, derive: (record: AnyEntity) => V): readonly (V | undefined)[] {
    let column = this.columns.get(name);
    if (column === undefined) {
      column = new DerivedColumn(derive, this.slots);
      this.columns.set(name, column);
    }
    return column.values as (V | undefined)[];
  }

  derivedText(name: string, block: number): string {
    const column = this.columns.get(name);
    if (column === undefined) throw new Error(`derivedText('${name}') before derived('${name}')`);
    return column.text(block);
  }

  sorted(name: string, compareKeys: (a: AnyEntity, b: AnyEntity) => number): OrderedPositions {
    let index = this.indexes.get(name);
    if (index === undefined) {
      const slots = this.slots;
      const compare = (a: number, b: number): number => {
        const x = slots[a]!;
        const y = slots[b]!;
        return compareKeys(x, y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
      };
      const live: number[] = [];
      for (let i = 0; i < slots.length; i++) if (slots[i] !== undefined) live.push(i);
      index = new SortedPositions(compare, live);
      this.indexes.set(name, index);
    }
    return index;
  }

  /** Drop the slot at `at`, the last one. */
  private truncate(at: number): void {
    this.slots.length = at;
    this.seqs.length = at;
    for (const column of this.columns.values()) column.truncate(at);
  }

  /** Close the holes in one pass, in place (a view's arrays stay the same objects), keeping the order. */
  private compact(): void {
    const moved = new Int32Array(this.slots.length);
    const columns = [...this.columns.values()].map((c) => c.values);
    let j = 0;
    for (let i = 0; i < this.slots.length; i++) {
      const record = this.slots[i];
      if (record === undefined) continue;
      moved[i] = j;
      if (i !== j) {
        this.slots[j] = record;
        this.seqs[j] = this.seqs[i]!;
        for (const values of columns) values[j] = values[i];
        if (this.positionsValid) this.positions.set(record.id, j);
      }
      j += 1;
    }
    this.truncate(j);
    for (const column of this.columns.values()) column.renumbered();
    this.holes = 0;
    for (const index of this.indexes.values()) index.renumber(moved);
  }
}

export class Collections {
  private readonly counter = new SequenceCounter();
  private readonly strings = new SharedStrings();
  private byName: Record<CollectionName, Collection>;

  constructor(dataset: Dataset = emptyDataset()) {
    this.byName = this.build(dataset);
  }

  private build(dataset: Dataset): Record<CollectionName, Collection> {
    return perCollection((name) => new Collection([...(dataset[name] as AnyEntity[])], this.counter, this.strings));
  }

  get sequenceEpoch(): string {
    return this.counter.epoch;
  }

  of(name: CollectionName): Collection {
    return this.byName[name];
  }

  list<C extends CollectionName>(name: C): readonly EntityOf<C>[] {
    return this.byName[name].list() as EntityOf<C>[];
  }

  /** Records held, in every collection. */
  recordCount(): number {
    return COLLECTION_NAMES.reduce((sum, name) => sum + this.byName[name].size, 0);
  }

  replaceAll(dataset: Dataset): void {
    this.byName = this.build(dataset);
  }

  toDataset(): Dataset {
    return perCollection((name) => [...this.list(name)]) as Dataset;
  }
}

export function normaliseDataset(value: Partial<Dataset>): Dataset {
  return perCollection((name) => value[name] ?? []) as Dataset;
}
