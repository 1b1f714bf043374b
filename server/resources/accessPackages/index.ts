// accessPackages: every operation, the alternate key uniqueName, each relationship as $expand and as a path, the
// incompatibilities as $ref links, and the actions and the function Graph binds to packages.
// https://learn.microsoft.com/graph/api/resources/accesspackage?view=graph-rest-beta
import { accessPackageAssignmentPolicies } from '../accessPackageAssignmentPolicies/index.js';
import { accessPackageCatalogs } from '../accessPackageCatalogs/index.js';
import { accessPackageResourceRoleScopes } from '../accessPackageResourceRoleScopes/index.js';
import { createRoleScope, findRoleScope, removeRoleScope } from '../accessPackageResourceRoleScopes/writes.js';
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { children, parent } from '../navigation.js';
import { filterByCurrentUser, getApplicablePolicyRequirements, moveToCatalog } from './actions.js';
import { accessPackagesIncompatibleWithNavigation, incompatibleAccessPackagesNavigation, incompatibleGroupsNavigation } from './incompatibilities.js';
import { packageRules } from './rules.js';
import { accessPackagesV1 } from './v1.js';

export const accessPackages: ResourceDefinition = {
  collection: 'accessPackages',
  typeName: 'accessPackage',
  // The type annotation the beta back end puts on accessPackage bodies (the endpoint document's example).
  // https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta
  odataType: '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage',
  // The properties the live service filters and sorts on (the rest answer InvalidFilter).
  queryable: ['id', 'displayName', 'description', 'isHidden', 'catalogId', 'createdDateTime', 'modifiedDateTime', 'uniqueName'],
  operations: ['list', 'get', 'create', 'update', 'delete'],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  alternateKey: 'uniqueName',
  navigation: {
    // https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta (example: $expand=accessPackageCatalog)
    accessPackageCatalog: parent(() => accessPackageCatalogs, 'accessPackageCatalogs', 'catalogId'),
    // https://learn.microsoft.com/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-beta ($expand=accessPackageAssignmentPolicies)
    accessPackageAssignmentPolicies: children(() => accessPackageAssignmentPolicies, 'accessPackageAssignmentPolicies', 'accessPackageId'),
    // https://learn.microsoft.com/graph/api/accesspackage-list-accesspackageresourcerolescopes?view=graph-rest-beta
    accessPackageResourceRoleScopes: children(() => accessPackageResourceRoleScopes, 'accessPackageResourceRoleScopes', 'accessPackageId', {
      create: createRoleScope,
      find: findRoleScope,
      remove: removeRoleScope,
    }),
    incompatibleAccessPackages: incompatibleAccessPackagesNavigation,
    accessPackagesIncompatibleWith: accessPackagesIncompatibleWithNavigation,
    incompatibleGroups: incompatibleGroupsNavigation,
  },
  actions: { moveToCatalog, getApplicablePolicyRequirements },
  functions: { filterByCurrentUser },
  rules: packageRules,
  surfaces: { beta: { entitySet: 'accessPackages' }, 'v1.0': accessPackagesV1 },
};
