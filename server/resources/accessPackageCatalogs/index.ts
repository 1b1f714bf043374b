// accessPackageCatalogs: the catalogs packages belong to, listed and read with the same OData support as
// packages. https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-beta
// Writes are not served (405 with Allow: GET): chosen, so that no catalog rule of the live service
// (a catalog that still holds packages cannot be deleted) is answered differently here.
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';

export const accessPackageCatalogs: ResourceDefinition = {
  collection: 'accessPackageCatalogs',
  // The access-package tutorial lists catalogs with $filter=(displayName eq 'General'); the other structural
  // properties are chosen: not documented. https://learn.microsoft.com/graph/tutorial-access-package-api
  queryable: ['id', 'displayName', 'description', 'catalogType', 'catalogStatus', 'isExternallyVisible', 'createdDateTime', 'modifiedDateTime'],
  expand: {},
  operations: ['list', 'get'],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
};
