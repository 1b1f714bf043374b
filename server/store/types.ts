import { type CollectionName, perCollection } from '../collections.js';

// The one persistence seam. Route handlers, fixtures and admin endpoints talk to this interface only;
// nothing but the file store imports lowdb.

export interface AccessPackage {
  id: string;
  /** Always an existing catalog's id for records the emulator writes; null only in a user's own fixtures. */
  catalogId: string | null;
  createdBy: string | null;
  createdDateTime: string;
  description: string | null;
  displayName: string | null;
  isHidden: boolean;
  isRoleScopesVisible: boolean;
  modifiedBy: string | null;
  modifiedDateTime: string;
  uniqueName?: string | null;
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
  privilegeLevel?: string;
  uniqueName?: string | null;
}

/** Settings objects of a policy are stored as sent (validated against the schema's complex types). */
type Settings = Record<string, unknown> | null;

export interface AccessPackageAssignmentPolicy {
  id: string;
  accessPackageId: string;
  accessPackageNotificationSettings: Settings;
  accessReviewSettings: Settings;
  canExtend: boolean | null;
  createdBy: string | null;
  createdDateTime: string;
  description: string | null;
  displayName: string | null;
  durationInDays: number | null;
  expirationDateTime: string | null;
  modifiedBy: string | null;
  modifiedDateTime: string;
  questions: Record<string, unknown>[] | null;
  requestApprovalSettings: Settings;
  requestorSettings: Settings;
  verifiableCredentialSettings: Settings;
  /** The v1.0 form of the settings when the policy was last written through v1.0. */
  v1Settings: Settings;
}

/** A resource of a catalog (a group, an application, a SharePoint site). */
export interface AccessPackageResource {
  id: string;
  catalogId: string;
  addedBy: string | null;
  addedOn: string | null;
  attributes: unknown[] | null;
  description: string | null;
  displayName: string | null;
  isPendingOnboarding: boolean | null;
  originId: string | null;
  originSystem: string | null;
  resourceType: string | null;
  url: string | null;
  /**
   * When it was last changed (added, or updated by an AdminUpdate): v1.0's modifiedDateTime, which beta's type has
   * not; absent on resources stored before it was kept, where v1.0 shows addedOn.
   */
  modifiedDateTime?: string | null;
}

/** A request that added a resource to a catalog, updated one or removed one; delivered when it is answered. */
export interface AccessPackageResourceRequest {
  id: string;
  catalogId: string | null;
  executeImmediately: boolean | null;
  expirationDateTime: string | null;
  isValidationOnly: boolean | null;
  justification: string | null;
  requestState: string | null;
  requestStatus: string | null;
  requestType: string | null;
  /** When it was made: v1.0 shows it, beta's type has no such property. */
  createdDateTime: string;
  /**
   * The catalog resource it added, updated or removed (its accessPackageResource, v1.0 resource, navigation); absent
   * on requests stored before the link was kept, null for an add that was only validated.
   */
  accessPackageResourceId?: string | null;
}

export interface AccessPackageResourceRole {
  id: string;
  accessPackageResourceId: string;
  catalogId: string;
  description: string | null;
  displayName: string | null;
  originId: string | null;
  originSystem: string | null;
  type: string | null;
}

export interface AccessPackageResourceScope {
  id: string;
  accessPackageResourceId: string;
  catalogId: string;
  description: string | null;
  displayName: string | null;
  isRootScope: boolean | null;
  originId: string | null;
  originSystem: string | null;
  roleOriginId: string | null;
  url: string | null;
}

/** A role of a catalog resource in an access package, at a scope; stored under the package's id. */
export interface AccessPackageResourceRoleScope {
  id: string;
  accessPackageId: string;
  accessPackageResourceRoleId: string;
  accessPackageResourceScopeId: string;
  createdBy: string | null;
  createdDateTime: string;
  modifiedBy: string | null;
  modifiedDateTime: string;
}

/** An access package's incompatibility with another package or with a group. */
export interface AccessPackageIncompatibility {
  id: string;
  accessPackageId: string;
  incompatibleAccessPackageId: string | null;
  incompatibleGroupId: string | null;
  createdDateTime: string;
}

/** One change of a Store.apply. */
export type RecordChange =
  | { op: 'create' | 'update'; collection: CollectionName; record: EntityOf<CollectionName> }
  | { op: 'remove'; collection: CollectionName; id: string };

/** The whole persisted state; also the shape of the data file and of `GET /_emulator/export`. */
export interface Dataset extends Record<CollectionName, object[]> {
  accessPackages: AccessPackage[];
  accessPackageCatalogs: AccessPackageCatalog[];
  accessPackageAssignmentPolicies: AccessPackageAssignmentPolicy[];
  accessPackageResources: AccessPackageResource[];
  accessPackageResourceRequests: AccessPackageResourceRequest[];
  accessPackageResourceRoles: AccessPackageResourceRole[];
  accessPackageResourceScopes: AccessPackageResourceScope[];
  accessPackageResourceRoleScopes: AccessPackageResourceRoleScope[];
  accessPackageIncompatibilities: AccessPackageIncompatibility[];
}

export type { CollectionName };
export type EntityOf<C extends CollectionName> = Dataset[C][number];

export function emptyDataset(): Dataset {
  return perCollection(() => []) as Dataset;
}

/** A dataset with the collections given and every other one empty. */
export function datasetOf(collections: Partial<Dataset>): Dataset {
  return { ...emptyDataset(), ...collections };
}

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

// The store's failures are the emulator's StoreError (errors.ts), re-exported with the seam they belong to.
export { StoreError, type StoreErrorKind } from '../errors.js';
