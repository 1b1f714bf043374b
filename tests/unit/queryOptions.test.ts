import { describe, expect, it } from '@jest/globals';
import { accessPackages } from '../../server/resources/accessPackages/index.js';
import { accessPackageResourceRoleScopes } from '../../server/resources/accessPackageResourceRoleScopes/index.js';
import { viewOf } from '../../server/resources/views.js';
import { decodeSkipToken, encodeSkipToken, nextLink, preferredPageSize, sealedToken } from '../../server/odata/paging.js';
import { nestedOptions, parseQueryOptions } from '../../server/odata/queryOptions.js';
import { TopK, ordering } from '../../server/odata/ordering.js';
import { accessPackage } from '../support/accessPackages.js';
import { graphErrorOf } from '../support/errors.js';

const scope = viewOf(accessPackages, 'beta').scope;
const model = scope.model;
const parse = (query: string) => parseQueryOptions(`/x?${query}`, scope);

describe('parseQueryOptions', () => {
  it('answers a URL without a query string with the defaults, the same frozen object every time', () => {
    const plain = parseQueryOptions('/x', scope);
    expect(plain).toEqual(parse(''));
    expect(plain).toEqual({
      filter: undefined,
      select: undefined,
      orderby: [],
      top: undefined,
      skip: 0,
      count: false,
      expand: [],
      skiptoken: undefined,
      rawPairs: [],
    });
    expect(parseQueryOptions('/y', scope)).toBe(plain);
    expect(Object.isFrozen(plain)).toBe(true);
  });

  it('reads every option with or without $, decoded', () => {
    const withDollar = parse(
      "$filter=displayName%20eq%20'a%26b'&$select=displayName,id&$orderby=displayName desc,createdDateTime&$top=5&$skip=2&$count=true&$expand=accessPackageCatalog",
    );
    const without = parse(
      "filter=displayName%20eq%20'a%26b'&select=displayName,id&orderby=displayName desc,createdDateTime&top=5&skip=2&count=true&expand=accessPackageCatalog",
    );
    for (const options of [withDollar, without]) {
      expect(options).toMatchObject({
        filter: "displayName eq 'a&b'",
        select: ['displayName', 'id'],
        orderby: [
          { property: 'displayName', descending: true },
          { property: 'createdDateTime', descending: false },
        ],
        top: 5,
        skip: 2,
        count: true,
      });
      expect(options.expand.map((item) => item.name)).toEqual(['accessPackageCatalog']);
    }
  });

  it('reads nested $expand options as the docs write them, each against the type it reaches', () => {
    const options = parse(
      '$expand=accessPackageResourceRoleScopes($expand=accessPackageResourceRole,accessPackageResourceScope),accessPackageAssignmentPolicies($select=id,displayName;$top=2)',
    );
    expect(options.expand.map((item) => [item.name, Object.fromEntries(item.options)])).toEqual([
      ['accessPackageResourceRoleScopes', { expand: 'accessPackageResourceRole,accessPackageResourceScope' }],
      ['accessPackageAssignmentPolicies', { select: 'id,displayName', top: '2' }],
    ]);
    const [roleScopes, policies] = options.expand;
    expect(nestedOptions(roleScopes!).expand.map((item) => item.name)).toEqual(['accessPackageResourceRole', 'accessPackageResourceScope']);
    expect(nestedOptions(policies!)).toMatchObject({ select: ['id', 'displayName'], top: 2 });
    expect(() => nestedOptions(parse('$expand=accessPackageCatalog($select=colour)').expand[0]!)).toThrow(
      "Could not find a property named 'colour' on type 'microsoft.graph.accessPackageCatalog'.",
    );
  });

  it('splits $expand and its nested options only outside quotes and parentheses, in any case and spacing', () => {
    const [catalog, policies] = parse(
      "$expand=AccessPackageCatalog( filter = displayName eq 'a,b)(;c' ; $SELECT=displayName ) , accessPackageAssignmentPolicies($expand=accessPackageCatalog($select=id))",
    ).expand;
    expect(catalog).toMatchObject({ name: 'accessPackageCatalog', depth: 1 });
    expect(Object.fromEntries(catalog!.options)).toEqual({ filter: "displayName eq 'a,b)(;c'", select: 'displayName' });
    expect(nestedOptions(catalog!)).toMatchObject({ filter: "displayName eq 'a,b)(;c'", select: ['displayName'] });
    expect(policies).toMatchObject({ name: 'accessPackageAssignmentPolicies', depth: 1 });
    // Each level of nesting is one deeper: what the depth limit counts.
    const [nested] = nestedOptions(policies!).expand;
    expect(nested).toMatchObject({ name: 'accessPackageCatalog', depth: 2 });
    expect(nestedOptions(nested!)).toMatchObject({ select: ['id'], expand: [] });
  });

  it('binds every nested $filter when the query is read, at any depth, whatever records there are', () => {
    const bad = (query: string) => {
      const err = graphErrorOf(() => parse(query));
      return { status: err.status, code: err.code, message: err.message };
    };
    expect(bad('$expand=accessPackageCatalog($filter=foo eq 1)')).toEqual({
      status: 400,
      code: 'InvalidFilter',
      message: "OData query is invalid: Could not find a property named 'foo' on type 'microsoft.graph.accessPackageCatalog'.",
    });
    expect(bad('$expand=accessPackageCatalog($filter=displayName eq)')).toEqual({
      status: 400,
      code: 'BadRequest',
      message: "Expression expected at position 14 in 'displayName eq'.",
    });
    expect(bad('$expand=accessPackageCatalog($filter=)')).toEqual({ status: 400, code: 'BadRequest', message: 'The $filter expression is empty.' });
    // an empty nested $orderby: an expression expected where the text ends, as Graph's OData library reads it
    expect(bad('$expand=accessPackageAssignmentPolicies($orderby=)')).toEqual({
      status: 400,
      code: 'BadRequest',
      message: "Expression expected at position 0 in ''.",
    });
    expect(bad('$expand=accessPackageAssignmentPolicies($expand=accessPackageCatalog($filter=isHidden eq 1))')).toMatchObject({
      code: 'InvalidFilter',
      message: "OData query is invalid: Could not find a property named 'isHidden' on type 'microsoft.graph.accessPackageCatalog'.",
    });
    // The nested options are read once: whatever renders the item later gets the same object.
    const [item] = parse("$expand=accessPackageCatalog($filter=displayName eq 'Sales')").expand;
    expect(nestedOptions(item!)).toBe(nestedOptions(item!));
    expect(nestedOptions(item!).filter).toBe("displayName eq 'Sales'");
  });

  it("reads the query string as a client writes it: '+' as a space, names in any case or percent-encoded, spaces around values", () => {
    expect(parse("$filter=displayName+eq+'a+b'").filter).toBe("displayName eq 'a b'");
    expect(parse('%24TOP=12&$Skip=10')).toMatchObject({ top: 12, skip: 10 });
    expect(parse('%20$top%20=5').top).toBe(5);
    // The edges of $top, with spaces around the number.
    expect(parse('$top=%20999%20').top).toBe(999);
    expect(parse('$top=1').top).toBe(1);
    // a sign, as .NET's long.TryParse reads one ('+' percent-encoded, as a bare '+' is a space)
    expect(parse('$top=%2B5&$skip=%2B2')).toMatchObject({ top: 5, skip: 2 });
    expect(Object.is(parse('$skip=-0').skip, 0)).toBe(true);
    expect(parse('$select=id,%20displayName%20').select).toEqual(['id', 'displayName']);
    expect(parse('$orderby=displayName%20%20desc').orderby).toEqual([{ property: 'displayName', descending: true }]);
    expect(parse('$count=false').count).toBe(false);
    expect(parse('$count=%20true%20').count).toBe(true);
    expect(parse('$skiptoken=abc').skiptoken).toBe('abc');
  });

  it('reads an option without a value as empty, and a name with a $ anywhere but first as a custom option', () => {
    // `$expand` with nothing to expand expands nothing; the custom options stay in the raw pairs for the nextLink.
    expect(parse('$expand&tenant&top$=0')).toMatchObject({ expand: [], top: undefined, rawPairs: ['$expand', 'tenant', 'top$=0'] });
    const err = graphErrorOf(() => parse('$count'));
    expect({ status: err.status, message: err.message }).toEqual({ status: 400, message: "'' is not a valid count option." });
  });

  it('reads $select=* as every property of the type, by name, and says so', () => {
    const all = [...model.properties.values()].map((p) => p.name);
    expect(all).toContain('displayName');
    expect(parse('$select=*')).toMatchObject({ select: all, selectAll: true });
    expect(parse('$select=id')).not.toHaveProperty('selectAll');
  });

  it('reads nested $orderby, $top and $select=* against the type the item reaches, refusing them in the same words', () => {
    const [policies] = parse('$expand=accessPackageAssignmentPolicies($orderby=displayName desc;$select=*;$top=3)').expand;
    const policyModel = policies!.scope.model;
    expect(nestedOptions(policies!)).toMatchObject({
      orderby: [{ property: 'displayName', descending: true }],
      select: [...policyModel.properties.values()].map((p) => p.name),
      selectAll: true,
      top: 3,
    });
    expect(nestedOptions(parse('$expand=accessPackageAssignmentPolicies($select=id)').expand[0]!)).not.toHaveProperty('selectAll');
    const bad = (query: string) => graphErrorOf(() => parse(query)).message;
    expect(bad('$expand=accessPackageAssignmentPolicies($top=0)')).toBe("Invalid page size specified: '0'. Must be between 1 and 999 inclusive.");
    expect(bad('$expand=accessPackageAssignmentPolicies($orderby=displayName,DisplayName desc)')).toBe(
      "Duplicate property named 'displayName' is not supported in '$orderby'.",
    );
  });

  it('has defaults, canonicalises property case, ignores custom options and keeps the raw pairs', () => {
    expect(parse('')).toMatchObject({ filter: undefined, select: undefined, orderby: [], top: undefined, skip: 0, count: false, expand: [], rawPairs: [] });
    expect(parse('$select=DISPLAYNAME,displayname&$orderby=IsHidden ASC').select).toEqual(['displayName']);
    expect(parse('$orderby=IsHidden ASC').orderby).toEqual([{ property: 'isHidden', descending: false }]);
    expect(parse('$select=*').select).toHaveLength(model.properties.size);
    expect(parse('tenant=contoso&$top=3').rawPairs).toEqual(['tenant=contoso', '$top=3']);
  });

  it.each([
    ['$select=colour', "Could not find a property named 'colour' on type 'microsoft.graph.accessPackage'."],
    ['$select=', 'The $select query option must name at least one property.'],
    ['$select=accessPackageCatalog', "Selecting the navigation property 'accessPackageCatalog' is not supported; use $expand=accessPackageCatalog."],
    ['$orderby=colour', "Could not find a property named 'colour' on type 'microsoft.graph.accessPackage'."],
    ['$orderby=createdBy', "OData query is invalid: ordering by the property 'createdBy' is not supported."],
    ['$orderby=displayName sideways', "Syntax error in $orderby at 'displayName sideways': expected a property name followed by asc or desc."],
    ['$top=0', "Invalid page size specified: '0'. Must be between 1 and 999 inclusive."],
    ['$top=1000', "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."],
    ['$top=ten', "Invalid page size specified: 'ten'. Must be between 1 and 999 inclusive."],
    ['$top=a5', "Invalid page size specified: 'a5'. Must be between 1 and 999 inclusive."],
    ['$top=5a', "Invalid page size specified: '5a'. Must be between 1 and 999 inclusive."],
    ['$orderby=displayName,isHidden,DISPLAYNAME desc', "Duplicate property named 'displayName' is not supported in '$orderby'."],
    // Ten keys are within the limit: the repeat, not the count, is what is refused.
    [`$orderby=${Array(10).fill('isHidden').join(',')}`, "Duplicate property named 'isHidden' is not supported in '$orderby'."],
    // in the words of Graph's OData library, behind ASP.NET OData's prefix
    [
      '$skip=-1',
      "The query specified in the URI is not valid. Invalid value '-1' for $skip query option found. The $skip query option requires a non-negative integer value.",
    ],
    [
      '$skip=1.0',
      "The query specified in the URI is not valid. Invalid value '1.0' for $skip query option found. The $skip query option requires a non-negative integer value.",
    ],
    [
      '$skip=99999999999999999999',
      "The query specified in the URI is not valid. Invalid value '99999999999999999999' for $skip query option found. The $skip query option requires a non-negative integer value.",
    ],
    // past Int32, in ASP.NET OData's words, which reads the library's Int64 into an Int32
    [
      '$skip=%2B2147483648',
      "The query specified in the URI is not valid. The limit of '2147483647' for Skip query has been exceeded. The value from the incoming request is '+2147483648'.",
    ],
    ['$top=-0', "Invalid page size specified: '-0'. Must be between 1 and 999 inclusive."],
    // empty or blank, in the words of ASP.NET OData, Graph's service stack, the first of them in the query string
    ...['$filter=', '$orderby=%20%20', '$top', '$skip=%09'].map((query) => [
      query,
      `The query specified in the URI is not valid. The value for OData query '${query.split('=')[0]}' cannot be empty.`,
    ]),
    ["$orderby=&$filter=displayName eq 'a'", "The query specified in the URI is not valid. The value for OData query '$orderby' cannot be empty."],
    ['$select=id&$skip=&$top=', "The query specified in the URI is not valid. The value for OData query '$skip' cannot be empty."],
    ['$count=yes', "'yes' is not a valid count option."],
    // in small letters only, as Graph's OData library reads it: what .NET's bool.ToString() writes is refused
    ['$count=True', "'True' is not a valid count option."],
    ['$count=%20FALSE', "' FALSE' is not a valid count option."],
    ['$expand=owner', "Could not find a property named 'owner' on type 'microsoft.graph.accessPackage'."],
    ['$expand=accessPackageCatalog($count=true)', "The query option '$count' is not supported inside $expand ('accessPackageCatalog($count=true)')."],
    ['$expand=accessPackageCatalog,accessPackageCatalog', "The navigation property 'accessPackageCatalog' is expanded more than once."],
    ['$expand=accessPackageCatalog($select=id', "Syntax error: unbalanced parentheses or quotes in 'accessPackageCatalog($select=id'."],
    ['$expand=accessPackageCatalog)', "Syntax error: unbalanced parentheses in 'accessPackageCatalog)'."],
    [
      "$expand=accessPackageCatalog($filter=displayName eq 'a)",
      "Syntax error: unbalanced parentheses or quotes in 'accessPackageCatalog($filter=displayName eq 'a)'.",
    ],
    [
      '$expand=accessPackageCatalog($select=id;$SELECT=displayName)',
      "Query option '$select' was specified more than once in 'accessPackageCatalog($select=id;$SELECT=displayName)'.",
    ],
    ['$expand=accessPackageCatalog($levels)', "The query option '$levels' is not supported inside $expand ('accessPackageCatalog($levels)')."],
    ['$expand=accessPackageCatalog(select$=id)', "The query option 'select$' is not supported inside $expand ('accessPackageCatalog(select$=id)')."],
    // A nested option without a value is read as empty, as at the top level.
    ['$expand=accessPackageCatalog($select)', 'The $select query option must name at least one property.'],
    ['$expand=accessPackageCatalog/accessPackages', "The $expand clause 'accessPackageCatalog/accessPackages' is not supported."],
    // The same navigation in two spellings is one navigation expanded twice.
    ['$expand=accessPackageCatalog,AccessPackageCatalog', "The navigation property 'accessPackageCatalog' is expanded more than once."],
    ['$search=sales', "The query parameter '$search' is not supported on accessPackages; use $filter=contains(tolower(displayName),'...')."],
    ['search="sales"', "The query parameter '$search' is not supported on accessPackages; use $filter=contains(tolower(displayName),'...')."],
    ['$apply=groupby((displayName))', "The query parameter '$apply' is not supported."],
    ['$top=1&top=2', "Query option '$top' was specified more than once, but it must be specified at most once."],
    ['$filter=%E0%A4%A', "The query string part '%E0%A4%A' is not valid percent-encoding."],
  ])('%s is a 400 BadRequest', (query, message) => {
    const err = graphErrorOf(() => parse(query));
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({ status: 400, code: 'BadRequest', message });
  });

  it('refuses $search naming the collection the path wrote, and $filter only where the type has a displayName', () => {
    const roleScopes = viewOf(accessPackageResourceRoleScopes, 'beta').scope;
    expect(roleScopes.model.properties.has('displayname')).toBe(false);
    expect(graphErrorOf(() => parseQueryOptions('/x?$search=a', roleScopes, 'collection', 'accessPackageResourceRoleScopes')).message).toBe(
      "The query parameter '$search' is not supported on accessPackageResourceRoleScopes.",
    );
    expect(graphErrorOf(() => parseQueryOptions('/x?$search=a', scope, 'entity', 'incompatibleAccessPackages')).message).toBe(
      "The query parameter '$search' is not supported on incompatibleAccessPackages; use $filter=contains(tolower(displayName),'...').",
    );
  });
});

