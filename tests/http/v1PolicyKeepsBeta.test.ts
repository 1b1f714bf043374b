// A beta policy written back through v1.0: a v1.0 PUT replaces what v1.0 can say, and keeps what it cannot (beta's
// questions and credentials, a review's recurrence, a scope v1.0 shows under another name), so a v1.0 GET sent back
// unchanged loses nothing beta wrote.
import { describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { AUTH, ODATA_JSON, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const question = {
  '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
  isRequired: true,
  text: { defaultText: 'Why?' },
  isSingleLineQuestion: true,
};
const beta = (accessPackageId: string) => ({
  accessPackageId,
  displayName: 'q',
  durationInDays: 30,
  requestorSettings: {
    scopeType: 'AllExistingConnectedOrganizationSubjects',
    acceptRequests: true,
    allowedRequestors: [{ '@odata.type': '#microsoft.graph.singleUser', id: 'u1', isBackup: false }],
  },
  questions: [question],
  verifiableCredentialSettings: { credentialTypes: [{ credentialType: 'VerifiedEmployee', issuers: ['did:web:contoso.com'] }] },
  accessReviewSettings: {
    isEnabled: true,
    isAgenticExperienceEnabled: true,
    recurrenceType: 'quarterly',
    reviewerType: 'Self',
    startDateTime: '2030-01-01T00:00:00.0000000Z',
    durationInDays: 7,
    reviewers: [],
  },
});

/** An app with a policy written through beta: its id and the create's answer. */
async function betaPolicy() {
  const { app, catalogId } = await setupV1();
  const pkg = await createV1Package(app, catalogId, 'p');
  const res = await request(app).post(POLICIES).set(AUTH).send(beta(pkg));
  expect(res.status).toBe(201);
  const { '@odata.context': _context, ...created } = res.body;
  return { app, id: res.body.id as string, created };
}

/** A 200 with Graph's headers and JSON, and its body. */
async function put(app: Express, url: string, body: object) {
  const res = await request(app).put(url).set(AUTH).send(body);
  expect([res.status, res.headers['content-type']]).toEqual([200, ODATA_JSON]);
  expectGraphHeaders(res);
  return res.body;
}

describe('a v1.0 PUT of a beta policy', () => {
  it('keeps the questions and the credentials, which v1.0 cannot send', async () => {
    const { app, id, created } = await betaPolicy();
    const sent = { displayName: 'q renamed', allowedTargetScope: 'allMemberUsers', requestorSettings: { enableTargetsToSelfAddAccess: true } };
    const answer = await put(app, `${V1}/assignmentPolicies/${id}`, sent);
    expect(answer).toMatchObject({ displayName: 'q renamed', allowedTargetScope: 'allMemberUsers' });
    const after = (await request(app).get(`${POLICIES}/${id}`).set(AUTH)).body;
    expect(after.questions).toEqual(created['questions']);
    expect(after.questions[0]).toMatchObject(question);
    expect(after.verifiableCredentialSettings).toEqual(beta('x').verifiableCredentialSettings);
    expect(after.requestorSettings).toEqual({ scopeType: 'AllExistingDirectoryMemberUsers', acceptRequests: true, allowedRequestors: [] });
  });

  it('of its v1.0 GET, unchanged, loses nothing beta wrote', async () => {
    const { app, id, created } = await betaPolicy();
    const { '@odata.context': _context, ...v1 } = (await request(app).get(`${V1}/assignmentPolicies/${id}`).set(AUTH)).body;
    expect(v1.allowedTargetScope).toBe('allConfiguredConnectedOrganizationUsers');
    expect(await put(app, `${V1}/assignmentPolicies/${id}`, v1)).toMatchObject({ ...v1, modifiedDateTime: expect.any(String) });
    const { modifiedDateTime: _then, ...before } = created;
    const res = await request(app).get(`${POLICIES}/${id}`).set(AUTH);
    expectGraphHeaders(res);
    const { '@odata.context': _c, modifiedDateTime: _now, ...after } = res.body;
    expect(after).toEqual(before);
  });

  it('replaces the review v1.0 changes, keeping the recurrence and the agentic experience v1.0 has no property for', async () => {
    const { app, id } = await betaPolicy();
    const { '@odata.context': _context, ...v1 } = (await request(app).get(`${V1}/assignmentPolicies/${id}`).set(AUTH)).body;
    await put(app, `${V1}/assignmentPolicies/${id}`, { ...v1, reviewSettings: { ...v1.reviewSettings, isEnabled: false } });
    expect((await request(app).get(`${POLICIES}/${id}`).set(AUTH)).body.accessReviewSettings).toMatchObject({
      isEnabled: false,
      isAgenticExperienceEnabled: true,
      recurrenceType: 'quarterly',
      reviewerType: 'Self',
    });
  });
});
