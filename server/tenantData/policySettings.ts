// The settings of each assignment policy pattern, in the beta shapes the create page shows
// (requestorSettings, approvalSettings with stages, assignmentReviewSettings, questions).
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackageassignmentpolicies?view=graph-rest-beta
import type { Random } from 'json-schema-faker';
import type { PolicyKind } from './entitlements.js';
import { guid } from './fakers.js';

type Settings = Record<string, unknown>;

export function requestorSettings(kind: PolicyKind, random: Random): Settings {
  switch (kind) {
    case 'direct':
      return { scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] };
    case 'twoStages':
      return {
        scopeType: 'SpecificDirectorySubjects',
        acceptRequests: true,
        // A placeholder: each package's policy names its catalog's group instead (relations.ts). Still drawn, so
        // that the values after it stay the seed's.
        allowedRequestors: [{ '@odata.type': '#microsoft.graph.groupMembers', isBackup: false, id: guid(random) }],
      };
    case 'connectedOrganizations':
      return { scopeType: 'AllConfiguredConnectedOrganizationSubjects', acceptRequests: true, allowedRequestors: [] };
    case 'employees':
      return { scopeType: 'AllExistingDirectorySubjects', acceptRequests: true, allowedRequestors: [] };
    default:
      return { scopeType: 'AllExistingDirectoryMemberUsers', acceptRequests: true, allowedRequestors: [] };
  }
}

function stage(approvers: Settings[]): Settings {
  return {
    approvalStageTimeOutInDays: 14,
    isApproverJustificationRequired: true,
    isEscalationEnabled: false,
    escalationTimeInMinutes: 0,
    primaryApprovers: approvers,
    escalationApprovers: [],
  };
}

export function approvalSettings(kind: PolicyKind, random: Random): Settings {
  const none = {
    isApprovalRequired: false,
    isApprovalRequiredForExtension: false,
    isRequestorJustificationRequired: false,
    approvalMode: 'NoApproval',
    approvalStages: [],
  };
  const user = () => ({ '@odata.type': '#microsoft.graph.singleUser', isBackup: false, id: guid(random) });
  switch (kind) {
    case 'managerApproval':
    case 'timeLimited':
      return {
        ...none,
        isApprovalRequired: true,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [stage([{ '@odata.type': '#microsoft.graph.requestorManager', isBackup: false, managerLevel: 1 }])],
      };
    case 'twoStages':
      return {
        ...none,
        isApprovalRequired: true,
        isRequestorJustificationRequired: true,
        approvalMode: 'Serial',
        approvalStages: [stage([user()]), stage([user()])],
      };
    case 'connectedOrganizations':
      return {
        ...none,
        isApprovalRequired: true,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [stage([{ '@odata.type': '#microsoft.graph.externalSponsors', isBackup: false }])],
      };
    default:
      return none;
  }
}

export function reviewSettings(kind: PolicyKind, random: Random): Settings | null {
  if (kind !== 'timeLimited') return null;
  return {
    isEnabled: true,
    recurrenceType: 'quarterly',
    reviewerType: 'Reviewers',
    startDateTime: null,
    durationInDays: 14,
    reviewers: [{ '@odata.type': '#microsoft.graph.singleUser', isBackup: false, id: guid(random) }],
  };
}

export function policyQuestions(kind: PolicyKind): Settings[] {
  if (kind !== 'connectedOrganizations') return [];
  return [
    {
      '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
      id: null,
      isRequired: true,
      sequence: 0,
      isSingleLineQuestion: true,
      text: { defaultText: 'Which project is this access for?', localizedTexts: [] },
    },
  ];
}
