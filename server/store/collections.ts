// In-memory state shared by both stores: per collection an array in insertion order (handed out as-is to
// readers), a parallel array of insertion sequence numbers, and an id -> index map, rebuilt lazily after a
// removal shifts positions. Sequence numbers let a list resume after the last record a page returned even
// when records were created or deleted in between (keyset paging), without offsets.
import { randomBytes } from 'node:crypto';
import { SharedStrings } from './sharedStrings.js';
import { COLLECTION_NAMES, perCollection } from '../collections.js';
import { type CollectionName, type Dataset, type EntityOf, StoreError, emptyDataset } from './types.js';

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

class Collection {
  records: AnyEntity[] = [];
  /** seqs[i] is the insertion sequence number of records[i]; strictly increasing along the array. */
  private seqs: number[];
  private index = new Map<string, number>();
  private indexValid = true;

  constructor(
    records: AnyEntity[],
    private readonly counter: SequenceCounter,
    private readonly strings: SharedStrings,
  ) {
    for (const record of records) strings.compact(record);
    this.records = records;
    this.seqs = records.map(() => counter.next());
    this.indexValid = false;
  }

  private position(id: string): number | undefined {
    if (!this.indexValid) {
      this.index = new Map(this.records.map((r, i) => [r.id, i]));
      this.indexValid = true;
    }
    return this.index.get(id);
  }

  get(id: string): AnyEntity | undefined {
    const at = this.position(id);
    return at === undefined ? undefined : this.records[at];
  }

  insert(record: AnyEntity): void {
    if (this.position(record.id) !== undefined) throw new StoreError('conflict', `A record with id '${record.id}' already exists.`);
    this.index.set(record.id, this.records.length);
    this.records.push(this.strings.compact(record));
    this.seqs.push(this.counter.next());
  }

  /** Insert or replace: what replaying a journal needs (idempotent). */
  put(record: AnyEntity): void {
    const at = this.position(record.id);
    if (at === undefined) this.insert(record);
    else this.records[at] = this.strings.compact(record);
  }

  replace(record: AnyEntity): boolean {
    const at = this.position(record.id);
    if (at === undefined) return false;
    this.records[at] = this.strings.compact(record);
    return true;
  }

  sequenceOf(id: string): number | undefined {
    const at = this.position(id);
    return at === undefined ? undefined : this.seqs[at];
  }

  /** Position of the first record inserted after `seq` (binary search: seqs is sorted). */
  indexAfter(seq: number): number {
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
    this.records.splice(at, 1);
    this.seqs.splice(at, 1);
    this.index.delete(id);
    // Positions after `at` moved; rebuilding on the next lookup is cheaper than shifting every entry now.
    if (at !== this.records.length) this.indexValid = false;
    return true;
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
    return this.byName[name].records as EntityOf<C>[];
  }

  replaceAll(dataset: Dataset): void {
    this.byName = this.build(dataset);
  }

  toDataset(): Dataset {
    return perCollection((name) => [...this.list(name)]) as Dataset;
  }
}

/** Structural check of a parsed data file; names the first problem. */
export function checkDataset(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the top level must be a JSON object';
  const data = value as Record<string, unknown>;
  for (const name of COLLECTION_NAMES) {
    const list = data[name];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `'${name}' must be an array`;
    const bad = list.findIndex((r) => typeof r !== 'object' || r === null || typeof (r as { id?: unknown }).id !== 'string');
    if (bad !== -1) return `${name}[${bad}] must be an object with a string id`;
  }
  return undefined;
}

export function normaliseDataset(value: Partial<Dataset>): Dataset {
  return perCollection((name) => value[name] ?? []) as Dataset;
}
