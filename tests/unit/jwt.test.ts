// verifyJwt: three base64url parts, a JSON header and payload, RS256 by the given key.
import { describe, expect, it } from '@jest/globals';
import { decodeClaims, signJwt, verifyJwt } from '../../server/identity/jwt.js';
import { SigningKey } from '../../server/identity/signingKey.js';

async function signed(): Promise<{ token: string; publicKey: Parameters<typeof verifyJwt>[1] }> {
  const { privateKey, publicKey } = await SigningKey.inMemory().load();
  // A signature with a '-' or '_' in it, so that swapping them for '+' and '/' changes it.
  for (let i = 0; ; i++) {
    const token = signJwt({ typ: 'JWT' }, { tid: 't', n: i }, privateKey);
    if (/[-_]/.test(token.split('.')[2]!)) return { token, publicKey };
  }
}

describe('verifyJwt', () => {
  it('accepts a token signed with the key', async () => {
    const { token, publicKey } = await signed();
    expect(verifyJwt(token, publicKey)).toBe('valid');
  });

  it.each<[string, (token: string) => string]>([
    ["'!!' after the signature", (t) => `${t}!!`],
    ["'==' after the signature", (t) => `${t}==`],
    ["'+' and '/' for '-' and '_' in the signature", (t) => t.replace(/\.[^.]*$/, (sig) => sig.replace(/-/g, '+').replace(/_/g, '/'))],
    ["'=' after the header", (t) => t.replace('.', '=.')],
    ["'=' after the payload", (t) => t.replace(/\.([^.]*)\./, '.$1=.')],
    ['a space in the payload', (t) => t.replace(/\.([^.]{4})/, '.$1 ')],
  ])('refuses %s as malformed: only base64url characters are read', async (_case, change) => {
    const { token, publicKey } = await signed();
    const changed = change(token);
    expect(changed).not.toBe(token);
    expect(verifyJwt(changed, publicKey)).toBe('malformed');
  });
});

describe('decodeClaims', () => {
  it('reads the claims whatever the signature: another, or none', async () => {
    const { token } = await signed();
    expect(decodeClaims(token.replace(/\.[^.]*$/, '.AAAA'))).toMatchObject({ tid: 't' });
    expect(decodeClaims(token.replace(/\.[^.]*$/, '.'))).toMatchObject({ tid: 't' });
  });

  it.each([
    ['a header that is a list', 'W10.e30.'],
    ['a header that is a number', `${Buffer.from('7').toString('base64url')}.e30.`],
    ['no header', '.e30.'],
    ["'!!' after the signature", 'eyJhbGciOiJub25lIn0.e30.!!'],
    ["'=' after the payload", 'eyJhbGciOiJub25lIn0.e30=.'],
    ["'+' in the header", 'eyJhbGciOiJub25lIn0+.e30.'],
    ['two parts', 'eyJhbGciOiJub25lIn0.e30'],
    ['four parts', 'eyJhbGciOiJub25lIn0.e30.sig.x'],
  ])('is null for a token with %s, as verifyJwt calls it malformed', async (_case, token) => {
    expect(decodeClaims(token)).toBeNull();
    const { publicKey } = await signed();
    expect(verifyJwt(token, publicKey)).toBe('malformed');
  });
});
