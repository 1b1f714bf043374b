// The model-based test's role scopes and catalog resources (tests/http/graphModel.test.ts): a role of a catalog
// resource added to a package at one of its scopes, read, listed and removed; a catalog's resources, roles and scopes
// listed. What a delete takes along is in graphModelOps.ts (forgetPackage, a catalog's resources), a package's move
// to another catalog in graphModelMoves.ts.
import { expect } from '@jest/globals';
import { GRAPH_DATE_TIME } from './graph.js';
import { CONTEXT, type Rec, type TenantModel, UNKNOWN_ID, upnOf } from './graphModel.js';
import { type Op, ROOT, notFound, ok, pick, refused } from './graphModelOps.js';
import { flat, locate, partsOf } from './graphModelResources.js';

const ROLE_SCOPES = 'accessPackageResourceRoleScopes';
const NONE = `${UNKNOWN_ID}_${UNKNOWN_ID}`;

/** Every role of the tenant's catalog resources with its resource and catalog, in catalog and resource order. */
function roles(t: TenantModel): { catalog: string; resource: Rec; role: Rec; scopes: Rec[] }[] {
  return [...t.resources].flatMap(([catalog, resources]) =>
    resources.flatMap((resource) =>
      resource.accessPackageResourceRoles.map((role) => ({ catalog, resource, role, scopes: resource.accessPackageResourceScopes })),
    ),
  );
}

/**
 * POST a package's role scope: a role (mostly of the package's catalog) and a scope of its resource (or, `other`, of
 * another resource of that catalog), named by id or, `byOrigin`, by originId with the role's resource by id.
 */
export function addRoleScope(p: number, r: number, s: number, other: boolean, byOrigin: boolean, v1 = false): Op {
  return (t) => {
    const id = pick([...t.packages.keys()], p);
    const own = t.packages.get(id)?.['catalogId'];
    const all = roles(t);
    const mine = all.filter((x) => x.catalog === own);
    // Mostly a role of the package's catalog; now and then any, which another catalog's refuses.
    const among = r % 4 === 0 || mine.length === 0 ? all : mine;
    const chosen = among[r % Math.max(1, among.length)];
    const role = chosen?.role ?? { id: UNKNOWN_ID, originId: 'none', originSystem: 'AadGroup' };
    const siblings = other ? (t.resources.get(chosen?.catalog ?? '') ?? []).flatMap((res) => res.accessPackageResourceScopes) : (chosen?.scopes ?? []);
    const scope = siblings[s % Math.max(1, siblings.length)] ?? { id: UNKNOWN_ID, originId: 'none', originSystem: 'AadGroup' };
    const body = byOrigin
      ? {
          accessPackageResourceRole: {
            originId: role['originId'],
            originSystem: role['originSystem'],
            accessPackageResource: { id: chosen?.resource['id'] ?? UNKNOWN_ID },
          },
          accessPackageResourceScope: { originId: scope['originId'], originSystem: scope['originSystem'] },
        }
      : { accessPackageResourceRole: { id: role['id'] }, accessPackageResourceScope: { id: scope['id'] } };
    const key = `${String(role['id'])}_${String(scope['id'])}`;
    // v1.0 names them role (with its resource) and scope, under resourceRoleScopes.
    const path = `accessPackages/${id}/${v1 ? 'resourceRoleScopes' : ROLE_SCOPES}`;
    const { accessPackageResourceRole: namedRole, accessPackageResourceScope: namedScope } = body as Record<string, Rec>;
    const { accessPackageResource: resource, ...roleOnly } = namedRole!;
    return {
      label: `POST ${v1 ? 'v1.0 ' : ''}${path} ${key}${byOrigin ? ' by origin' : ''}`,
      method: 'POST',
      url: `${ROOT}/${path}`,
      ...(v1 ? { version: 'v1.0' as const } : {}),
      body: v1 ? { role: { ...roleOnly, ...(resource === undefined ? {} : { resource }) }, scope: namedScope } : body,
      touches: [id, String(own)],
      check(t, answer, ctx) {
        const sameResource = chosen?.scopes.some((x) => x['id'] === scope['id']);
        if (id === UNKNOWN_ID || chosen?.catalog !== own || !sameResource) return notFound(answer, ctx);
        const held = t.roleScopes.get(id) ?? [];
        if (held.some((x) => x['id'] === key))
          return refused(answer, 409, 'Conflict', 'The access package already holds this resource role at this scope.', ctx);
        ok(answer, 201, ctx);
        const { '@odata.context': context, ...answered } = answer.body as Rec;
        const created = answered['createdDateTime'];
        expect(created).toMatch(GRAPH_DATE_TIME);
        const upn = upnOf(ctx.tid);
        const record = { id: key, createdBy: upn, createdDateTime: created, modifiedBy: upn, modifiedDateTime: created };
        // The beta create page's example answers with the context of the entity set, v1.0 with the path's.
        expect(context).toBe(
          v1
            ? `${CONTEXT.replace('/beta/', '/v1.0/')}/accessPackages('${id}')/resourceRoleScopes/$entity`
            : 'https://graph.microsoft.com/beta/$metadata#accessPackageResourceRoleScopes/$entity',
        );
        expect(answered).toEqual(v1 ? { id: key, createdDateTime: created } : record);
        expect(answer.headers['location']).toBe(`${ctx.origin}/${v1 ? 'v1.0' : 'beta'}${ROOT}/${path}/${key}`);
        t.roleScopes.set(id, [...held, record]);
      },
    };
  };
}

