// What ties a generated tenant's packages to the rest: a policy or two per package (a pattern of the tenant,
// policyPlans.ts), a role of one of its catalog's resources, and a few incompatibilities — with another package of
// its catalog, or with one of its catalog's groups. Drawn from the seeded random of the user's SEED (random.ts),
// each record made from records json-schema-faker generated: at 100,000 packages a pass per collection costs tens
// of milliseconds where a json-schema-faker record of a policy's size costs about 50 µs.
import { createRandom, deriveSeed, type Random } from '../random.js';
import { POLICY_PATTERNS, type PolicyKind } from './entitlements.js';
import { DEPARTMENTS, requestSentence } from './vocabulary.js';
import type {
  AccessPackage,
  AccessPackageAssignmentPolicy,
  AccessPackageIncompatibility,
  AccessPackageResource,
  AccessPackageResourceRole,
  AccessPackageResourceRoleScope,
  AccessPackageResourceScope,
} from '../store/records.js';

const MINUTE_MS = 60_000;

/** A v4-shaped lowercase GUID from four 32-bit draws. */
function uuid(random: Random): string {
  const word = () => random.int(0, 0xffffffff).toString(16).padStart(8, '0');
  const [a, b, c, d] = [word(), word(), word(), word()];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[parseInt(c[0]!, 16) & 3]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

const ms = (dateTime: string) => Date.parse(`${dateTime.slice(0, 23)}Z`);
/** A Graph DateTimeOffset `minutes` after `dateTime`, keeping its sub-millisecond digits. */
const after = (dateTime: string, minutes: number) => `${new Date(ms(dateTime) + minutes * MINUTE_MS).toISOString().slice(0, 23)}${dateTime.slice(23)}`;

/** Whether a pattern lets users of other organizations request: only packages of an externally visible catalog may. */
const forExternalUsers = (pattern: AccessPackageAssignmentPolicy) =>
  (pattern.requestorSettings as { scopeType?: string } | null)?.scopeType === 'AllConfiguredConnectedOrganizationSubjects';

/**
 * One policy per package, a second for one in ten, each a pattern's settings under the package. A pattern for
 * connected organizations goes only to a package of a catalog whose packages users outside the tenant may request
 * (`isExternallyVisible`); elsewhere the next pattern is taken.
 * https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-beta
 */
export function policiesFor(
  seed: number,
  packages: readonly AccessPackage[],
  patterns: readonly AccessPackageAssignmentPolicy[],
  externalCatalogs: ReadonlySet<string | null>,
  resources: readonly AccessPackageResource[],
): AccessPackageAssignmentPolicy[] {
  if (patterns.length === 0) return [];
  const teamGroup = teamGroups(resources);
  const random = createRandom(deriveSeed(seed, 'policies'));
  return packages.flatMap((accessPackage, i) => {
    const count = i % 10 === 0 ? 2 : 1;
    const external = externalCatalogs.has(accessPackage.catalogId);
    let first = -1;
    let earlierFirst = -1;
    return Array.from({ length: count }, () => {
      // A second policy is another pattern than the first: two alike would offer the same request twice.
      const drawn = weightedIndex(random);
      let index = drawn;
      while (index === first || (!external && forExternalUsers(patterns[index]!))) index = (index + 1) % patterns.length;
      // The pattern earlier versions took: its question ids are drawn even when another is taken, so that the
      // policies after it keep their ids.
      const earlierIndex = drawn === earlierFirst ? (drawn + 1) % patterns.length : drawn;
      const earlier = patterns[earlierIndex]!;
      earlierFirst = earlierFirst === -1 ? earlierIndex : earlierFirst;
      first = first === -1 ? index : first;
      const pattern = patterns[index]!;
      const created = after(accessPackage.createdDateTime, random.int(1, 30));
      const id = uuid(random);
      const questions = (pattern.questions ?? []).map((q) => ({ ...q, id: uuid(random) }));
      for (let unused = questions.length; unused < (earlier.questions ?? []).length; unused += 1) uuid(random);
      return {
        ...pattern,
        id,
        accessPackageId: accessPackage.id,
        createdBy: accessPackage.createdBy,
        createdDateTime: created,
        modifiedBy: accessPackage.createdBy,
        modifiedDateTime: created,
        questions,
        requestorSettings: withTeamGroup(pattern.requestorSettings, teamGroup(accessPackage.catalogId)),
      };
    });
  });
}

/**
 * The group whose members a package's policy lets request it: its catalog's first group (each catalog holds one,
 * resourcePlans.ts), else the tenant's first. Chosen without a draw, so every other value stays the seed's.
 */
function teamGroups(resources: readonly AccessPackageResource[]): (catalogId: string | null) => string | undefined {
  const byCatalog = new Map<string | null, string>();
  for (const r of resources) if (r.originSystem === 'AadGroup' && r.originId !== null && !byCatalog.has(r.catalogId)) byCatalog.set(r.catalogId, r.originId);
  const first = byCatalog.values().next().value;
  return (catalogId) => byCatalog.get(catalogId) ?? first;
}

/**
 * A pattern's requestors with each group (`groupMembers`) the package's team group: the pattern's own id was drawn
 * at random and named no group of the tenant. A pattern without groups, or a tenant without any, is left as it is.
 */
function withTeamGroup(settings: AccessPackageAssignmentPolicy['requestorSettings'], group: string | undefined) {
  const requestors = (settings as { allowedRequestors?: { '@odata.type'?: string }[] } | null)?.allowedRequestors;
  if (group === undefined || !requestors?.some((r) => r['@odata.type'] === '#microsoft.graph.groupMembers')) return settings;
  const allowedRequestors = requestors.map((r) => (r['@odata.type'] === '#microsoft.graph.groupMembers' ? { ...r, id: group } : r));
  return { ...settings, allowedRequestors };
}

// How often each pattern of entitlements.ts is used: direct assignment and open requests are the common ones.
const PATTERN_WEIGHTS = [30, 30, 20, 8, 6, 6];

function weightedIndex(random: Random): number {
  let draw = random.int(1, 100);
  for (const [i, weight] of PATTERN_WEIGHTS.entries()) {
    draw -= weight;
    if (draw <= 0) return i;
  }
  return 0;
}

interface CatalogHoldings {
  resources: AccessPackageResource[];
  roles: Map<string, AccessPackageResourceRole[]>;
  scopes: Map<string, AccessPackageResourceScope>;
}

function holdingsByCatalog(
  resources: readonly AccessPackageResource[],
  roles: readonly AccessPackageResourceRole[],
  scopes: readonly AccessPackageResourceScope[],
) {
  const byCatalog = new Map<string, CatalogHoldings>();
  for (const resource of resources) {
    const holdings: CatalogHoldings = byCatalog.get(resource.catalogId) ?? { resources: [], roles: new Map(), scopes: new Map() };
    holdings.resources.push(resource);
    byCatalog.set(resource.catalogId, holdings);
  }
  for (const role of roles) {
    const byResource = byCatalog.get(role.catalogId)?.roles;
    if (!byResource) continue;
    const list = byResource.get(role.accessPackageResourceId);
    if (list) list.push(role);
    else byResource.set(role.accessPackageResourceId, [role]);
  }
  for (const scope of scopes) byCatalog.get(scope.catalogId)?.scopes.set(scope.accessPackageResourceId, scope);
  return byCatalog;
}

/**
 * Whether a resource is of the package's department: the package is named for it ("Finance – Treasury"), the resource
 * describes who it is for ("Security group for finance staff."). A department's catalog holds only its own resources;
 * the General catalog those of a few departments, which may not include the package's.
 */
function ofDepartment(accessPackage: AccessPackage, resource: AccessPackageResource): boolean {
  const department = DEPARTMENTS.find((d) => accessPackage.displayName?.startsWith(`${d.name} – `));
  return department !== undefined && (resource.description?.endsWith(` ${department.team}.`) ?? false);
}

/**
 * For one package in two, a role of one of its catalog's resources of its own department, at the resource's root
 * scope: none for a package of the General catalog when General holds no resource of its department.
 */
export function roleScopesFor(
  seed: number,
  packages: readonly AccessPackage[],
  resources: readonly AccessPackageResource[],
  roles: readonly AccessPackageResourceRole[],
  scopes: readonly AccessPackageResourceScope[],
): AccessPackageResourceRoleScope[] {
  const random = createRandom(deriveSeed(seed, 'roleScopes'));
  const byCatalog = holdingsByCatalog(resources, roles, scopes);
  const result: AccessPackageResourceRoleScope[] = [];
  for (const [i, accessPackage] of packages.entries()) {
    if (i % 2 === 1) continue;
    const holdings = accessPackage.catalogId === null ? undefined : byCatalog.get(accessPackage.catalogId);
    if (!holdings || holdings.resources.length === 0) continue;
    // The drawn resource, else the next one of the package's department: every draw is made as before, so the
    // packages of a department's catalog keep the role scopes earlier versions gave.
    const drawn = random.int(0, holdings.resources.length - 1);
    const minutes = random.int(1, 60);
    const resources = [...holdings.resources.slice(drawn), ...holdings.resources.slice(0, drawn)];
    const resource = resources.find((r) => ofDepartment(accessPackage, r));
    if (!resource) continue;
    const role = holdings.roles.get(resource.id)?.[0];
    const scope = holdings.scopes.get(resource.id);
    if (!role || !scope) continue;
    const created = after(ms(resource.addedOn ?? '') > ms(accessPackage.createdDateTime) ? resource.addedOn! : accessPackage.createdDateTime, minutes);
    // In the schema's order, as every stored record is.
    result.push({
      id: `${accessPackage.id}_${role.id}_${scope.id}`,
      createdBy: accessPackage.createdBy,
      createdDateTime: created,
      modifiedBy: accessPackage.createdBy,
      modifiedDateTime: created,
      accessPackageId: accessPackage.id,
      accessPackageResourceRoleId: role.id,
      accessPackageResourceScopeId: scope.id,
    });
  }
  return result;
}

/** One package in 25 incompatible with another of its catalog; one in 50 with one of its catalog's groups. */
export function incompatibilitiesFor(
  seed: number,
  packages: readonly AccessPackage[],
  resources: readonly AccessPackageResource[],
): AccessPackageIncompatibility[] {
  const random = createRandom(deriveSeed(seed, 'incompatibilities'));
  const byCatalog = new Map<string | null, AccessPackage[]>();
  for (const p of packages) {
    const list = byCatalog.get(p.catalogId);
    if (list) list.push(p);
    else byCatalog.set(p.catalogId, [p]);
  }
  const groups = resources.filter((r) => r.originSystem === 'AadGroup');
  const links: AccessPackageIncompatibility[] = [];
  packages.forEach((accessPackage, i) => {
    const withPackage = i % 25 === 12;
    const withGroup = i % 50 === 17;
    if (!withPackage && !withGroup) return;
    const minutes = random.int(30, 120);
    // Made after the package and after what it names: a link never predates either end.
    const link = (id: string, named: string, incompatibleAccessPackageId: string | null, incompatibleGroupId: string | null): AccessPackageIncompatibility => ({
      id,
      accessPackageId: accessPackage.id,
      incompatibleAccessPackageId,
      incompatibleGroupId,
      createdDateTime: after(ms(named) > ms(accessPackage.createdDateTime) ? named : accessPackage.createdDateTime, minutes),
    });
    const siblings = byCatalog.get(accessPackage.catalogId) ?? [];
    if (withPackage && siblings.length > 1) {
      let other = siblings[random.int(0, siblings.length - 1)]!;
      if (other.id === accessPackage.id) other = siblings[(siblings.indexOf(other) + 1) % siblings.length]!;
      links.push(link(`${accessPackage.id}_package_${other.id}`, other.createdDateTime, other.id, null));
    }
    const catalogGroups = withGroup ? groups.filter((g) => g.catalogId === accessPackage.catalogId) : [];
    if (catalogGroups.length > 0) {
      const group = catalogGroups[random.int(0, catalogGroups.length - 1)]!;
      links.push(link(`${accessPackage.id}_group_${group.originId}`, group.addedOn ?? accessPackage.createdDateTime, null, group.originId));
    }
  });
  return links;
}

/**
 * The packages with the sentence on how each is requested added to its description, from all of its policies'
 * patterns (matched by name), so that the words agree with every policy's settings: a package with a direct
 * assignment and a policy open to employees can be requested (filterByCurrentUser lists it).
 */
export function describedByPolicies(packages: readonly AccessPackage[], policies: readonly AccessPackageAssignmentPolicy[]): AccessPackage[] {
  const kinds = new Map(POLICY_PATTERNS.map((p) => [p.displayName, p.kind]));
  const kindsOf = new Map<string, PolicyKind[]>();
  for (const policy of policies) {
    const kind = kinds.get(policy.displayName ?? '');
    if (kind === undefined) continue;
    const known = kindsOf.get(policy.accessPackageId);
    if (known) known.push(kind);
    else kindsOf.set(policy.accessPackageId, [kind]);
  }
  return packages.map((p) => {
    const sentence = requestSentence(kindsOf.get(p.id) ?? []);
    return sentence === undefined ? p : { ...p, description: `${p.description ?? ''} ${sentence}`.trim() };
  });
}
