// accessPackageAssignmentPolicies: who may request a package, who approves, how long assignments last. Created
// for an existing package (`accessPackageId`), in that package's catalog; read, replaced (PUT, 200 with the
// policy, as the beta update page shows) and deleted; listed through the package and its $expand. The request,
// approval, review and question settings are kept as sent, checked against the schema's complex types.
// https://learn.microsoft.com/graph/api/resources/accesspackageassignmentpolicy?view=graph-rest-beta
import { accessPackageCatalogs } from '../accessPackageCatalogs/index.js';
import { accessPackages } from '../accessPackages/index.js';
import type { ResourceDefinition, Row } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { derived, held, parent } from '../navigation.js';
import { accessPackageQuestions } from './questions.js';
import { rows } from './subjectSets.js';
import { policyRules } from './rules.js';
import { assignmentPoliciesV1 } from './v1.js';

export const accessPackageAssignmentPolicies: ResourceDefinition = {
  collection: 'accessPackageAssignmentPolicies',
  typeName: 'accessPackageAssignmentPolicy',
  // The list page filters on displayName; accessPackageId is refused with InvalidFilter as the live service does
  // (microsoft-graph-docs-contrib issue 5655); the other properties: chosen, not documented.
  queryable: ['id', 'displayName', 'description', 'createdDateTime', 'modifiedDateTime'],
  operations: ['list', 'get', 'create', 'replace', 'delete'],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  navigation: {
    accessPackage: parent(() => accessPackages, 'accessPackages', 'accessPackageId'),
    // A policy is in its package's catalog.
    accessPackageCatalog: derived(
      () => accessPackageCatalogs,
      (policy, store) => {
        const catalogId = store.get('accessPackages', String(policy['accessPackageId']))?.catalogId;
        return typeof catalogId === 'string' ? ((store.get('accessPackageCatalogs', catalogId) as Row | undefined) ?? null) : null;
      },
    ),
    // v1.0's questions navigation, held in the record as beta's questions property (beta has no such navigation).
    questions: held(
      () => accessPackageQuestions,
      (policy) => rows(policy['questions']),
    ),
  },
  rules: policyRules,
  surfaces: {
    beta: { entitySet: 'accessPackageAssignmentPolicies', navigation: { accessPackage: 'accessPackage', accessPackageCatalog: 'accessPackageCatalog' } },
    'v1.0': assignmentPoliciesV1,
  },
};
