// The records the store holds, one interface per collection as the data file keeps them, and the Dataset that
// holds them all: the shape of the data file, of a reset's fixtures and of `GET /_emulator/export`.
import { type CollectionName, perCollection } from '../collections.js';

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
