// POST /_emulator/token: signed tokens shaped like Entra ID's for Graph, and the key behind them, which
// lives beside the data file (mode 0600) and outlives a restart.
import { describe, expect, it } from '@jest/globals';
import { type JsonWebKey, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { TOKEN_BODY_LIMIT } from '../../server/admin/token.js';
import { createApp } from '../../server/app.js';
import { StoreError } from '../../server/errors.js';
import { SIGNING_KEY_FILE } from '../../server/identity/signingKey.js';
import { DEFAULT_TENANT_ID } from '../../server/identity/tokens.js';
import { startEmulator } from '../../server/index.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';
import { section } from '../support/markdown.js';
import { READ, READ_WRITE, bearer, claimsOf, headerOf, nowSeconds } from '../support/tokens.js';

const TOKEN = '/_emulator/token';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /_emulator/token', () => {
  const app = createApp({ store: new MemoryStore(), auth: 'strict' });

  it('without a body: a delegated token for the default admin that may read and write, valid an hour', async () => {
    const res = await request(app).post(TOKEN).expect(200);
    expect(Object.keys(res.body)).toEqual(['access_token', 'token_type', 'expires_in']);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = claimsOf(res.body.access_token);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${DEFAULT_TENANT_ID}/`,
      tid: DEFAULT_TENANT_ID,
      upn: 'admin@contoso.onmicrosoft.com',
      scp: READ_WRITE,
      idtyp: 'user',
      ver: '1.0',
    });
    expect(claims['oid']).toMatch(GUID);
    expect(claims['sub']).toBe(claims['oid']);
    expect(claims['exp']).toBe((claims['iat'] as number) + 3600);
    expect(Math.abs((claims['iat'] as number) - nowSeconds())).toBeLessThanOrEqual(2);
    expect(headerOf(res.body.access_token)).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
  });

  it.each([
    ['?tenant=worker-9', 'tenant'],
    ['?tid=worker-9', 'tid'],
    ['?junk', 'junk'],
  ])('takes no query parameter: %s is a 400 in Graph envelope, never a token of the default tenant', async (query, name) => {
    const res = await request(app).post(`${TOKEN}${query}`).send({ scp: READ });
    expectGraphError(res, 400, 'BadRequest', `Unknown query parameter '${name}': POST /_emulator/token takes none.`);
    expect(res.headers['request-id']).toBeDefined();
    expect(res.body.access_token).toBeUndefined();
  });

  it('takes the claims it is given; the same user keeps the same oid', async () => {
    const body = { tid: '9a3d526c-b3c1-4479-ba74-197b5c5751ae', upn: 'megan@contoso.onmicrosoft.com', scp: ['User.Read', READ], expiresIn: 600 };
    const first = await request(app).post(TOKEN).send(body).expect(200);
    const second = await request(app).post(TOKEN).send(body).expect(200);
    const claims = claimsOf(first.body.access_token);
    expect(first.body.expires_in).toBe(600);
    expect(claims).toMatchObject({ tid: body.tid, upn: body.upn, unique_name: body.upn, scp: `User.Read ${READ}` });
    expect(claimsOf(second.body.access_token)['oid']).toBe(claims['oid']);
    const withOid = claimsOf((await request(app).post(TOKEN).send({ oid: 'b0b0b0b0-0000-4000-8000-000000000001' })).body.access_token);
    expect(withOid['oid']).toBe('b0b0b0b0-0000-4000-8000-000000000001');
  });

  it('lower-cases the tid, as the OAuth endpoint does: one tenant, one iss and one oid per user whatever the case', async () => {
    const upper = await request(app).post(TOKEN).send({ tid: 'ABCDEF01-1111-4111-8111-111111111111', scp: READ }).expect(200);
    const lower = await request(app).post(TOKEN).send({ tid: 'abcdef01-1111-4111-8111-111111111111', scp: READ }).expect(200);
    expect(upper.headers['content-type']).toMatch(/^application\/json/);
    const claims = claimsOf(upper.body.access_token);
    expect(claims).toMatchObject({
      tid: 'abcdef01-1111-4111-8111-111111111111',
      iss: 'https://sts.windows.net/abcdef01-1111-4111-8111-111111111111/',
      oid: claimsOf(lower.body.access_token)['oid'],
    });
    const named = claimsOf(
      (
        await request(app)
          .post(TOKEN)
          .send({ tid: 'Worker-1', roles: [READ] })
          .expect(200)
      ).body.access_token,
    );
    expect(named).toMatchObject({ tid: 'worker-1', iss: 'https://sts.windows.net/worker-1/' });
    const oauth = await request(app)
      .post('/ABCDEF01-1111-4111-8111-111111111111/oauth2/v2.0/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'backend', client_secret: 's', scope: 'https://graph.microsoft.com/.default' })
      .expect(200);
    expect(claimsOf(oauth.body.access_token)['tid']).toBe(claims['tid']);
  });

  it('with roles alone: an application token, no user and no scopes', async () => {
    const res = await request(app).post(TOKEN).send({ roles: 'EntitlementManagement.Read.All Group.Read.All', appid: 'reporting-job' }).expect(200);
    const claims = claimsOf(res.body.access_token);
    expect(claims).toMatchObject({ idtyp: 'app', appid: 'reporting-job', roles: [READ, 'Group.Read.All'] });
    expect(claims).not.toHaveProperty('upn');
    expect(claims).not.toHaveProperty('scp');
  });

  it('a negative expiresIn mints a token that has already expired', async () => {
    const res = await request(app).post(TOKEN).send({ expiresIn: -60 }).expect(200);
    expect(res.body.expires_in).toBe(0);
    expect(claimsOf(res.body.access_token)['exp']).toBeLessThan(nowSeconds());
    expectGraphError(
      await request(app).get(PACKAGES).set(bearer(res.body.access_token)),
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
    );
  });

  it('its tokens pass AUTH=strict, with the permissions they carry', async () => {
    const writer = (await request(app).post(TOKEN).send({ upn: 'writer@contoso.onmicrosoft.com' })).body.access_token as string;
    const reader = (await request(app).post(TOKEN).send({ scp: READ })).body.access_token as string;
    const created = await request(app).post(PACKAGES).set(bearer(writer)).send({ displayName: 'Minted' });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('writer@contoso.onmicrosoft.com');
    expect((await request(app).get(`${PACKAGES}/${created.body.id}`).set(bearer(reader))).status).toBe(200);
    expectGraphError(await request(app).delete(`${PACKAGES}/${created.body.id}`).set(bearer(reader)), 403, 'UnAuthorized');
  });

  it.each<[unknown, string]>([
    [{ expiresIn: 'soon' }, 'expiresIn must be integer.'],
    [{ expiresIn: 40_000_000 }, 'expiresIn must be <= 31536000.'],
    [{ scp: 7 }, 'scp must be string,array.'],
    [{ roles: [1] }, 'roles[0] must be string.'],
    [{ upn: '' }, 'upn must NOT have fewer than 1 characters.'],
    [{ name: 'x' }, "the body: unknown field 'name'."],
    [['scp'], 'the body must be object.'],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    expectGraphError(
      await request(app)
        .post(TOKEN)
        .send(body as object),
      400,
      'BadRequest',
      message,
    );
  });

  it('a body past 64 KB is a 413, the limit docs/security.md names', async () => {
    const res = await request(app)
      .post(TOKEN)
      .send({ upn: 'u'.repeat(TOKEN_BODY_LIMIT) });
    expectGraphError(res, 413, 'RequestEntityTooLarge', `The request body exceeds the maximum allowed size of ${TOKEN_BODY_LIMIT} bytes.`);
    const limits = section('docs/security.md', 'Bounded work per request');
    expect(limits).toContain(`| \`POST /_emulator/token\` body | 64 KB (${TOKEN_BODY_LIMIT.toLocaleString('en-US')} bytes) | \`413\` |`);
  });

  it('refuses a body of JSON null, as mintToken(null) is refused, rather than minting a token of the default tenant', async () => {
    const res = await request(app).post(TOKEN).set('Content-Type', 'application/json').send('null');
    expectGraphError(res, 400, 'BadRequest', 'the body must be object.');
  });
});

