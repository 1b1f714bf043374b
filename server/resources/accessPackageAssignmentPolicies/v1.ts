// assignmentPolicies in v1.0: one policy, two shapes. v1.0 reshaped the settings (allowedTargetScope and
// specificAllowedTargets for requestorSettings.scopeType and allowedRequestors, expiration for durationInDays and
// expirationDateTime, requestApprovalSettings with stages and ISO durations, reviewSettings). A policy written
// through v1.0 keeps its v1.0 settings as sent (v1Settings, never shown) and gets the beta settings they mean; one
// written through beta shows v1.0 settings derived from its beta ones. The correspondence of the two models is
// chosen: Graph documents each shape, not how one maps to the other.
// https://learn.microsoft.com/graph/api/resources/accesspackageassignmentpolicy?view=graph-rest-1.0
import { canonicalDateTime, durationSeconds } from '../../graphTime.js';
import type { MutableRow, Row, Surface } from '../definition.js';
import { betaQuestion, v1Question } from '../accessPackages/v1Questions.js';
import { rows, toSubjectSet, toUserSets } from './subjectSets.js';
import { SCOPES, scopeTypeOf } from './requestors.js';
import { betaApproval, betaReview, shownApproval, v1Approval, v1Review } from './v1Approval.js';

/** A v1.0 duration as beta's durationInDays counts it: P2D, PT48H and P1DT24H are 2; PT36H has no whole-day form (null). */
const days = (duration: unknown): number | null => {
  const seconds = durationSeconds(duration);
  return seconds !== null && seconds >= 0 && seconds % 86_400 === 0 ? seconds / 86_400 : null;
};

/** The v1.0 settings of a policy, from what it last was sent through v1.0 or derived from its beta settings. */
export function v1Settings(policy: Row): Row {
  const requestor = (policy['requestorSettings'] as Row | null) ?? {};
  const scopeType = scopeTypeOf(requestor, 'NoSubjects');
  const specific = scopeType.startsWith('Specific');
  const duration = typeof policy['durationInDays'] === 'number' && policy['durationInDays'] > 0 ? policy['durationInDays'] : null;
  const derived = {
    allowedTargetScope: SCOPES.find(([beta]) => beta === scopeType)?.[1] ?? 'notSpecified',
    specificAllowedTargets: specific ? rows(requestor['allowedRequestors']).map(toSubjectSet) : [],
    expiration: policy['expirationDateTime']
      ? { endDateTime: policy['expirationDateTime'], duration: null, type: 'afterDateTime' }
      : duration
        ? { endDateTime: null, duration: `P${duration}D`, type: 'afterDuration' }
        : { endDateTime: null, duration: null, type: 'noExpiration' },
    requestorSettings: {
      enableTargetsToSelfAddAccess: requestor['acceptRequests'] !== false && scopeType !== 'NoSubjects',
      // Beta's canExtend: a requestor may ask to extend (update) their assignment.
      enableTargetsToSelfUpdateAccess: policy['canExtend'] === true,
      enableTargetsToSelfRemoveAccess: false,
      allowCustomAssignmentSchedule: false,
      enableOnBehalfRequestorsToAddAccess: false,
      enableOnBehalfRequestorsToUpdateAccess: false,
      enableOnBehalfRequestorsToRemoveAccess: false,
      onBehalfRequestors: [],
    },
    requestApprovalSettings: v1Approval(policy['requestApprovalSettings'] as Row | null),
    reviewSettings: v1Review(policy['accessReviewSettings'] as Row | null),
    automaticRequestSettings: null,
    notificationSettings: policy['accessPackageNotificationSettings'] ?? null,
  };
  const sent = (policy['v1Settings'] as Row | null) ?? {};
  const shown: Row = {
    ...derived,
    ...sent,
    ...('requestApprovalSettings' in sent ? { requestApprovalSettings: shownApproval(sent['requestApprovalSettings']) } : {}),
  };
  return {
    ...shown,
    expiration: inUtc(shown['expiration']),
    reviewSettings: reviewInUtc(shown['reviewSettings']),
    notificationSettings: shownNotifications(shown['notificationSettings']),
  };
}

/**
 * v1.0's notification settings, whose isAssignmentNotificationDisabled is not nullable (beta's is): always written,
 * false unless it is true, as Graph writes a Boolean the service defaults, and without an @odata.type of the declared
 * type. Beta keeps `{}` or a null as sent (as Kiota's models send back a null settings object they read: `{}`), and a
 * v1.0 GET that showed them so could not go back as a PUT, which refuses a null there.
 * https://learn.microsoft.com/graph/api/resources/accesspackagenotificationsettings?view=graph-rest-1.0
 */
function shownNotifications(settings: unknown): Row | null {
  if (typeof settings !== 'object' || settings === null) return null;
  return { isAssignmentNotificationDisabled: (settings as Row)['isAssignmentNotificationDisabled'] === true };
}

