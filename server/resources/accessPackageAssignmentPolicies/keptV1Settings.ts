// What a beta write keeps of the v1.0 settings a v1.0 write left. Beta's model cannot say all of them (an
// attributeRuleMembers' membershipRule, a targetManager approver, a PT36H expiration, the on-behalf requestor
// settings, automaticRequestSettings), so a beta GET sent back unchanged as a PUT must not lose them: each v1.0
// setting stays while the write leaves the beta settings it means as beta showed them; one whose beta settings the
// write changes is derived from the new beta ones (v1.ts). Compared by meaning (settingsMeaning.ts): an added
// @odata.type or an isBackup false left out changes nothing. Chosen: not documented, Graph documents each version's
// shape, not the mapping. https://learn.microsoft.com/graph/api/accesspackageassignmentpolicy-update?view=graph-rest-beta
import type { Row } from '../definition.js';
import { sameMeaning } from './settingsMeaning.js';

const requestor = (policy: Row): Row => (policy['requestorSettings'] as Row | null | undefined) ?? {};

/** Each v1.0 setting and the beta settings it is stored as (v1.ts `inbound`). */
const MEANS: Record<string, (policy: Row) => unknown> = {
  allowedTargetScope: (p) => requestor(p)['scopeType'],
  specificAllowedTargets: (p) => [requestor(p)['scopeType'], requestor(p)['allowedRequestors']],
  requestorSettings: (p) => [requestor(p)['acceptRequests'], p['canExtend']],
  automaticRequestSettings: (p) => requestor(p)['acceptRequests'],
  expiration: (p) => [p['durationInDays'], p['expirationDateTime']],
  requestApprovalSettings: (p) => p['requestApprovalSettings'],
  reviewSettings: (p) => p['accessReviewSettings'],
  notificationSettings: (p) => p['accessPackageNotificationSettings'],
};

/** The v1.0 settings of `existing` that a beta write of `written` leaves meaning what they meant; null for none. */
export function keptV1Settings(existing: Row, written: Row): Row | null {
  const sent = existing['v1Settings'] as Row | null | undefined;
  if (!sent) return null;
  const kept = Object.entries(sent).filter(([name]) => {
    const means = MEANS[name];
    return means !== undefined && sameMeaning(means(existing), means(written));
  });
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}
