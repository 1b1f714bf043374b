// A data file edited by hand may hold null in a policy's lists of settings (approval stages, approvers, requestors,
// reviewers). Beta shows the record as stored; the v1.0 views, which read every element, skip the nulls: no read of
// stored data answers 500.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { EntityOf } from '../../server/store/records.js';
import { AUTH, ODATA_JSON, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const approver = { '@odata.type': '#microsoft.graph.singleUser', id: 'u1', isBackup: false };

describe('a stored policy with null in its lists', () => {
  it('reads through v1.0 with the nulls skipped, and through beta as stored', async () => {
    const { app, store, catalogId } = await setupV1();
    const accessPackageId = await createV1Package(app, catalogId, 'p');
    const created = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'q' });
    expect(created.status).toBe(201);
    const stored = store.get('accessPackageAssignmentPolicies', created.body.id as string)!;
    // Written through the store seam, as a data file edited by hand is read: no request's validation passed on it.
    await store.update('accessPackageAssignmentPolicies', {
      ...stored,
      requestorSettings: { scopeType: 'SpecificDirectorySubjects', acceptRequests: true, allowedRequestors: [null, approver] },
      requestApprovalSettings: {
        isApprovalRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [null, { approvalStageTimeOutInDays: 3, primaryApprovers: [null, approver], escalationApprovers: null }],
      },
      accessReviewSettings: { isEnabled: true, reviewerType: 'Reviewers', durationInDays: 7, reviewers: [null] },
    } as unknown as EntityOf<'accessPackageAssignmentPolicies'>);

    for (const url of [`${V1}/assignmentPolicies/${created.body.id}`, `${V1}/assignmentPolicies?$filter=id eq '${created.body.id}'`]) {
      const res = await request(app).get(url).set(AUTH);
      expect([res.status, res.headers['content-type']]).toEqual([200, ODATA_JSON]);
      expectGraphHeaders(res);
      const policy = res.body.value?.[0] ?? res.body;
      expect(policy.specificAllowedTargets).toEqual([{ '@odata.type': '#microsoft.graph.singleUser', userId: 'u1' }]);
      expect(policy.requestApprovalSettings.stages).toEqual([
        expect.objectContaining({ durationBeforeAutomaticDenial: 'P3D', primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: 'u1' }] }),
      ]);
      expect(policy.reviewSettings).toMatchObject({ primaryReviewers: [], fallbackReviewers: [] });
    }
    const beta = await request(app).get(`${POLICIES}/${created.body.id}`).set(AUTH);
    expect(beta.status).toBe(200);
    expect(beta.body.requestApprovalSettings.approvalStages[0]).toBeNull();
  });
});
