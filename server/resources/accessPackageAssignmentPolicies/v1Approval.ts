// The approval and review settings of a policy in each version's shape: beta counts days and minutes
// (approvalStageTimeOutInDays, escalationTimeInMinutes) and marks backup approvers with isBackup, v1.0 writes ISO
// 8601 durations and lists backups as fallback approvers. Chosen: Graph documents each shape, not the mapping.
// https://learn.microsoft.com/graph/api/resources/approvalsettings?view=graph-rest-beta
// https://learn.microsoft.com/graph/api/resources/accesspackageassignmentapprovalsettings?view=graph-rest-1.0
import type { Row } from '../definition.js';
import { GraphError } from '../../graphErrors.js';
import { canonicalDateTime, durationSeconds, minutesAsDuration } from '../../graphTime.js';
import { rows, toSubjectSet, toUserSets } from './subjectSets.js';

const number = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

/** `P14D` → 14 days; `PT30M`, `PT2H` → minutes, whole ones (a stage's PT36H is 1 day). Anything else: the fallback. */
function durationIn(value: unknown, unit: 'days' | 'minutes', fallback: number): number {
  const seconds = durationSeconds(value);
  if (seconds === null || seconds < 0) return fallback;
  return Math.floor(seconds / (unit === 'days' ? 86_400 : 60));
}

/**
 * A count of minutes as beta stores it, an Edm.Int32: a longer v1.0 duration (PT9999999999M fits a TimeSpan, not
 * an Int32) is a 400 naming the property, not a policy whose beta view its own schema refuses (chosen wording).
 */
function int32(minutes: number, sent: unknown): number {
  if (minutes <= 2_147_483_647) return minutes;
  throw GraphError.of(
    'badRequest',
    `Invalid value for property 'requestApprovalSettings': the durationBeforeEscalation '${String(sent)}' is longer than 2147483647 minutes.`,
  );
}

/**
 * A stage's approverInformationVisibility, the same enum in both versions; v1.0's is not nullable, and unset it is
 * "default": "use the default system setting for approver information visibility".
 * https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage?view=graph-rest-1.0
 */
const visibility = (stage: Row): unknown => stage['approverInformationVisibility'] ?? 'default';

/** Beta's approvers of one kind (backup or not) as v1.0's subject sets: beta marks fallbacks with isBackup. */
function approvers(list: unknown, backup: boolean): Row[] {
  return rows(list)
    .filter((s) => (s['isBackup'] === true) === backup)
    .map(toSubjectSet);
}

export function v1Approval(beta: Row | null): Row {
  const stages = rows(beta?.['approvalStages']).map((stage) => ({
    approverInformationVisibility: visibility(stage),
    durationBeforeAutomaticDenial: `P${number(stage['approvalStageTimeOutInDays'], 14)}D`,
    isApproverJustificationRequired: stage['isApproverJustificationRequired'] ?? false,
    isEscalationEnabled: stage['isEscalationEnabled'] ?? false,
    durationBeforeEscalation: minutesAsDuration(number(stage['escalationTimeInMinutes'], 0)),
    primaryApprovers: approvers(stage['primaryApprovers'], false),
    fallbackPrimaryApprovers: approvers(stage['primaryApprovers'], true),
    escalationApprovers: approvers(stage['escalationApprovers'], false),
    fallbackEscalationApprovers: approvers(stage['escalationApprovers'], true),
  }));
  return {
    isApprovalRequiredForAdd: beta?.['isApprovalRequired'] ?? false,
    isApprovalRequiredForUpdate: beta?.['isApprovalRequiredForExtension'] ?? false,
    isRequestorJustificationRequired: beta?.['isRequestorJustificationRequired'] ?? false,
    stages,
  };
}

