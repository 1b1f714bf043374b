// The end-user operations, getApplicablePolicyRequirements and filterByCurrentUser: their pages list their own
// permissions, for a signed-in user only (delegated: EntitlementMgmt-SubjectAccess.ReadWrite, then
// EntitlementManagement.Read.All and ReadWrite.All; Application: Not supported), checked before the handler runs.
// https://learn.microsoft.com/graph/api/accesspackage-getapplicablepolicyrequirements?view=graph-rest-beta#permissions
// https://learn.microsoft.com/graph/api/accesspackage-filterbycurrentuser?view=graph-rest-beta#permissions
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import type { AuthMode } from '../../server/http/auth.js';
import { mintToken } from '../../server/index.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { accessPackage } from '../support/accessPackages.js';
import { ODATA_JSON, PACKAGES, V1, expectGraphError } from '../support/graph.js';
import { READ, READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

const SUBJECT_ACCESS = 'EntitlementMgmt-SubjectAccess.ReadWrite';
const FORBIDDEN = 'User is not authorized to perform the operation. Reason: Unauthorized';
const EXISTING = '5b7e0c1d-2a3f-4e6b-8c9d-0e1f2a3b4c5d';
const REQUIREMENTS = 'https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.accessPackageAssignmentRequestRequirements)';
const PACKAGE_LIST = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages';

type App = ReturnType<typeof createApp>;

function appWithPackage(auth: AuthMode = 'bearer'): App {
  const store = new MemoryStore();
  void store.create('accessPackages', accessPackage({ id: EXISTING, displayName: 'Existing' }));
  return createApp({ store, auth });
}

const delegated = (scp: string, more: object = {}) =>
  bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', upn: 'adele@contoso.onmicrosoft.com', scp, ...more }));
const application = (roles: string[]) => bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', appid: 'c0ffee00-0000-4000-8000-000000000002', roles }));

const operations: [string, (app: App, headers: Record<string, string>) => request.Test, object][] = [
  [
    'beta getApplicablePolicyRequirements',
    (app, headers) => request(app).post(`${PACKAGES}/${EXISTING}/getApplicablePolicyRequirements`).set(headers),
    { '@odata.context': REQUIREMENTS, value: [] },
  ],
  [
    'beta filterByCurrentUser',
    (app, headers) => request(app).get(`${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`).set(headers),
    { '@odata.context': PACKAGE_LIST, value: [] },
  ],
  [
    'v1.0 getApplicablePolicyRequirements',
    (app, headers) => request(app).post(`${V1}/accessPackages/${EXISTING}/getApplicablePolicyRequirements`).set(headers),
    { '@odata.context': REQUIREMENTS.replace('/beta/', '/v1.0/'), value: [] },
  ],
  [
    'v1.0 filterByCurrentUser',
    (app, headers) => request(app).get(`${V1}/accessPackages/filterByCurrentUser(on='allowedRequestor')`).set(headers),
    { '@odata.context': PACKAGE_LIST.replace('/beta/', '/v1.0/'), value: [] },
  ],
];

describe.each(operations)('%s', (_name, call, body) => {
  it.each([SUBJECT_ACCESS, `openid ${SUBJECT_ACCESS} profile`, READ, READ_WRITE])('a delegated token with %s may call it', async (scp) => {
    const res = await call(appWithPackage(), delegated(scp));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body).toEqual(body);
  });

  it.each<[string, Record<string, string>]>([
    ['an application token with ReadWrite.All', application([READ_WRITE])],
    ['an application token with Read.All', application([READ])],
    ['an application token with the subject-access permission as a role', application([SUBJECT_ACCESS])],
    ['a delegated token whose only entitlement permission is a role', delegated('User.Read', { roles: [READ_WRITE] })],
    ['a delegated token without an entitlement scope', delegated('User.Read')],
  ])("%s may not: 403 in Graph's envelope", async (_case, headers) => {
    const res = await call(appWithPackage(), headers);
    expectGraphError(res, 403, 'UnAuthorized', FORBIDDEN);
    expect(res.headers['www-authenticate']).toBeUndefined();
  });
});

describe('the end-user permission', () => {
  it('grants nothing else: the subject-access scope may not list, get or create access packages', async () => {
    const app = appWithPackage();
    const headers = delegated(SUBJECT_ACCESS);
    expectGraphError(await request(app).get(PACKAGES).set(headers), 403, 'UnAuthorized', FORBIDDEN);
    expectGraphError(await request(app).get(`${PACKAGES}/${EXISTING}`).set(headers), 403, 'UnAuthorized', FORBIDDEN);
    expectGraphError(await request(app).post(PACKAGES).set(headers).send({ displayName: 'New' }), 403, 'UnAuthorized', FORBIDDEN);
  });

  it("refuses an application's token before the body is read: a malformed body is a 403, not a 400", async () => {
    const res = await request(appWithPackage())
      .post(`${PACKAGES}/${EXISTING}/getApplicablePolicyRequirements`)
      .set(application([READ_WRITE]))
      .set('Content-Type', 'application/json')
      .send('{"subject": ');
    expectGraphError(res, 403, 'UnAuthorized', FORBIDDEN);
  });

  it('with AUTH=strict and minted tokens: the user may, the daemon may not', async () => {
    const app = appWithPackage('strict');
    const url = `${PACKAGES}/${EXISTING}/getApplicablePolicyRequirements`;
    const user = await mintToken({ scp: SUBJECT_ACCESS });
    expect((await request(app).post(url).set(bearer(user))).body).toEqual({ '@odata.context': REQUIREMENTS, value: [] });
    const daemon = await mintToken({ roles: [READ_WRITE] });
    expectGraphError(await request(app).post(url).set(bearer(daemon)), 403, 'UnAuthorized', FORBIDDEN);
  });

  it('a token that is not a JWT names nobody and may call them, as it may everything', async () => {
    const res = await request(appWithPackage()).get(`${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`).set(bearer('opaque-token'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ '@odata.context': PACKAGE_LIST, value: [] });
  });
});
