// Entra ID's endpoints for confidential clients: discovery, keys, and the client-credentials grant with
// roles per client id; Graph's own fallback stays for every other path.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { DEFAULT_TENANT_ID } from '../../server/identity/tokens.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';
import { section } from '../support/markdown.js';
import { READ, READ_WRITE, bearer, claimsOf } from '../support/tokens.js';

const TENANT = '9a3d526c-b3c1-4479-ba74-197b5c5751ae';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

function setup() {
  const store = new MemoryStore();
  // `graph` is the compose service's name: a Host the emulator is told to answer to (ALLOWED_HOSTS).
  const app = createApp({
    store,
    auth: 'strict',
    allowedHosts: ['graph'],
    clientRoles: { backend: [READ_WRITE], reporting: [READ] },
    fixtures: { fixtures: 'empty', seed: 42 },
  });
  return { app, store };
}

const tokenRequest = (app: ReturnType<typeof setup>['app'], form: Record<string, string>, tenant = TENANT) =>
  request(app).post(`/${tenant}/oauth2/v2.0/token`).type('form').send(form);

describe('discovery', () => {
  it.each([TENANT, 'contoso.onmicrosoft.com', 'organizations'])('/%s/v2.0/.well-known/openid-configuration names endpoints on this server', async (tenant) => {
    const res = await request(setup().app).get(`/${tenant}/v2.0/.well-known/openid-configuration`).set('Host', 'graph:4000').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      token_endpoint: `http://graph:4000/${tenant}/oauth2/v2.0/token`,
      jwks_uri: `http://graph:4000/${tenant}/discovery/v2.0/keys`,
      authorization_endpoint: `http://graph:4000/${tenant}/oauth2/v2.0/authorize`,
      issuer: `http://graph:4000/${tenant === TENANT ? TENANT : DEFAULT_TENANT_ID}/v2.0`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('BASE_URL names the endpoints when clients reach the emulator through a proxy', async () => {
    const app = createApp({ store: new MemoryStore(), baseUrl: 'https://graph.example.test' });
    const res = await request(app).get(`/${TENANT}/v2.0/.well-known/openid-configuration`).expect(200);
    expect(res.body.token_endpoint).toBe(`https://graph.example.test/${TENANT}/oauth2/v2.0/token`);
  });

  it('publishes the signing key as a JWK set', async () => {
    const res = await request(setup().app).get(`/${TENANT}/discovery/v2.0/keys`).expect(200);
    expect(res.body.keys).toEqual([{ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String), n: expect.any(String), e: 'AQAB' }]);
  });

  it('answers HEAD on the discovery documents as GET, with no body and no token needed', async () => {
    const { app } = setup();
    for (const path of [`/${TENANT}/v2.0/.well-known/openid-configuration`, `/${TENANT}/discovery/v2.0/keys`]) {
      const [head, get] = [await request(app).head(path), await request(app).get(path)];
      expect([head.status, head.headers['content-type'], head.headers['content-length'], head.text]).toEqual([
        200,
        get.headers['content-type'],
        get.headers['content-length'],
        undefined,
      ]);
    }
  });

  it('answers another method on a discovery document 405 with Allow, token or none', async () => {
    const { app } = setup();
    for (const path of [`/${TENANT}/v2.0/.well-known/openid-configuration`, `/${TENANT}/discovery/v2.0/keys`]) {
      for (const auth of [{}, { Authorization: 'Bearer x' }]) {
        const res = await request(app).post(path).set(auth);
        expectGraphError(res, 405, 'MethodNotAllowed', "The HTTP method 'POST' is not allowed for the requested resource.");
        expect(res.headers['allow']).toBe('GET, HEAD');
      }
    }
  });

  it('leaves every other path to Graph: a version is not a tenant, an unknown tenant segment is not served', async () => {
    const { app } = setup();
    expectGraphError(
      await request(app)
        .get('/beta/v2.0/.well-known/openid-configuration')
        .set(bearer(await tokenFor(app, 'backend'))),
      400,
      'BadRequest',
      "Resource not found for the segment 'v2.0'.",
    );
    expectGraphError(
      await request(app)
        .get('/not_a_tenant/v2.0/.well-known/openid-configuration')
        .set(bearer(await tokenFor(app, 'backend'))),
      404,
      'ResourceNotFound',
    );
    expectGraphError(await request(app).get('/v1.0/v2.0/.well-known/openid-configuration'), 401, 'InvalidAuthenticationToken');
  });
});

async function tokenFor(app: ReturnType<typeof setup>['app'], clientId: string): Promise<string> {
  const res = await tokenRequest(app, { grant_type: 'client_credentials', client_id: clientId, client_secret: 'any', scope: GRAPH_SCOPE });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

describe('client credentials', () => {
  it('answers an application token for the tenant, with the roles configured for the client', async () => {
    const res = await tokenRequest(setup().app, {
      grant_type: 'client_credentials',
      client_id: 'reporting',
      client_secret: 's3cret',
      scope: GRAPH_SCOPE,
    }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store, no-cache');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: expect.any(String) });
    expect(claimsOf(res.body.access_token)).toMatchObject({ tid: TENANT, appid: 'reporting', roles: [READ], idtyp: 'app', aud: 'https://graph.microsoft.com' });
  });

  it("its tokens call Graph in strict mode with those permissions, in the authority's tenant", async () => {
    const { app, store } = setup();
    const backend = bearer(await tokenFor(app, 'backend'));
    const reporting = bearer(await tokenFor(app, 'reporting'));
    const created = await request(app).post(PACKAGES).set(backend).send({ displayName: 'From a daemon' });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('backend');
    expect((await request(app).get(PACKAGES).set(reporting)).body.value).toHaveLength(1);
    expectGraphError(await request(app).post(PACKAGES).set(reporting).send({}), 403, 'UnAuthorized');
    expect(store.tenants.get(TENANT)!.count('accessPackages')).toBe(1);
    expect(store.count('accessPackages')).toBe(0);
  });

  it('accepts the client in an HTTP Basic header, the Graph app id as the scope, and a domain as the tenant', async () => {
    const basic = `Basic ${Buffer.from('backend:secret').toString('base64')}`;
    const res = await request(setup().app)
      .post('/contoso.onmicrosoft.com/oauth2/v2.0/token')
      .set('Authorization', basic)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: '00000003-0000-0000-c000-000000000000/.default openid' })
      .expect(200);
    expect(claimsOf(res.body.access_token)).toMatchObject({ appid: 'backend', tid: DEFAULT_TENANT_ID, roles: [READ_WRITE] });
  });

  it.each([
    ['an empty password', 'backend:'],
    ['no password', 'backend'],
  ])('a Basic header with %s has no secret: 401 invalid_client, no token', async (_case, credentials) => {
    const res = await request(setup().app)
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .set('Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`)
      .set('client-request-id', 'c1d2e3f4-0000-4000-8000-000000000000')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: GRAPH_SCOPE });
    expectEntraError(res, 401, 'invalid_client', 7000218, /'client_assertion' or 'client_secret'/);
    expect(res.body).toMatchObject({ correlation_id: 'c1d2e3f4-0000-4000-8000-000000000000' });
    expect(res.body.access_token).toBeUndefined();
  });

  it('a Basic password with a colon in it is a secret', async () => {
    const res = await request(setup().app)
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .set('Authorization', `Basic ${Buffer.from('backend::').toString('base64')}`)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: GRAPH_SCOPE })
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store, no-cache');
    expect(claimsOf(res.body.access_token)).toMatchObject({ appid: 'backend', tid: TENANT, roles: [READ_WRITE] });
  });

  it('a Basic header whose client id is not valid percent-encoding names no client: 400, not a server error', async () => {
    const basic = `Basic ${Buffer.from('%zz:secret').toString('base64')}`;
    const res = await request(setup().app)
      .post('/contoso.onmicrosoft.com/oauth2/v2.0/token')
      .set('Authorization', basic)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
    expect(res.body.error_description).toMatch(/client_id/);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'a client id named like an object property (%s) is a client like any other, not a server error',
    async (clientId) => {
      const named = await tokenRequest(setup().app, { grant_type: 'client_credentials', client_id: clientId, client_secret: 's', scope: GRAPH_SCOPE });
      expect([named.status, named.body.error]).toEqual([400, 'unauthorized_client']);
      expect(named.body.error_codes).toEqual([700016]);
      const defaults = createApp({ store: new MemoryStore() });
      const served = await tokenRequest(defaults, { grant_type: 'client_credentials', client_id: clientId, client_secret: 's', scope: GRAPH_SCOPE });
      expect(served.status).toBe(200);
      expect(claimsOf(served.body.access_token)).toMatchObject({ appid: clientId, roles: [READ_WRITE] });
    },
  );

  it('a `*` entry serves clients not named; the default gives every client ReadWrite.All', async () => {
    const star = createApp({ store: new MemoryStore(), clientRoles: { '*': [] } });
    expect(
      claimsOf((await tokenRequest(star, { grant_type: 'client_credentials', client_id: 'x', client_secret: 's', scope: GRAPH_SCOPE })).body.access_token)[
        'roles'
      ],
    ).toEqual([]);
    const defaults = createApp({ store: new MemoryStore() });
    expect(
      claimsOf((await tokenRequest(defaults, { grant_type: 'client_credentials', client_id: 'x', client_secret: 's', scope: GRAPH_SCOPE })).body.access_token)[
        'roles'
      ],
    ).toEqual([READ_WRITE]);
  });

  it.each<[string, Record<string, string>, number, string, number]>([
    [
      'an unknown client',
      { grant_type: 'client_credentials', client_id: 'stranger', client_secret: 's', scope: GRAPH_SCOPE },
      400,
      'unauthorized_client',
      700016,
    ],
    ['no secret', { grant_type: 'client_credentials', client_id: 'backend', scope: GRAPH_SCOPE }, 401, 'invalid_client', 7000218],
    ['an empty secret', { grant_type: 'client_credentials', client_id: 'backend', client_secret: '', scope: GRAPH_SCOPE }, 401, 'invalid_client', 7000218],
    [
      'an empty assertion',
      { grant_type: 'client_credentials', client_id: 'backend', client_assertion: '', scope: GRAPH_SCOPE },
      401,
      'invalid_client',
      7000218,
    ],
    ['no grant type', { client_id: 'backend', client_secret: 's', scope: GRAPH_SCOPE }, 400, 'invalid_request', 900144],
    ['another grant', { grant_type: 'password', client_id: 'backend', client_secret: 's', scope: GRAPH_SCOPE }, 400, 'unsupported_grant_type', 70003],
    ['no client id', { grant_type: 'client_credentials', client_secret: 's', scope: GRAPH_SCOPE }, 400, 'invalid_request', 900144],
    ['no scope', { grant_type: 'client_credentials', client_id: 'backend', client_secret: 's' }, 400, 'invalid_request', 900144],
    [
      'a scope without /.default',
      { grant_type: 'client_credentials', client_id: 'backend', client_secret: 's', scope: 'https://graph.microsoft.com/User.Read' },
      400,
      'invalid_scope',
      1002012,
    ],
    [
      'another resource',
      { grant_type: 'client_credentials', client_id: 'backend', client_secret: 's', scope: 'api://my-backend/.default' },
      400,
      'invalid_scope',
      1002012,
    ],
  ])('refuses %s as Entra ID does', async (_case, form, status, error, code) => {
    const res = await tokenRequest(setup().app, form).set('client-request-id', 'c1d2e3f4-0000-4000-8000-000000000000');
    expect(res.status).toBe(status);
    expect(Object.keys(res.body)).toEqual(['error', 'error_description', 'error_codes', 'timestamp', 'trace_id', 'correlation_id', 'error_uri']);
    expect(res.body).toMatchObject({ error, error_codes: [code], correlation_id: 'c1d2e3f4-0000-4000-8000-000000000000' });
    expect(res.body.error_description).toMatch(
      new RegExp(
        `^AADSTS${code}: .+\\r\\nTrace ID: ${res.body.trace_id}\\r\\nCorrelation ID: c1d2e3f4-0000-4000-8000-000000000000\\r\\nTimestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`,
      ),
    );
  });
});

