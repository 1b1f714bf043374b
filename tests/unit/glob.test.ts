// Fault rule path globs: picomatch's common syntax, case-insensitive, matched in bounded time whatever the
// pattern (a backtracking regular expression took 5 to 15 s on patterns below).
import { describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { MAX_GLOB_LENGTH, compileGlob, globProblem } from '../../server/faults/glob.js';

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
  ])('%s against %s: %s', (pattern, path, expected) => {
    expect(globProblem(pattern)).toBeUndefined();
    expect(compileGlob(pattern)(path)).toBe(expected);
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
  ])('%s %s', (pattern, problem) => {
    expect(globProblem(pattern)).toBe(problem);
  });
});

describe('bounded matching time', () => {
  it.each([
    ['/*a*a*a*a*a*a*a*a*a*a*z', `/${'a'.repeat(16_000)}`],
    ['/**/**/**/**/**/**/**/**/**/**/z', '/a'.repeat(8_000)],
    ['/**/*a*a*a*a*/**/*a*a*a*/**/z', `${'/aaaaaaaa'.repeat(1_500)}`],
    [`/${'*a'.repeat(120)}z`, `/${'a'.repeat(16_000)}`],
  ])('%s against a 16 KB path answers well within a second', (pattern, path) => {
    const matches = compileGlob(pattern);
    const started = performance.now();
    expect(matches(path)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
