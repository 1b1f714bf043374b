// What the model-based test (tests/http/graphModel.test.ts) holds of catalog resources and role scopes: each
// catalog's resources, each with its roles and scopes (they arrive with the fixtures only: no request adds one), and
// each package's role scopes in the order its list answers them. Read back through $expand, compared whole.
import { expect } from '@jest/globals';

type Rec = Record<string, unknown>;

/** A catalog resource as `$expand=accessPackageResources($expand=…Roles,…Scopes)` answers it. */
export interface Resource extends Rec {
  id: string;
  accessPackageResourceRoles: Rec[];
  accessPackageResourceScopes: Rec[];
}

export interface Resources {
  /** Catalog id → its resources; a catalog without any is absent. */
  resources: Map<string, Resource[]>;
  /** Package id → its role scopes (`{roleId}_{scopeId}`), in list order; a package without any is absent. */
  roleScopes: Map<string, Rec[]>;
  /** Package id → the groups it names as incompatible, in the order the links were made; none: absent. */
  groups: Map<string, string[]>;
}

const EM = '/beta/identityGovernance/entitlementManagement';
export const RESOURCES_URL = `${EM}/accessPackageCatalogs?$top=999&$select=id&$expand=accessPackageResources($expand=accessPackageResourceRoles,accessPackageResourceScopes)`;
export const ROLE_SCOPES_URL = `${EM}/accessPackages?$top=999&$select=id&$expand=accessPackageResourceRoleScopes,incompatibleGroups`;

/** An entity without the contexts of its contained expansions: the model holds entities, the checks add those. */
const entityOf = (r: Rec): Rec => Object.fromEntries(Object.entries(r).filter(([name]) => !name.endsWith('@odata.context')));

const grouped = <T>(rows: Rec[], key: string): Map<string, T[]> =>
  new Map(rows.map((r) => [r['id'] as string, (r[key] as Rec[]).map(entityOf) as T[]] as const).filter(([, items]) => items.length > 0));

/** Both, read through the lists of catalogs and packages (`values` follows every page of a list). */
export async function readResources(values: (url: string) => Promise<Rec[]>): Promise<Resources> {
  const packages = await values(ROLE_SCOPES_URL);
  return {
    resources: grouped<Resource>(await values(RESOURCES_URL), 'accessPackageResources'),
    roleScopes: grouped<Rec>(packages, 'accessPackageResourceRoleScopes'),
    groups: new Map([...grouped<Rec>(packages, 'incompatibleGroups')].map(([id, groups]) => [id, groups.map((g) => g['id'] as string)])),
  };
}

export function copyResources(r: Resources): Resources {
  return {
    resources: new Map(r.resources),
    roleScopes: new Map([...r.roleScopes].map(([k, v]) => [k, [...v]])),
    groups: new Map([...r.groups].map(([k, v]) => [k, [...v]])),
  };
}

export function expectResources(read: Resources, held: Resources): void {
  expect(read.resources).toEqual(held.resources);
  expect(read.roleScopes).toEqual(new Map([...held.roleScopes].filter(([, items]) => items.length > 0)));
  expect(read.groups).toEqual(new Map([...held.groups].filter(([, items]) => items.length > 0)));
}

/** A group as incompatibleGroups shows it: named as the catalog resource that is the group, else null. */
export function groupOf(r: Resources, id: string): Rec {
  const resource = [...r.resources.values()].flat().find((res) => res['originSystem'] === 'AadGroup' && res['originId'] === id);
  return { id, displayName: resource?.['displayName'] ?? null };
}

/** A resource as its catalog's list answers it: without the roles and scopes the expand nests in it. */
export function flat(resource: Resource): Rec {
  const { accessPackageResourceRoles: _r, accessPackageResourceScopes: _s, ...rest } = resource;
  return rest;
}

/** The role and the scope a role scope names, from its id `{roleId}_{scopeId}`. */
export function partsOf(roleScope: Rec): [string, string] {
  const [role, scope] = String(roleScope['id']).split('_');
  return [role!, scope!];
}

/** Where a role or a scope is: its catalog and its resource. */
export function locate(
  r: Resources,
  kind: 'accessPackageResourceRoles' | 'accessPackageResourceScopes',
  id: string,
): { catalog: string; resource: Resource; item: Rec } | undefined {
  for (const [catalog, resources] of r.resources)
    for (const resource of resources) {
      const item = resource[kind].find((x) => x['id'] === id);
      if (item !== undefined) return { catalog, resource, item };
    }
  return undefined;
}

/**
 * The counterpart of a role or scope in another catalog, as moveToCatalog finds it (docs/entitlement-management.md):
 * the resource there with the same originSystem and originId, and in it the item with the same originId.
 */
export function counterpart(r: Resources, kind: 'accessPackageResourceRoles' | 'accessPackageResourceScopes', id: string, catalog: string): Rec | undefined {
  const found = locate(r, kind, id);
  if (found === undefined) return undefined;
  const target = (r.resources.get(catalog) ?? []).find(
    (res) => res['originSystem'] === found.resource['originSystem'] && res['originId'] === found.resource['originId'],
  );
  return target?.[kind].find((x) => x['originId'] === found.item['originId']);
}

/** How many of each the tenant holds, as the admin API counts them: what a delete left behind shows there. */
export function resourceCounts(r: Resources): Record<string, number> {
  const resources = [...r.resources.values()].flat();
  const sum = (items: Rec[][]) => items.reduce((total, list) => total + list.length, 0);
  return {
    accessPackageResources: resources.length,
    accessPackageResourceRoles: sum(resources.map((res) => res.accessPackageResourceRoles)),
    accessPackageResourceScopes: sum(resources.map((res) => res.accessPackageResourceScopes)),
    accessPackageResourceRoleScopes: sum([...r.roleScopes.values()]),
  };
}

/** Links to packages and to groups, as the admin API counts them (accessPackageIncompatibilities). */
export function incompatibilities(packages: Map<string, string[]>, r: Resources): number {
  return [...packages.values(), ...r.groups.values()].reduce((total, ids) => total + ids.length, 0);
}
