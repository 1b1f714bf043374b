// v1.0's policy questions as entities ($expand=questions on a v1.0 policy): a contained navigation of
// accessPackageAssignmentPolicy in v1.0-Prod.csdl, of the abstract accessPackageQuestion. They are held in their
// policy's record as beta's questions property (v1.ts `inbound`), so this resource has no collection of its own:
// it is what $expand and …/questions read them as, each in v1.0's shape with its concrete @odata.type (v1Questions.ts).
// https://learn.microsoft.com/graph/api/resources/accesspackagequestion?view=graph-rest-1.0
import { v1Question } from '../accessPackages/v1Questions.js';
import type { ResourceDefinition, Row } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';

const shown = new WeakMap<Row, Row>();

export const accessPackageQuestions: ResourceDefinition = {
  // The records that hold them.
  collection: 'accessPackageAssignmentPolicies',
  typeName: 'accessPackageQuestion',
  // Chosen: Graph documents no $filter or $orderby on questions.
  queryable: [],
  operations: [],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  surfaces: {
    'v1.0': {
      project(question) {
        let view = shown.get(question);
        if (!view) {
          view = v1Question(question);
          shown.set(question, view);
        }
        return view;
      },
    },
  },
};
