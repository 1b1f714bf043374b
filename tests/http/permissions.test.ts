// AUTH=bearer with JWTs: the caller named from the claims, Graph's permission check (403) per operation,
// and the token's lifetime and audience (401). Tokens here are unsigned: bearer mode reads any JWT.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import type { AuthMode } from '../../server/http/auth.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { accessPackage } from '../support/accessPackages.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';
import { section } from '../support/markdown.js';
import { READ, READ_WRITE, bearer, nowSeconds, unsignedJwt } from '../support/tokens.js';

const CATALOGS = '/beta/identityGovernance/entitlementManagement/accessPackageCatalogs';
const FORBIDDEN = 'User is not authorized to perform the operation. Reason: Unauthorized';
const EXISTING = '3f0e5a2c-8b4d-4c6e-9a1f-2d7b5c3e8f60';

function setup(auth: AuthMode = 'bearer') {
  const store = new MemoryStore();
  void store.create('accessPackages', accessPackage({ id: EXISTING, displayName: 'Existing' }));
  return { store, app: createApp({ store, auth }) };
}

const delegated = (scp: string, more: object = {}) =>
  bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', upn: 'megan@contoso.onmicrosoft.com', scp, ...more }));
const application = (roles: string[]) =>
  bearer(unsignedJwt({ aud: '00000003-0000-0000-c000-000000000000', appid: 'c0ffee00-0000-4000-8000-000000000001', app_displayname: 'Provisioning', roles }));

type Call = 'list' | 'get' | 'create' | 'update' | 'delete' | 'list catalogs';

function send(app: ReturnType<typeof setup>['app'], call: Call, headers: Record<string, string>) {
  const agent = request(app);
  switch (call) {
    case 'list':
      return agent.get(PACKAGES).set(headers);
    case 'get':
      return agent.get(`${PACKAGES}/${EXISTING}`).set(headers);
    case 'create':
      return agent.post(PACKAGES).set(headers).send({ displayName: 'New' });
    case 'update':
      return agent.patch(`${PACKAGES}/${EXISTING}`).set(headers).send({ description: 'changed' });
    case 'delete':
      return agent.delete(`${PACKAGES}/${EXISTING}`).set(headers);
    case 'list catalogs':
      return agent.get(CATALOGS).set(headers);
  }
}

describe('claims name the caller', () => {
  it('a delegated token: its UPN is createdBy and modifiedBy', async () => {
    const res = await send(setup().app, 'create', delegated(READ_WRITE));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ createdBy: 'megan@contoso.onmicrosoft.com', modifiedBy: 'megan@contoso.onmicrosoft.com' });
  });

  it('an update names its caller in modifiedBy and leaves createdBy as it was', async () => {
    const { app } = setup();
    const res = await send(app, 'update', delegated(READ_WRITE));
    expect(res.status).toBe(204);
    const read = await send(app, 'get', delegated(READ_WRITE));
    expect(read.body).toMatchObject({
      description: 'changed',
      createdBy: 'admin@contoso.onmicrosoft.com',
      modifiedBy: 'megan@contoso.onmicrosoft.com',
    });
  });

  it('an update with a token that names nobody keeps the modifiedBy the record had', async () => {
    const { app } = setup();
    const opaque = { Authorization: 'Bearer opaque-token' };
    expect((await send(app, 'update', opaque)).status).toBe(204);
    const read = await send(app, 'get', opaque);
    expect(read.body).toMatchObject({ description: 'changed', modifiedBy: 'admin@contoso.onmicrosoft.com' });
  });

  it('preferred_username when the token has no upn; the application name on an application token', async () => {
    const { app } = setup();
    const v2 = await request(app)
      .post(PACKAGES)
      .set(bearer(unsignedJwt({ preferred_username: 'adele@contoso.onmicrosoft.com', scp: READ_WRITE })))
      .send({});
    expect(v2.body.createdBy).toBe('adele@contoso.onmicrosoft.com');
    const app2 = await send(app, 'create', application([READ_WRITE]));
    expect(app2.body.createdBy).toBe('Provisioning');
  });
});

