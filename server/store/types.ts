import { type CollectionName, perCollection } from '../collections.js';

// The one persistence seam. Route handlers, fixtures and admin endpoints talk to this interface only;
// nothing but the file store imports lowdb.

export interface AccessPackage {
  id: string;
  catalogId: string | null;
  createdBy: string | null;
  createdDateTime: string;
  description: string | null;
  displayName: string | null;
  isHidden: boolean;
  isRoleScopesVisible: boolean;
  modifiedBy: string | null;
  modifiedDateTime: string;
}

export interface AccessPackageCatalog {
  id: string;
  catalogStatus: string | null;
  catalogType: string | null;
  createdBy: string | null;
  createdDateTime: string;
  description: string | null;
  displayName: string | null;
  isExternallyVisible: boolean;
  modifiedBy: string | null;
  modifiedDateTime: string;
}

/** The whole persisted state; also the shape of the data file and of `GET /_emulator/export`. */
export interface Dataset extends Record<CollectionName, object[]> {
  accessPackages: AccessPackage[];
  accessPackageCatalogs: AccessPackageCatalog[];
}

export type { CollectionName };
export type EntityOf<C extends CollectionName> = Dataset[C][number];

export function emptyDataset(): Dataset {
  return perCollection(() => []) as Dataset;
}

/**
 * Records handed out are the stored objects themselves (no per-request copy); callers must treat them
 * as read-only and write through create/update/remove. Every write resolves only once it is durable.
 */
export interface Store {
  /** Records in insertion order. Cheap: no copy of the collection. */
  list<C extends CollectionName>(collection: C): readonly EntityOf<C>[];
  get<C extends CollectionName>(collection: C, id: string): EntityOf<C> | undefined;
  count(collection: CollectionName): number;
  /**
   * The record's insertion sequence number: larger for every later create, kept by updates, stable while
   * the store is open (reopening renumbers in the same order). Undefined when the id is not stored.
   */
  sequenceOf(collection: CollectionName, id: string): number | undefined;
  /** Position in `list(collection)` of the first record whose sequence number is greater than `seq`. */
  indexAfter(collection: CollectionName, seq: number): number;
  /** Names the current numbering; it changes when the store is reopened, and numbers from another epoch are not comparable. */
  readonly sequenceEpoch: string;
  /** Insert; rejects with a StoreError('conflict') if the id exists. */
  create<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<void>;
  /** Replace an existing record by id; resolves false if it is not there. */
  update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean>;
  /** Remove by id; resolves false if it is not there. */
  remove(collection: CollectionName, id: string): Promise<boolean>;
  /** Replace the whole state at once (fixture reset). Atomic: readers see the old or the new state, never a mix. */
  replaceAll(dataset: Dataset): Promise<void>;
  /** A copy of the whole state, for export. */
  snapshot(): Dataset;
  /** Flush pending writes and release the file and its lock. */
  close(): Promise<void>;
  /** Where the data lives (`:memory:` for the memory store), for health and logs. */
  readonly location: string;
}

// The store's failures are the emulator's StoreError (errors.ts), re-exported with the seam they belong to.
export { StoreError, type StoreErrorKind } from '../errors.js';
