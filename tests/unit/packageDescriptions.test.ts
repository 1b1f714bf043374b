// Over many seeds, no generated package's description contradicts its assignment policies: what it says of who may
// request it, with or without approval, for how long, and of direct assignment is read against the policies'
// settings a client reads (requestorSettings, requestApprovalSettings, durationInDays), not against the generator's
// own tables. filterByCurrentUser(on='allowedRequestor') lists a package whose policy lets the caller request it,
// so a description saying it cannot be requested would contradict the emulator's own answers.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { identityOf } from '../../server/identity/claims.js';
import { allowsRequestor } from '../../server/resources/accessPackageAssignmentPolicies/requestors.js';
import type { Row } from '../../server/resources/definition.js';
import type { AccessPackageAssignmentPolicy } from '../../server/store/records.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { READ, unsignedJwt } from '../support/tokens.js';

/** A member user of the tenant, in no group: the caller filterByCurrentUser answers for. */
const MEMBER = identityOf(unsignedJwt({ aud: 'https://graph.microsoft.com', oid: '7deff43e-1f17-44ef-9e5f-d516b0ba11d4', scp: READ }));

type Policy = AccessPackageAssignmentPolicy & Row;
const settings = (policy: Policy, name: string) => (policy[name] ?? {}) as Row;
/** A policy that accepts requests from someone: not NoSubjects, and acceptRequests not false. */
const acceptsRequests = (policy: Policy) =>
  settings(policy, 'requestorSettings')['acceptRequests'] !== false && settings(policy, 'requestorSettings')['scopeType'] !== 'NoSubjects';
const needsApproval = (policy: Policy) => settings(policy, 'requestApprovalSettings')['isApprovalRequired'] === true;
const scopeOf = (policy: Policy) => settings(policy, 'requestorSettings')['scopeType'];

/**
 * The sentences on how the package is obtained: from the first that speaks of requesting or of an administrator's
 * assignment on (what it grants comes before, and may name an "approval app" or an "administrator role").
 */
function requestPart(description: string): string {
  const sentences = description.split(/(?<=\.) /);
  const first = sentences.findIndex((s) => /\brequest|Assigned by an administrator/i.test(s));
  return first === -1 ? '' : sentences.slice(first).join(' ');
}

/** What the description claims, each read from its words, with whether the policies bear it out. */
function contradictions(whole: string, policies: readonly Policy[]): string[] {
  const description = requestPart(whole);
  const requestable = policies.filter(acceptsRequests);
  const found: string[] = [];
  const claim = (says: boolean, holds: boolean, what: string) => {
    if (says && !holds) found.push(what);
  };
  const cannot = /cannot be requested/.test(description);
  claim(cannot, requestable.length === 0, 'says it cannot be requested, yet a policy accepts requests');
  claim(!cannot, requestable.length > 0, 'names no way to request it, yet it cannot be requested');
  claim(requestable.length > 0, /\brequest/i.test(description.replace(/cannot be requested/g, '')), 'a policy accepts requests, yet it does not say so');
  claim(cannot, !policies.some((p) => allowsRequestor(p, MEMBER)), 'says it cannot be requested, yet filterByCurrentUser lists it');
  claim(
    /no approval/.test(description),
    requestable.some((p) => !needsApproval(p)),
    'says no approval is needed, yet every way needs one',
  );
  claim(/\bapprov/.test(description.replace(/no approval/g, '')), requestable.some(needsApproval), 'names an approver, yet no way needs one');
  claim(
    /connected organizations/.test(description),
    requestable.some((p) => scopeOf(p) === 'AllConfiguredConnectedOrganizationSubjects'),
    'names partners without such a policy',
  );
  claim(
    /any employee/i.test(description),
    requestable.some((p) => scopeOf(p) === 'AllExistingDirectorySubjects'),
    'says any employee without such a policy',
  );
  claim(
    /30 days/.test(description),
    requestable.some((p) => p.durationInDays === 30),
    'says 30 days without such a policy',
  );
  claim(
    /administrator/i.test(description),
    policies.some((p) => scopeOf(p) === 'NoSubjects'),
    'names direct assignment without such a policy',
  );
  claim(
    policies.some((p) => scopeOf(p) === 'NoSubjects'),
    /administrator/i.test(description),
    'a direct assignment is not said',
  );
  return found;
}

describe('generated package descriptions', () => {
  it('never contradict any of the package’s policies, for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const tenant = generateDataset({ seed, accessPackages: 60, accessPackageCatalogs: 4, referenceDate: '2026-11-01' });
        const policiesOf = new Map<string, Policy[]>();
        for (const policy of tenant.accessPackageAssignmentPolicies as Policy[]) {
          policiesOf.set(policy.accessPackageId, [...(policiesOf.get(policy.accessPackageId) ?? []), policy]);
        }
        const wrong = tenant.accessPackages
          .map((p) => ({ name: p.displayName, description: p.description, wrong: contradictions(p.description ?? '', policiesOf.get(p.id) ?? []) }))
          .filter((p) => p.wrong.length > 0);
        expect(wrong).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('of the default tenant (seed 42, the small set) say a purchase approvals package with an open policy can be requested', () => {
    const tenant = generateDataset({ seed: 42, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: '2026-11-01' });
    const purchase = tenant.accessPackages.filter((p) => p.displayName?.startsWith('Procurement – Purchase approvals'));
    const described = Object.fromEntries(purchase.map((p) => [p.displayName, p.description?.replace(/^.*?\. (For buyers\. )?/, '')]));
    expect(described).toMatchObject({
      'Procurement – Purchase approvals': 'Any employee can request it; no approval is needed. Administrators can also assign it directly.',
      // Procurement's catalog is not externally visible: no policy there is for connected organizations.
      'Procurement – Purchase approvals (EMEA)':
        'Members can request it for 30 days; access is reviewed every quarter. Administrators can also assign it directly.',
      'Procurement – Purchase approvals (Contractors)': 'Assigned by an administrator; it cannot be requested.',
    });
  });
});