/** v1.0's approval settings as sent, each stage showing its visibility: v1.0 shows the non-nullable property always. */
export function shownApproval(v1: unknown): unknown {
  if (typeof v1 !== 'object' || v1 === null || !Array.isArray((v1 as Row)['stages'])) return v1;
  return { ...(v1 as Row), stages: rows((v1 as Row)['stages']).map((stage) => ({ ...stage, approverInformationVisibility: visibility(stage) })) };
}

export function betaApproval(v1: Row | null | undefined): Row {
  const stages = rows(v1?.['stages']).map((stage) => ({
    approvalStageTimeOutInDays: durationIn(stage['durationBeforeAutomaticDenial'], 'days', 14),
    approverInformationVisibility: visibility(stage),
    isApproverJustificationRequired: stage['isApproverJustificationRequired'] ?? false,
    isEscalationEnabled: stage['isEscalationEnabled'] ?? false,
    escalationTimeInMinutes: int32(durationIn(stage['durationBeforeEscalation'], 'minutes', 0), stage['durationBeforeEscalation']),
    primaryApprovers: [...toUserSets(rows(stage['primaryApprovers'])), ...toUserSets(rows(stage['fallbackPrimaryApprovers']), true)],
    escalationApprovers: [...toUserSets(rows(stage['escalationApprovers'])), ...toUserSets(rows(stage['fallbackEscalationApprovers']), true)],
  }));
  const required = v1?.['isApprovalRequiredForAdd'] === true;
  return {
    isApprovalRequired: required,
    isApprovalRequiredForExtension: v1?.['isApprovalRequiredForUpdate'] === true,
    isRequestorJustificationRequired: v1?.['isRequestorJustificationRequired'] === true,
    approvalMode: !required || stages.length === 0 ? 'NoApproval' : stages.length === 1 ? 'SingleStage' : 'Serial',
    approvalStages: stages,
  };
}

export function v1Review(beta: Row | null): Row | null {
  if (!beta) return null;
  return {
    isEnabled: beta['isEnabled'] ?? false,
    // What beta never stored: no timeout behaviour (Graph documents no default), and the two Booleans at the default
    // both resource pages give them, true (assignmentReviewSettings, accessPackageAssignmentReviewSettings).
    expirationBehavior: beta['accessReviewTimeoutBehavior'] ?? null,
    isRecommendationEnabled: beta['isAccessRecommendationEnabled'] ?? true,
    isReviewerJustificationRequired: beta['isApprovalJustificationRequired'] ?? true,
    isSelfReview: beta['reviewerType'] === 'Self',
    schedule: {
      startDateTime: beta['startDateTime'] ?? null,
      expiration: { type: 'afterDuration', duration: `P${number(beta['durationInDays'], 14)}D`, endDateTime: null },
      recurrence: null,
    },
    primaryReviewers: approvers(beta['reviewers'], false),
    fallbackReviewers: approvers(beta['reviewers'], true),
  };
}

export function betaReview(v1: Row | null | undefined): Row | null {
  if (!v1) return null;
  const schedule = (v1['schedule'] as Row | null | undefined) ?? {};
  const expiration = (schedule['expiration'] as Row | null | undefined) ?? {};
  return {
    isEnabled: v1['isEnabled'] ?? false,
    accessReviewTimeoutBehavior: v1['expirationBehavior'] ?? null,
    isAccessRecommendationEnabled: v1['isRecommendationEnabled'] ?? true,
    isApprovalJustificationRequired: v1['isReviewerJustificationRequired'] ?? true,
    reviewerType: v1['isSelfReview'] === true ? 'Self' : 'Reviewers',
    // In UTC, as Graph serializes a DateTimeOffset and as beta shows its own.
    startDateTime: canonicalDateTime(schedule['startDateTime'] ?? null),
    durationInDays: durationIn(expiration['duration'], 'days', 14),
    recurrenceType: null,
    reviewers: [...toUserSets(rows(v1['primaryReviewers'])), ...toUserSets(rows(v1['fallbackReviewers']), true)],
  };
}
