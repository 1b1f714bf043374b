// A package's role scopes moved to another catalog: each role and scope is found in the target catalog by its
// resource's origin (originSystem and originId) and its own originId, as the same group or site added to two
// catalogs is two catalog resources with ids of their own. A role scope with no counterpart refuses the move.
// https://learn.microsoft.com/graph/api/accesspackage-movetocatalog?view=graph-rest-beta
import { GraphError } from '../../graphErrors.js';
import type { Store } from '../../store/store.js';
import type { Row } from '../definition.js';

function rows(store: Store, collection: 'accessPackageResources' | 'accessPackageResourceRoles' | 'accessPackageResourceScopes'): readonly Row[] {
  return store.list(collection) as unknown as readonly Row[];
}

/** The counterpart in the target catalog of a role or scope, by its resource's origin and its own originId. */
function counterpart(store: Store, collection: 'accessPackageResourceRoles' | 'accessPackageResourceScopes', id: unknown, catalogId: string): Row | undefined {
  const item = store.get(collection, String(id)) as Row | undefined;
  const resource = item && (store.get('accessPackageResources', String(item['accessPackageResourceId'])) as Row | undefined);
  if (!item || !resource) return undefined;
  const target = rows(store, 'accessPackageResources').find(
    (r) => r['catalogId'] === catalogId && r['originSystem'] === resource['originSystem'] && r['originId'] === resource['originId'],
  );
  return target && rows(store, collection).find((r) => r['accessPackageResourceId'] === target['id'] && r['originId'] === item['originId']);
}

/** Each role scope of the package with its replacement in the target catalog; throws when one has none. */
export function movedRoleScopes(store: Store, accessPackage: Row, catalogId: string): [Row, Row][] {
  if (accessPackage['catalogId'] === catalogId) return [];
  const roleScopes = (store.list('accessPackageResourceRoleScopes') as unknown as readonly Row[]).filter((r) => r['accessPackageId'] === accessPackage['id']);
  return roleScopes.map((roleScope) => {
    const role = counterpart(store, 'accessPackageResourceRoles', roleScope['accessPackageResourceRoleId'], catalogId);
    const scope = counterpart(store, 'accessPackageResourceScopes', roleScope['accessPackageResourceScopeId'], catalogId);
    if (!role || !scope) throw GraphError.of('invalidOperation', 'The resources in the access package must be present in the target catalog.');
    const replacement = {
      ...roleScope,
      id: `${String(accessPackage['id'])}_${String(role['id'])}_${String(scope['id'])}`,
      accessPackageResourceRoleId: role['id'],
      accessPackageResourceScopeId: scope['id'],
    };
    return [roleScope, replacement];
  });
}
