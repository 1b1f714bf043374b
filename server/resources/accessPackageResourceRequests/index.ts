// accessPackageResourceRequests: how a catalog gets its resources (beta). A request names the catalog, the
// requestType and the accessPackageResource; it is delivered as it is answered (delivery.ts) and kept, listed and read
// as the requests made so far.
// https://learn.microsoft.com/graph/api/resources/accesspackageresourcerequest?view=graph-rest-beta
// https://learn.microsoft.com/graph/tutorial-access-package-api (adds a group to the General catalog); v1.0: v1.ts
import { accessPackageCatalogs } from '../accessPackageCatalogs/index.js';
import { accessPackageResources } from '../accessPackageResources/index.js';
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { parent } from '../navigation.js';
import { resourceRequestRules } from './delivery.js';
import { resourceRequestsV1 } from './v1.js';

export const accessPackageResourceRequests: ResourceDefinition = {
  collection: 'accessPackageResourceRequests',
  typeName: 'accessPackageResourceRequest',
  // The list page documents no $filter example: chosen, the plain structural properties.
  queryable: ['id', 'catalogId', 'requestType', 'requestState', 'requestStatus', 'isValidationOnly', 'justification'],
  // A request is not changed or deleted once delivered: the pages list no update or delete (405 with Allow).
  operations: ['list', 'get', 'create'],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  navigation: {
    // The resource the request added, updated or removed, as the catalog holds it now: none once it was removed.
    accessPackageResource: parent(() => accessPackageResources, 'accessPackageResources', 'accessPackageResourceId'),
    // v1.0's catalog navigation; beta's type has catalogId and no such relationship.
    catalog: parent(() => accessPackageCatalogs, 'accessPackageCatalogs', 'catalogId'),
  },
  rules: resourceRequestRules,
  surfaces: {
    beta: { entitySet: 'accessPackageResourceRequests', navigation: { accessPackageResource: 'accessPackageResource' } },
    'v1.0': resourceRequestsV1,
  },
};
