// accessPackageResourceRoleScopes: a role of a catalog resource, at a scope, in an access package. Contained in
// the package: created, listed and deleted under `/accessPackages/{id}/accessPackageResourceRoleScopes`, with the
// id Graph gives it, `{roleId}_{scopeId}`, and its role and scope through $expand.
// https://learn.microsoft.com/graph/api/accesspackage-post-accesspackageresourcerolescopes?view=graph-rest-beta
import { accessPackageResourceRoles } from '../accessPackageResourceRoles/index.js';
import { accessPackageResourceScopes } from '../accessPackageResourceScopes/index.js';
import type { ResourceDefinition, Row } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { parent } from '../navigation.js';

/** The id Graph shows: the role's and the scope's ids (stored under the package's id too, as two packages may hold the same pair). */
export function roleScopeId(record: Row): string {
  return `${String(record['accessPackageResourceRoleId'])}_${String(record['accessPackageResourceScopeId'])}`;
}

function wire(record: Row): Row {
  const { createdBy, createdDateTime, modifiedBy, modifiedDateTime } = record;
  return { id: roleScopeId(record), createdBy, createdDateTime, modifiedBy, modifiedDateTime };
}

export const accessPackageResourceRoleScopes: ResourceDefinition = {
  collection: 'accessPackageResourceRoleScopes',
  typeName: 'accessPackageResourceRoleScope',
  queryable: ['id', 'createdDateTime', 'modifiedDateTime'],
  operations: [],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  navigation: {
    accessPackageResourceRole: parent(() => accessPackageResourceRoles, 'accessPackageResourceRoles', 'accessPackageResourceRoleId'),
    accessPackageResourceScope: parent(() => accessPackageResourceScopes, 'accessPackageResourceScopes', 'accessPackageResourceScopeId'),
  },
  surfaces: {
    beta: { project: wire },
    'v1.0': {
      navigation: { role: 'accessPackageResourceRole', scope: 'accessPackageResourceScope' },
      project: (record) => ({ id: roleScopeId(record), createdDateTime: record['createdDateTime'] }),
    },
  },
};
