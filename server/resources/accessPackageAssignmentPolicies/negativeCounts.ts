// Counts and durations a policy cannot have below zero: assignments lasting -5 days, a request pending -5 days before
// it is denied, an escalation after -10 minutes, a review lasting -2 days, an assignment expiring after -P1D mean
// nothing, and v1.0 has no duration to show the beta count as (P-5D is no ISO 8601 duration), so a GET would not go
// back as a PUT. Graph documents each as a number of days or minutes, or a time span, before something happens;
// chosen: a negative one is a 400 naming the property, in the emulator's wording (Graph's is not documented).
// https://learn.microsoft.com/graph/api/resources/approvalstage?view=graph-rest-beta,
// https://learn.microsoft.com/graph/api/resources/expirationpattern?view=graph-rest-1.0
import { durationSeconds } from '../../graphTime.js';
import { GraphError } from '../../graphErrors.js';
import type { Row } from '../definition.js';
import { rows } from './subjectSets.js';
const object = (value: unknown): Row => (typeof value === 'object' && value !== null ? (value as Row) : {});

function refuse(property: string, name: string, value: unknown): never {
  throw GraphError.of('badRequest', `Invalid value for property '${property}': the ${name} '${String(value)}' is negative.`);
}

/** A beta body's day and minute counts, each 0 or more. */
export function refuseNegativeCounts(body: Row): void {
  // How long an assignment lasts: v1.0's expiration.duration, which a negative v1.0 duration is refused for.
  if (typeof body['durationInDays'] === 'number' && body['durationInDays'] < 0) refuse('durationInDays', 'durationInDays', body['durationInDays']);
  for (const stage of rows(object(body['requestApprovalSettings'])['approvalStages'])) {
    for (const name of ['approvalStageTimeOutInDays', 'escalationTimeInMinutes']) {
      if (typeof stage[name] === 'number' && stage[name] < 0) refuse('requestApprovalSettings', name, stage[name]);
    }
  }
  const review = object(body['accessReviewSettings']);
  if (typeof review['durationInDays'] === 'number' && review['durationInDays'] < 0) refuse('accessReviewSettings', 'durationInDays', review['durationInDays']);
}

/** A v1.0 body's durations, each 0 or longer. */
export function refuseNegativeDurations(body: Row): void {
  const negative = (value: unknown) => (durationSeconds(value) ?? 0) < 0;
  const expiration = object(body['expiration']);
  if (negative(expiration['duration'])) refuse('expiration', 'duration', expiration['duration']);
  for (const stage of rows(object(body['requestApprovalSettings'])['stages'])) {
    for (const name of ['durationBeforeAutomaticDenial', 'durationBeforeEscalation']) {
      if (negative(stage[name])) refuse('requestApprovalSettings', name, stage[name]);
    }
  }
  const review = object(object(object(body['reviewSettings'])['schedule'])['expiration']);
  if (negative(review['duration'])) refuse('reviewSettings', 'duration', review['duration']);
}
