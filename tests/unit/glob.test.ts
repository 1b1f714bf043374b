// Fault rule path globs: picomatch's common syntax, case-insensitive, matched in bounded time whatever the
// pattern (a backtracking regular expression took 5 to 15 s on patterns below).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cpuMsOf } from '../support/cpuTime.js';
import { MAX_GLOB_LENGTH, compileGlob, globProblem } from '../../server/faults/glob.js';
import { parseFaultRule } from '../../server/faults/ruleSchema.js';

const PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

describe('compileGlob', () => {
  it.each([
    [PACKAGES, PACKAGES, true],
    [PACKAGES, PACKAGES.toUpperCase(), true],
    [PACKAGES, `${PACKAGES}/x`, false],
    ['/beta/**/accessPackages/*', `${PACKAGES}/8f1c`, true],
    ['/beta/**/accessPackages/*', `${PACKAGES}`, false],
    ['/beta/**/accessPackages/*', '/beta/accessPackages/x', true],
    ['/beta/**', '/beta', true],
    ['/beta/**', '/beta/a/b/c', true],
    ['/beta/*', '/beta/a/b', false],
    ['/beta/*Packages', `/beta/accessPackages`, true],
    ['/beta/access?ackages', `/beta/accessPackages`, true],
    ['/beta/[a-c]*', '/beta/catalogs', true],
    ['/beta/[!a-c]*', '/beta/catalogs', false],
    ['/beta/**/{accessPackages,accessPackageCatalogs}', '/beta/x/accessPackageCatalogs', true],
    ['/beta/**/{accessPackages,accessPackageCatalogs}', '/beta/x/catalogs', false],
    ['/beta/\\*', '/beta/*', true],
    ['/beta/\\*', '/beta/x', false],
    ['/beta/.hidden*', '/beta/.hidden-file', true],
    ['/beta/\\[x', '/beta/[x', true],
    ['/beta/[[]x', '/beta/[x', true],
    ['/beta/*', '/beta/.dot', true],
    // Ranges low to high, in any case once lower-cased; a - at either end is the character.
    ['/beta/[A-Z]*', '/beta/catalogs', true],
    ['/beta/[a-Z]*', '/beta/catalogs', true],
    ['/beta/[-a]x', '/beta/-x', true],
    ['/beta/\\[z-a]', '/beta/[z-a]', true],
    // A range of one character holds it; a - after a range is the character.
    ['/beta/[a-a]x', '/beta/ax', true],
    ['/beta/[a-c-a]', '/beta/-', true],
    // The ! of a negated class starts no range: [!- ] is neither - nor a space.
    ['/beta/[!- ]x', '/beta/ax', true],
    // ^ negates as ! does (and starts no range either); a negated class holds what its body does not, ! included.
    ['/beta/[^a-c]*', '/beta/catalogs', false],
    ['/beta/[^-0]x', '/beta/ax', true],
    ['/beta/[!a-c]x', '/beta/!x', true],
    // A range's low end counts: [b-d] holds no a.
    ['/beta/[b-d]*', '/beta/accessPackages', false],
    // Characters without a - between them are each themselves, in any order; a - last is the character.
    ['/beta/[dca]x', '/beta/cx', true],
    ['/beta/[dca]x', '/beta/bx', false],
    ['/beta/x[a-]', '/beta/x-', true],
    // A ] before any [ is the character, and a class may follow it; so is a - outside a class.
    ['/beta/a]b[c]', '/beta/a]bc', true],
    ['/beta/xz-a]', '/beta/xz-a]', true],
    // A \ that ends a segment is the character.
    ['/beta/a\\', '/beta/a\\', true],
    ['/beta/a\\', '/beta/ab', false],
    // Each run between stars is matched after the one before it, never overlapping it or the last one.
    ['/beta/*ab*ab', '/beta/xab', false],
    ['/beta/*ab*ab*', '/beta/xaby', false],
    ['/beta/*ab*ab*', '/beta/xabyab', true],
    // Escaped braces and brackets are the characters; a ] first in its class is one of its characters.
    ['/beta/\\{a}', '/beta/{a}', true],
    ['/beta/\\[a\\]', '/beta/[a]', true],
    ['/beta/x[]a]', '/beta/x]', true],
    // ** first, without the leading /, as the journal's filter and a rule take it.
    ['**/accessPackages/*', `${PACKAGES}/8f1c`, true],
    ['**/accessPackages/*', `${PACKAGES}`, false],
  ])('%s against %s: %s', (pattern, path, expected) => {
    expect(globProblem(pattern)).toBeUndefined();
    expect(compileGlob(pattern)(path)).toBe(expected);
  });
});

/** A plain backtracking reading of the syntax, for tiny inputs: the meaning the fast matcher must keep. */
function reference(pattern: string, path: string): boolean {
  const tokensOf = (segment: string) => segment.match(/\[ab\]|./g) ?? [];
  const segmentMatches = (p: readonly string[], s: string): boolean => {
    if (p.length === 0) return s.length === 0;
    if (p[0] === '*') return segmentMatches(p.slice(1), s) || (s.length > 0 && segmentMatches(p, s.slice(1)));
    if (s.length === 0) return false;
    const ok = p[0] === '?' || (p[0] === '[ab]' ? s[0] === 'a' || s[0] === 'b' : p[0] === s[0]);
    return ok && segmentMatches(p.slice(1), s.slice(1));
  };
  const pathMatches = (ps: readonly string[], ss: readonly string[]): boolean => {
    if (ps.length === 0) return ss.length === 0;
    if (ps[0] === '**') return pathMatches(ps.slice(1), ss) || (ss.length > 0 && pathMatches(ps, ss.slice(1)));
    if (ss.length === 0) return false;
    return segmentMatches(tokensOf(ps[0]!), ss[0]!) && pathMatches(ps.slice(1), ss.slice(1));
  };
  return pathMatches(pattern.split('/'), path.split('/'));
}

