// A policy's settings typed as plain strings take only the values Graph's pages list (scopeType in any case, as it
// is read; approvalMode and reviewerType as spelt), and approval has at most three stages, in either version: a
// 400 naming the setting, nothing stored, on a create and on a PUT.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { setupV1 } from '../support/v1.js';

const SCOPES =
  'NoSubjects, SpecificDirectorySubjects, SpecificConnectedOrganizationSubjects, AllExistingDirectoryMemberUsers, AllExistingDirectorySubjects, AllConfiguredConnectedOrganizationSubjects, AllExistingConnectedOrganizationSubjects, AllExternalSubjects';
const betaStage = { approvalStageTimeOutInDays: 14, isApproverJustificationRequired: false, isEscalationEnabled: false, primaryApprovers: [] };
const v1Stage = { durationBeforeAutomaticDenial: 'P14D', isApproverJustificationRequired: false, isEscalationEnabled: false, primaryApprovers: [] };

async function setup() {
  const { app, store, catalogId } = await setupV1();
  const accessPackageId = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'p', catalogId })).body.id as string;
  const policyId = (await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'kept' })).body.id as string;
  return { app, store, accessPackageId, policyId };
}

describe('a beta policy setting outside the documented values', () => {
  it.each([
    ['requestorSettings', { requestorSettings: { scopeType: 'Bogus' } }, `the scopeType 'Bogus' is not one of ${SCOPES}.`],
    [
      'requestorSettings',
      { requestorSettings: { scopeType: 'AllExistingDirectoryMembers' } },
      `the scopeType 'AllExistingDirectoryMembers' is not one of ${SCOPES}.`,
    ],
    [
      'requestApprovalSettings',
      { requestApprovalSettings: { approvalMode: 'Whatever' } },
      "the approvalMode 'Whatever' is not one of SingleStage, Serial, Parallel, NoApproval.",
    ],
    [
      'requestApprovalSettings',
      { requestApprovalSettings: { approvalMode: 'serial' } },
      "the approvalMode 'serial' is not one of SingleStage, Serial, Parallel, NoApproval.",
    ],
    ['accessReviewSettings', { accessReviewSettings: { isEnabled: true, reviewerType: 'Nobody' } }, "the reviewerType 'Nobody' is not one of Self, Reviewers."],
    [
      'requestApprovalSettings',
      { requestApprovalSettings: { isApprovalRequired: true, approvalMode: 'Serial', approvalStages: [betaStage, betaStage, betaStage, betaStage] } },
      'approval has 4 stages; a policy has at most 3.',
    ],
  ])('in %s is a 400 on a create and a PUT, and nothing changes (case %#)', async (property, settings, message) => {
    const { app, store, accessPackageId, policyId } = await setup();
    const before = JSON.stringify(store.list('accessPackageAssignmentPolicies'));
    const full = `Invalid value for property '${property}': ${message}`;
    expectGraphError(
      await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({ accessPackageId, displayName: 'n', ...settings }),
      400,
      'BadRequest',
      full,
    );
    expectGraphError(
      await request(app)
        .put(`${POLICIES}/${policyId}`)
        .set(AUTH)
        .send({ accessPackageId, displayName: 'n', ...settings }),
      400,
      'BadRequest',
      full,
    );
    expect(JSON.stringify(store.list('accessPackageAssignmentPolicies'))).toBe(before);
  });

  it('takes every documented value, a scope type in any case, and three stages', async () => {
    const { app, accessPackageId } = await setup();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({
        accessPackageId,
        displayName: 'three',
        requestorSettings: { scopeType: 'allExistingDirectorySubjects', acceptRequests: true, allowedRequestors: [] },
        requestApprovalSettings: { isApprovalRequired: true, approvalMode: 'Serial', approvalStages: [betaStage, betaStage, betaStage] },
        accessReviewSettings: { isEnabled: true, reviewerType: 'Self', recurrenceType: 'quarterly', durationInDays: 25, reviewers: [] },
      });
    expect([res.status, res.headers['content-type']]).toEqual([201, ODATA_JSON]);
    expectGraphHeaders(res);
    expect(res.body.requestApprovalSettings.approvalStages).toHaveLength(3);
    expect(res.body.accessReviewSettings.reviewerType).toBe('Self');
    for (const mode of ['SingleStage', 'Parallel', 'NoApproval']) {
      const ok = await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({ accessPackageId, displayName: mode, requestApprovalSettings: { approvalMode: mode } });
      expect([ok.status, ok.body.requestApprovalSettings.approvalMode]).toEqual([201, mode]);
    }
  });
});

describe('a v1.0 policy', () => {
  it('with four approval stages is a 400, with three a 201', async () => {
    const { app, store, accessPackageId } = await setup();
    const policies = store.list('accessPackageAssignmentPolicies').length;
    const body = (stages: object[]) => ({
      displayName: 'v',
      accessPackage: { id: accessPackageId },
      requestApprovalSettings: { isApprovalRequiredForAdd: true, stages },
    });
    expectGraphError(
      await request(app)
        .post(`${V1}/assignmentPolicies`)
        .set(AUTH)
        .send(body([v1Stage, v1Stage, v1Stage, v1Stage])),
      400,
      'BadRequest',
      "Invalid value for property 'requestApprovalSettings': approval has 4 stages; a policy has at most 3.",
    );
    expect(store.list('accessPackageAssignmentPolicies').length).toBe(policies);
    const three = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send(body([v1Stage, v1Stage, v1Stage]));
    expect([three.status, three.body.requestApprovalSettings.stages.length]).toEqual([201, 3]);
  });
});
