// The per-request context: the bearer token read once, the identity in its claims read once per distinct token.
import { describe, expect, it } from '@jest/globals';
import type { Request } from 'express';
import fc from 'fast-check';
import { bearerTokenOf, contextOf } from '../../server/http/context.js';
import { decodeClaims } from '../../server/identity/jwt.js';

function jwt(claims: object): string {
  return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
}

function fakeRequest(authorization?: string): Request {
  return { headers: authorization === undefined ? {} : { authorization } } as unknown as Request;
}

describe('bearerTokenOf', () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['Bearer', ''],
    ['Bearer   ', ''],
    ['Bearer abc', 'abc'],
    ['bearer  abc  ', 'abc'],
    ['  Bearer abc', 'abc'],
    ['NotBearer abc', ''],
    ['Basic Bearer abc', ''],
    ['Basic dXNlcg==', ''],
    ['abc', ''],
  ])('%j -> %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });

  it('reads what the pattern /^Bearer\\s+(.*)$/i reads, for any header', () => {
    const piece = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Bearer', ' ', '\t', '\u00a0', 'x', 'abc', '.', '\u0085', 'Basic');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
        (header) => {
          expect(bearerTokenOf(header)).toBe(/^Bearer\s+(.*)$/i.exec(header.trim())?.[1]?.trim() ?? '');
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('decodeClaims', () => {
  it('reads a JWT payload', () => {
    expect(decodeClaims(jwt({ upn: 'a@b.c', tid: 't' }))).toEqual({ upn: 'a@b.c', tid: 't' });
  });

  it.each([['opaque'], ['a.b.c'], [`x.${Buffer.from('[1]').toString('base64url')}.y`], [`x.${Buffer.from('7').toString('base64url')}.y`]])(
    'is null for %s',
    (token) => {
      expect(decodeClaims(token)).toBeNull();
    },
  );
});

describe('contextOf', () => {
  it('is made once per request and names the caller from the first readable claim', () => {
    const req = fakeRequest(`Bearer ${jwt({ preferred_username: 'p@contoso.com', app_displayname: 'App' })}`);
    const context = contextOf(req);
    expect(contextOf(req)).toBe(context);
    expect(context).toMatchObject({ identity: { caller: 'p@contoso.com' }, fault: undefined, deferredFault: undefined });
    expect(context.identity.claims).toMatchObject({ preferred_username: 'p@contoso.com' });
  });

  it.each([
    [{ upn: 'u@x', unique_name: 'n@x' }, 'u@x'],
    [{ unique_name: 'n@x', preferred_username: 'p@x' }, 'n@x'],
    [{ upn: '', app_displayname: 'Daemon' }, 'Daemon'],
    [{ oid: '1' }, null],
  ])('claims %j name %j', (claims, caller) => {
    expect(contextOf(fakeRequest(`Bearer ${jwt(claims)}`)).identity.caller).toBe(caller);
  });

  it('decodes a token once, however many requests carry it', () => {
    const token = jwt({ upn: 'same@x' });
    const first = contextOf(fakeRequest(`Bearer ${token}`));
    const second = contextOf(fakeRequest(`Bearer ${token}`));
    expect(second).not.toBe(first);
    expect(second.identity).toBe(first.identity);
  });

  it('an opaque token names nobody; no header gives an empty token', () => {
    expect(contextOf(fakeRequest('Bearer opaque'))).toMatchObject({
      token: 'opaque',
      identity: { claims: null, caller: null, tenantId: null, permissions: 'all' },
    });
    expect(contextOf(fakeRequest())).toMatchObject({ token: '', identity: { claims: null, caller: null, permissions: 'all' } });
  });
});
