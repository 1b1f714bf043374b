// What the random-kill test compares after each restart: a tenant's records seen by their display names, not their
// ids (a create cut off by the kill has an id nobody heard), and the links between records, each checked to name a
// record that is there. Also the records a worker resets its tenant to: two catalogs holding the same group (so a
// package with a role scope can move between them), a third one with a resource and no package (so deleting it
// removes several records), packages with policies, role scopes and an incompatibility.
import { randomUUID } from 'node:crypto';

type Row = Record<string, unknown>;
export type Data = Record<string, Row[]>;

export interface PackageView {
  catalog: string;
  description: string | null;
  policies: string[];
  /** Each role scope as "resource/role@catalog of the role": the catalog follows the package on a move. */
  roleScopes: string[];
  incompatibleWith: string[];
}

export interface View {
  /** Each catalog (the built-in General one aside) with the names of its resources. */
  catalogs: Record<string, string[]>;
  packages: Record<string, PackageView>;
}

const rows = (data: Data, name: string): Row[] => data[name] ?? [];
const str = (value: unknown): string => String(value);
const byKey = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Every link of a tenant's records names a record of it, ids are unique, and a role scope's role is in its package's
 * catalog: what a write half applied (a delete without its cascade, a move without its role scopes) would break.
 */
export function linkProblems(data: Data): string[] {
  const problems: string[] = [];
  const ids = (name: string) => {
    const list = rows(data, name).map((r) => str(r['id']));
    if (new Set(list).size !== list.length) problems.push(`${name} repeats an id`);
    return new Map(rows(data, name).map((r) => [str(r['id']), r]));
  };
  const [catalogs, packages, resources, roles, scopes] = [
    ids('accessPackageCatalogs'),
    ids('accessPackages'),
    ids('accessPackageResources'),
    ids('accessPackageResourceRoles'),
    ids('accessPackageResourceScopes'),
  ];
  ids('accessPackageAssignmentPolicies');
  ids('accessPackageResourceRoleScopes');
  const need = (map: Map<string, Row>, id: unknown, what: string) => {
    if (!map.has(str(id))) problems.push(`${what} names ${str(id)}, which is gone`);
  };
  for (const p of packages.values()) need(catalogs, p['catalogId'], `package ${str(p['displayName'])}`);
  for (const r of resources.values()) need(catalogs, r['catalogId'], `resource ${str(r['id'])}`);
  for (const r of [...roles.values(), ...scopes.values()]) need(resources, r['accessPackageResourceId'], `role or scope ${str(r['id'])}`);
  for (const p of rows(data, 'accessPackageAssignmentPolicies')) need(packages, p['accessPackageId'], `policy ${str(p['displayName'])}`);
  for (const i of rows(data, 'accessPackageIncompatibilities')) {
    need(packages, i['accessPackageId'], `incompatibility ${str(i['id'])}`);
    if (i['incompatibleAccessPackageId'] != null) need(packages, i['incompatibleAccessPackageId'], `incompatibility ${str(i['id'])}`);
  }
  for (const rs of rows(data, 'accessPackageResourceRoleScopes')) {
    need(packages, rs['accessPackageId'], `role scope ${str(rs['id'])}`);
    need(roles, rs['accessPackageResourceRoleId'], `role scope ${str(rs['id'])}`);
    need(scopes, rs['accessPackageResourceScopeId'], `role scope ${str(rs['id'])}`);
    const role = roles.get(str(rs['accessPackageResourceRoleId']));
    const pkg = packages.get(str(rs['accessPackageId']));
    if (role && pkg && role['catalogId'] !== pkg['catalogId']) problems.push(`role scope ${str(rs['id'])} is in another catalog than its package`);
  }
  return problems;
}

/** The links viewOf follows from a record to those naming it. */
const LINKS = [
  ['accessPackageResources', 'catalogId'],
  ['accessPackageResourceRoleScopes', 'accessPackageId'],
  ['accessPackageAssignmentPolicies', 'accessPackageId'],
  ['accessPackageIncompatibilities', 'accessPackageId'],
] as const;

