// The words of what a catalog holds and how its packages are requested: the groups, applications and SharePoint
// sites a department adds to its catalog (with the roles each kind of resource has in Entra ID entitlement
// management), and the assignment policies admins set up again and again.
// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accesspackageresourceroles?view=graph-rest-beta

export { RESOURCE_KINDS, type ResourceKind } from '../resources/accessPackageResources/originSystems.js';

/** Applications a department's packages grant, as an admin adds them to its catalog. */
export const APPLICATIONS = [
  'Dynamics 365',
  'Power BI Pro',
  'ServiceNow',
  'Workday',
  'SAP Concur',
  'Jira Software',
  'GitHub Enterprise',
  'DocuSign',
  'Salesforce',
  'Tableau',
  'Adobe Acrobat Sign',
  'Zoom',
] as const;

export type PolicyKind = 'direct' | 'employees' | 'managerApproval' | 'twoStages' | 'connectedOrganizations' | 'timeLimited';

export interface PolicyPattern {
  kind: PolicyKind;
  displayName: string;
  description: string;
}

/** The assignment policies of a tenant's packages: a few patterns, each used by many packages. */
export const POLICY_PATTERNS: readonly PolicyPattern[] = [
  { kind: 'direct', displayName: 'Direct assignment', description: 'Assigned by an administrator; users cannot request it.' },
  { kind: 'employees', displayName: 'All employees can request', description: 'Any member of the directory can request; no approval needed.' },
  { kind: 'managerApproval', displayName: 'Employees with manager approval', description: 'Members of the directory can request; their manager approves.' },
  {
    kind: 'twoStages',
    displayName: 'Team members with two approvals',
    description: 'Members of the team group can request; the team lead, then the owner approve.',
  },
  {
    kind: 'connectedOrganizations',
    displayName: 'Partners from connected organizations',
    description: 'Users of connected organizations can request; their sponsor approves.',
  },
  {
    kind: 'timeLimited',
    displayName: 'Time-limited access with review',
    description: 'Members can request access for 30 days; assignments are reviewed quarterly.',
  },
];
