// Adding a resource role to an access package and taking it away. The role and the scope are named as the create
// page's examples name them: by id, or by originId (and originSystem) with the role's resource by id; both must
// be in the package's catalog, else Graph's 404 ResourceNotFound (microsoft-graph-docs issue 18874, a role scope
// naming a resource that is not in the catalog). The same role and scope twice is a 409 (chosen: not documented).
// https://learn.microsoft.com/graph/api/accesspackage-post-accesspackageresourcerolescopes?view=graph-rest-beta
// https://learn.microsoft.com/graph/api/accesspackage-delete-accesspackageresourcerolescopes?view=graph-rest-beta
import type { Request, Response } from 'express';
import { graphNow } from '../../graphTime.js';
import { GraphError } from '../../graphErrors.js';
import { sendOData } from '../../http/successAnswers.js';
import { graphRoot } from '../../graphWire.js';
import type { AccessPackageResourceRoleScope } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { CollectionName } from '../../collections.js';
import type { ApiVersion } from '../../metadata/csdl.js';
import type { ResourceContext, Row } from '../definition.js';
import { requireBody } from '../handlers.js';
import { withoutReadOnly } from '../inbound.js';
import { type SchemaName, checkNestedEntity, validatorFor } from '../validation.js';
import { contextUrl, entityUrl, keyed } from '../outbound.js';
import { roleScopeId } from './index.js';

type Named = Readonly<Record<string, unknown>> | undefined;

function object(value: unknown): Named {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : undefined;
}

function inCatalog(store: Store, collection: CollectionName, catalogId: unknown): Row[] {
  return (store.list(collection) as unknown as readonly Row[]).filter((r) => r['catalogId'] === catalogId);
}

/** The records `named` designates among `candidates`: by id, else by originId (and originSystem when given). */
function designatedAll(candidates: readonly Row[], named: Named): Row[] {
  if (!named) return [];
  if (typeof named['id'] === 'string') return candidates.filter((r) => r['id'] === (named['id'] as string).toLowerCase());
  if (typeof named['originId'] !== 'string') return [];
  return candidates.filter((r) => r['originId'] === named['originId'] && (named['originSystem'] === undefined || r['originSystem'] === named['originSystem']));
}

function designated(candidates: readonly Row[], named: Named): Row | undefined {
  return designatedAll(candidates, named)[0];
}

/** Where a version's body names the role, the scope and their resource, and the schema each is read with. */
const NAMED: Record<ApiVersion, Record<'role' | 'scope' | 'resource', readonly [string, SchemaName]>> = {
  beta: {
    role: ['accessPackageResourceRole', 'accessPackageResourceRole'],
    scope: ['accessPackageResourceScope', 'accessPackageResourceScope'],
    resource: ['accessPackageResource', 'accessPackageResource'],
  },
  'v1.0': {
    role: ['role', 'v1.0/accessPackageResourceRole'],
    scope: ['scope', 'v1.0/accessPackageResourceScope'],
    resource: ['resource', 'v1.0/accessPackageResource'],
  },
};

/** Whether a nested entity designates one: by id or by originId, as the create page's examples do. */
function designates(named: Named): boolean {
  return typeof named?.['id'] === 'string' || typeof named?.['originId'] === 'string';
}

/**
 * The role, the scope and the resource a body names, each read as its own type, as Graph's reader reads a nested
 * entity: a wrong type or a property the type does not have is the 400 it is at the top level, not a 404 for a role
 * it cannot find. A body that leaves the role or the scope out, or names one by neither id nor originId, names
 * nothing to add: entitlement management's 400 InvalidModel, as for a package that names no catalog (chosen).
 */
function checkNamed(body: Row, version: ApiVersion): void {
  const { role, scope, resource } = NAMED[version];
  const entity = (value: unknown, [, schema]: readonly [string, SchemaName]): Row => {
    const named = object(value);
    if (named === undefined) throw GraphError.of('invalidModel');
    checkNestedEntity(schema, named);
    if (!designates(named)) throw GraphError.of('invalidModel');
    return named;
  };
  for (const named of [entity(body[role[0]], role), entity(body[scope[0]], scope)]) {
    if (named[resource[0]] !== undefined && named[resource[0]] !== null) entity(named[resource[0]], resource);
  }
}

/** A v1.0 body (`role` with its `resource`, `scope`) in beta's names. */
function fromV1(body: Named): Row {
  const role = object(body?.['role']);
  return {
    accessPackageResourceRole: role ? { ...role, accessPackageResource: role['resource'] } : undefined,
    accessPackageResourceScope: body?.['scope'],
  };
}

