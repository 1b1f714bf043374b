// accessPackageResourceRoles: the roles of a catalog's resources (a group's Member and Owner, an application's
// app roles, a site's permission levels), listed through the catalog and filtered as the list page shows:
// `$filter=(originSystem eq 'AadGroup' and accessPackageResource/id eq '…')&$expand=accessPackageResource`.
// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accessPackageresourceroles?view=graph-rest-beta
import { accessPackageResources } from '../accessPackageResources/index.js';
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { parent } from '../navigation.js';

export const accessPackageResourceRoles: ResourceDefinition = {
  collection: 'accessPackageResourceRoles',
  typeName: 'accessPackageResourceRole',
  queryable: ['id', 'displayName', 'description', 'originId', 'originSystem'],
  filterPaths: { 'accessPackageResource/id': 'accessPackageResourceId', 'resource/id': 'accessPackageResourceId' },
  operations: [],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  navigation: {
    accessPackageResource: parent(() => accessPackageResources, 'accessPackageResources', 'accessPackageResourceId'),
  },
  surfaces: { 'v1.0': { navigation: { resource: 'accessPackageResource' } } },
};
