// v1.0 assignment policies: a v1.0 policy's settings kept as sent and shown to beta as what they mean; a beta
// policy shown in v1.0's shape.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { V1_CONTEXT, createV1Package, setupV1 as setup } from '../support/v1.js';

describe('v1.0 assignment policies', () => {
  // The v1.0 create page's example 1, with the package it names.
  const direct = (accessPackageId: string) => ({
    displayName: 'New Policy',
    description: 'policy for assignment',
    allowedTargetScope: 'notSpecified',
    specificAllowedTargets: [],
    expiration: { endDateTime: null, duration: null, type: 'noExpiration' },
    requestorSettings: {
      enableTargetsToSelfAddAccess: false,
      enableTargetsToSelfUpdateAccess: false,
      enableTargetsToSelfRemoveAccess: false,
      allowCustomAssignmentSchedule: true,
      enableOnBehalfRequestorsToAddAccess: false,
      enableOnBehalfRequestorsToUpdateAccess: false,
      enableOnBehalfRequestorsToRemoveAccess: false,
      onBehalfRequestors: [],
    },
    requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, stages: [] },
    accessPackage: { id: accessPackageId },
  });

  it('takes a duration .NET holds, and refuses a longer one as Graph does (its TimeSpan cannot hold it)', async () => {
    const { app, catalogId } = await setup();
    const pkg = await createV1Package(app, catalogId, 'p');
    const expiring = (duration: string) => ({ ...direct(pkg), expiration: { endDateTime: null, duration, type: 'afterDuration' } });
    const longest = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(expiring('P10675199D'));
    expect(longest.status).toBe(201);
    expectGraphHeaders(longest);
    expect(longest.headers['content-type']).toBe(ODATA_JSON);
    expect((await request(app).get(`${POLICIES}/${longest.body.id}`).set(AUTH)).body.durationInDays).toBe(10675199);
    // Past TimeSpan, and years, months or weeks, which OData's day-time durations do not have.
    for (const duration of ['P99999999999D', 'P2W', 'P1Y', 'P1M']) {
      const refused = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(expiring(duration));
      expectGraphError(refused, 400, 'BadRequest', /^Invalid value for property 'expiration': /);
    }
  });

  it('maps canExtend, a manager’s level and backup reviewers both ways', async () => {
    const { app, catalogId } = await setup();
    const pkg = await createV1Package(app, catalogId, 'p');
    const manager = { '@odata.type': '#microsoft.graph.requestorManager', managerLevel: 2 };
    const betaId = (
      await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({
          accessPackageId: pkg,
          displayName: 'beta',
          canExtend: true,
          requestorSettings: { scopeType: 'AllExistingDirectoryMemberUsers', acceptRequests: true, allowedRequestors: [] },
          requestApprovalSettings: {
            isApprovalRequired: true,
            isApprovalRequiredForExtension: false,
            isRequestorJustificationRequired: false,
            approvalMode: 'SingleStage',
            approvalStages: [{ approvalStageTimeOutInDays: 3, primaryApprovers: [{ ...manager, isBackup: false }], escalationApprovers: [] }],
          },
          accessReviewSettings: {
            isEnabled: true,
            recurrenceType: 'monthly',
            reviewerType: 'Reviewers',
            startDateTime: '2030-01-01T00:00:00Z',
            durationInDays: 7,
            reviewers: [
              { '@odata.type': '#microsoft.graph.singleUser', id: 'r1', isBackup: false },
              { '@odata.type': '#microsoft.graph.singleUser', id: 'r2', isBackup: true },
            ],
          },
        })
    ).body.id as string;
    const v1 = (await request(app).get(`${V1}/assignmentPolicies/${betaId}`).set(AUTH)).body;
    expect(v1.requestorSettings.enableTargetsToSelfUpdateAccess).toBe(true);
    expect(v1.requestApprovalSettings.stages[0].primaryApprovers).toEqual([manager]);
    expect(v1.reviewSettings).toMatchObject({
      primaryReviewers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: 'r1' }],
      fallbackReviewers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: 'r2' }],
    });

    const sent = {
      ...direct(pkg),
      requestorSettings: { ...direct(pkg).requestorSettings, enableTargetsToSelfUpdateAccess: true },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [{ durationBeforeAutomaticDenial: 'P2D', primaryApprovers: [{ '@odata.type': '#microsoft.graph.requestorManager', managerLevel: 1 }] }],
      },
    };
    const v1Id = (await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(sent)).body.id as string;
    const beta = (await request(app).get(`${POLICIES}/${v1Id}`).set(AUTH)).body;
    expect(beta.canExtend).toBe(true);
    expect(beta.requestApprovalSettings.approvalStages[0].primaryApprovers).toEqual([
      { '@odata.type': '#microsoft.graph.requestorManager', isBackup: false, managerLevel: 1 },
    ]);
  });

  it('refuses an escalation longer than beta’s minutes (an Int32) hold, naming the property', async () => {
    const { app, catalogId } = await setup();
    const pkg = await createV1Package(app, catalogId, 'p');
    const stage = (durationBeforeEscalation: string) => ({
      ...direct(pkg),
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [{ durationBeforeAutomaticDenial: 'P14D', durationBeforeEscalation }],
      },
    });
    const res = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(stage('PT9999999999M'));
    expectGraphError(
      res,
      400,
      'BadRequest',
      "Invalid value for property 'requestApprovalSettings': the durationBeforeEscalation 'PT9999999999M' is longer than 2147483647 minutes.",
    );
    expect((await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(stage('PT2147483647M'))).status).toBe(201);
  });

  it('keeps a v1.0 policy’s settings as sent, and shows beta what they mean', async () => {
    const { app, catalogId } = await setup();
    const pkg = await createV1Package(app, catalogId, 'p');
    const body = direct(pkg);
    const res = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(body);
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect([res.headers['content-type'], res.headers['odata-version'], res.headers['location']]).toEqual([
      ODATA_JSON,
      '4.0',
      expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${V1.replaceAll('.', '\\.')}/assignmentPolicies/${res.body.id}$`)),
    ]);
    const { accessPackage: _named, ...settings } = body;
    expect(res.body).toMatchObject({ '@odata.context': `${V1_CONTEXT}/assignmentPolicies/$entity`, id: expect.any(String), ...settings });
    const beta = (await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH)).body;
    expect(beta).toMatchObject({
      accessPackageId: pkg,
      displayName: 'New Policy',
      durationInDays: 0,
      requestorSettings: { scopeType: 'NoSubjects', acceptRequests: false, allowedRequestors: [] },
      requestApprovalSettings: { isApprovalRequired: false, approvalMode: 'NoApproval', approvalStages: [] },
    });
    expect(beta).not.toHaveProperty('v1Settings');
    expect((await request(app).get(`${V1}/assignmentPolicies/${res.body.id}/accessPackage`).set(AUTH)).body.id).toBe(pkg);
  });

  it('shows a beta policy in v1.0’s shape', async () => {
    const { app, catalogId } = await setup();
    const pkg = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'p', catalogId })).body.id as string;
    const id = (
      await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({
          accessPackageId: pkg,
          displayName: 'beta',
          durationInDays: 365,
          requestorSettings: {
            scopeType: 'SpecificDirectorySubjects',
            acceptRequests: true,
            allowedRequestors: [{ '@odata.type': '#microsoft.graph.singleUser', id: 'u1', isBackup: false }],
          },
          requestApprovalSettings: {
            isApprovalRequired: true,
            approvalMode: 'SingleStage',
            approvalStages: [
              {
                approvalStageTimeOutInDays: 14,
                escalationTimeInMinutes: 120,
                primaryApprovers: [{ '@odata.type': '#microsoft.graph.groupMembers', id: 'g1', isBackup: true }],
              },
            ],
          },
        })
    ).body.id as string;
    const v1 = (await request(app).get(`${V1}/assignmentPolicies/${id}`).set(AUTH)).body;
    expect(v1).toMatchObject({
      allowedTargetScope: 'specificDirectoryUsers',
      specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.singleUser', userId: 'u1' }],
      expiration: { type: 'afterDuration', duration: 'P365D' },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        stages: [
          { durationBeforeAutomaticDenial: 'P14D', durationBeforeEscalation: 'PT2H', primaryApprovers: [], fallbackPrimaryApprovers: [{ groupId: 'g1' }] },
        ],
      },
    });
    expect(v1).not.toHaveProperty('accessPackageId');
    const list = await request(app).get(`${V1}/accessPackages/${pkg}/assignmentPolicies?$select=displayName`).set(AUTH);
    expect(list.body.value).toEqual([{ id, displayName: 'beta' }]);
  });
});
