// Values a policy's settings take only from the lists Graph's pages give, where the model types them as plain
// strings (so OData's reader takes any), and the number of approval stages the pages allow. The service maps each
// value to behaviour, so a misspelt one (`AllExistingDirectoryMembers`) stored here would let a contract test pass
// that Graph refuses. Chosen: the wording is the emulator's, in the form of its other 400s on settings (Graph's is not
// documented); a scope type is read in any case, as requestors.ts reads it, the other values as the pages spell them.
// https://learn.microsoft.com/graph/api/resources/requestorsettings?view=graph-rest-beta (scopeType)
// https://learn.microsoft.com/graph/api/resources/approvalsettings?view=graph-rest-beta (approvalMode)
// https://learn.microsoft.com/graph/api/resources/assignmentreviewsettings?view=graph-rest-beta (reviewerType)
// https://learn.microsoft.com/graph/api/resources/accesspackageassignmentapprovalsettings?view=graph-rest-1.0 (stages)
import { GraphError } from '../../graphErrors.js';
import type { Row } from '../definition.js';
import { SCOPES } from './requestors.js';
import { rows } from './subjectSets.js';

/**
 * Stages of approval a policy may have: v1.0's page allows "one, two or three"; beta's still says "one or two",
 * written before Entra ID took a third, which beta's own answers carry (chosen: three in both).
 */
const MAX_APPROVAL_STAGES = 3;

const SCOPE_TYPES = SCOPES.map(([type]) => type);
const SCOPE_TYPES_LOWER = new Set(SCOPE_TYPES.map((type) => type.toLowerCase()));
const APPROVAL_MODES = ['SingleStage', 'Serial', 'Parallel', 'NoApproval'];
const REVIEWER_TYPES = ['Self', 'Reviewers'];

const object = (value: unknown): Row => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : {});

function refuse(property: string, message: string): never {
  throw GraphError.of('badRequest', `Invalid value for property '${property}': ${message}`);
}

/** A string setting that is not one of `allowed` (null and absent are left to the schema and the defaults). */
function checkListed(property: string, name: string, value: unknown, allowed: readonly string[], known: (value: string) => boolean): void {
  if (typeof value === 'string' && !known(value)) refuse(property, `the ${name} '${value}' is not one of ${allowed.join(', ')}.`);
}

/**
 * At most MAX_APPROVAL_STAGES stages ("If approval is required, the one, two or three elements…"). Approval required
 * with none is left as it is read (no approval: v1Approval.ts): the pages describe that case, they do not refuse it.
 */
function checkStageCount(property: string, stages: unknown): void {
  const count = rows(stages).length;
  if (count > MAX_APPROVAL_STAGES) refuse(property, `approval has ${count} stages; a policy has at most ${MAX_APPROVAL_STAGES}.`);
}

/** A beta body's scope type, approval mode, reviewer type and approval stages. */
export function refuseUndocumentedValues(body: Row): void {
  const scopeType = object(body['requestorSettings'])['scopeType'];
  checkListed('requestorSettings', 'scopeType', scopeType, SCOPE_TYPES, (value) => SCOPE_TYPES_LOWER.has(value.toLowerCase()));
  const approval = object(body['requestApprovalSettings']);
  checkListed('requestApprovalSettings', 'approvalMode', approval['approvalMode'], APPROVAL_MODES, (value) => APPROVAL_MODES.includes(value));
  checkStageCount('requestApprovalSettings', approval['approvalStages']);
  const reviewerType = object(body['accessReviewSettings'])['reviewerType'];
  checkListed('accessReviewSettings', 'reviewerType', reviewerType, REVIEWER_TYPES, (value) => REVIEWER_TYPES.includes(value));
}

/** A v1.0 body's approval stages (its enumerations are the model's own, which the schema checks). */
export function refuseUndocumentedV1Values(settings: Row): void {
  checkStageCount('requestApprovalSettings', object(settings['requestApprovalSettings'])['stages']);
}
