// matchedPath and pathGlob: the path fault rules and the journal's path filter match, however the client spelt it.
import { describe, expect, it } from '@jest/globals';
import { matchedPath, pathGlob } from '../../server/faults/matchedPath.js';

const AP = '/beta/identityGovernance/entitlementManagement/accessPackages';
const ID = '22ca7144-0000-4000-8000-000000000001';

describe('matchedPath', () => {
  it.each([
    [`${AP}/${ID}`, `${AP}/${ID}`],
    [`${AP}/`, AP],
    [`${AP}//`, AP],
    ['/', '/'],
    [`${AP}/%32${ID.slice(1)}`, `${AP}/${ID}`],
    [`${AP}('${ID}')`, `${AP}/${ID}`],
    [`${AP}(${ID})/`, `${AP}/${ID}`],
    [`${AP}('it''s')`, `${AP}/it's`],
    [`${AP}('a%2Fb')`, `${AP}/a%2Fb`],
    [`${AP}/a%2fb`, `${AP}/a%2Fb`],
    // Not a single key: named parameters and a function's call stay as they are, bad encoding too.
    [`${AP}(uniqueName='x')`, `${AP}(uniqueName='x')`],
    ["/beta/x/filterByCurrentUser(on='target')", "/beta/x/filterByCurrentUser(on='target')"],
    [`${AP}/%zz`, `${AP}/%zz`],
    // A key in parentheses is the whole segment, or the segment is left as it is.
    [`${AP}('a')b`, `${AP}('a')b`],
    ['/beta/a(b(c)', '/beta/a(b(c)'],
  ])('%s is matched as %s', (path, matched) => {
    expect(matchedPath(path)).toBe(matched);
  });

  it('keeps the common path as the very string it was given', () => {
    const path = `${AP}/${ID}`;
    expect(matchedPath(path)).toBe(path);
  });
});

describe('pathGlob', () => {
  it('ignores the trailing slashes of a pattern, and matches without regard to case', () => {
    const matches = pathGlob('/beta/**/ACCESSPACKAGES/*/');
    expect([`${AP}/${ID}`, `${AP}/${ID}/`, `${AP}('${ID}')`, AP].map((path) => matches(matchedPath(path)))).toEqual([true, true, true, false]);
    expect(pathGlob('/')('/')).toBe(true);
  });
});