/** The body's role and scope, as they are stored in the package's catalog; 404 when either is not there. */
function resolveRoleAndScope(store: Store, catalogId: unknown, body: Row): { role: Row; scope: Row } {
  const namedRole = object(body['accessPackageResourceRole']);
  const namedResource = object(namedRole?.['accessPackageResource']);
  const resources = inCatalog(store, 'accessPackageResources', catalogId);
  const resource = namedResource ? designated(resources, namedResource) : undefined;
  if (namedResource && !resource) throw GraphError.of('notFound');
  const roles = inCatalog(store, 'accessPackageResourceRoles', catalogId).filter((r) => !resource || r['accessPackageResourceId'] === resource['id']);
  const scopes = inCatalog(store, 'accessPackageResourceScopes', catalogId);
  const namedScope = object(body['accessPackageResourceScope']);
  // A role named by originId without its resource may be one of several: every application's "Default Access" role
  // has the originId 00000000-0000-0000-0000-000000000000. It is the one whose resource has the named scope.
  for (const role of designatedAll(roles, namedRole)) {
    const scope = designated(
      scopes.filter((s) => s['accessPackageResourceId'] === role['accessPackageResourceId']),
      namedScope,
    );
    if (scope) return { role, scope };
  }
  throw GraphError.of('notFound');
}

export async function createRoleScope(accessPackage: Row, req: Request, res: Response, context: ResourceContext): Promise<void> {
  const body = requireBody(req);
  // The body is read as its type before anything is looked up: a property the type does not have is Graph's 400,
  // not a 404 for a role it cannot find. Its read-only properties are ignored, as on every create.
  const validator = validatorFor(context.version === 'v1.0' ? 'v1.0/accessPackageResourceRoleScope' : 'accessPackageResourceRoleScope');
  validator.check(withoutReadOnly(validator, body, true));
  checkNamed(object(body) ?? {}, context.version);
  const { store, caller } = context;
  const named = context.version === 'v1.0' ? fromV1(object(body)) : (object(body) ?? {});
  const now = graphNow();
  let record: AccessPackageResourceRoleScope | undefined;
  // Looked up and checked inside the write, against the data as the writes before it (a reset, a delete of the
  // package or of the role) leave it: nothing is awaited between the checks and the write.
  await store.apply((current) => {
    const owner = current.get('accessPackages', accessPackage['id'] as string) as Row | undefined;
    if (owner === undefined) throw GraphError.of('notFound');
    const { role, scope } = resolveRoleAndScope(current, owner['catalogId'], named);
    const id = `${String(owner['id'])}_${String(role['id'])}_${String(scope['id'])}`;
    if (current.get('accessPackageResourceRoleScopes', id))
      throw GraphError.of('conflict', 'The access package already holds this resource role at this scope.');
    record = {
      id,
      createdBy: caller,
      createdDateTime: now,
      modifiedBy: caller,
      modifiedDateTime: now,
      accessPackageId: owner['id'] as string,
      accessPackageResourceRoleId: role['id'] as string,
      accessPackageResourceScopeId: scope['id'] as string,
    };
    return [{ op: 'create', collection: 'accessPackageResourceRoleScopes', record }];
  });
  if (record === undefined) throw GraphError.of('notFound');
  const stored = record as unknown as Row;
  const { createdBy, createdDateTime, modifiedBy, modifiedDateTime } = record;
  // Where the new role scope is read, as every create answers (OData: "the response MUST contain a Location header").
  const beta = context.version === 'beta';
  const navigation = beta ? 'accessPackageResourceRoleScopes' : 'resourceRoleScopes';
  const set = `accessPackages/${String(accessPackage['id'])}/${navigation}`;
  const location: [string, string] = ['Location', entityUrl(req, context.version, set, roleScopeId(stored), context.listDeps?.baseUrl)];
  if (beta) {
    // The beta create page's example answers with this context, not the path's.
    const body = { id: roleScopeId(stored), createdBy, createdDateTime, modifiedBy, modifiedDateTime };
    return sendOData(res, 201, { '@odata.context': `${graphRoot('beta')}/$metadata#accessPackageResourceRoleScopes/$entity`, ...body }, location);
  }
  const path = `${keyed('accessPackages', accessPackage['id'])}/${navigation}`;
  sendOData(res, 201, { '@odata.context': contextUrl(context.version, path, undefined, true), id: roleScopeId(stored), createdDateTime }, location);
}

/** The role scope of a package that a key under its path names (`{roleId}_{scopeId}`). */
export function findRoleScope(accessPackage: Row, key: string, store: Store): Row | undefined {
  return store.get('accessPackageResourceRoleScopes', `${String(accessPackage['id'])}_${key.toLowerCase()}`) as Row | undefined;
}

export async function removeRoleScope(_accessPackage: Row, roleScope: Row, { store }: ResourceContext): Promise<void> {
  if (!(await store.remove('accessPackageResourceRoleScopes', roleScope['id'] as string))) throw GraphError.of('notFound');
}
