// Generators of what a careless or hostile client sends: OData query strings built from the grammar's own
// words and from noise, skiptokens with every field of the wrong kind, bodies, and header values. Strings stay
// within what an HTTP client can send (printable ASCII in headers, any Unicode percent-encoded in URLs).
import fc from 'fast-check';

const PROPERTIES = [
  'id',
  'displayName',
  'DisplayName',
  'description',
  'isHidden',
  'catalogId',
  'createdDateTime',
  'modifiedDateTime',
  'createdBy',
  'uniqueName',
  'accessPackageCatalog',
  'nope',
  'value',
  'toString',
  '__proto__',
];

const text = (maxLength: number) => fc.string({ maxLength, unit: 'grapheme' });
const ascii = (maxLength: number) => fc.string({ maxLength });

const literal = fc.oneof(
  text(12).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.integer().map(String),
  fc.double().map(String),
  fc.uuid(),
  fc.constantFrom('true', 'false', 'null', '2024-01-01T00:00:00Z', '2024-13-45', "'", '"', "''", '-', '1e999', 'NaN', 'INF'),
);

const filterWord = fc.oneof(
  fc.constantFrom(...PROPERTIES),
  fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not', 'in', 'has', 'add', 'mod'),
  fc.constantFrom('contains(', 'startswith(', 'endswith(', 'tolower(', 'toupper(', 'length(', 'trim(', 'any(', 'substring(', 'cast('),
  fc.constantFrom('(', ')', ',', '/', '$it', 'x:', 'x: x/id eq 1'),
  literal,
  ascii(4),
);

const filterExpression = fc.oneof(
  fc.array(filterWord, { maxLength: 14 }).map((words) => words.join(' ')),
  fc
    .tuple(
      fc.constantFrom(...PROPERTIES),
      fc.constantFrom('eq', 'ne', 'gt', 'le'),
      literal,
      fc.constantFrom('and', 'or'),
      fc.constantFrom(...PROPERTIES),
      literal,
    )
    .map(([a, op, x, join, b, y]) => `(${a} ${op} ${x}) ${join} contains(tolower(${b}),${y})`),
  fc.integer({ min: 1, max: 400 }).map((depth) => `${'('.repeat(depth)}isHidden eq true${')'.repeat(depth)}`),
  text(40),
);

const orderClause = fc.tuple(fc.constantFrom(...PROPERTIES), fc.constantFrom('', ' asc', ' desc', ' DESC', ' sideways', '  asc')).map(([p, d]) => `${p}${d}`);

/** Objects shaped like the emulator's page tokens, every field possibly of the wrong kind. */
const tokenJson = fc.record(
  {
    v: fc.oneof(fc.constant(1), fc.jsonValue({ maxDepth: 1 })),
    i: fc.oneof(fc.uuid(), fc.jsonValue({ maxDepth: 1 })),
    o: fc.oneof(fc.constantFrom('', 'displayName asc', 'isHidden desc,displayName asc', 'createdDateTime asc'), fc.jsonValue({ maxDepth: 1 })),
    n: fc.oneof(fc.integer({ min: -2, max: 1200 }), fc.jsonValue({ maxDepth: 1 })),
    s: fc.oneof(fc.integer(), fc.double(), fc.jsonValue({ maxDepth: 1 })),
    e: fc.jsonValue({ maxDepth: 1 }),
    k: fc.oneof(
      fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ toString: 1 }), fc.constant({ valueOf: null })), { maxLength: 3 }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  },
  { requiredKeys: [] },
);

export const skiptoken = fc.oneof(
  tokenJson.map((json) => Buffer.from(JSON.stringify(json)).toString('base64url')),
  fc.jsonValue({ maxDepth: 2 }).map((json) => Buffer.from(JSON.stringify(json)).toString('base64url')),
  fc.base64String({ maxLength: 40 }),
  ascii(30),
);

const number = fc.oneof(
  fc.nat().map(String),
  fc.integer().map(String),
  ascii(6),
  fc.constantFrom('9007199254740993', '1e3', '0x10', '', ' 5', '999', '1000', '-0'),
);

