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

/** The whole persisted state; also the shape of the data file and of `GET /_emulator/export`. */
export interface Dataset extends Record<CollectionName, object[]> {
  accessPackages: AccessPackage[];
  accessPackageCatalogs: AccessPackageCatalog[];
  accessPackageAssignmentPolicies: AccessPackageAssignmentPolicy[];
  accessPackageResources: AccessPackageResource[];
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
