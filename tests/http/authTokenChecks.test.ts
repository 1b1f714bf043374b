// Graph's 401s for tokens that are not what they claim: a signature with characters base64url has not
// (AUTH=strict), and a tid that is there but no tenant id (both modes).
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { signJwt } from '../../server/identity/jwt.js';
import { SigningKey } from '../../server/identity/signingKey.js';
import { mintToken } from '../../server/index.js';
import { DEFAULT_TENANT_ID } from '../../server/identity/tokens.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';
import { READ_WRITE, bearer, claimsOf, nowSeconds, unsignedJwt } from '../support/tokens.js';

const BAD_TENANT = "Access token validation failure. Invalid tenant: the tid claim must be 1 to 128 letters, digits, '.', '-' or '_'.";

/** A minted token whose signature has a '-' or '_', so that swapping them for '+' and '/' changes it. */
async function mintedWithDashes(): Promise<string> {
  for (;;) {
    const token = await mintToken({ scp: READ_WRITE });
    if (/[-_]/.test(token.split('.')[2]!)) return token;
  }
}

describe('AUTH=strict: each part of the token must be base64url', () => {
  it.each<[string, (token: string) => string]>([
    ["'!!' appended", (t) => `${t}!!`],
    ["'==' appended", (t) => `${t}==`],
    ["'+' and '/' for '-' and '_' in the signature", (t) => t.replace(/\.[^.]*$/, (sig) => sig.replace(/-/g, '+').replace(/_/g, '/'))],
    ["'=' padding after the payload", (t) => t.replace(/\.([^.]*)\./, '.$1=.')],
  ])('refuses a signed token with %s as not a JWT, and writes nothing', async (_case, change) => {
    const store = new MemoryStore();
    const app = createApp({ store, auth: 'strict' });
    const token = await mintedWithDashes();
    expect((await request(app).get(PACKAGES).set(bearer(token))).status).toBe(200);
    const changed = change(token);
    expect(changed).not.toBe(token);
    const res = await request(app).post(PACKAGES).set(bearer(changed)).send({ displayName: 'Changed' });
    expectGraphError(res, 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=""/);
    expect(store.count('accessPackages')).toBe(0);
  });
});

describe('a tid that is there but not a non-empty string', () => {
  const claims = (tid: unknown) => ({ tid, scp: READ_WRITE, aud: 'https://graph.microsoft.com', exp: nowSeconds() + 600 });

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['a number', 123],
    ['null', null],
    ['a list', ['worker-1']],
  ])('is a 401 Invalid tenant in bearer mode (%s), and adds no tenant', async (_case, tid) => {
    const store = new MemoryStore();
    const res = await request(createApp({ store }))
      .post(PACKAGES)
      .set(bearer(unsignedJwt(claims(tid))))
      .send({ displayName: 'Nowhere' });
    expectGraphError(res, 401, 'InvalidAuthenticationToken', BAD_TENANT);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(store.count('accessPackages')).toBe(0);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['a number', 123],
  ])('is a 401 Invalid tenant in strict mode too, signed by the key (%s)', async (_case, tid) => {
    const { privateKey } = await SigningKey.inMemory().load();
    const token = signJwt({ typ: 'JWT' }, claims(tid), privateKey);
    expect(claimsOf(token)['tid']).toEqual(tid);
    const store = new MemoryStore();
    const res = await request(createApp({ store, auth: 'strict' }))
      .get(PACKAGES)
      .set(bearer(token));
    expectGraphError(res, 401, 'InvalidAuthenticationToken', BAD_TENANT);
  });

  it('with AUTH=none nothing is refused and the default tenant is used', async () => {
    const store = new MemoryStore();
    const res = await request(createApp({ store, auth: 'none' }))
      .post(PACKAGES)
      .set(bearer(unsignedJwt(claims(''))))
      .send({ displayName: 'Default' });
    expect(res.status).toBe(201);
    expect(store.count('accessPackages')).toBe(1);
  });
});
