// accessPackages in v1.0: the same packages, with v1.0's property set (no catalogId, createdBy, modifiedBy,
// isRoleScopesVisible, uniqueName) and its relationship names (catalog, assignmentPolicies, resourceRoleScopes).
// The create names its catalog as `"catalog": {"id": …}` and the v1.0 page marks catalog and displayName
// required: a create without either is 400 InvalidModel (the answer: chosen, as for a wrong catalog).
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-1.0
import type { Surface } from '../definition.js';

export const accessPackagesV1: Surface = {
  entitySet: 'accessPackages',
  navigation: {
    catalog: 'accessPackageCatalog',
    assignmentPolicies: 'accessPackageAssignmentPolicies',
    resourceRoleScopes: 'accessPackageResourceRoleScopes',
    incompatibleAccessPackages: 'incompatibleAccessPackages',
    accessPackagesIncompatibleWith: 'accessPackagesIncompatibleWith',
    incompatibleGroups: 'incompatibleGroups',
  },
  schema: 'v1.0/accessPackage',
  // The v1.0 list page filters with contains(tolower(displayName),'team'); the others: chosen.
  queryable: ['id', 'displayName', 'description', 'isHidden', 'createdDateTime', 'modifiedDateTime'],
  actions: ['getApplicablePolicyRequirements'],
  functions: ['filterByCurrentUser'],
};
