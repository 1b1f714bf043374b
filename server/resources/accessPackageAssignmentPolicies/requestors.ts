// Who a policy lets request its package (requestorSettings): the scope types of the beta requestorSettings
// resource and the userSets of allowedRequestors, matched against the caller's token. The caller is a member user
// of the tenant (a guest's claims are not modelled): the directory-wide scopes match, the external ones do not, and
// the specific ones match a singleUser with the token's `oid` or a groupMembers naming a group in its `groups`.
// A token that is not a JWT names nobody in particular: only the directory-wide scopes match it.
// https://learn.microsoft.com/graph/api/resources/requestorsettings?view=graph-rest-beta
import type { Identity } from '../../identity/claims.js';
import type { Row } from '../definition.js';
import { rows } from './subjectSets.js';

const DIRECTORY_WIDE = new Set(['AllExistingDirectorySubjects', 'AllExistingDirectoryMemberUsers']);

/**
 * Beta's scope types (requestorSettings), as its resource page spells them, each with the v1.0 allowedTargetScope
 * it reads as (v1.ts): two of beta's connected-organisation scopes are one in v1.0.
 */
export const SCOPES: readonly (readonly [beta: string, v1: string])[] = [
  ['NoSubjects', 'notSpecified'],
  ['SpecificDirectorySubjects', 'specificDirectoryUsers'],
  ['SpecificConnectedOrganizationSubjects', 'specificConnectedOrganizationUsers'],
  ['AllExistingDirectoryMemberUsers', 'allMemberUsers'],
  ['AllExistingDirectorySubjects', 'allDirectoryUsers'],
  ['AllConfiguredConnectedOrganizationSubjects', 'allConfiguredConnectedOrganizationUsers'],
  ['AllExistingConnectedOrganizationSubjects', 'allConfiguredConnectedOrganizationUsers'],
  ['AllExternalSubjects', 'allExternalUsers'],
];
const SCOPE_TYPE_BY_LOWER = new Map(SCOPES.map(([type]) => [type.toLowerCase(), type]));

/**
 * A policy's scope type as the page spells it, however it was sent (`allExistingDirectorySubjects`): beta's model
 * holds a string, and whom the policy lets request is read the same whatever its case, in beta and v1.0 alike;
 * anything else as sent.
 */
export function scopeTypeOf(settings: Row | null | undefined, none = ''): string {
  const sent = String(settings?.['scopeType'] ?? none);
  return SCOPE_TYPE_BY_LOWER.get(sent.toLowerCase()) ?? sent;
}

/** Whether two directory object ids are the same GUID: ids match in any case, as everywhere in Graph's URLs and keys. */
function sameId(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

function userSetMatches(set: Row, identity: Identity): boolean {
  const type = String(set['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
  const groups = Array.isArray(identity.claims?.['groups']) ? (identity.claims['groups'] as unknown[]) : [];
  if (type === 'singleUser') return sameId(set['id'], identity.objectId);
  if (type === 'groupMembers') return groups.some((group) => sameId(group, set['id']));
  return false;
}

/** Whether the policy accepts requests from the caller. */
export function allowsRequestor(policy: Row, identity: Identity): boolean {
  const settings = policy['requestorSettings'] as Row | null | undefined;
  if (!settings || settings['acceptRequests'] === false) return false;
  const scopeType = scopeTypeOf(settings);
  if (DIRECTORY_WIDE.has(scopeType)) return true;
  if (scopeType !== 'SpecificDirectorySubjects') return false;
  return rows(settings['allowedRequestors']).some((set) => userSetMatches(set, identity));
}
