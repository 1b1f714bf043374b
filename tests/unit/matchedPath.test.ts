// matchedPath and pathGlob: the path fault rules and the journal's path filter match, however the client spelt it.
import { describe, expect, it } from '@jest/globals';
import { ACTIONS, ALTERNATE_KEYS, FUNCTIONS, matchedPath, pathGlob, pathPatternProblem } from '../../server/faults/matchedPath.js';
import { RESOURCES } from '../../server/resources/registry.js';

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
    // The key by its name, spaced or encoded as the routes still read it, and the key in a segment of its own.
    [`${AP}(id='${ID}')`, `${AP}/${ID}`],
    [`${AP}(ID = ${ID} )/assignmentPolicies`, `${AP}/${ID}/assignmentPolicies`],
    [`${AP}(%27${ID}%27)`, `${AP}/${ID}`],
    [`${AP}(id%3D%27${ID}%27)`, `${AP}/${ID}`],
    [`${AP}/('${ID}')`, `${AP}/${ID}`],
    // The key in a segment of its own with its parentheses encoded: the routes take that segment whole and decode it.
    [`${AP}/%28'${ID}'%29`, `${AP}/${ID}`],
    [`${AP}/%28%27${ID}%27%29/assignmentPolicies`, `${AP}/${ID}/assignmentPolicies`],
    [`${AP}/%28id='${ID}'%29`, `${AP}/${ID}`],
    [`${AP}/%28uniqueName%3D'x'%29`, `${AP}/(uniqueName='x')`],
    // Decoded once, as the routes do: an escape inside stays the key's text.
    [`${AP}/%28'a%252Fb'%29`, `${AP}/a%2Fb`],
    // An alternate key is a segment no id can be, the same however it is quoted or spaced.
    [`${AP}(uniqueName='x')`, `${AP}/(uniqueName='x')`],
    [`${AP}(UNIQUENAME = x)`, `${AP}/(uniqueName='x')`],
    [`${AP}(uniqueName='it''s a%2Fb')`, `${AP}/(uniqueName='it''s a%2Fb')`],
    [`${AP}/(uniqueName='x')`, `${AP}/(uniqueName='x')`],
    // A bound operation called namespace-qualified, as Graph's SDKs call it, is its plain name; a namespace on
    // anything else stays.
    [`${AP}/microsoft.graph.filterByCurrentUser(on='allowedRequestor')`, `${AP}/filterByCurrentUser(on='allowedRequestor')`],
    [`${AP}/${ID}/microsoft.graph.getApplicablePolicyRequirements`, `${AP}/${ID}/getApplicablePolicyRequirements`],
    [`${AP}/${ID}/Microsoft.Graph.moveToCatalog/`, `${AP}/${ID}/moveToCatalog`],
    [`${AP}/${ID}/microsoft%2Egraph.moveToCatalog`, `${AP}/${ID}/moveToCatalog`],
    [`${AP}/${ID}/microsoft.graph.accessPackageCatalog`, `${AP}/${ID}/microsoft.graph.accessPackageCatalog`],
    [`${AP}/${ID}/microsoft.other.moveToCatalog`, `${AP}/${ID}/microsoft.other.moveToCatalog`],
    [`${AP}/graph.filterByCurrentUser(on='allowedRequestor')`, `${AP}/filterByCurrentUser(on='allowedRequestor')`],
    [`${AP}/${ID}/GRAPH.getApplicablePolicyRequirements`, `${AP}/${ID}/getApplicablePolicyRequirements`],
    [`${AP}/${ID}/graph.accessPackageCatalog`, `${AP}/${ID}/graph.accessPackageCatalog`],
    // Not a key the routes read: a function's call, another named parameter, bad encoding stay as they are.
    ["/beta/x/filterByCurrentUser(on='target')", "/beta/x/filterByCurrentUser(on='target')"],
    ["/beta/x/FILTERBYCURRENTUSER('target')", "/beta/x/FILTERBYCURRENTUSER('target')"],
    [`${AP}(displayName='x')`, `${AP}(displayName='x')`],
    [`${AP}(id='a',uniqueName='b')`, `${AP}(id='a',uniqueName='b')`],
    [`${AP}(id=)`, `${AP}(id=)`],
    [`${AP}()`, `${AP}()`],
    [`${AP}/%zz`, `${AP}/%zz`],
    // A key in parentheses is the whole segment, or the segment is left as it is.
    [`${AP}('a')b`, `${AP}('a')b`],
    ['/beta/a(b(c)', '/beta/a(b(c)'],
    // Encoded parentheses after a name are no key the routes read (they split `name(…)` as sent).
    [`${AP}%28'${ID}'%29`, `${AP}('${ID}')`],
    [`${AP}/%28displayName='x'%29`, `${AP}/(displayName='x')`],
    [`${AP}/%28'x'`, `${AP}/('x'`],
    [`${AP}/%28'x'y`, `${AP}/('x'y`],
    [`${AP}/x'y'%29`, `${AP}/x'y')`],
    // A quoted key holding = is the key, not a parameter's name; spaces around a key go, as around a named one.
    [`${AP}('a=b')`, `${AP}/a=b`],
    [`${AP}( '${ID}' )`, `${AP}/${ID}`],
    // Bad encoding in a key or a function's parameter: left as it is written.
    [`${AP}('%zz')`, `${AP}('%zz')`],
    [`${AP}/filterByCurrentUser(on='%zz')`, `${AP}/filterByCurrentUser(on='%zz')`],
  ])('%s is matched as %s', (path, matched) => {
    expect(matchedPath(path)).toBe(matched);
  });

  const FILTER = `${AP}/filterByCurrentUser(on='allowedRequestor')`;
  it.each([
    [`${AP}/filterByCurrentUser(on=microsoft.graph.accessPackageFilterByCurrentUserOptions'allowedRequestor')`, undefined, FILTER],
    [`${AP}/filterByCurrentUser(on=graph.accessPackageFilterByCurrentUserOptions%27allowedRequestor%27)`, undefined, FILTER],
    [`${AP}/filterByCurrentUser(%20on%20=%20'allowedRequestor'%20)`, undefined, FILTER],
    [`${AP}/filterByCurrentUser(on=@p)`, "$top=1&@p='allowedRequestor'", FILTER],
    [`${AP}/filterByCurrentUser(on=@p)`, '%40p=microsoft.graph.accessPackageFilterByCurrentUserOptions%27allowedRequestor%27', FILTER],
    // Matched as written: an alias without a query to read it from, or one given twice or not at all (the routes' 400).
    [`${AP}/filterByCurrentUser(on=@p)`, undefined, `${AP}/filterByCurrentUser(on=@p)`],
    [`${AP}/filterByCurrentUser(on=@p)`, "@p='allowedRequestor'&@p='target'", `${AP}/filterByCurrentUser(on=@p)`],
    [`${AP}/filterByCurrentUser(on=@p)`, "@q='allowedRequestor'", `${AP}/filterByCurrentUser(on=@p)`],
    [`${AP}/filterByCurrentUser(on=other.type'allowedRequestor')`, undefined, `${AP}/filterByCurrentUser(on=other.type'allowedRequestor')`],
  ])('reads the function call %s (query %s) as the routes read its parameter: %s', (path, query, matched) => {
    expect(matchedPath(path, query)).toBe(matched);
    expect(pathGlob(FILTER)(matchedPath(path, query))).toBe(matched === FILTER);
  });

  it('keeps the common path as the very string it was given', () => {
    const path = `${AP}/${ID}`;
    expect(matchedPath(path)).toBe(path);
  });

  it('knows the alternate keys, the functions and the actions the resources serve', () => {
    const alternateKeys = new Set(RESOURCES.flatMap((resource) => (resource.alternateKey ? [resource.alternateKey] : [])));
    const functions = new Set(RESOURCES.flatMap((resource) => Object.keys(resource.functions ?? {})));
    const actions = new Set(RESOURCES.flatMap((resource) => Object.keys(resource.actions ?? {})));
    expect([...alternateKeys].sort()).toEqual([...ALTERNATE_KEYS].sort());
    expect([...functions].sort()).toEqual([...FUNCTIONS].sort());
    expect([...actions].sort()).toEqual([...ACTIONS].sort());
  });
});

