// accessPackageCatalogs: the catalogs packages belong to, with the same OData support as packages, their
// packages, resources, resource roles and scopes as paths and $expand, created, updated and deleted as Graph does.
// https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-beta
import { accessPackageResourceRoles } from '../accessPackageResourceRoles/index.js';
import { accessPackageResourceScopes } from '../accessPackageResourceScopes/index.js';
import { accessPackageResources } from '../accessPackageResources/index.js';
import { accessPackages } from '../accessPackages/index.js';
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { children } from '../navigation.js';
import { catalogRules } from './rules.js';
import { catalogsV1 } from './v1.js';

export const accessPackageCatalogs: ResourceDefinition = {
  collection: 'accessPackageCatalogs',
  typeName: 'accessPackageCatalog',
  // The access-package tutorial lists catalogs with $filter=(displayName eq 'General'); the list page's example
  // filters with contains(tolower(displayName),'staff'); the other structural properties are chosen: not documented.
  // https://learn.microsoft.com/graph/tutorial-access-package-api
  queryable: ['id', 'displayName', 'description', 'catalogType', 'catalogStatus', 'isExternallyVisible', 'createdDateTime', 'modifiedDateTime', 'uniqueName'],
  operations: ['list', 'get', 'create', 'update', 'delete'],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  alternateKey: 'uniqueName',
  navigation: {
    // https://learn.microsoft.com/graph/api/entitlementmanagement-list-accesspackagecatalogs?view=graph-rest-beta ($expand=accessPackages)
    accessPackages: children(() => accessPackages, 'accessPackages', 'catalogId'),
    // https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accesspackageresources?view=graph-rest-beta; a
    // resource's refresh at …/accessPackageResources/{id}/refresh, the path its pages name.
    accessPackageResources: children(() => accessPackageResources, 'accessPackageResources', 'catalogId', { actions: ['refresh'] }),
    // https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accesspackageresourceroles?view=graph-rest-beta
    accessPackageResourceRoles: children(() => accessPackageResourceRoles, 'accessPackageResourceRoles', 'catalogId'),
    accessPackageResourceScopes: children(() => accessPackageResourceScopes, 'accessPackageResourceScopes', 'catalogId'),
  },
  rules: catalogRules,
  surfaces: { beta: { entitySet: 'accessPackageCatalogs' }, 'v1.0': catalogsV1 },
};
