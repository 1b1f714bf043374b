// accessPackageResources: the groups, applications and sites a catalog holds, read through the catalog
// (`/accessPackageCatalogs/{id}/accessPackageResources`) with their roles and scopes. They are added to a catalog
// and removed from it by resource requests (accessPackageResourceRequests/); generated tenants come with them.
// The action Graph binds to a resource, refresh, is served under the catalog's path (accessPackageCatalogs/).
// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accesspackageresources?view=graph-rest-beta
import { accessPackageResourceRoles } from '../accessPackageResourceRoles/index.js';
import { accessPackageResourceScopes } from '../accessPackageResourceScopes/index.js';
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { children } from '../navigation.js';
import { refresh } from './refresh.js';

export const accessPackageResources: ResourceDefinition = {
  collection: 'accessPackageResources',
  typeName: 'accessPackageResource',
  // The list page documents only "some of the OData query parameters": chosen, the plain structural ones.
  queryable: ['id', 'displayName', 'description', 'originId', 'originSystem', 'resourceType', 'url', 'addedOn'],
  operations: [],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  navigation: {
    accessPackageResourceRoles: children(() => accessPackageResourceRoles, 'accessPackageResourceRoles', 'accessPackageResourceId'),
    accessPackageResourceScopes: children(() => accessPackageResourceScopes, 'accessPackageResourceScopes', 'accessPackageResourceId'),
  },
  actions: { refresh },
  surfaces: {
    // v1.0 names the time a resource was added createdDateTime, and its roles and scopes `roles`, `scopes`; its
    // modifiedDateTime is the time of its last change (an AdminUpdate), its addedOn when it has none stored.
    'v1.0': {
      navigation: { roles: 'accessPackageResourceRoles', scopes: 'accessPackageResourceScopes' },
      // Beta's plain structural ones by v1.0's names: its dates as beta's addedOn is (its type has no resourceType or url).
      queryable: ['id', 'displayName', 'description', 'originId', 'originSystem', 'createdDateTime', 'modifiedDateTime'],
      project: ({ id, attributes, addedOn, description, displayName, modifiedDateTime, originId, originSystem }) => ({
        id,
        attributes,
        createdDateTime: addedOn,
        description,
        displayName,
        modifiedDateTime: modifiedDateTime ?? addedOn,
        originId,
        originSystem,
      }),
    },
  },
};