/** Entra ID's error JSON, as every refusal of the token endpoint is sent. */
function expectEntraError(res: request.Response, status: number, error: string, code: number, description: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store, no-cache');
  expect(Object.keys(res.body)).toEqual(['error', 'error_description', 'error_codes', 'timestamp', 'trace_id', 'correlation_id', 'error_uri']);
  expect(res.body).toMatchObject({ error, error_codes: [code], error_uri: `https://login.microsoftonline.com/error?code=${code}` });
  expect(res.body.error_description).toMatch(new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: ${res.body.trace_id}\\r\\n`));
  expect(res.body.error_description.split('\r\n')[0]).toMatch(description);
}

const FORM = `grant_type=client_credentials&client_id=backend&client_secret=s&scope=${encodeURIComponent(GRAPH_SCOPE)}`;

describe('a request the token endpoint cannot read', () => {
  it.each([
    ['scope', `${FORM}&scope=${encodeURIComponent(GRAPH_SCOPE)}`],
    ['client_id', `${FORM}&client_id=reporting`],
    ['grant_type', `${FORM}&grant_type=client_credentials`],
    ['client_secret', `${FORM}&client_secret=t&client_secret=u`],
  ])('refuses a repeated %s: 400 invalid_request naming it, no token', async (name, form) => {
    const res = await request(setup().app).post(`/${TENANT}/oauth2/v2.0/token`).type('form').send(form);
    expectEntraError(
      res,
      400,
      'invalid_request',
      900144,
      new RegExp(`the parameter '${name}' only once; it was sent ${name === 'client_secret' ? 3 : 2} times`),
    );
    expect(res.body.access_token).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ['a charset other than UTF-8', 'application/x-www-form-urlencoded; charset=latin1', FORM],
    ['a body over 64 KiB', 'application/x-www-form-urlencoded', `${FORM}&pad=${'x'.repeat(64 * 1024)}`],
    ['more than 1000 parameters', 'application/x-www-form-urlencoded', `${FORM}${Array.from({ length: 1000 }, (_, i) => `&p${i}=1`).join('')}`],
  ])('answers %s in Entra ID JSON: 400 invalid_request', async (_case, type, body) => {
    const res = await request(setup().app).post(`/${TENANT}/oauth2/v2.0/token`).set('Content-Type', type).send(body);
    expectEntraError(res, 400, 'invalid_request', 900144, /^AADSTS900144: The request body could not be read as application\/x-www-form-urlencoded: .+\.$/);
  });

  it.each(['gzip', 'deflate', 'br'])('answers a body that is not the %s its Content-Encoding names in Entra ID JSON, not Graph’s', async (encoding) => {
    const res = await request(setup().app)
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Content-Encoding', encoding)
      .send('grant_type=x');
    expectEntraError(
      res,
      400,
      'invalid_request',
      900144,
      /^AADSTS900144: The request body could not be read as application\/x-www-form-urlencoded: it is not the data its Content-Encoding names\.$/,
    );
  });

  it.each(['GET', 'PUT', 'PATCH', 'DELETE'])('answers %s on the token endpoint as Entra ID does: 400, POST only', async (method) => {
    const res = await request(setup().app)
      [method.toLowerCase() as 'get'](`/${TENANT}/oauth2/v2.0/token`)
      .set('client-request-id', 'c1d2e3f4-0000-4000-8000-000000000000');
    expectEntraError(
      res,
      400,
      'invalid_request',
      900561,
      new RegExp(`^AADSTS900561: The endpoint only accepts POST, OPTIONS requests\\. Received a ${method} request\\.$`),
    );
    expect(res.body.correlation_id).toBe('c1d2e3f4-0000-4000-8000-000000000000');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('HEAD is refused the same way, without a body', async () => {
    const res = await request(setup().app).head(`/${TENANT}/oauth2/v2.0/token`);
    expect(res.status).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store, no-cache');
  });
});

describe('a CORS preflight on the token endpoint', () => {
  it('is answered as before: 204, no Entra ID error', async () => {
    const res = await request(setup().app)
      .options(`/${TENANT}/oauth2/v2.0/token`)
      .set('Origin', 'http://localhost:3000')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['cache-control']).not.toBe('no-store, no-cache');
  });
});

describe('faults', () => {
  it('pass the OAuth endpoints by, as docs/faults.md says: rules, throttling and X-Emulator-Fault fail Graph requests only', async () => {
    const app = createApp({
      store: new MemoryStore(),
      faults: new FaultEngine({ rules: [{ status: 503 }], throttle: { capacity: 1, refillPerSecond: 0.001 } }),
    });
    const form = { grant_type: 'client_credentials', client_id: 'backend', client_secret: 's', scope: GRAPH_SCOPE };
    for (let i = 0; i < 2; i += 1) expect((await tokenRequest(app, form)).status).toBe(200);
    expect((await tokenRequest(app, form).set('X-Emulator-Fault', 'status=500')).status).toBe(200);
    expect((await request(app).get(`/${TENANT}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
    expectGraphError(await request(app).get(PACKAGES).set('Authorization', 'Bearer any-token'), 503, 'ServiceUnavailable');
    expect(section('docs/faults.md', 'Fault injection')).toContain('nor are the OAuth endpoints\n(`/{tenant}/oauth2/v2.0/token` and its discovery documents');
  });
});