/** GET or DELETE one of a package's role scopes (mostly one it has) by its key under the package. */
export function roleScopeOne(method: 'GET' | 'DELETE', p: number, i: number): Op {
  return (t) => {
    const id = pick([...t.packages.keys()], p);
    const held = t.roleScopes.get(id) ?? [];
    const key = i % (held.length + 1) === held.length ? NONE : String(held[i % (held.length + 1)]!['id']);
    const path = `accessPackages/${id}/${ROLE_SCOPES}/${key}`;
    return {
      label: `${method} ${path}`,
      method,
      url: `${ROOT}/${path}`,
      touches: [id],
      check(t, answer, ctx) {
        const record = (t.roleScopes.get(id) ?? []).find((x) => x['id'] === key);
        if (record === undefined) return notFound(answer, ctx);
        if (method === 'DELETE') {
          ok(answer, 204, ctx);
          t.roleScopes.set(
            id,
            t.roleScopes.get(id)!.filter((x) => x !== record),
          );
          return;
        }
        ok(answer, 200, ctx);
        expect(answer.body).toEqual({ '@odata.context': `${CONTEXT}/accessPackages('${id}')/${ROLE_SCOPES}/$entity`, ...record });
      },
    };
  };
}

/** A collection under a package (its role scopes) or a catalog (its resources, roles, scopes), in one page. */
export function listUnder(
  segment: 'accessPackageResourceRoleScopes' | 'accessPackageResources' | 'accessPackageResourceRoles' | 'accessPackageResourceScopes',
  n: number,
): Op {
  return (t) => {
    const ofPackage = segment === ROLE_SCOPES;
    const set = ofPackage ? 'accessPackages' : 'accessPackageCatalogs';
    // Catalogs with resources are picked more often.
    const id = pick(ofPackage ? [...t.packages.keys()] : [...t.resources.keys(), ...t.catalogs.keys()], n);
    return {
      label: `GET ${set}/${id}/${segment}`,
      method: 'GET',
      url: `${ROOT}/${set}/${id}/${segment}?$top=999`,
      touches: [id],
      check(t, answer, ctx) {
        if (!(ofPackage ? t.packages : t.catalogs).has(id)) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        const resources = t.resources.get(id) ?? [];
        const expected = ofPackage
          ? (t.roleScopes.get(id) ?? [])
          : segment === 'accessPackageResources'
            ? resources.map(flat)
            : resources.flatMap((r) => r[segment]);
        expect(answer.body).toEqual({ '@odata.context': `${CONTEXT}/${set}('${id}')/${segment}`, value: expected });
      },
    };
  };
}

/** A package read with its role scopes expanded, each with its role and its scope, as the list role scopes page shows. */
export function expandRoleScopes(p: number): Op {
  return (t) => {
    const id = pick([...t.packages.keys()], p);
    const expand = 'accessPackageResourceRoleScopes($expand=accessPackageResourceRole,accessPackageResourceScope)';
    return {
      label: `GET ${id} $expand=${expand}`,
      method: 'GET',
      url: `${ROOT}/accessPackages/${id}?$select=id&$expand=${expand}`,
      touches: [id],
      check(t, answer, ctx) {
        if (!t.packages.has(id)) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        // Each contained navigation carries its context, the path through the package and the role scope.
        const roleScopes = `${CONTEXT}/accessPackages('${id}')/accessPackageResourceRoleScopes`;
        const expanded = (t.roleScopes.get(id) ?? []).map((rs) => {
          const [role, scope] = partsOf(rs);
          const item = (kind: 'accessPackageResourceRoles' | 'accessPackageResourceScopes', part: string) => locate(t, kind, part)?.item ?? null;
          const at = `${roleScopes}('${String(rs['id'])}')`;
          return {
            ...rs,
            'accessPackageResourceRole@odata.context': `${at}/accessPackageResourceRole/$entity`,
            accessPackageResourceRole: item('accessPackageResourceRoles', role),
            'accessPackageResourceScope@odata.context': `${at}/accessPackageResourceScope/$entity`,
            accessPackageResourceScope: item('accessPackageResourceScopes', scope),
          };
        });
        expect(answer.body).toEqual({
          '@odata.context': `${CONTEXT}/accessPackages(id,accessPackageResourceRoleScopes(accessPackageResourceRole(),accessPackageResourceScope()))/$entity`,
          id,
          'accessPackageResourceRoleScopes@odata.context': `${roleScopes}(accessPackageResourceRole(),accessPackageResourceScope())`,
          accessPackageResourceRoleScopes: expanded,
        });
      },
    };
  };
}