describe('permissions as Graph checks them', () => {
  it.each<[string, Record<string, string>, Call, number]>([
    ['delegated ReadWrite.All', delegated(READ_WRITE), 'list', 200],
    ['delegated ReadWrite.All', delegated(READ_WRITE), 'get', 200],
    ['delegated ReadWrite.All', delegated(READ_WRITE), 'create', 201],
    ['delegated ReadWrite.All', delegated(READ_WRITE), 'update', 204],
    ['delegated ReadWrite.All', delegated(READ_WRITE), 'delete', 204],
    ['delegated Read.All among other scopes', delegated(`User.Read ${READ} openid`), 'list', 200],
    ['delegated Read.All', delegated(READ), 'get', 200],
    ['delegated Read.All', delegated(READ), 'list catalogs', 200],
    ['application ReadWrite.All', application([READ_WRITE]), 'create', 201],
    ['application ReadWrite.All', application([READ_WRITE]), 'delete', 204],
    ['application Read.All', application([READ]), 'list', 200],
    ['application Read.All', application(['Group.Read.All', READ]), 'get', 200],
  ])('%s may %s (%i)', async (_case, headers, call, status) => {
    expect((await send(setup().app, call, headers)).status).toBe(status);
  });

  it.each<[string, Record<string, string>, Call]>([
    ['a read-only scope', delegated(READ), 'create'],
    ['a read-only scope', delegated(READ), 'update'],
    ['a read-only scope', delegated(READ), 'delete'],
    ['a read-only application permission', application([READ]), 'create'],
    ['a read-only application permission', application([READ]), 'update'],
    ['no entitlement-management scope', delegated('User.Read Group.ReadWrite.All'), 'list'],
    ['no entitlement-management scope', delegated('User.Read'), 'get'],
    ['no scope at all', delegated(''), 'create'],
    ['no application permission', application([]), 'list'],
    ['no entitlement-management scope', delegated('User.Read'), 'list catalogs'],
  ])("%s may not %s: 403 in Graph's envelope, nothing changed", async (_case, headers, call) => {
    const { app, store } = setup();
    const res = await send(app, call, headers);
    expectGraphError(res, 403, 'UnAuthorized', FORBIDDEN);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(store.count('accessPackages')).toBe(1);
    expect(store.get('accessPackages', EXISTING)).toMatchObject({ description: null });
  });

  it('applies the same table to every other resource, as docs/identity.md says: reads with Read.All, writes with ReadWrite.All', async () => {
    const { app } = setup();
    const root = PACKAGES.replace(/\/accessPackages$/, '');
    expect((await request(app).get(`${root}/accessPackageAssignmentPolicies`).set(delegated(READ))).status).toBe(200);
    for (const collection of ['accessPackageCatalogs', 'accessPackageResourceRequests', 'accessPackageAssignmentPolicies']) {
      expectGraphError(await request(app).post(`${root}/${collection}`).set(delegated(READ)).send({}), 403, 'UnAuthorized', FORBIDDEN);
    }
    const table = section('docs/identity.md', 'Permissions (403)');
    expect(table).toContain('and every other read served');
    expect(table).toContain('and every other write served (catalogs, policies, resource requests');
  });

  it('refuses before the body is read: a write with a malformed body is a 403, not a 400', async () => {
    const res = await request(setup().app).post(PACKAGES).set(delegated(READ)).set('Content-Type', 'application/json').send('{"displayName": ');
    expectGraphError(res, 403, 'UnAuthorized', FORBIDDEN);
  });

  it('leaves unknown paths and methods to their own answers', async () => {
    const { app } = setup();
    expectGraphError(await request(app).get('/beta/identityGovernance/entitlementManagement/unknown').set(delegated(READ)), 400, 'BadRequest');
    expectGraphError(await request(app).delete(CATALOGS).set(delegated(READ)), 405, 'MethodNotAllowed');
    expectGraphError(await request(app).get('/v1.0/me').set(delegated('')), 400, 'BadRequest', "Resource not found for the segment 'me'.");
    expectGraphError(await request(app).get('/v2/me').set(delegated('')), 404, 'ResourceNotFound');
  });

  it.each([
    ['a header that is a list, not an object', 'W10.e30.'],
    ['a signature with a character base64url has not', 'eyJhbGciOiJub25lIn0.e30.!!'],
    ['padding after the payload', 'eyJhbGciOiJub25lIn0.e30=.'],
    ['two parts', 'eyJhbGciOiJub25lIn0.e30'],
    ['four parts', 'eyJhbGciOiJub25lIn0.e30..'],
  ])('a token with %s is not a JWT: it names nobody and may do everything, as AUTH=strict refuses it as no JWT', async (_case, token) => {
    const created = await send(setup().app, 'create', bearer(token));
    expect(created.status).toBe(201);
    expect(created.headers['location']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/beta\//);
    expect(created.headers['location']).toContain(`${PACKAGES}/${created.body.id}`);
    expect(created.body).toMatchObject({ displayName: 'New', createdBy: null });
    expectGraphError(
      await send(setup('strict').app, 'create', bearer(token)),
      401,
      'InvalidAuthenticationToken',
      'CompactToken parsing failed with error code: 80049217',
    );
  });

  it('a token that is not a JWT keeps every permission; AUTH=none checks nothing', async () => {
    expect((await send(setup().app, 'create', bearer('opaque-token'))).status).toBe(201);
    expect((await send(setup('none').app, 'delete', delegated(READ))).status).toBe(204);
    expect((await send(setup('none').app, 'create', bearer(unsignedJwt({ exp: 1, aud: 'api://elsewhere' })))).status).toBe(201);
  });
});

describe('lifetime and audience (401)', () => {
  const numericDate = (claim: string) => `Lifetime validation failed, the ${claim} claim must be a number of seconds since the epoch (NumericDate).`;
  const challenge =
    /^Bearer realm="", authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize", client_id="00000003-0000-0000-c000-000000000000"$/;

  it.each<[string, object, string]>([
    ['expired', { exp: nowSeconds() - 1 }, 'Lifetime validation failed, the token is expired.'],
    ['expiring this second', { exp: nowSeconds() }, 'Lifetime validation failed, the token is expired.'],
    // An hour ahead, far past the 5 minutes of skew allowed, however late after collection the test runs.
    ['not yet valid', { nbf: nowSeconds() + 3600, exp: nowSeconds() + 7200 }, 'Lifetime validation failed, the token is not yet valid.'],
    ['for another API', { aud: 'api://my-backend' }, 'Access token validation failure. Invalid audience.'],
    ['for another API among several', { aud: ['api://my-backend', 'https://management.azure.com'] }, 'Access token validation failure. Invalid audience.'],
    ['expired and for another API (lifetime first)', { exp: nowSeconds() - 60, aud: 'api://my-backend' }, 'Lifetime validation failed, the token is expired.'],
    ['with exp as a string', { exp: '1' }, numericDate('exp')],
    ['with exp as a string far ahead', { exp: String(nowSeconds() + 3600) }, numericDate('exp')],
    ['with nbf as a string', { nbf: '99999999999' }, numericDate('nbf')],
    ['with iat as a string', { iat: String(nowSeconds()), exp: nowSeconds() + 3600 }, numericDate('iat')],
    ['with exp null', { exp: null }, numericDate('exp')],
    ['with a string nbf and a valid exp', { nbf: '0', exp: nowSeconds() + 3600 }, numericDate('nbf')],
  ])("a token %s is refused with Graph's wording and challenge", async (_case, claims, message) => {
    const res = await request(setup().app)
      .get(PACKAGES)
      .set(bearer(unsignedJwt({ scp: READ_WRITE, ...claims })));
    expectGraphError(res, 401, 'InvalidAuthenticationToken', message);
    expect(res.headers['www-authenticate']).toMatch(challenge);
  });

  it.each<[string, object]>([
    ['Graph by URI', { aud: 'https://graph.microsoft.com' }],
    ['Graph by URI with a slash', { aud: 'https://graph.microsoft.com/' }],
    ['Graph by app id', { aud: '00000003-0000-0000-c000-000000000000' }],
    ['Graph among several', { aud: ['api://my-backend', '00000003-0000-0000-c000-000000000000'] }],
    ['no audience and no expiry', {}],
    ['valid for another hour', { nbf: nowSeconds() - 10, exp: nowSeconds() + 3600 }],
    // Minted on a machine whose clock is ahead: within the 5 minutes of skew Microsoft's validation allows.
    ['valid from a minute ahead', { nbf: nowSeconds() + 60, iat: nowSeconds() + 60, exp: nowSeconds() + 3600 }],
    ['valid from 290 s ahead', { nbf: nowSeconds() + 290, exp: nowSeconds() + 3600 }],
  ])('a token for %s is accepted', async (_case, claims) => {
    expect(
      (
        await request(setup().app)
          .get(PACKAGES)
          .set(bearer(unsignedJwt({ scp: READ, ...claims })))
      ).status,
    ).toBe(200);
  });

  it('checks the lifetime on every request, not once per token', async () => {
    const { app } = setup();
    // At least a whole second left for the first request, however late in its second the test starts.
    const exp = nowSeconds() + 2;
    const token = bearer(unsignedJwt({ scp: READ, exp }));
    expect((await request(app).get(PACKAGES).set(token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    expectGraphError(await request(app).get(PACKAGES).set(token), 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
  });
});