describe('compileGlob against a plain backtracking reading', () => {
  it('agrees on random patterns of letters, ?, classes, * and ** and random paths', () => {
    const patternSegment = fc.oneof(
      fc.constant('**'),
      fc.array(fc.constantFrom('a', 'b', '*', '?', '[ab]'), { maxLength: 5 }).map((tokens) => tokens.join('')),
    );
    const pathSegment = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 6 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(patternSegment, { minLength: 1, maxLength: 3 }), fc.array(pathSegment, { minLength: 1, maxLength: 4 }), (ps, ss) => {
        const pattern = `/${ps.join('/')}`;
        const path = `/${ss.join('/')}`;
        expect([pattern, path, compileGlob(pattern)(path)]).toEqual([pattern, path, reference(pattern, path)]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('globProblem', () => {
  it.each([
    ['/@(a*|b)*(*)*(*)*(*)z', 'uses an extglob such as @(a|b); write {a,b} or several rules instead'],
    ['/beta/!(x)', 'uses an extglob such as @(a|b); write {a,b} or several rules instead'],
    [`/${'a'.repeat(MAX_GLOB_LENGTH)}`, `is longer than ${MAX_GLOB_LENGTH} characters`],
    ['/{a,{b,c}}', 'has a brace that is not closed, or braces inside braces'],
    ['/{a,b', 'has a brace that is not closed, or braces inside braces'],
    ['/{a,b,c}/{a,b,c}/{a,b,c}/{a,b,c}', 'expands to more than 64 patterns'],
    ['/beta/[a-', 'has a [ that is not closed in its segment; write \\[ for the character'],
    ['/beta/[a/b]', 'has a [ that is not closed in its segment; write \\[ for the character'],
    ['/beta/[]', 'has a [ that is not closed in its segment; write \\[ for the character'],
    ['/beta/{a[,b]}', 'has a [ that is not closed in its segment; write \\[ for the character'],
    // A backward range holds no character: in a class alone, a rule that never fired.
    ['/beta/accessPackages/[z-a]*', 'has a range z-a that runs backwards, which holds no character; write it a-z'],
    ['/beta/[!9-0]', 'has a range 9-0 that runs backwards, which holds no character; write it 0-9'],
    ['/beta/{x,[a-cz--]}', 'has a range z-- that runs backwards, which holds no character; write it --z'],
    // Matched lower-cased: Z-a runs backwards then.
    ['/beta/[Z-a]', 'has a range z-a that runs backwards, which holds no character; write it a-z'],
    // Braces picomatch reads as the characters (no comma: one name, a range, nothing), not as alternatives.
    ['/beta/{accessPackages}', 'has braces without a comma, which are no alternatives; write {a,b}, or \\{ for the character'],
    ['/beta/x{1..3}', 'has braces without a comma, which are no alternatives; write {a,b}, or \\{ for the character'],
    ['/beta/{a,b}/{}', 'has braces without a comma, which are no alternatives; write {a,b}, or \\{ for the character'],
    // A \ picomatch reads as an escape, in braces or a class, where it would be the character here.
    ...['/beta/{a\\,b,c}', '/beta/{a,b\\}c}', '/beta/[\\]]', '/beta/x[a\\-z]', '/beta/{x,[\\a]}'].map((pattern) => [
      pattern,
      'has a \\ inside braces or a class, which escapes nothing there; write the character itself (a ] first in its class)',
    ]),
  ])('%s %s', (pattern, problem) => {
    expect(globProblem(pattern)).toBe(problem);
  });

  it(`counts ${MAX_GLOB_LENGTH} characters as the faults schema does, an emoji as one`, () => {
    expect(globProblem(`/${'😀'.repeat(MAX_GLOB_LENGTH - 1)}`)).toBeUndefined();
    expect(compileGlob(`/${'😀'.repeat(MAX_GLOB_LENGTH - 1)}`)(`/${'😀'.repeat(MAX_GLOB_LENGTH - 1)}`)).toBe(true);
    expect(globProblem(`/${'😀'.repeat(MAX_GLOB_LENGTH)}`)).toBe(`is longer than ${MAX_GLOB_LENGTH} characters`);
    const rulePath = `/beta/${'😀'.repeat(MAX_GLOB_LENGTH - 6)}`;
    expect([...rulePath]).toHaveLength(MAX_GLOB_LENGTH);
    expect(parseFaultRule({ path: rulePath, status: 500 })).toMatchObject({ status: 500 });
  });
});

describe('bounded matching time', () => {
  it.each([
    ['/*a*a*a*a*a*a*a*a*a*a*z', `/${'a'.repeat(16_000)}`],
    ['/**/**/**/**/**/**/**/**/**/**/z', '/a'.repeat(8_000)],
    ['/**/*a*a*a*a*/**/*a*a*a*/**/z', `${'/aaaaaaaa'.repeat(1_500)}`],
    [`/${'*a'.repeat(120)}z`, `/${'a'.repeat(16_000)}`],
    // 64 patterns of a star and a 225-character run each, against a 16 KB segment of that run's first letter.
    [`/beta/*${'a'.repeat(219)}{b,c}{b,c}{b,c}{b,c}{b,c}{b,c}`, `/beta/${'a'.repeat(16_000)}`],
  ])('%s against a 16 KB path answers well within a second of CPU', async (pattern, path) => {
    const matches = compileGlob(pattern);
    const { value, cpuMs } = await cpuMsOf(() => matches(path));
    expect(value).toBe(false);
    expect(cpuMs).toBeLessThan(1_000);
  });
});
