// AUTH=strict: only tokens signed with the emulator's key pass; anything else is Graph's 401. Tokens come
// from mintToken (the library helper: this process's in-memory key, the default key of createApp).
import { describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { signJwt } from '../../server/identity/jwt.js';
import { SigningKey } from '../../server/identity/signingKey.js';
import { mintAccessToken } from '../../server/identity/tokens.js';
import { mintToken } from '../../server/index.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';
import { READ, bearer, claimsOf, unsignedJwt } from '../support/tokens.js';

const strictApp = () => createApp({ store: new MemoryStore(), auth: 'strict' });
const create = (app: ReturnType<typeof strictApp>, token: string) => request(app).post(PACKAGES).set(bearer(token)).send({ displayName: 'Strict' });

describe('AUTH=strict', () => {
  it('accepts a minted token and reads its claims', async () => {
    const res = await create(strictApp(), await mintToken({ upn: 'megan@contoso.onmicrosoft.com' }));
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe('megan@contoso.onmicrosoft.com');
  });

  it('checks permissions, lifetime and audience of minted tokens as in bearer mode', async () => {
    const app = strictApp();
    expectGraphError(await create(app, await mintToken({ scp: READ })), 403, 'UnAuthorized');
    expect(
      (
        await request(app)
          .get(PACKAGES)
          .set(bearer(await mintToken({ scp: READ })))
      ).status,
    ).toBe(200);
    expectGraphError(
      await create(app, await mintToken({ expiresIn: -5 })),
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
    );
    expectGraphError(
      await create(app, await mintToken({ aud: 'api://my-backend' })),
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid audience.',
    );
  });

  it('accepts an application token minted with roles', async () => {
    const res = await create(strictApp(), await mintToken({ roles: ['EntitlementManagement.ReadWrite.All'], appid: 'my-daemon' }));
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe('my-daemon');
  });

  it.each<[string, () => Promise<string>]>([
    ['an unsigned token with the same claims', async () => unsignedJwt(claimsOf(await mintToken()))],
    [
      'a minted token whose claims were changed',
      async () => {
        const [header, , signature] = (await mintToken({ scp: READ })).split('.');
        const forged = Buffer.from(JSON.stringify({ ...claimsOf(await mintToken({ scp: READ })), scp: 'EntitlementManagement.ReadWrite.All' })).toString(
          'base64url',
        );
        return `${header}.${forged}.${signature}`;
      },
    ],
    [
      'a token signed with another RSA key',
      async () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return signJwt({ typ: 'JWT' }, claimsOf(await mintToken()), privateKey);
      },
    ],
    [
      'an HS256 token keyed with the public key',
      async () => {
        const { publicKey } = await SigningKey.inMemory().load();
        const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${(await mintToken()).split('.')[1]}`;
        const mac = createHmac('sha256', publicKey.export({ type: 'spki', format: 'pem' }))
          .update(input)
          .digest('base64url');
        return `${input}.${mac}`;
      },
    ],
  ])('refuses %s: Signature is invalid.', async (_case, forge) => {
    const store = new MemoryStore();
    const res = await request(createApp({ store, auth: 'strict' }))
      .post(PACKAGES)
      .set(bearer(await forge()))
      .send({ displayName: 'Forged' });
    expectGraphError(res, 401, 'InvalidAuthenticationToken', 'Signature is invalid.');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=""/);
    expect(store.count('accessPackages')).toBe(0);
  });

  it.each([['any-token'], ['a.b'], ['not.json.at-all']])("refuses %s, which is not a JWT, as Graph's token parser does", async (token) => {
    expectGraphError(await create(strictApp(), token), 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217');
  });

  it('still answers an empty token as Graph does', async () => {
    expectGraphError(await request(strictApp()).get(PACKAGES), 401, 'InvalidAuthenticationToken', 'Access token is empty.');
  });

  it('verifies with the key it is given: a token of the process key fails against another key', async () => {
    const other = SigningKey.forDataFile(path.join(mkdtempSync(path.join(tmpdir(), 'strict-key-')), 'db.json'));
    const app = createApp({ store: new MemoryStore(), auth: 'strict', signingKey: other });
    expectGraphError(await create(app, await mintToken()), 401, 'InvalidAuthenticationToken', 'Signature is invalid.');
    expect((await create(app, mintAccessToken(await other.load()).accessToken)).status).toBe(201);
  });
});
