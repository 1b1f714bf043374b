// A stage's approverInformationVisibility, the same enum in beta's approvalStage and v1.0's accessPackageApprovalStage
// (not nullable there: "default" unless set), carried both ways.
// https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage?view=graph-rest-1.0
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const approval = (stages: object[]) => ({ isApprovalRequired: true, approvalMode: 'SingleStage', approvalStages: stages });
const v1Approval = (stages: object[]) => ({ isApprovalRequiredForAdd: true, isApprovalRequiredForUpdate: false, stages });

describe('approverInformationVisibility', () => {
  it('shows beta’s in v1.0, and "default" for a stage that has none', async () => {
    const { app, catalogId } = await setupV1();
    const pkg = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'p', catalogId })).body.id as string;
    const stages = [{ approvalStageTimeOutInDays: 3, approverInformationVisibility: 'notVisible' }, { approvalStageTimeOutInDays: 4 }];
    const id = (
      await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({ accessPackageId: pkg, displayName: 'b', requestApprovalSettings: approval(stages) })
    ).body.id as string;
    const res = await request(app).get(`${V1}/assignmentPolicies/${id}`).set(AUTH);
    expect([res.status, res.headers['content-type']]).toEqual([200, ODATA_JSON]);
    expectGraphHeaders(res);
    expect(
      res.body.requestApprovalSettings.stages.map((s: Record<string, unknown>) => [s['durationBeforeAutomaticDenial'], s['approverInformationVisibility']]),
    ).toEqual([
      ['P3D', 'notVisible'],
      ['P4D', 'default'],
    ]);
  });

  it('shows v1.0’s in beta, and in v1.0 "default" for a stage sent without one', async () => {
    const { app, catalogId } = await setupV1();
    const pkg = await createV1Package(app, catalogId, 'p');
    const stages = [{ durationBeforeAutomaticDenial: 'P2D', approverInformationVisibility: 'visible' }, { durationBeforeAutomaticDenial: 'P5D' }];
    const created = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({ displayName: 'v', requestApprovalSettings: v1Approval(stages), accessPackage: { id: pkg } });
    expect([created.status, created.headers['content-type']]).toEqual([201, ODATA_JSON]);
    expectGraphHeaders(created);
    const shown = [
      { durationBeforeAutomaticDenial: 'P2D', approverInformationVisibility: 'visible' },
      { durationBeforeAutomaticDenial: 'P5D', approverInformationVisibility: 'default' },
    ];
    expect(created.body.requestApprovalSettings.stages).toEqual(shown);
    expect((await request(app).get(`${V1}/assignmentPolicies/${created.body.id}`).set(AUTH)).body.requestApprovalSettings.stages).toEqual(shown);
    const beta = (await request(app).get(`${POLICIES}/${created.body.id}`).set(AUTH)).body;
    expect(
      beta.requestApprovalSettings.approvalStages.map((s: Record<string, unknown>) => [s['approvalStageTimeOutInDays'], s['approverInformationVisibility']]),
    ).toEqual([
      [2, 'visible'],
      [5, 'default'],
    ]);
  });
});
