// A beta assignment policy with every setting a client may write, in the Kiota beta SDK's model: requestors of two
// derived userSet types, two approval stages (a requestor's manager, sponsors, an escalation to a user), a quarterly
// review, a text and a multiple choice question, verifiable credentials and notifications, as the create page's
// examples write them (api-reference/beta/api/entitlementmanagement-post-accesspackageassignmentpolicies.md).
import type {
  AccessPackageAssignmentPolicy,
  AccessPackageMultipleChoiceQuestion,
  AccessPackageTextInputQuestion,
  GroupMembers,
  RequestorManager,
  SingleUser,
} from '@microsoft/msgraph-beta-sdk/models/index.js';

const ALEX = 'e6c2a5b7-5ad5-4b44-8bd9-63f1e6ac1b5c';
const MEGAN = '1f2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const MARKETING = '4b1d1c6c-1c5b-4a55-8a4d-0b9a7c30f8b1';

// Typed by their derived models: the base type's lists (UserSet[], AccessPackageQuestion[]) take them as they are.
const user = (id: string, description: string, isBackup: boolean): SingleUser => ({ odataType: '#microsoft.graph.singleUser', isBackup, id, description });
const marketing: GroupMembers = { odataType: '#microsoft.graph.groupMembers', isBackup: false, id: MARKETING, description: 'Marketing team' };
const manager: RequestorManager = { odataType: '#microsoft.graph.requestorManager', isBackup: false, managerLevel: 1 };
const costCentre: AccessPackageTextInputQuestion = {
  odataType: '#microsoft.graph.accessPackageTextInputQuestion',
  isRequired: true,
  isAnswerEditable: true,
  sequence: 1,
  isSingleLineQuestion: true,
  regexPattern: '^[0-9]{4}$',
  text: { defaultText: 'Cost centre', localizedTexts: [{ text: 'Kostenstelle', languageCode: 'de' }] },
};
const region: AccessPackageMultipleChoiceQuestion = {
  odataType: '#microsoft.graph.accessPackageMultipleChoiceQuestion',
  isRequired: false,
  isAnswerEditable: false,
  sequence: 2,
  allowsMultipleSelection: true,
  text: { defaultText: 'Region', localizedTexts: [] },
  choices: [
    { actualValue: 'emea', displayValue: { defaultText: 'Europe', localizedTexts: [{ text: 'Europa', languageCode: 'de' }] } },
    { actualValue: 'amer', displayValue: { defaultText: 'Americas', localizedTexts: [] } },
  ],
};

export function fullPolicy(accessPackageId: string): AccessPackageAssignmentPolicy {
  return {
    accessPackageId,
    displayName: 'Employees, approved by their manager',
    description: 'Requests from named employees and the marketing team',
    canExtend: true,
    durationInDays: 0,
    expirationDateTime: new Date('2027-06-30T00:00:00Z'),
    requestorSettings: {
      scopeType: 'SpecificDirectorySubjects',
      acceptRequests: true,
      allowedRequestors: [user(ALEX, 'Alex Wilber', false), marketing],
    },
    requestApprovalSettings: {
      isApprovalRequired: true,
      isApprovalRequiredForExtension: true,
      isRequestorJustificationRequired: true,
      approvalMode: 'Serial',
      approvalStages: [
        {
          approvalStageTimeOutInDays: 14,
          isApproverJustificationRequired: true,
          isEscalationEnabled: true,
          escalationTimeInMinutes: 11520,
          approverInformationVisibility: 'visible',
          primaryApprovers: [manager],
          escalationApprovers: [user(MEGAN, 'Megan Bowen', true)],
        },
        {
          approvalStageTimeOutInDays: 7,
          isApproverJustificationRequired: false,
          isEscalationEnabled: false,
          escalationTimeInMinutes: 0,
          approverInformationVisibility: 'notVisible',
          primaryApprovers: [
            { odataType: '#microsoft.graph.internalSponsors', isBackup: false },
            { odataType: '#microsoft.graph.externalSponsors', isBackup: true },
          ],
          escalationApprovers: [],
        },
      ],
    },
    accessReviewSettings: {
      isEnabled: true,
      recurrenceType: 'quarterly',
      reviewerType: 'Reviewers',
      startDateTime: new Date('2027-01-15T08:00:00Z'),
      durationInDays: 25,
      isAccessRecommendationEnabled: true,
      isApprovalJustificationRequired: true,
      accessReviewTimeoutBehavior: 'removeAccess',
      reviewers: [user(ALEX, 'Alex Wilber', false)],
    },
    questions: [costCentre, region],
    verifiableCredentialSettings: { credentialTypes: [{ credentialType: 'VerifiedEmployee', issuers: ['did:web:contoso.com'] }] },
    accessPackageNotificationSettings: { isAssignmentNotificationDisabled: true },
  };
}