const option: fc.Arbitrary<[string, string]> = fc.oneof(
  filterExpression.map((f): [string, string] => ['$filter', f]),
  fc.array(fc.constantFrom(...PROPERTIES, '*', ''), { maxLength: 5 }).map((names): [string, string] => ['$select', names.join(',')]),
  fc.array(orderClause, { maxLength: 14 }).map((clauses): [string, string] => ['$orderby', clauses.join(',')]),
  number.map((n): [string, string] => ['$top', n]),
  number.map((n): [string, string] => ['$skip', n]),
  fc.constantFrom('true', 'false', 'TRUE', 'yes', '').map((c): [string, string] => ['$count', c]),
  fc
    .array(fc.constantFrom('accessPackageCatalog', 'accessPackageAssignmentPolicies', 'x', '*', 'accessPackageCatalog($select=id)', ''), { maxLength: 3 })
    .map((e): [string, string] => ['$expand', e.join(',')]),
  skiptoken.map((t): [string, string] => ['$skiptoken', t]),
  fc.tuple(fc.constantFrom('$search', '$format', '$apply', '$levels', 'search', 'filter', '$FILTER', 'top', '$'), text(10)),
);

/** A query string: options from the grammar, sometimes repeated, sometimes with broken percent-encoding. */
export const queryString = fc
  .tuple(fc.array(option, { maxLength: 5 }), fc.constantFrom('', '&', '&%', '&%zz=1', '&$top=%E0%A4%A', '&&=', '&+=+'))
  .map(([options, tail]) => options.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&') + tail);

/** A request body and the Content-Type it is sent with. */
export const body = fc.tuple(
  fc.oneof(
    fc
      .record(
        {
          displayName: fc.jsonValue({ maxDepth: 1 }),
          description: fc.jsonValue({ maxDepth: 1 }),
          isHidden: fc.jsonValue({ maxDepth: 1 }),
          catalogId: fc.oneof(fc.uuid(), fc.jsonValue({ maxDepth: 1 })),
          '@odata.type': text(20),
          accessPackageCatalog: fc.jsonValue({ maxDepth: 2 }),
          id: fc.jsonValue({ maxDepth: 1 }),
          createdDateTime: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      )
      .map((record) => JSON.stringify(record)),
    fc.jsonValue({ maxDepth: 3 }).map((json) => JSON.stringify(json)),
    text(60),
    fc.constantFrom(
      '{"__proto__":{"isHidden":true},"displayName":"x"}',
      '{"constructor":{"prototype":{"x":1}}}',
      '{"displayName":"\\ud800"}',
      '[]',
      'null',
      '"x"',
      '{}',
      '\ufeff{}',
    ),
    fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  ),
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf8',
    'text/plain',
    'application/merge-patch+json',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
  ),
);

/** An X-Emulator-Fault value: real keys with odd values, and unknown keys; never a drop or a long delay. */
export const faultHeader = fc
  .array(
    fc.oneof(
      fc.constantFrom(200, 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504, 999, -1, 'x').map((s) => `status=${s}`),
      ascii(10).map((s) => `code=${s}`),
      ascii(10).map((s) => `message=${s}`),
      fc.constantFrom('0', '2', '2.5', '-1', '86401', 'soon').map((s) => `retry-after=${s}`),
      fc.constantFrom('0', '3', '2-4', '4-2', '-1', 'x', '1.5').map((s) => `delay=${s}`),
      fc.constantFrom('before', 'after', 'during').map((s) => `phase=${s}`),
      ascii(12).filter((s) => !/drop|delay/i.test(s)),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.join('; '));

/** A bearer token: empty, noise, or a JWT whose payload is any JSON. */
export const authorization = fc.oneof(
  fc.constant('Bearer t'),
  fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic dTpw', 'bearer x', 'Bearer a.b.c'),
  fc.jsonValue({ maxDepth: 2 }).map((claims) => `Bearer e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`),
  ascii(20).map((s) => `Bearer ${s}`),
);

export { text };
