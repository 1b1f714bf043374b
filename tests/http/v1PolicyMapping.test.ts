// A v1.0 policy read and written back through beta: what beta's model cannot say (an auto-assignment, a membership
// rule, a target's manager approving, an expiry in hours) is neither turned into something else nor lost.
import { describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { READ, bearer, unsignedJwt } from '../support/tokens.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const USER = '7deff43e-1f17-44ef-9e5f-d516b0ba11d4';
const member = bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', oid: USER, upn: 'adele.vance@contoso.onmicrosoft.com', scp: READ }));
const singleUser = { '@odata.type': '#microsoft.graph.singleUser', userId: USER, description: 'Adele' };

async function setup() {
  const { app, catalogId } = await setupV1();
  return { app, pkg: await createV1Package(app, catalogId, 'p') };
}

/** A 200 with Graph's headers and JSON, and its body. */
async function read(app: Express, url: string) {
  const res = await request(app).get(url).set(AUTH);
  expect(res.status).toBe(200);
  expectGraphHeaders(res);
  expect(res.headers['content-type']).toBe(ODATA_JSON);
  return res.body;
}

/** The policy as beta reads it, sent back unchanged as beta's PUT: a 200 with the same settings. */
async function betaRoundTrip(app: Express, id: string) {
  const { '@odata.context': _context, ...beta } = await read(app, `${POLICIES}/${id}`);
  const res = await request(app).put(`${POLICIES}/${id}`).set(AUTH).send(beta);
  expect(res.status).toBe(200);
  expectGraphHeaders(res);
  const { modifiedDateTime: _before, ...unchanged } = beta;
  expect(res.body).toMatchObject(unchanged);
  return beta;
}

describe('a v1.0 policy that lets nobody ask', () => {
  it('is not requestable when it is an auto-assignment or has no requestorSettings, in either version, after a PUT too', async () => {
    const { app, pkg } = await setup();
    const auto = {
      displayName: 'auto',
      allowedTargetScope: 'allMemberUsers',
      automaticRequestSettings: { requestAccessForAllowedTargets: true },
      accessPackage: { id: pkg },
    };
    const created = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(auto);
    expect(created.status).toBe(201);
    expectGraphHeaders(created);
    expect(created.body.requestorSettings.enableTargetsToSelfAddAccess).toBe(false);
    expect(created.body.automaticRequestSettings).toEqual({ requestAccessForAllowedTargets: true });
    const id = created.body.id as string;
    const nothingRequestable = async () => {
      for (const root of [PACKAGES, `${V1}/accessPackages`]) {
        const listed = await request(app).get(`${root}/filterByCurrentUser(on='allowedRequestor')`).set(member);
        expect([listed.status, listed.headers['content-type'], listed.body.value]).toEqual([200, ODATA_JSON, []]);
        const requirements = await request(app).post(`${root}/${pkg}/getApplicablePolicyRequirements`).set(member);
        expect([requirements.status, requirements.body.value]).toEqual([200, []]);
      }
    };
    expect((await read(app, `${POLICIES}/${id}`)).requestorSettings).toEqual({
      scopeType: 'AllExistingDirectoryMemberUsers',
      acceptRequests: false,
      allowedRequestors: [],
    });
    await nothingRequestable();

    // The v1.0 PUT page's body without requestorSettings: both versions read it as not accepting requests.
    const put = await request(app).put(`${V1}/assignmentPolicies/${id}`).set(AUTH).send({ displayName: 'renamed', allowedTargetScope: 'allMemberUsers' });
    expect(put.status).toBe(200);
    expect(put.body.requestorSettings.enableTargetsToSelfAddAccess).toBe(false);
    expect((await read(app, `${POLICIES}/${id}`)).requestorSettings.acceptRequests).toBe(false);
    await nothingRequestable();
  });
});

describe('v1.0 subject sets beta has no userSet for', () => {
  it('are left out of beta’s view, and a beta PUT of that view keeps them in v1.0', async () => {
    const { app, pkg } = await setup();
    const rule = { '@odata.type': '#microsoft.graph.attributeRuleMembers', description: 'Sales', membershipRule: '(user.department -eq "Sales")' };
    const app1 = { '@odata.type': '#microsoft.graph.singleServicePrincipal', servicePrincipalId: 'a1b2', description: 'robot' };
    const manager = { '@odata.type': '#microsoft.graph.targetManager', managerLevel: 1 };
    const settings = {
      allowedTargetScope: 'specificDirectoryUsers',
      specificAllowedTargets: [rule, app1, singleUser],
      requestorSettings: { enableTargetsToSelfAddAccess: true, enableOnBehalfRequestorsToAddAccess: true, onBehalfRequestors: [manager] },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [{ durationBeforeAutomaticDenial: 'P7D', primaryApprovers: [manager, singleUser], fallbackPrimaryApprovers: [manager] }],
      },
    };
    const created = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({ displayName: 'rules', ...settings, accessPackage: { id: pkg } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const beta = await betaRoundTrip(app, id);
    const user = { '@odata.type': '#microsoft.graph.singleUser', isBackup: false, id: USER, description: 'Adele' };
    expect(beta.requestorSettings).toEqual({ scopeType: 'SpecificDirectorySubjects', acceptRequests: true, allowedRequestors: [user] });
    expect(beta.requestApprovalSettings.approvalStages[0]).toMatchObject({ approvalStageTimeOutInDays: 7, primaryApprovers: [user], escalationApprovers: [] });
    expect(await read(app, `${V1}/assignmentPolicies/${id}`)).toMatchObject({ displayName: 'rules', ...settings });

    // A beta write that changes who may ask replaces the v1.0 targets with what beta says; the approval it left stays.
    const other = { '@odata.type': '#microsoft.graph.groupMembers', id: 'g1', isBackup: false };
    const changed = { ...beta, requestorSettings: { ...beta.requestorSettings, allowedRequestors: [other] } };
    expect((await request(app).put(`${POLICIES}/${id}`).set(AUTH).send(changed)).status).toBe(200);
    const v1 = await read(app, `${V1}/assignmentPolicies/${id}`);
    expect(v1.specificAllowedTargets).toEqual([{ '@odata.type': '#microsoft.graph.groupMembers', groupId: 'g1' }]);
    // As sent, each stage with the approverInformationVisibility v1.0 always shows ("default" unless set).
    const stages = settings.requestApprovalSettings.stages.map((stage) => ({ ...stage, approverInformationVisibility: 'default' }));
    expect(v1.requestApprovalSettings).toEqual({ ...settings.requestApprovalSettings, stages });
  });
});

/** A v1.0 policy with that expiration: its id. */
async function expiring(app: Express, pkg: string, expiration: object): Promise<string> {
  const res = await request(app)
    .post(`${V1}/assignmentPolicies`)
    .set(AUTH)
    .send({ displayName: 'e', expiration, accessPackage: { id: pkg } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('a v1.0 expiration in beta', () => {
  it.each([
    ['PT48H', 2],
    ['P2DT0H', 2],
    ['PT2880M', 2],
    ['P2D', 2],
  ])('reads %s as durationInDays %d', async (duration, days) => {
    const { app, pkg } = await setup();
    const expiration = { endDateTime: null, duration, type: 'afterDuration' };
    const id = await expiring(app, pkg, expiration);
    expect((await betaRoundTrip(app, id)).durationInDays).toBe(days);
    expect((await read(app, `${V1}/assignmentPolicies/${id}`)).expiration).toEqual(expiration);
  });

  it('keeps one with no whole-day form (PT36H, beta reads 0) through a beta PUT of beta’s view; a new durationInDays replaces it', async () => {
    const { app, pkg } = await setup();
    const expiration = { endDateTime: null, duration: 'PT36H', type: 'afterDuration' };
    const id = await expiring(app, pkg, expiration);
    const beta = await betaRoundTrip(app, id);
    expect(beta).toMatchObject({ durationInDays: 0, expirationDateTime: null });
    expect((await read(app, `${V1}/assignmentPolicies/${id}`)).expiration).toEqual(expiration);

    expect(
      (
        await request(app)
          .put(`${POLICIES}/${id}`)
          .set(AUTH)
          .send({ ...beta, durationInDays: 5 })
      ).status,
    ).toBe(200);
    expect((await read(app, `${V1}/assignmentPolicies/${id}`)).expiration).toEqual({ endDateTime: null, duration: 'P5D', type: 'afterDuration' });
  });
});

describe('review settings one version never stored', () => {
  it('read in the other at the defaults Graph documents (the two Booleans true), with no timeout behaviour made up', async () => {
    const { app, pkg } = await setup();
    const fromBeta = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({
        accessPackageId: pkg,
        displayName: 'beta review',
        accessReviewSettings: {
          isEnabled: true,
          recurrenceType: 'monthly',
          reviewerType: 'Self',
          startDateTime: '2027-01-01T00:00:00Z',
          durationInDays: 7,
          reviewers: [],
        },
      })
      .expect(201);
    const v1 = (await read(app, `${V1}/assignmentPolicies/${fromBeta.body.id}`))['reviewSettings'];
    expect(v1).toMatchObject({
      isEnabled: true,
      expirationBehavior: null,
      isRecommendationEnabled: true,
      isReviewerJustificationRequired: true,
      isSelfReview: true,
    });
    const fromV1 = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({
        accessPackage: { id: pkg },
        displayName: 'v1 review',
        allowedTargetScope: 'allMemberUsers',
        reviewSettings: {
          isEnabled: true,
          schedule: { startDateTime: '2027-02-01T00:00:00Z', expiration: { type: 'afterDuration', duration: 'P14D' } },
          primaryReviewers: [singleUser],
        },
      })
      .expect(201);
    const beta = (await read(app, `${POLICIES}/${fromV1.body.id}`))['accessReviewSettings'];
    expect(beta).toMatchObject({
      isEnabled: true,
      accessReviewTimeoutBehavior: null,
      isAccessRecommendationEnabled: true,
      isApprovalJustificationRequired: true,
    });
  });
});
