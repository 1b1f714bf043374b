// The one persistence seam. Route handlers, fixtures and admin endpoints talk to this interface only;
// nothing but the file store imports lowdb. The records it holds are records.ts's; what a query reads of a
// collection, collectionView.ts's.
import type { CollectionName } from '../collections.js';
import type { CollectionView } from './collectionView.js';
import type { Dataset, EntityOf } from './records.js';

/** One change of a Store.apply. */
export type RecordChange =
  | { op: 'create' | 'update'; collection: CollectionName; record: EntityOf<CollectionName> }
  | { op: 'remove'; collection: CollectionName; id: string };

/**
 * Records handed out are the stored objects themselves (no per-request copy); callers must treat them
 * as read-only and write through create/update/remove. Every write resolves only once it is durable.
 */
export interface Store {
  /** Records in insertion order. No copy unless records were deleted since the holes were last compacted. */
  list<C extends CollectionName>(collection: C): readonly EntityOf<C>[];
  get<C extends CollectionName>(collection: C, id: string): EntityOf<C> | undefined;
  count(collection: CollectionName): number;
  /**
   * The record's insertion sequence number: larger for every later create, kept by updates, stable while
   * the store is open (reopening renumbers in the same order). Undefined when the id is not stored.
   */
  sequenceOf(collection: CollectionName, id: string): number | undefined;
  /** The collection as queries read it: records by position, with what the store keeps beside them. */
  view<C extends CollectionName>(collection: C): CollectionView<EntityOf<C>>;
  /** Names the current numbering; it changes when the store is reopened, and numbers from another epoch are not comparable. */
  readonly sequenceEpoch: string;
  /**
   * The same tenant as a write reads it: get, list and count answer with the writes accepted before and not yet
   * durable laid over the stored records (pendingView.ts); the other members are the store's own.
   */
  readonly forWrites: Store;
  /** The reset or restore under way, if any: a write's checks wait for it, so that they read what it puts in place. */
  readonly busy: Promise<void> | undefined;
  /** Insert; rejects with a StoreError('conflict') if the id exists. */
  create<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<void>;
  /** Replace an existing record by id; resolves false if it is not there. */
  update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean>;
  /** Remove by id; resolves false if it is not there. */
  remove(collection: CollectionName, id: string): Promise<boolean>;
  /**
   * Several changes as one write: durable and visible all at once or not at all (a delete with what goes with it,
   * a move), so neither a crash nor a reader ever finds part of them. `build` is called once, after any reset under
   * way and with no wait before the changes are queued, with the store as the writes in flight leave it (forWrites);
   * it may throw, and nothing is written. Each change is checked as create, update and remove check theirs, against
   * the store as the changes before it leave it: a create of an id there rejects with StoreError('conflict'); an
   * update or remove of a record not there, or a build that answers undefined, resolves false, nothing written.
   */
  apply(build: (store: Store) => readonly RecordChange[] | undefined): Promise<boolean>;
  /**
   * Replace the tenant's whole state at once (fixture reset). Atomic: readers see the old or the new state, never a mix;
   * writes asked meanwhile wait and then see the new one. With `shiftMs`, every Graph timestamp of `dataset` is
   * moved by that much (a generated set at a later "now", dateShift.ts); `dataset` itself is not changed and may
   * be passed again: the file store then writes nothing but a journal entry.
   */
  replaceAll(dataset: Dataset, shiftMs?: number): Promise<void>;
  /** A copy of the tenant's whole state, for export. */
  snapshot(): Dataset;
  /**
   * Save the tenant's current state as its baseline `name`, replacing one of that name (each tenant has baselines
   * of its own). Rejects with StoreError('quota') past the limits of baselines.ts.
   */
  saveBaseline(name: string): Promise<{ baseline: BaselineInfo; replaced: boolean }>;
  /** The tenant's baselines, in the order they were first saved. */
  listBaselines(): BaselineInfo[];
  /** Put the baseline back as the whole state, as replaceAll does; undefined when there is none of that name. */
  restoreBaseline(name: string): Promise<BaselineInfo | undefined>;
  /** False when there is none of that name. */
  removeBaseline(name: string): Promise<boolean>;
  /** Flush pending writes and release the file and its lock (every tenant's: they share them). */
  close(): Promise<void>;
  /** Where the data lives (`:memory:` for the memory store), for health and logs. */
  readonly location: string;
  /**
   * Why writes fail now (the last disk operation that failed, without absolute paths), for health; undefined
   * while they work. A write the disk refuses rejects with StoreError('io') and changes nothing. The same for
   * every tenant: they share the data file.
   */
  readonly problem: string | undefined;
  /** The tenant whose data this is (a token's `tid`; DEFAULT_TENANT_ID for the store a caller opened). */
  readonly tenantId: string;
  /** Every tenant of the same store: the others' data, persisted in the same file with the same durability. */
  readonly tenants: Tenants;
}

/**
 * The tenants of one store. Each tenant's data is a Store of its own, with its own baselines; the default
 * tenant's is the store that was opened (or constructed), and the others are added by their first request.
 * Every tenant's writes go to the same data file and journal, so a crash loses nothing acknowledged in any of them.
 */
export interface Tenants {
  readonly defaultId: string;
  /** Tenants held, the default one included. */
  readonly size: number;
  /** The tenants' ids: the default first, then in the order they were added. */
  ids(): string[];
  /** A tenant's store; undefined when the tenant does not exist (or is still being added, or being dropped). */
  get(id: string): Store | undefined;
  /**
   * A tenant's store, the tenant added with `seed()`'s records, every Graph timestamp moved by `shiftMs` as
   * replaceAll moves them (durably, before this resolves, as one reset), when it does not exist yet; `created`
   * says which. Adding one when `limit` tenants exist rejects with StoreError('full'). Records passed in are
   * shared, never copied: they are not changed in place (see Store). `id` is matched in any case and kept
   * lower-cased, as a token's `tid`; one that is no tenant id rejects with a ConfigError.
   */
  open(id: string, seed: () => Dataset | Promise<Dataset>, limit: number, shiftMs?: number): Promise<{ store: Store; created: boolean }>;
  /**
   * Remove a tenant with its data and its baselines (durably); false when it does not exist. The default tenant
   * cannot be dropped. Writes to it asked after this are refused with StoreError('gone'). `id` as for open.
   */
  drop(id: string): Promise<boolean>;
}

/** A baseline as the admin API shows it: its name, when it was saved, and its record counts. */
export interface BaselineInfo {
  name: string;
  createdDateTime: string;
  records: Record<CollectionName, number>;
}

// The store's failures are the emulator's StoreError (errors.ts), re-exported with the seam they belong to.
export { StoreError, type StoreErrorKind } from '../errors.js';