/** The records of `data` whose names start with `prefix` (a worker's own, in a tenant it shares), by name. */
export function viewOf(data: Data, prefix = ''): View {
  const name = (map: Map<string, Row>, id: unknown) => str(map.get(str(id))?.['displayName']);
  const catalogs = new Map(rows(data, 'accessPackageCatalogs').map((c) => [str(c['id']), c]));
  const packages = new Map(rows(data, 'accessPackages').map((p) => [str(p['id']), p]));
  const resources = new Map(rows(data, 'accessPackageResources').map((r) => [str(r['id']), r]));
  const roles = new Map(rows(data, 'accessPackageResourceRoles').map((r) => [str(r['id']), r]));
  const mine = (row: Row | undefined) => row !== undefined && str(row['displayName']).startsWith(prefix);
  // Each collection's rows grouped by the record they name, once: a shared tenant holds every client's records.
  const groups = new Map<string, Row[]>();
  for (const [collection, key] of LINKS)
    for (const r of rows(data, collection)) {
      const group = `${collection}:${str(r[key])}`;
      if (groups.has(group)) groups.get(group)!.push(r);
      else groups.set(group, [r]);
    }
  const of = (collection: (typeof LINKS)[number][0], id: string) => groups.get(`${collection}:${id}`) ?? [];
  return {
    catalogs: byKey(
      [...catalogs.values()]
        .filter((c) => c['catalogType'] !== 'ServiceDefault' && mine(c))
        .map((c) => [
          str(c['displayName']),
          of('accessPackageResources', str(c['id']))
            .map((r) => str(r['displayName']))
            .sort(),
        ]),
    ),
    packages: byKey(
      [...packages.values()].filter(mine).map((p) => {
        const id = str(p['id']);
        const roleScopes = of('accessPackageResourceRoleScopes', id).map((rs) => {
          const role = roles.get(str(rs['accessPackageResourceRoleId']));
          return `${name(resources, role?.['accessPackageResourceId'])}/${str(role?.['displayName'])}@${name(catalogs, role?.['catalogId'])}`;
        });
        const view: PackageView = {
          catalog: name(catalogs, p['catalogId']),
          description: (p['description'] as string | null | undefined) ?? null,
          policies: of('accessPackageAssignmentPolicies', id)
            .map((q) => str(q['displayName']))
            .sort(),
          roleScopes: roleScopes.sort(),
          incompatibleWith: of('accessPackageIncompatibilities', id)
            .map((i) => name(packages, i['incompatibleAccessPackageId']))
            .sort(),
        };
        return [str(p['displayName']), view];
      }),
    ),
  };
}

/** A group added to a catalog: its resource, Member and Owner roles and root scope, all with the group's origin. */
function group(catalogId: string, groupId: string, displayName: string): Data {
  const resource = { id: randomUUID(), catalogId, displayName, originId: groupId, originSystem: 'AadGroup', resourceType: 'Security Group' };
  const role = (role: string) => ({
    id: randomUUID(),
    accessPackageResourceId: resource.id,
    catalogId,
    displayName: role,
    originId: `${role}_${groupId}`,
    originSystem: 'AadGroup',
  });
  const scope = {
    id: randomUUID(),
    accessPackageResourceId: resource.id,
    catalogId,
    displayName: 'Root',
    isRootScope: true,
    originId: groupId,
    originSystem: 'AadGroup',
  };
  return { accessPackageResources: [resource], accessPackageResourceRoles: [role('Member'), role('Owner')], accessPackageResourceScopes: [scope] };
}

function merge(...parts: Data[]): Data {
  const out: Data = {};
  for (const part of parts) for (const [key, list] of Object.entries(part)) out[key] = [...(out[key] ?? []), ...list];
  return out;
}

/**
 * A worker's records under `prefix`: catalogs `{prefix}A` and `{prefix}B` holding one group, `{prefix}X` another;
 * `packages` packages in A, each with a policy, every other one with the group's Member role, the first two
 * incompatible. Fresh ids each call.
 */
export function workerRecords(prefix: string, packages: number): Data {
  const [a, b, x] = ['A', 'B', 'X'].map((n) => ({ id: randomUUID(), displayName: `${prefix}${n}` }));
  const groupId = randomUUID();
  const [inA, inB, inX] = [group(a!.id, groupId, `${prefix}group`), group(b!.id, groupId, `${prefix}group`), group(x!.id, randomUUID(), `${prefix}other`)];
  const pkgs = Array.from({ length: packages }, (_, i) => ({ id: randomUUID(), displayName: `${prefix}base${i}`, catalogId: a!.id, description: 'base' }));
  const member = inA['accessPackageResourceRoles']![0]!;
  const scope = inA['accessPackageResourceScopes']![0]!;
  return merge(inA, inB, inX, {
    accessPackageCatalogs: [a!, b!, x!],
    accessPackages: pkgs,
    accessPackageAssignmentPolicies: pkgs.map((p, i) => ({ id: randomUUID(), displayName: `${prefix}basepolicy${i}`, accessPackageId: p.id })),
    accessPackageResourceRoleScopes: pkgs
      .filter((_, i) => i % 2 === 0)
      .map((p) => ({
        id: `${p.id}_${str(member['id'])}_${str(scope['id'])}`,
        accessPackageId: p.id,
        accessPackageResourceRoleId: member['id'],
        accessPackageResourceScopeId: scope['id'],
      })),
    accessPackageIncompatibilities: pkgs.length < 2 ? [] : [{ id: randomUUID(), accessPackageId: pkgs[0]!.id, incompatibleAccessPackageId: pkgs[1]!.id }],
  });
}

export const mergeRecords = merge;