describe('paging helpers', () => {
  it('round-trips a cursor through an opaque base64url token', () => {
    const cursor = { id: 'abc', keys: ['Sales', null, true], order: 'displayName asc,description asc,isHidden desc', pageSize: 7 };
    const token = encodeSkipToken(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSkipToken(token, cursor.order)).toEqual({ ...cursor, seq: undefined });
    expect(decodeSkipToken(encodeSkipToken({ id: 'x', seq: 12, order: '', pageSize: 100 }), '')).toEqual({
      id: 'x',
      seq: 12,
      keys: undefined,
      order: '',
      pageSize: 100,
    });
  });

  // A token the emulator issued, with a character base64url has not: Node's decoder would skip it and read the token.
  const issued = encodeSkipToken({ id: 'x', order: '', pageSize: 5 });
  it.each([`!${issued}`, `${issued}=`, `${issued.slice(0, 4)}.${issued.slice(4)}`])('refuses the issued token changed into %s', (token) => {
    const err = graphErrorOf(() => decodeSkipToken(token, ''));
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({
      status: 400,
      code: 'BadRequest',
      message: 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.',
    });
    expect(decodeSkipToken(issued, '')).toMatchObject({ id: 'x', pageSize: 5 });
  });

  it.each([
    ['not*base64', 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.'],
    [sealedToken('{"v":2,"i":"x","o":"","n":5}'), 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.'],
    [sealedToken('{"v":1,"i":"x","o":"","n":5000}'), 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.'],
    [sealedToken('[1]'), 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.'],
    [
      encodeSkipToken({ id: 'x', order: 'displayName desc', pageSize: 5 }),
      'The $skiptoken was issued for a different $orderby. Follow @odata.nextLink as returned.',
    ],
    // One key does not fit the request's order, but the order is what differs: named as such, not as a damaged token.
    [
      encodeSkipToken({ id: 'x', keys: ['Sales'], order: 'displayName desc', pageSize: 5 }),
      'The $skiptoken was issued for a different $orderby. Follow @odata.nextLink as returned.',
    ],
  ])('refuses token %s', (token, message) => {
    const err = graphErrorOf(() => decodeSkipToken(token, ''));
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({ status: 400, code: 'BadRequest', message });
  });

  // Each field of the token's shape, one wrong at a time: a token is refused as a whole, never half read.
  const INVALID = 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.';
  // Each shape sealed as the emulator seals its tokens, so that the shape, not the seal, is what is refused.
  const token = (json: string) => sealedToken(json);
  it.each([
    'null',
    '5',
    '"token"',
    '{"v":1,"o":"","n":5}',
    '{"v":1,"i":5,"o":"","n":5}',
    '{"v":1,"i":null,"o":"","n":5}',
    '{"v":1,"i":"x","n":5}',
    '{"v":1,"i":"x","o":5,"n":5}',
    '{"v":1,"i":"x","o":""}',
    '{"v":1,"i":"x","o":"","n":0}',
    '{"v":1,"i":"x","o":"","n":1000}',
    '{"v":1,"i":"x","o":"","n":1.5}',
    '{"v":1,"i":"x","o":"","n":"5"}',
    '{"v":1,"i":"x","o":"","n":5,"s":"12"}',
    '{"v":1,"i":"x","o":"","n":5,"s":1.5}',
    '{"v":1,"i":"x","o":"","n":5,"s":9007199254740992}',
    '{"v":1,"i":"x","o":"","n":5,"e":7}',
    '{"v":1,"i":"x","o":"","n":5,"k":"Sales"}',
    '{"v":1,"i":"x","o":"","n":5,"k":{"0":"Sales"}}',
    '{"v":1,"i":"x","o":"","n":5',
  ])('refuses the token of %s', (json) => {
    const err = graphErrorOf(() => decodeSkipToken(token(json), ''));
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({ status: 400, code: 'BadRequest', message: INVALID });
  });

  it.each([
    ['{"v":1,"i":"x","o":"","n":1}', { id: 'x', order: '', pageSize: 1 }],
    ['{"v":1,"i":"x","o":"","n":999}', { id: 'x', order: '', pageSize: 999 }],
    ['{"v":1,"i":"","o":"","n":5,"s":0,"e":"","k":[]}', { id: '', seq: 0, epoch: '', keys: [], order: '', pageSize: 5 }],
    ['{"v":1,"i":"x","o":"","n":5,"s":9007199254740991}', { id: 'x', seq: 9007199254740991, order: '', pageSize: 5 }],
  ])('accepts the token of %s, at the edges of its shape', (json, cursor) => {
    expect(decodeSkipToken(token(json), '')).toEqual({ seq: undefined, epoch: undefined, keys: undefined, ...cursor });
  });

  // The sort keys against the $orderby the request names; a malformed `k` is invalid even under another order.
  const TWO_KEYS = 'displayName asc,description desc';
  it.each([
    [`{"v":1,"i":"x","o":"${TWO_KEYS}","n":5,"k":["Sales"]}`, TWO_KEYS],
    [`{"v":1,"i":"x","o":"${TWO_KEYS}","n":5,"k":["Sales","a","b"]}`, TWO_KEYS],
    [`{"v":1,"i":"x","o":"${TWO_KEYS}","n":5,"k":["Sales",{}]}`, TWO_KEYS],
    [`{"v":1,"i":"x","o":"${TWO_KEYS}","n":5,"k":["Sales",["a"]]}`, TWO_KEYS],
    // JSON.parse reads 1e999 as Infinity.
    [`{"v":1,"i":"x","o":"${TWO_KEYS}","n":5,"k":["Sales",1e999]}`, TWO_KEYS],
    ['{"v":1,"i":"x","o":"","n":5,"k":"Sales"}', TWO_KEYS],
    ['{"v":1,"i":"x","o":"","n":5,"k":{"0":"Sales"}}', TWO_KEYS],
  ])('refuses the sort keys of %s for $orderby %s', (json, order) => {
    const err = graphErrorOf(() => decodeSkipToken(token(json), order));
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({ status: 400, code: 'BadRequest', message: INVALID });
  });

  it.each<[string, unknown[]]>([
    ['[-1.5,"Sales"]', [-1.5, 'Sales']],
    ['[null,false]', [null, false]],
  ])('accepts the sort keys %s: finite numbers, strings, booleans and null', (k, keys) => {
    const json = `{"v":1,"i":"x","o":"${TWO_KEYS}","n":5,"k":${k}}`;
    expect(decodeSkipToken(token(json), TWO_KEYS)).toEqual({ id: 'x', seq: undefined, epoch: undefined, keys, order: TWO_KEYS, pageSize: 5 });
  });

  it.each<[string | undefined, number | undefined]>([
    ['odata.maxpagesize=25', 25],
    ['return=minimal, odata.maxpagesize="40"', 40],
    ['ODATA.MAXPAGESIZE = 3', 3],
    ['odata.maxpagesize=100000', 999],
    ['odata.maxpagesize=0', undefined],
    ['odata.track-changes', undefined],
    [undefined, undefined],
  ])('Prefer %j asks for page size %j', (header, size) => {
    expect(preferredPageSize(header)).toBe(size);
  });

  it('builds a nextLink that repeats the query without $skip or an older token', () => {
    expect(nextLink('http://h:1', '/beta/p', ['$filter=a%20eq%201', 'skip=3', '%24skiptoken=old', 'tenant=x'], 'NEW')).toBe(
      'http://h:1/beta/p?$filter=a%20eq%201&tenant=x&$skiptoken=NEW',
    );
  });
});

describe('ordering', () => {
  const rows = [
    accessPackage({ id: 'b', displayName: 'Beta', isHidden: true }),
    accessPackage({ id: 'a', displayName: 'beta', isHidden: false }),
    accessPackage({ id: 'c', displayName: null, isHidden: false }),
    accessPackage({ id: 'd', displayName: 'Alpha', isHidden: true }),
    accessPackage({ id: 'e', displayName: 'Beta', isHidden: false }),
  ] as unknown as Record<string, unknown>[];

  it.each<[string, string[]]>([
    ['displayName', ['c', 'd', 'b', 'e', 'a']],
    ['displayName desc', ['a', 'b', 'e', 'd', 'c']],
    ['isHidden desc,displayName', ['d', 'b', 'c', 'e', 'a']],
  ])('%s: nulls first, ordinal strings, ties broken by id', (orderby, ids) => {
    const keys = parse(`$orderby=${orderby}`).orderby;
    expect([...rows].sort(ordering(keys, model).compare).map((r) => r['id'])).toEqual(ids);
  });

  it('TopK keeps the k smallest in order, whatever the input order', () => {
    const numbers = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    for (const k of [0, 1, 7, 100, 2000]) {
      const top = new TopK<number>(k, (a, b) => a - b);
      for (const n of numbers) top.offer(n);
      expect(top.sorted()).toEqual([...numbers].sort((a, b) => a - b).slice(0, k));
    }
  });
});
