// The links between a tenant's records, checked for records the emulator did not write itself (a reset body, a
// FIXTURES file, a hand-written data file): every id and every reference in lower case, and every reference naming
// a record there is. A package is always in an existing catalog and a policy's package must exist
// (https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta,
// docs/entitlement-management.md); loaded as they were, a package in no catalog answered 404 for its catalog.
// Ids are lower case because Graph gives them so and a URL's id is matched lower-cased (resources/keys.ts): a
// record whose id had a capital could be listed but never read, changed or deleted. Refused rather than
// lower-cased (chosen): the message says what is wrong, and nothing is changed behind the file's back.
import { COLLECTION_NAMES, type CollectionName } from '../collections.js';
import { isGuid } from '../guid.js';

/** A reference to another record: the property, the collection it names a record of, and whether null is allowed. */
type Link = readonly [property: string, target: CollectionName, nullable: boolean];

/**
 * Every reference the store keeps between records (records.ts). A package's catalogId may be null in a user's own
 * records (loadRecords.ts puts such a package in the General catalog); an incompatibility names a package or a group.
 */
const LINKS: Partial<Record<CollectionName, readonly Link[]>> = {
  accessPackages: [['catalogId', 'accessPackageCatalogs', true]],
  accessPackageAssignmentPolicies: [['accessPackageId', 'accessPackages', false]],
  accessPackageResources: [['catalogId', 'accessPackageCatalogs', false]],
  // A catalog's delete takes its requests with it, so a kept request names a catalog there is.
  accessPackageResourceRequests: [['catalogId', 'accessPackageCatalogs', true]],
  accessPackageResourceRoles: [
    ['accessPackageResourceId', 'accessPackageResources', false],
    ['catalogId', 'accessPackageCatalogs', false],
  ],
  accessPackageResourceScopes: [
    ['accessPackageResourceId', 'accessPackageResources', false],
    ['catalogId', 'accessPackageCatalogs', false],
  ],
  accessPackageResourceRoleScopes: [
    ['accessPackageId', 'accessPackages', false],
    ['accessPackageResourceRoleId', 'accessPackageResourceRoles', false],
    ['accessPackageResourceScopeId', 'accessPackageResourceScopes', false],
  ],
  accessPackageIncompatibilities: [
    ['accessPackageId', 'accessPackages', false],
    ['incompatibleAccessPackageId', 'accessPackages', true],
  ],
};

/**
 * What an incompatibility must be beyond its links, as the API makes one
 * (https://learn.microsoft.com/graph/api/accesspackage-post-incompatibleaccesspackage?view=graph-rest-beta,
 * https://learn.microsoft.com/graph/api/accesspackage-post-incompatiblegroup?view=graph-rest-beta): a package or a
 * group, never both or neither, and never the package itself, which `POST …/incompatibleAccessPackages/$ref` refuses.
 */
function incompatibilityProblem(record: Record<string, unknown>): string | undefined {
  const pkg = record['incompatibleAccessPackageId'] ?? null;
  const group = record['incompatibleGroupId'] ?? null;
  if ((pkg === null) === (group === null)) {
    return `${pkg === null ? 'neither' : 'both'} 'incompatibleAccessPackageId' and 'incompatibleGroupId' given: an incompatibility names one package or one group`;
  }
  if (pkg !== null && pkg === record['accessPackageId']) {
    return `property 'incompatibleAccessPackageId' names '${String(pkg)}', the package's own 'accessPackageId': a package cannot be incompatible with itself`;
  }
  if (typeof group === 'string' && !isGuid(group)) return `property 'incompatibleGroupId' is '${group}', not a group's id (a GUID)`;
  return undefined;
}

/**
 * The same package or group twice for one package, which `$ref` refuses as a reference added twice: loaded, the
 * first `DELETE …/$ref` would answer 204 and leave the other.
 */
function repeatedLink(record: Record<string, unknown>, index: number, seen: Map<string, number>, where: (index: number) => string): string | undefined {
  const key = `${String(record['accessPackageId'])} ${String(record['incompatibleAccessPackageId'] ?? '')} ${String(record['incompatibleGroupId'] ?? '')}`;
  const first = seen.get(key);
  if (first !== undefined) return `repeats the incompatibility of ${where(first)}`;
  seen.set(key, index);
  return undefined;
}

/** Checks of a record on its own, after its links. */
const RULES: Partial<Record<CollectionName, (record: Record<string, unknown>) => string | undefined>> = {
  accessPackageIncompatibilities: incompatibilityProblem,
};

/** Ids of what is not a stored record (the emulator keeps no groups), matched lower-cased all the same. */
const OUTSIDE_IDS: Partial<Record<CollectionName, readonly string[]>> = { accessPackageIncompatibilities: ['incompatibleGroupId'] };

type Records = Partial<Record<CollectionName, readonly unknown[]>>;

function caseProblem(property: string, value: string): string | undefined {
  const lower = value.toLowerCase();
  if (value === lower) return undefined;
  return `property '${property}' is '${value}', not in lower case: Graph's ids are lower case ('${lower}')`;
}

/**
 * The first id or reference of `data` (one tenant's collections) that is not in lower case, a reference that names
 * no record, or a record RULES refuses; `where(collection, index)` names a record in the message. One pass per collection, with a set of the
 * ids of each collection referred to: about a quarter of the time of the schema check before it (0.2 s of CPU for
 * 100,000 packages with their 167,000 other records, on a busy 2-core machine).
 */
export function linksProblem(data: Records, where: (collection: CollectionName, index: number) => string): string | undefined {
  const ids = new Map<CollectionName, Set<string>>();
  const idsOf = (collection: CollectionName) => {
    let set = ids.get(collection);
    if (set === undefined) {
      set = new Set((data[collection] ?? []).map((r) => (r as { id: string }).id));
      ids.set(collection, set);
    }
    return set;
  };
  for (const collection of COLLECTION_NAMES) {
    const links = LINKS[collection] ?? [];
    const outside = OUTSIDE_IDS[collection] ?? [];
    const seen = new Map<string, number>();
    for (const [index, value] of (data[collection] ?? []).entries()) {
      const record = value as Record<string, unknown>;
      const problem =
        recordProblem(record, links, outside, idsOf) ??
        RULES[collection]?.(record) ??
        (collection === 'accessPackageIncompatibilities' ? repeatedLink(record, index, seen, (at) => where(collection, at)) : undefined);
      if (problem !== undefined) return `${where(collection, index)}: ${problem}`;
    }
  }
  return undefined;
}

function recordProblem(
  record: Record<string, unknown>,
  links: readonly Link[],
  outside: readonly string[],
  idsOf: (collection: CollectionName) => Set<string>,
): string | undefined {
  const own = caseProblem('id', record['id'] as string);
  if (own !== undefined) return own;
  for (const property of outside) {
    const value = record[property];
    const problem = typeof value === 'string' ? caseProblem(property, value) : undefined;
    if (problem !== undefined) return problem;
  }
  for (const [property, target, nullable] of links) {
    const value = record[property];
    if (value === null || value === undefined) {
      if (nullable) continue;
      return `property '${property}' is required: the id of a record of ${target}`;
    }
    if (typeof value !== 'string') continue; // the schema check names it
    const problem = caseProblem(property, value);
    if (problem !== undefined) return problem;
    if (!idsOf(target).has(value)) return `property '${property}' names '${value}', which is no record of ${target}`;
  }
  return undefined;
}
