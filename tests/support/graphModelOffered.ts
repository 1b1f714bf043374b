// The model-based test's offers to the caller (tests/http/graphModel.test.ts): filterByCurrentUser lists the packages
// with a policy that accepts the caller's requests, in a catalog open for requests, and getApplicablePolicyRequirements
// answers one requirements object per such policy of a package (docs/entitlement-management.md, "Who may request").
// The test's tokens name a member user with no object id and no groups: only the directory-wide scopes accept it.
import { expect } from '@jest/globals';
import { CONTEXT, type Rec, type TenantModel, expectRecord } from './graphModel.js';
import { type Op, ROOT, notFound, ok, pick } from './graphModelOps.js';

const EVERYONE = ['allexistingdirectorysubjects', 'allexistingdirectorymemberusers'];

/** Whether a policy accepts requests from the test's caller. */
function accepts(policy: Rec): boolean {
  const requestor = (policy['requestorSettings'] as Rec | null) ?? {};
  return requestor['acceptRequests'] !== false && EVERYONE.includes(String(requestor['scopeType'] ?? '').toLowerCase());
}

/** The policies of a package offered to the caller: none while its catalog is Unpublished. */
function offered(t: TenantModel, id: string): Rec[] {
  const catalog = t.catalogs.get(String(t.packages.get(id)?.['catalogId']));
  if (String(catalog?.['catalogStatus']).toLowerCase() === 'unpublished') return [];
  return [...t.policies.values()].filter((p) => p['accessPackageId'] === id && accepts(p));
}

/** GET accessPackages/filterByCurrentUser(on='allowedRequestor'), in one page. */
export function filterByCurrentUser(): Op {
  return (t) => ({
    label: 'GET filterByCurrentUser',
    method: 'GET',
    url: `${ROOT}/accessPackages/filterByCurrentUser(on='allowedRequestor')?$top=999`,
    // It reads every package, policy and catalog: alone in a `$batch`.
    touches: [...t.packages.keys(), ...t.policies.keys(), ...t.catalogs.keys()],
    check(t, answer, ctx) {
      ok(answer, 200, ctx);
      expect(answer.body['@odata.context']).toBe(`${CONTEXT}/accessPackages`);
      const read = answer.body.value as Rec[];
      expect(read.map((p) => p['id'])).toEqual([...t.packages.keys()].filter((id) => offered(t, id).length > 0));
      for (const { '@odata.type': type, ...record } of read) {
        expect(type).toBe('#microsoft.graph.accessPackage');
        expectRecord(t, t.packages, record);
      }
    },
  });
}

/** POST accessPackages/{id}/getApplicablePolicyRequirements: a requirements object per policy offered. */
export function requirements(p: number): Op {
  return (t) => {
    const id = pick([...t.packages.keys()], p);
    const catalog = String(t.packages.get(id)?.['catalogId']);
    return {
      label: `POST ${id}/getApplicablePolicyRequirements`,
      method: 'POST',
      url: `${ROOT}/accessPackages/${id}/getApplicablePolicyRequirements`,
      // `{}`, no parameters: a `$batch` item that writes needs a body (docs/graph-fidelity.md).
      body: {},
      touches: [id, catalog, ...[...t.policies.values()].filter((x) => x['accessPackageId'] === id).map((x) => x['id'] as string)],
      check(t, answer, ctx) {
        if (!t.packages.has(id)) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        expect(answer.body['@odata.context']).toBe(
          'https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.accessPackageAssignmentRequestRequirements)',
        );
        const read = (answer.body.value as Rec[]).map((r) => [r['policyId'], r['policyDisplayName'], r['policyDescription']]);
        expect(read).toEqual(offered(t, id).map((policy) => [policy['id'], policy['displayName'], policy['description']]));
      },
    };
  };
}