describe('pathGlob', () => {
  it('ignores the trailing slashes of a pattern, and matches without regard to case', () => {
    const matches = pathGlob('/beta/**/ACCESSPACKAGES/*/');
    const paths = [`${AP}/${ID}`, `${AP}/${ID}/`, `${AP}('${ID}')`, `${AP}(id='${ID}')`, `${AP}(uniqueName='x')`, AP];
    expect(paths.map((path) => matches(matchedPath(path)))).toEqual([true, true, true, true, true, false]);
    expect(pathGlob('/')('/')).toBe(true);
  });
});

describe('pathGlob of a pattern written in a key form', () => {
  it.each([
    `${AP}('${ID}')`,
    `${AP}(${ID})/`,
    `${AP}(id='${ID}')`,
    `${AP}/('${ID}')`,
    `${AP}/%28'${ID}'%29`,
    `/beta/**/accessPackages(%27${ID}%27)`,
    `/beta/*/entitlementManagement/accessPackages(ID = ${ID})`,
  ])('reads the literal segments of %s as a path is read: the package by its id', (pattern) => {
    const matches = pathGlob(pattern);
    const paths = [`${AP}/${ID}`, `${AP}('${ID}')`, `${AP}(id='${ID}')`, `${AP}/${ID.replace('1', '2')}`, AP];
    expect(paths.map((path) => matches(matchedPath(path)))).toEqual([true, true, true, false, false]);
  });

  it('reads an alternate key written after its name as its own segment, and an escape decoded to a glob character as that character', () => {
    expect(pathGlob(`${AP}(uniqueName='x')`)(matchedPath(`${AP}(UNIQUENAME = x)`))).toBe(true);
    expect(pathGlob(`${AP}(uniqueName='x')`)(matchedPath(`${AP}(uniqueName='y')`))).toBe(false);
    expect(pathGlob('/beta/a%2Ab')(matchedPath('/beta/a*b'))).toBe(true);
    expect(pathGlob('/beta/a%2Ab')(matchedPath('/beta/axxb'))).toBe(false);
  });

  it('reads an alternate key with glob characters as a path is read: spaces around it and its = dropped, its value quoted', () => {
    for (const pattern of [`${AP}/( uniqueName = 'a*' )`, `${AP}/(UNIQUENAME=a*)`, `${AP}/(uniqueName='a*')`]) {
      expect(pathPatternProblem(pattern)).toBeUndefined();
      const matches = pathGlob(pattern);
      const paths = [`${AP}(uniqueName='abc')`, `${AP}( uniqueName = 'a' )`, `${AP}(uniqueName='b')`, `${AP}/abc`];
      expect([pattern, paths.map((path) => matches(matchedPath(path)))]).toEqual([pattern, [true, true, false, false]]);
    }
  });

  it('reads a namespace-qualified operation in a pattern as its plain name, as a path is read', () => {
    for (const pattern of [`${AP}/*/microsoft.graph.moveToCatalog`, `${AP}/${ID}/Graph.moveToCatalog/`]) {
      const matches = pathGlob(pattern);
      const paths = [`${AP}/${ID}/moveToCatalog`, `${AP}/${ID}/microsoft.graph.moveToCatalog`, `${AP}('${ID}')/graph.moveToCatalog`, `${AP}/${ID}/refresh`];
      expect(paths.map((path) => matches(matchedPath(path)))).toEqual([true, true, true, false]);
    }
  });
});