describe('the signing key', () => {
  it('is made on first use in the data folder, readable by its owner only, and outlives a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'signing-key-'));
    const dataFile = path.join(dir, 'db.json');
    const first = await startEmulator({ dataFile, auth: 'strict' });
    const token = await first.mintToken({ upn: 'before@contoso.onmicrosoft.com' });
    await first.close();
    const keyFile = path.join(dir, SIGNING_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    const second = await startEmulator({ dataFile, auth: 'strict' });
    try {
      const res = await fetch(`${second.url}${PACKAGES}`, { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { createdBy: string }).createdBy).toBe('before@contoso.onmicrosoft.com');
      // The published key verifies what the emulator signs.
      const { keys } = (await (await fetch(`${second.url}/common/discovery/v2.0/keys`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
      const [header, payload, signature] = token.split('.');
      expect(keys[0]!.kid).toBe(headerOf(token)['kid']);
      expect(
        verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey({ key: keys[0]!, format: 'jwk' }), Buffer.from(signature!, 'base64url')),
      ).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('a key file that is not a key stops a strict start with a message naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'signing-key-'));
    writeFileSync(path.join(dir, SIGNING_KEY_FILE), 'not a key');
    const start = startEmulator({ dataFile: path.join(dir, 'db.json'), auth: 'strict' });
    await expect(start).rejects.toThrow(StoreError);
    await expect(start).rejects.toThrow(`The token signing key ${path.join(dir, SIGNING_KEY_FILE)} cannot be used`);
  });
});
