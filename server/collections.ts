// The collections the emulator stores, each with the entity type of its records (fixtures/<type>.schema.json).
// Every list of collection names in the code derives from this one constant: the store, the data file
// format, fixtures, the admin counts and the resource registry.
export const COLLECTIONS = {
  accessPackages: 'accessPackage',
  accessPackageCatalogs: 'accessPackageCatalog',
  accessPackageAssignmentPolicies: 'accessPackageAssignmentPolicy',
  accessPackageResources: 'accessPackageResource',
  accessPackageResourceRequests: 'accessPackageResourceRequest',
  accessPackageResourceRoles: 'accessPackageResourceRole',
  accessPackageResourceScopes: 'accessPackageResourceScope',
  accessPackageResourceRoleScopes: 'accessPackageResourceRoleScope',
  accessPackageIncompatibilities: 'accessPackageIncompatibility',
} as const;

export type CollectionName = keyof typeof COLLECTIONS;
/** An entity type name: its JSON Schema is fixtures/<name>.schema.json. */
export type ResourceName = (typeof COLLECTIONS)[CollectionName];

export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as readonly CollectionName[];

/** `{ accessPackages: f('accessPackages'), … }` for every collection, in the constant's order. */
export function perCollection<T>(f: (collection: CollectionName) => T): Record<CollectionName, T> {
  return Object.fromEntries(COLLECTION_NAMES.map((name) => [name, f(name)])) as Record<CollectionName, T>;
}
