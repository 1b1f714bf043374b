// What a v1.0 write keeps of the beta settings a policy had, mirroring keptV1Settings.ts for beta writes. v1.0's
// model cannot say all of beta's: verifiableCredentialSettings (beta only; the questions, a contained navigation
// in v1.0, stay unless the write sends them inline), a review's
// isAgenticExperienceEnabled and recurrenceType, the allowedRequestors of a scope that is not a specific one,
// AllExistingConnectedOrganizationSubjects (v1.0 shows it as allConfiguredConnectedOrganizationUsers), an
// acceptRequests that v1.0 shows false because nobody is in scope. A v1.0 PUT replaces what v1.0 can say; so that
// a v1.0 GET sent back unchanged loses nothing beta wrote, each group of beta settings stays as it was while the
// write means of it what the v1.0 view showed (compared as the beta settings both mean, settingsMeaning.ts), and
// what v1.0 cannot say at all always stays. Chosen: not documented, Graph documents each version's shape, not the
// mapping. https://learn.microsoft.com/graph/api/accesspackageassignmentpolicy-update?view=graph-rest-1.0
import type { MutableRow, Row } from '../definition.js';
import { sameMeaning } from './settingsMeaning.js';
import { assignmentPoliciesV1, v1Settings } from './v1.js';

/** Beta's properties that no v1.0 property stands for. */
const BETA_ONLY = ['questions', 'verifiableCredentialSettings'];

/**
 * The beta properties each v1.0 setting is stored as (v1.ts `inbound`), in groups that stay or go together: the
 * scope, who is in it and whether they may ask mean something only together, and so do a duration and an end.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['requestorSettings'],
  ['canExtend'],
  ['durationInDays', 'expirationDateTime'],
  ['requestApprovalSettings'],
  ['accessReviewSettings'],
  ['accessPackageNotificationSettings'],
];

/** A review's settings v1.0's reviewSettings has no property for (beta's recurrence is not mapped: v1.ts). */
const REVIEW_ONLY = ['isAgenticExperienceEnabled', 'recurrenceType'];

const pick = (policy: Row, names: readonly string[]): unknown[] => names.map((name) => policy[name] ?? null);

/**
 * Completes `record`, a v1.0 write of `existing`, with the beta settings that write leaves as they were. `body` is the
 * write's stored form (v1.ts `inbound`): questions it sends inline replace the policy's.
 */
export function keepBetaSettings(record: MutableRow, existing: Row, body: Row): void {
  for (const name of BETA_ONLY) if (name in existing && body[name] === undefined) record[name] = existing[name];
  const shown = assignmentPoliciesV1.inbound?.({ ...v1Settings(existing) }) ?? {};
  for (const group of GROUPS) {
    if (sameMeaning(pick(shown, group), pick(record, group))) for (const name of group) record[name] = existing[name] ?? null;
  }
  const review = record['accessReviewSettings'] as Row | null | undefined;
  const before = existing['accessReviewSettings'] as Row | null | undefined;
  if (review && before && review !== before) {
    const kept = REVIEW_ONLY.filter((name) => (review[name] ?? null) === null && (before[name] ?? null) !== null);
    if (kept.length > 0) record['accessReviewSettings'] = { ...review, ...Object.fromEntries(kept.map((name) => [name, before[name]])) };
  }
}