/**
 * An expirationPattern with its endDateTime as Graph writes a DateTimeOffset, in UTC with 7 fractional digits, as
 * beta shows it, whatever offset it was sent with. https://learn.microsoft.com/graph/api/resources/expirationpattern?view=graph-rest-1.0
 */
function inUtc(pattern: unknown): unknown {
  if (typeof pattern !== 'object' || pattern === null || typeof (pattern as Row)['endDateTime'] !== 'string') return pattern;
  return { ...(pattern as Row), endDateTime: canonicalDateTime((pattern as Row)['endDateTime']) };
}

/** A review's schedule with its startDateTime and its expiration's end in UTC, as inUtc. */
function reviewInUtc(review: unknown): unknown {
  const schedule = (review as Row | null)?.['schedule'] as Row | null | undefined;
  if (typeof schedule !== 'object' || schedule === null) return review;
  const start = schedule['startDateTime'];
  const utc: MutableRow = { ...schedule, ...(typeof start === 'string' ? { startDateTime: canonicalDateTime(start) } : {}) };
  if ('expiration' in schedule) utc['expiration'] = inUtc(schedule['expiration']);
  return { ...(review as Row), schedule: utc };
}

const cache = new WeakMap<Row, Row>();

export const assignmentPoliciesV1: Surface = {
  entitySet: 'assignmentPolicies',
  navigation: { accessPackage: 'accessPackage', catalog: 'accessPackageCatalog', questions: 'questions' },
  schema: 'v1.0/accessPackageAssignmentPolicy',
  queryable: ['id', 'displayName', 'description', 'createdDateTime', 'modifiedDateTime'],
  project(policy) {
    let view = cache.get(policy);
    if (!view) {
      const { id, createdDateTime, description, displayName, modifiedDateTime } = policy;
      view = { id, createdDateTime, description, displayName, modifiedDateTime, ...v1Settings(policy) };
      cache.set(policy, view);
    }
    return view;
  },
  // A create or PUT that sends questions inline answers with them, ids given, as OData's deep insert does ("the
  // response MUST be expanded to at least the level that was present in the deep-insert request").
  // https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_CreateRelatedEntitiesWhenCreatinganE
  inlined(policy, sent) {
    return sent['questions'] === undefined ? {} : { questions: rows(policy['questions']).map(v1Question) };
  },
  inbound(body) {
    const requestor = (body['requestorSettings'] as Row | undefined) ?? {};
    const scope = SCOPES.find(([, v1]) => v1 === body['allowedTargetScope'])?.[0] ?? 'NoSubjects';
    const expiration = (body['expiration'] as Row | null | undefined) ?? null;
    const stored: MutableRow = {
      displayName: body['displayName'],
      description: body['description'],
      accessPackageId: (body['accessPackage'] as Row | undefined)?.['id'],
      requestorSettings: {
        scopeType: scope,
        // Only a policy that lets its targets ask accepts requests: "True allows requestors to create a request"; an
        // auto-assignment policy (automaticRequestSettings) or one sent without requestorSettings does not.
        // https://learn.microsoft.com/graph/api/resources/accesspackageassignmentrequestorsettings?view=graph-rest-1.0
        acceptRequests: requestor['enableTargetsToSelfAddAccess'] === true,
        allowedRequestors: toUserSets(rows(body['specificAllowedTargets'])),
      },
      canExtend: requestor['enableTargetsToSelfUpdateAccess'] === true,
      // A duration counts only for afterDuration, an end only for afterDateTime, as the expirationPattern page says
      // of each ("used if the type is …"). https://learn.microsoft.com/graph/api/resources/expirationpattern?view=graph-rest-1.0
      durationInDays: expiration?.['type'] === 'afterDuration' ? (days(expiration['duration']) ?? 0) : 0,
      expirationDateTime: expiration?.['type'] === 'afterDateTime' ? (expiration['endDateTime'] ?? null) : null,
      requestApprovalSettings: betaApproval(body['requestApprovalSettings'] as Row | null | undefined),
      accessReviewSettings: betaReview(body['reviewSettings'] as Row | null | undefined),
      accessPackageNotificationSettings: body['notificationSettings'] ?? null,
      // v1.0's questions, a contained navigation sent inline, stored as beta's questions property (v1Questions.ts);
      // left out, the policy keeps the questions it has (keptBetaSettings.ts).
      questions: body['questions'] === undefined ? undefined : rows(body['questions']).map(betaQuestion),
    };
    const sent = Object.fromEntries(
      [
        'allowedTargetScope',
        'specificAllowedTargets',
        'expiration',
        'requestorSettings',
        'requestApprovalSettings',
        'reviewSettings',
        'automaticRequestSettings',
        'notificationSettings',
      ]
        .filter((name) => body[name] !== undefined)
        .map((name) => [name, body[name]]),
    );
    return { ...Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== undefined)), v1Settings: sent };
  },
};