describe('pathPatternProblem', () => {
  it.each([
    [
      `/beta/**/accessPackages('*')`,
      "writes a key in parentheses with glob characters ('accessPackages('*')'), which matches no path: paths are matched with the key as a segment of its own; write 'accessPackages/*' instead",
    ],
    [
      '/beta/**/accessPackages(*)/assignmentPolicies',
      "writes a key in parentheses with glob characters ('accessPackages(*)'), which matches no path: paths are matched with the key as a segment of its own; write 'accessPackages/*' instead",
    ],
    [
      `/beta/**/accessPackages(uniqueName='a*')`,
      "writes a key in parentheses with glob characters ('accessPackages(uniqueName='a*')'), which matches no path: paths are matched with the key as a segment of its own; write 'accessPackages/(uniqueName='a*')' instead",
    ],
    [
      "/beta/**/accessPackages/('*')",
      "writes a key in parentheses with glob characters ('('*')'), which matches no path: paths are matched with the key as a segment of its own; write '*' instead",
    ],
    [
      `/beta/**/accessPackages( uniqueName ='a*' )`,
      "writes a key in parentheses with glob characters ('accessPackages( uniqueName ='a*' )'), which matches no path: paths are matched with the key as a segment of its own; write 'accessPackages/(uniqueName='a*')' instead",
    ],
    ['/@(a*|b)', 'uses an extglob such as @(a|b); write {a,b} or several rules instead'],
    ['/beta/**/accessPackages?$count', "has a query string ('?$count'), which no path has: paths are matched without their query; leave it out"],
  ])('refuses %s', (pattern, problem) => {
    expect(pathPatternProblem(pattern)).toBe(problem);
  });

  it.each([`${AP}('${ID}')`, "/beta/**/accessPackages/(uniqueName='a*')", "/beta/**/filterByCurrentUser(on='*')", '/beta/**/accessPackages/*', AP])(
    'accepts %s',
    (pattern) => {
      expect(pathPatternProblem(pattern)).toBeUndefined();
    },
  );
});
