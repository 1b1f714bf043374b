// Counts and durations a policy cannot have below zero, refused in either version with a 400 naming the property,
// and a v1.0 expiration's duration read only for afterDuration.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, PACKAGES, POLICIES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

describe('a negative count of days or minutes', () => {
  it.each([
    ['durationInDays', 'durationInDays', -5, { durationInDays: -5 }],
    ['requestApprovalSettings', 'approvalStageTimeOutInDays', -5, { requestApprovalSettings: { approvalStages: [{ approvalStageTimeOutInDays: -5 }] } }],
    ['requestApprovalSettings', 'escalationTimeInMinutes', -10, { requestApprovalSettings: { approvalStages: [{ escalationTimeInMinutes: -10 }] } }],
    ['accessReviewSettings', 'durationInDays', -2, { accessReviewSettings: { isEnabled: true, durationInDays: -2 } }],
  ])('in beta’s %s (%s) is a 400, on a create and a PUT', async (property, name, value, settings) => {
    const { app, catalogId } = await setupV1();
    const pkg = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'p', catalogId })).body.id as string;
    const message = `Invalid value for property '${property}': the ${name} '${value}' is negative.`;
    const created = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId: pkg, displayName: 'n', ...settings });
    expectGraphError(created, 400, 'BadRequest', message);
    const id = (await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: pkg, displayName: 'n' })).body.id as string;
    expectGraphError(
      await request(app)
        .put(`${POLICIES}/${id}`)
        .set(AUTH)
        .send({ displayName: 'n', ...settings }),
      400,
      'BadRequest',
      message,
    );
  });
});

describe('a negative v1.0 duration', () => {
  const stage = (name: string, duration: string) => ({ requestApprovalSettings: { isApprovalRequiredForAdd: true, stages: [{ [name]: duration }] } });
  it.each([
    ['expiration', 'duration', '-P1D', { expiration: { type: 'afterDuration', duration: '-P1D' } }],
    ['requestApprovalSettings', 'durationBeforeAutomaticDenial', '-P1D', stage('durationBeforeAutomaticDenial', '-P1D')],
    ['requestApprovalSettings', 'durationBeforeEscalation', '-PT5M', stage('durationBeforeEscalation', '-PT5M')],
    ['reviewSettings', 'duration', '-P3D', { reviewSettings: { isEnabled: true, schedule: { expiration: { type: 'afterDuration', duration: '-P3D' } } } }],
  ])('in %s (%s %s) is a 400', async (property, name, duration, settings) => {
    const { app, catalogId } = await setupV1();
    const pkg = await createV1Package(app, catalogId, 'p');
    const res = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({ displayName: 'n', ...settings, accessPackage: { id: pkg } });
    expectGraphError(res, 400, 'BadRequest', `Invalid value for property '${property}': the ${name} '${duration}' is negative.`);
  });
});

describe('a v1.0 expiration that is not afterDuration', () => {
  it('has no beta duration, whatever duration it carries', async () => {
    const { app, catalogId } = await setupV1();
    const pkg = await createV1Package(app, catalogId, 'p');
    const expiration = { type: 'noExpiration', duration: 'P5D', endDateTime: null };
    const res = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({ displayName: 'e', expiration, accessPackage: { id: pkg } });
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.body.expiration).toEqual(expiration);
    const beta = await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH);
    expect(beta.body).toMatchObject({ durationInDays: 0, expirationDateTime: null });
  });
});

describe('a requestorManager’s managerLevel', () => {
  const manager = (managerLevel: number) => ({ '@odata.type': '#microsoft.graph.requestorManager', managerLevel });
  const message = (property: string, level: number) => `Invalid value for property '${property}': a requestorManager's managerLevel is 1 or 2, not '${level}'.`;

  it('is 1 or 2 in beta, anywhere a policy names one, on a create and a PUT', async () => {
    const { app, catalogId } = await setupV1();
    const pkg = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'p', catalogId })).body.id as string;
    const approval = (level: number) => ({
      requestApprovalSettings: { isApprovalRequired: true, approvalMode: 'SingleStage', approvalStages: [{ primaryApprovers: [manager(level)] }] },
    });
    const created = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId: pkg, displayName: 'm', ...approval(2) });
    expect(created.status).toBe(201);
    expect(created.body.requestApprovalSettings.approvalStages[0].primaryApprovers).toEqual([manager(2)]);
    expectGraphError(
      await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({ accessPackageId: pkg, displayName: 'm', ...approval(3) }),
      400,
      'BadRequest',
      message('requestApprovalSettings', 3),
    );
    const reviewers = { accessReviewSettings: { isEnabled: true, reviewerType: 'Reviewers', reviewers: [manager(0)] } };
    expectGraphError(
      await request(app)
        .put(`${POLICIES}/${created.body.id}`)
        .set(AUTH)
        .send({ displayName: 'm', ...reviewers }),
      400,
      'BadRequest',
      message('accessReviewSettings', 0),
    );
    expect((await request(app).get(`${POLICIES}/${created.body.id}`).set(AUTH)).body.requestApprovalSettings.approvalStages[0].primaryApprovers).toEqual([
      manager(2),
    ]);
  });

  it('is 1 or 2 in v1.0', async () => {
    const { app, catalogId } = await setupV1();
    const pkg = await createV1Package(app, catalogId, 'p');
    const res = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({
        displayName: 'm',
        accessPackage: { id: pkg },
        requestApprovalSettings: { isApprovalRequiredForAdd: true, stages: [{ primaryApprovers: [], fallbackPrimaryApprovers: [manager(-1)] }] },
      });
    expectGraphError(res, 400, 'BadRequest', message('requestApprovalSettings', -1));
  });
});
