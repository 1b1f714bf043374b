// A beta PUT of a v1.0 policy's beta view as an SDK sends it back: with the declared @odata.type on each complex
// value (Kiota's models always write one) and without an isBackup false (its default). Both mean what the view said,
// so the v1.0 settings beta's model cannot say (a target's manager approving, PT36H and PT90M, an attribute rule)
// stay.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, ODATA_JSON, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const manager = { '@odata.type': '#microsoft.graph.targetManager', managerLevel: 1 };
const rule = { '@odata.type': '#microsoft.graph.attributeRuleMembers', description: 'Sales', membershipRule: '(user.department -eq "Sales")' };
const user = { '@odata.type': '#microsoft.graph.singleUser', userId: 'u1' };
const settings = {
  allowedTargetScope: 'specificDirectoryUsers',
  specificAllowedTargets: [rule, user],
  expiration: { endDateTime: null, duration: 'PT36H', type: 'afterDuration' },
  requestApprovalSettings: {
    isApprovalRequiredForAdd: true,
    isApprovalRequiredForUpdate: false,
    stages: [
      { durationBeforeAutomaticDenial: 'P7D', durationBeforeEscalation: 'PT90M', primaryApprovers: [manager, user], approverInformationVisibility: 'default' },
    ],
  },
};

type Json = Record<string, unknown>;
const withoutBackup = (sets: unknown): Json[] => (sets as Json[]).map(({ isBackup: _backup, ...set }) => set);

/** Each object with the declared @odata.type Kiota writes, each userSet without isBackup false. */
function asKiotaSends(beta: Json) {
  const requestor = beta['requestorSettings'] as Json;
  const approval = beta['requestApprovalSettings'] as Json;
  const stages = (approval['approvalStages'] as Json[]).map((stage) => ({
    '@odata.type': '#microsoft.graph.approvalStage',
    ...stage,
    primaryApprovers: withoutBackup(stage['primaryApprovers']),
  }));
  return {
    ...beta,
    requestorSettings: { '@odata.type': 'microsoft.graph.requestorSettings', ...requestor, allowedRequestors: withoutBackup(requestor['allowedRequestors']) },
    requestApprovalSettings: { '@odata.type': '#microsoft.graph.approvalSettings', ...approval, approvalStages: stages },
  };
}

describe('a beta PUT that sends a v1.0 policy’s beta view back in other words', () => {
  it('keeps the v1.0 settings beta cannot say', async () => {
    const { app, catalogId } = await setupV1();
    const pkg = await createV1Package(app, catalogId, 'p');
    const created = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({ displayName: 'v', ...settings, accessPackage: { id: pkg } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const { '@odata.context': _context, ...beta } = (await request(app).get(`${POLICIES}/${id}`).set(AUTH)).body;
    const res = await request(app).put(`${POLICIES}/${id}`).set(AUTH).send(asKiotaSends(beta));
    expect([res.status, res.headers['content-type']]).toEqual([200, ODATA_JSON]);
    expectGraphHeaders(res);
    const v1 = await request(app).get(`${V1}/assignmentPolicies/${id}`).set(AUTH);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject(settings);
  });
});
