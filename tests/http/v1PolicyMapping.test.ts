// A v1.0 policy read through beta: what beta's model cannot say (an auto-assignment) is not turned into something else.
import { describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { READ, bearer, unsignedJwt } from '../support/tokens.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const USER = '7deff43e-1f17-44ef-9e5f-d516b0ba11d4';
const member = bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', oid: USER, upn: 'adele.vance@contoso.onmicrosoft.com', scp: READ }));

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
