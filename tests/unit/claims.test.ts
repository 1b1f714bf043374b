// Who a bearer token names and what it may do, read from the claims of the JWT.
import { describe, expect, it } from '@jest/globals';
import { identityOf } from '../../server/identity/claims.js';
import { READ, READ_WRITE, unsignedJwt } from '../support/tokens.js';

describe('identityOf', () => {
  it('reads tenant, object id, caller, lifetime and audience from the claims', () => {
    const claims = { tid: 't-1', oid: 'o-1', upn: 'megan@contoso.com', exp: 1700003600, nbf: 1700000000, aud: 'https://graph.microsoft.com' };
    expect(identityOf(unsignedJwt(claims))).toEqual({
      claims,
      tenantId: 't-1',
      objectId: 'o-1',
      caller: 'megan@contoso.com',
      permissions: new Set(),
      scopes: new Set(),
      expiresAt: 1700003600,
      notBefore: 1700000000,
      malformedTime: undefined,
      audiences: ['https://graph.microsoft.com'],
    });
  });

  it.each([
    ['scopes split on any run of blanks', { scp: `  User.Read \t${READ}  ` }, ['User.Read', READ]],
    ['an empty scp', { scp: '' }, []],
    ['roles alone', { roles: [READ_WRITE] }, [READ_WRITE]],
    ['roles that are not strings left out', { roles: [READ, 7, null, { r: 1 }] }, [READ]],
    ['roles that are not a list', { roles: READ }, []],
    ['a scp that is not a string', { scp: [READ], roles: [READ_WRITE] }, [READ_WRITE]],
    ['scopes and roles together', { scp: READ, roles: [READ_WRITE] }, [READ, READ_WRITE]],
  ])('permissions: %s', (_case, claims, permissions) => {
    expect(identityOf(unsignedJwt(claims)).permissions).toEqual(new Set(permissions));
  });

  it.each([
    ['scopes and roles together: the scopes alone', { scp: `User.Read ${READ}`, roles: [READ_WRITE] }, ['User.Read', READ]],
    ['roles alone: none', { roles: [READ_WRITE] }, []],
  ])('scopes (what a delegated-only operation reads): %s', (_case, claims, scopes) => {
    expect(identityOf(unsignedJwt(claims)).scopes).toEqual(new Set(scopes));
  });

  it('a token that is not a JWT holds every permission and every scope', () => {
    expect(identityOf('opaque-token')).toMatchObject({ permissions: 'all', scopes: 'all' });
  });

  it.each([
    ['a list of audiences, strings only', { aud: ['api://x', 5, 'https://graph.microsoft.com'] }, ['api://x', 'https://graph.microsoft.com']],
    ['an audience that is neither', { aud: 5 }, []],
    ['no audience', {}, undefined],
  ])('audiences: %s', (_case, claims, audiences) => {
    expect(identityOf(unsignedJwt(claims)).audiences).toEqual(audiences);
  });

  it.each<[string, object, string | undefined]>([
    ['exp and nbf as strings', { exp: '1700003600', nbf: '1700000000' }, 'exp'],
    ['exp and nbf as null', { exp: null, nbf: null }, 'exp'],
    ['nbf as a string', { exp: 1700003600, nbf: '1700000000' }, 'nbf'],
    ['iat as a list', { iat: [1700000000] }, 'iat'],
    ['exp as a boolean', { exp: true }, 'exp'],
    ['fractional seconds (a NumericDate may have them)', { exp: 1700003600.5, nbf: 1700000000.25, iat: 1700000000 }, undefined],
    ['no time claims', {}, undefined],
  ])('%s: malformedTime names the first that is not a number', (_case, claims, malformed) => {
    expect(identityOf(unsignedJwt(claims)).malformedTime).toBe(malformed);
  });

  it('takes no lifetime from claims that are not numbers', () => {
    expect(identityOf(unsignedJwt({ exp: '1700003600', nbf: '1700000000' }))).toMatchObject({ expiresAt: undefined, notBefore: undefined });
  });

  it('names nobody with empty or non-string name claims; an empty tid names no tenant (auth refuses it)', () => {
    expect(identityOf(unsignedJwt({ tid: '', oid: 7, upn: '', unique_name: null, preferred_username: 3 }))).toMatchObject({
      tenantId: '',
      objectId: null,
      caller: null,
    });
  });
});

describe('identityOf: tid', () => {
  it.each<[string, object, string | null]>([
    ['no tid: the default tenant', {}, null],
    ['a tenant id', { tid: 'worker-1' }, 'worker-1'],
    ['an empty tid names none', { tid: '' }, ''],
    ['a number names none', { tid: 123 }, ''],
    ['null names none', { tid: null }, ''],
    ['a list names none', { tid: ['worker-1'] }, ''],
  ])('%s', (_case, claims, tenantId) => {
    expect(identityOf(unsignedJwt(claims)).tenantId).toBe(tenantId);
  });
});
