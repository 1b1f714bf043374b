// Small readings of request text done in one pass, where a pattern scanned a run again from each of its characters:
// the same results as those patterns gave.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isSecretName } from '../../server/http/secretNames.js';
import { withoutTrailingSlashes } from '../../server/urlText.js';

describe('withoutTrailingSlashes', () => {
  it('is what replace(/(.)\\/+$/, "$1") gave, for any path', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('/', 'a', '.', '%'), { maxLength: 20 }), (chars) => {
        const path = chars.join('');
        expect(withoutTrailingSlashes(path)).toBe(path.replace(/(.)\/+$/, '$1'));
      }),
      { numRuns: 2000 },
    );
    expect([withoutTrailingSlashes('/'), withoutTrailingSlashes('//'), withoutTrailingSlashes('/health///'), withoutTrailingSlashes('')]).toEqual([
      '/',
      '/',
      '/health',
      '',
    ]);
  });

  it('reads a megabyte of slashes in one pass', () => {
    expect(withoutTrailingSlashes(`/a${'/'.repeat(1024 * 1024)}`)).toBe('/a');
    const inside = `${'//'.repeat(512 * 1024)}\u0001/`;
    expect(withoutTrailingSlashes(inside)).toBe(`${'//'.repeat(512 * 1024)}\u0001`);
  });
});

describe('a secret name with an index', () => {
  it.each([
    ['access_token[]', true],
    ['password[0]', true],
    ['client_secret[a]', true],
    ['password[a][b]', false],
    ['password]', false],
    ['[]', false],
    ['password[', false],
  ])('%s is a secret: %s', (name, secret) => {
    expect(isSecretName(name)).toBe(secret);
  });

  it('reads a name of a megabyte of brackets in one pass', () => {
    expect(isSecretName(`${'['.repeat(1024 * 1024)}][]`)).toBe(false);
  });
});
