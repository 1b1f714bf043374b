// accessPackageResourceScopes: where a resource's roles apply (the root of a group or an application, a
// SharePoint site), listed through the catalog or the resource.
// https://learn.microsoft.com/graph/api/resources/accesspackageresourcescope?view=graph-rest-beta
import { accessPackageResources } from '../accessPackageResources/index.js';
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { parent } from '../navigation.js';

export const accessPackageResourceScopes: ResourceDefinition = {
  collection: 'accessPackageResourceScopes',
  typeName: 'accessPackageResourceScope',
  queryable: ['id', 'displayName', 'description', 'originId', 'originSystem', 'isRootScope'],
  filterPaths: { 'accessPackageResource/id': 'accessPackageResourceId', 'resource/id': 'accessPackageResourceId' },
  operations: [],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  navigation: {
    accessPackageResource: parent(() => accessPackageResources, 'accessPackageResources', 'accessPackageResourceId'),
  },
  surfaces: { 'v1.0': { navigation: { resource: 'accessPackageResource' } } },
};
