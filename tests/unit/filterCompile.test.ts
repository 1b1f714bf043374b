import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { entityModel } from '../../server/odata/entityModel.js';
import { accessPackages } from '../../server/resources/accessPackages/index.js';
import { type CaseColumns, caseColumnValue } from '../../server/odata/caseColumns.js';
import { compileFilter } from '../../server/odata/filterCompile.js';
import { MAX_FILTER_CONDITIONS, parseFilter } from '../../server/odata/filterParser.js';
import { loadSchema } from '../../server/resources/validation.js';
import { accessPackage } from '../support/accessPackages.js';
import { graphErrorOf } from '../support/errors.js';

const model = entityModel(loadSchema('accessPackage'), accessPackages.queryable, 'accessPackages');
const CATALOG = '8a2b3c4d-1111-4222-8333-0123456789ab';

const RECORDS = [
  accessPackage({
    id: '00000000-0000-4000-8000-000000000001',
    displayName: 'Sales',
    description: "Sales team's apps",
    catalogId: CATALOG,
    createdDateTime: '2024-01-01T00:00:00.0000000Z',
    modifiedDateTime: '2024-06-01T00:00:00.0000000Z',
  }),
  accessPackage({
    id: '00000000-0000-4000-8000-000000000002',
    displayName: 'Marketing',
    description: null,
    isHidden: true,
    createdDateTime: '2024-02-01T00:00:00.0000000Z',
    modifiedDateTime: '2024-02-01T00:00:00.0000000Z',
  }),
  accessPackage({
    id: '00000000-0000-4000-8000-000000000003',
    displayName: 'sales ops',
    description: 'Operations',
    createdDateTime: '2024-03-01T12:30:00.5000000Z',
    modifiedDateTime: '2024-03-01T12:30:00.5000000Z',
  }),
  accessPackage({
    id: '00000000-0000-4000-8000-000000000004',
    displayName: null,
    description: 'Unnamed',
    catalogId: CATALOG,
    createdDateTime: '2024-04-01T00:00:00.0000000Z',
    modifiedDateTime: '2024-04-01T00:00:00.0000000Z',
  }),
];

function matching(filter: string): number[] {
  const predicate = compileFilter(parseFilter(filter), model);
  return RECORDS.flatMap((r, i) => (predicate(r as unknown as Record<string, unknown>) ? [i + 1] : []));
}

describe('compileFilter evaluates', () => {
  it.each<[string, number[]]>([
    ["displayName eq 'Sales'", [1]],
    ["displayName ne 'Sales'", [2, 3, 4]],
    ["displayName gt 'Sales'", [3]],
    ["displayName ge 'Sales'", [1, 3]],
    ["displayName lt 'Sales'", [2]],
    ["displayName le 'Sales'", [1, 2]],
    ['displayName eq null', [4]],
    ['displayName ne null', [1, 2, 3]],
    ['displayName gt null', []],
    ["description eq 'Sales team''s apps'", [1]],
    ['isHidden eq true', [2]],
    ['isHidden ne true', [1, 3, 4]],
    ['isHidden', [2]],
    ['not isHidden', [1, 3, 4]],
    [`catalogId eq '${CATALOG}'`, [1, 4]],
    [`catalogId eq '${CATALOG.toUpperCase()}'`, []],
    ["id eq '00000000-0000-4000-8000-000000000003'", [3]],
    // Two GUIDs written unquoted are both Edm.Guid, read in any case.
    [`${CATALOG} eq ${CATALOG.toUpperCase()}`, [1, 2, 3, 4]],
    ['createdDateTime ge 2024-02-01T00:00:00Z', [2, 3, 4]],
    ['createdDateTime gt 2024-02-01T00:00:00Z', [3, 4]],
    ['createdDateTime lt 2024-03-01T12:30:00.5Z', [1, 2]],
    ['createdDateTime le 2024-03-01T14:30:00.5+02:00', [1, 2, 3]],
    ['createdDateTime eq 2024-03-01T12:30:00.5000000Z', [3]],
    ['modifiedDateTime gt createdDateTime', [1]],
    ["contains(displayName,'ale')", [1, 3]],
    ["contains(tolower(displayName),'sales')", [1, 3]],
    ["contains(toupper(displayName),'SALES')", [1, 3]],
    ["startswith(displayName,'Sa')", [1]],
    ["startswith(tolower(displayName),'sa')", [1, 3]],
    ["endswith(displayName,'ing')", [2]],
    ["contains(description,'team')", [1]],
    ["contains(displayName,'')", [1, 2, 3]],
    ['contains(displayName,null)', []],
    ["tolower(displayName) eq 'sales'", [1]],
    ["toupper(description) eq 'OPERATIONS'", [3]],
    ["isHidden eq false and contains(tolower(displayName),'sales')", [1, 3]],
    ["isHidden eq true or displayName eq 'Sales'", [2, 1].sort()],
    ["not (isHidden eq true or displayName eq 'Sales')", [3, 4]],
    ["not contains(displayName,'a')", [4]],
    ["displayName eq 'Marketing' or displayName eq 'Sales' and isHidden eq true", [2]],
    ["(displayName eq 'Marketing' or displayName eq 'Sales') and isHidden eq false", [1]],
    ["DisplayName eq 'Sales'", [1]],
    ["'a' eq 'a'", [1, 2, 3, 4]],
    ['true', [1, 2, 3, 4]],
    ['null eq null', [1, 2, 3, 4]],
    // numbers of any two types compare by value
    ['1 eq 1L', [1, 2, 3, 4]],
    ['1.5 gt 1', [1, 2, 3, 4]],
    ['2147483648 le 2147483647', []],
    ['1.5D gt 1', [1, 2, 3, 4]],
    ['1 lt 1.5M', [1, 2, 3, 4]],
    ['1.5D eq 1.5M', [1, 2, 3, 4]],
    // A parenthesised right side is an ordinary operand, not the list of `in`.
    ["displayName eq ('Sales')", [1]],
    ["('Sales') eq displayName", [1]],
  ])('%s', (filter, expected) => {
    expect(matching(filter)).toEqual(expected);
  });
});

// Stored dates need not be in Graph's 7-digit form (imported or hand-written data): the compiler
// normalises them, since compared as raw strings 'Z' and '+02:00' would sort after any fraction.
describe('compileFilter on stored dates not in the canonical form', () => {
  const STORED = [
    '2024-01-02T03:04:05Z',
    '2024-01-02T03:04:05.123Z',
    '2024-01-02T05:04:05.50+02:00', // 03:04:05.5Z, and 28 characters as the canonical form is
    '2024-01-02T03:04:05.1234567Z',
  ].map((createdDateTime) => accessPackage({ createdDateTime }) as unknown as Record<string, unknown>);

  it.each<[string, number[]]>([
    ['createdDateTime eq 2024-01-02T03:04:05Z', [1]],
    ['createdDateTime eq 2024-01-02T03:04:05.123Z', [2]],
    ['createdDateTime eq 2024-01-02T03:04:05.5Z', [3]],
    ['createdDateTime ne 2024-01-02T03:04:05Z', [2, 3, 4]],
    ['createdDateTime lt 2024-01-02T03:04:05.1234567Z', [1, 2]],
    ['createdDateTime le 2024-01-02T03:04:05.123Z', [1, 2]],
    ['createdDateTime gt 2024-01-02T03:04:05.123Z', [3, 4]],
    ['createdDateTime ge 2024-01-02T03:04:05.1234567Z', [3, 4]],
    ['createdDateTime gt 2024-01-02T04:00:00Z', []],
  ])('%s', (filter, expected) => {
    const predicate = compileFilter(parseFilter(filter), model);
    expect(STORED.flatMap((r, i) => (predicate(r) ? [i + 1] : []))).toEqual(expected);
  });
});

// The comparison() rule: null is a value for eq/ne (either side); gt and lt with null are false; ge and le are
// gt or eq (lt or eq), so true where both sides are null, as eq is; '' le null stays false, which JavaScript's
// own <= would call true.
describe('compileFilter with null operands', () => {
  it.each<[string, number[]]>([
    ['null eq displayName', [4]],
    ['null ne displayName', [1, 2, 3]],
    ['null eq description', [2]],
    ['description ge null', [2]],
    ['description le null', [2]],
    ['null ge description', [2]],
    ['null le description', [2]],
    ['description gt null', []],
    ['null lt description', []],
    ['description ge description', [1, 2, 3, 4]],
    ['description le description', [1, 2, 3, 4]],
    ['description gt description', []],
    ['null ge null', [1, 2, 3, 4]],
    ['null le null', [1, 2, 3, 4]],
    ['null gt null', []],
    ['null lt null', []],
    ["displayName ge ''", [1, 2, 3]],
    ["displayName le ''", []],
    ["'' ge displayName", []],
    ["'' le displayName", [1, 2, 3]],
  ])('%s', (filter, expected) => {
    expect(matching(filter)).toEqual(expected);
  });
});

// Graph's OData library binds gt, ge, lt and le on two Booleans as on any other type, true the greater.
describe('compileFilter orders Booleans', () => {
  it.each<[string, number[]]>([
    ['isHidden gt false', [2]],
    ['isHidden ge false', [1, 2, 3, 4]],
    ['isHidden lt true', [1, 3, 4]],
    ['isHidden le false', [1, 3, 4]],
    ['isHidden ge true', [2]],
    ['true gt isHidden', [1, 3, 4]],
    ['isHidden ge isHidden', [1, 2, 3, 4]],
    ['isHidden gt isHidden', []],
    ['true gt false', [1, 2, 3, 4]],
    ['false ge true', []],
  ])('%s', (filter, expected) => {
    expect(matching(filter)).toEqual(expected);
  });
});

describe('compileFilter on long chains', () => {
  it('evaluates MAX_FILTER_CONDITIONS conditions combined with and/or, and refuses one more as a 400, never exhausting the stack', () => {
    const terms = (n: number) => Array.from({ length: n }, (_, i) => `displayName eq 'n${i}'`);
    expect(matching(`${terms(MAX_FILTER_CONDITIONS - 1).join(' or ')} or displayName eq 'Marketing'`)).toEqual([2]);
    expect(matching(`${terms(50).join(' or ')} or displayName eq 'Marketing' and ${terms(49).join(' and ')}`)).toEqual([]);
    // 101 conditions: the message says "more than 100 conditions", and docs/security.md names 100 as the limit.
    for (const filter of [`${terms(MAX_FILTER_CONDITIONS).join(' or ')} or displayName eq 'Marketing'`, terms(20_000).join(' and ')]) {
      expect(() => matching(filter)).toThrow(
        expect.objectContaining({
          status: 400,
          message: expect.stringMatching(/^The \$filter expression combines more than 100 conditions with 'and' and 'or' \(the last at position \d+\)\.$/),
        }),
      );
    }
  });
});

describe('compileFilter refuses, as 400 InvalidFilter in Graph wording', () => {
  it.each([
    ["colour eq 'red'", "Could not find a property named 'colour' on type 'microsoft.graph.accessPackage'."],
    ["createdBy eq 'admin@contoso.com'", "Filter 'createdBy Equals admin@contoso.com is not supported. ."],
    ['isRoleScopesVisible eq true', "Filter 'isRoleScopesVisible Equals True is not supported. ."],
    ["modifiedBy ne 'x'", "Filter 'modifiedBy NotEquals x is not supported. ."],
    ["createdBy gt 'x'", "Filter 'createdBy GreaterThan x is not supported. ."],
    ["createdBy ge 'x'", "Filter 'createdBy GreaterThanOrEqual x is not supported. ."],
    ["createdBy lt 'x'", "Filter 'createdBy LessThan x is not supported. ."],
    ["'x' le createdBy", "Filter 'createdBy LessThanOrEqual x is not supported. ."],
    ["contains(createdBy,'x')", "Filter on property 'createdBy' is not supported."],
    ['accessPackageCatalog/displayName eq 1', "Navigation paths ('accessPackageCatalog/displayName') are not supported in $filter."],
    ["displayName has 'x'", "The operator 'has' is not supported; use eq, ne, gt, ge, lt, le, and, or, not."],
    ["displayName in ('a','b')", "The operator 'in' is not supported; use eq, ne, gt, ge, lt, le, and, or, not."],
    ["displayName add 'x' eq 'y'", "The operator 'add' is not supported; use eq, ne, gt, ge, lt, le, and, or, not."],
    ['length(displayName) eq 3', "The function 'length' is not supported; use contains, startswith, endswith, tolower, toupper."],
    ["substringof('x',displayName)", "The function 'substringof' is not supported; use contains, startswith, endswith, tolower, toupper."],
    [
      'contains()',
      "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).",
    ],
    [
      'contains(displayName)',
      "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).",
    ],
    [
      "contains(isHidden,'x')",
      "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).",
    ],
    [
      'tolower(isHidden) eq 1',
      "No function signature for the function with name 'tolower' matches the specified arguments. The function signatures considered are: tolower(Edm.String Nullable=true).",
    ],
    [
      "isHidden eq 'true'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'.",
    ],
    [
      "isHidden ne 'true'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'NotEqual'.",
    ],
    [
      'createdDateTime lt 1',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.Int32' for operator kind 'LessThan'.",
    ],
    [
      "isHidden le 'x'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'LessThanOrEqual'.",
    ],
    [
      "createdDateTime gt '2024-01-01'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'.",
    ],
    // A date alone is an Edm.Date, which Graph's OData library converts to no DateTimeOffset.
    [
      'createdDateTime ge 2024-01-01',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.Date' for operator kind 'GreaterThanOrEqual'.",
    ],
    [
      '2024-1-1 eq modifiedDateTime',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Date' and 'Edm.DateTimeOffset' for operator kind 'Equal'.",
    ],
    // A GUID unquoted is an Edm.Guid, and every id of the model an Edm.String.
    [
      `catalogId eq ${CATALOG}`,
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Guid' for operator kind 'Equal'.",
    ],
    [
      `${CATALOG} ne id`,
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'NotEqual'.",
    ],
    [
      `displayName gt ${CATALOG}`,
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Guid' for operator kind 'GreaterThan'.",
    ],
    [
      `contains(displayName,${CATALOG})`,
      "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).",
    ],
    [
      `tolower(${CATALOG}) eq 'x'`,
      "No function signature for the function with name 'tolower' matches the specified arguments. The function signatures considered are: tolower(Edm.String Nullable=true).",
    ],
    ['displayName eq 3', "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'."],
    // Number literals typed as the OData library types them (filterNumbers.ts).
    ...(
      [
        ['1', 'Edm.Int32'],
        ['2147483648', 'Edm.Int64'],
        ['1L', 'Edm.Int64'],
        ['1.5', 'Edm.Single'],
        ['1.5M', 'Edm.Decimal'],
        ['1.5D', 'Edm.Double'],
        ['1F', 'Edm.Single'],
        ['99999999999999999999', 'Edm.Decimal'],
      ] as const
    ).map(([n, type]) => [
      `isHidden eq ${n}`,
      `A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and '${type}' for operator kind 'Equal'.`,
    ]),
    // Quoted as written (less its suffix), not as JavaScript would print the number.
    ['isRoleScopesVisible eq 99999999999999999999', "Filter 'isRoleScopesVisible Equals 99999999999999999999 is not supported. ."],
    // A Boolean literal in the back end's spelling, null as null, and another property as nothing.
    ['isRoleScopesVisible eq false', "Filter 'isRoleScopesVisible Equals False is not supported. ."],
    ['createdBy ne null', "Filter 'createdBy NotEquals null is not supported. ."],
    ['createdBy eq displayName', "Filter 'createdBy Equals  is not supported. ."],
    ['createdBy eq 1.50M', "Filter 'createdBy Equals 1.50 is not supported. ."],
    [
      'displayName and isHidden',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Boolean' for operator kind 'And'.",
    ],
    ["isHidden or 'x'", "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Or'."],
    ['not displayName', "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'."],
    ['displayName', 'The $filter expression must evaluate to a single boolean value.'],
    ['tolower(displayName)', 'The $filter expression must evaluate to a single boolean value.'],
  ])('%s', (filter, message) => {
    const err = graphErrorOf(() => compileFilter(parseFilter(filter), model));
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({
      status: 400,
      code: 'InvalidFilter',
      message: `OData query is invalid: ${message}`,
    });
  });
});

describe('compileFilter bound to case columns', () => {
  // Characters whose case conversion is not one ASCII letter for another: İ lowers to i + a combining dot,
  // the Kelvin sign to an ASCII k, ı and ſ upper to ASCII I and S, ß and ﬀ upper to two letters, Σ lowers
  // to σ or ς; and – (beyond Latin-1) and an astral character, which make a name two-byte.
  const CHARS = ['a', 'B', 'k', 'i', 's', 'S', 'x', ' ', 'İ', 'K', 'ı', 'ſ', 'ß', 'ﬀ', 'Σ', 'é', 'É', '–', '😀', '\xff'];
  const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((cs) => cs.join(''));
  const literal = (t: string) => `'${t.replaceAll("'", "''")}'`;
  const filter = fc
    .tuple(fc.constantFrom('tolower', 'toupper'), fc.constantFrom('contains', 'startswith', 'endswith', 'eq', 'ne', 'gt', 'le'), text)
    .map(([fn, op, t]) => (['eq', 'ne', 'gt', 'le'].includes(op) ? `${fn}(displayName) ${op} ${literal(t)}` : `${op}(${fn}(displayName),${literal(t)})`));

  it('answers as converting every record would, for ASCII literals (read in the ASCII column) and any other', () => {
    fc.assert(
      fc.property(fc.array(fc.option(text, { nil: null }), { minLength: 1, maxLength: 10 }), filter, (names, f) => {
        const records = names.map((displayName) => accessPackage({ displayName }) as unknown as Record<string, unknown>);
        const columns: CaseColumns = (fn, property, form) => records.map((r) => caseColumnValue(fn, r[property], form));
        const predicate = compileFilter(parseFilter(f), model);
        const bound = predicate.over!(columns);
        expect(records.map((r, at) => bound(r, at))).toEqual(records.map((r) => predicate(r)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an ASCII column of one-byte values: the converted value, each character beyond ASCII as \\xff', () => {
    expect(caseColumnValue('tolower', 'Sales – Tax İ', 'ascii')).toBe('sales \xff tax i\xff');
    expect(caseColumnValue('toupper', 'straße', 'ascii')).toBe('STRASSE');
    expect(caseColumnValue('tolower', 'Sales – Tax', 'exact')).toBe('sales – tax');
    expect(caseColumnValue('tolower', 'already lower', 'ascii')).toBe('already lower');
    expect(caseColumnValue('tolower', null, 'ascii')).toBeNull();
  });

  // The store's block text, for blocks given as lists of records (CollectionView.derivedText's layout).
  const blockColumns = (blocks: Record<string, unknown>[][]): CaseColumns => {
    const all = blocks.flat();
    const columns: CaseColumns = (fn, property, form) => all.map((r) => caseColumnValue(fn, r[property], form));
    columns.text = (fn, property, form, block) => `\0${blocks[block]!.map((r) => `${caseColumnValue(fn, r[property], form) ?? ''}\0`).join('')}`;
    return columns;
  };
  const named = (...names: (string | null)[]) => names.map((displayName) => accessPackage({ displayName }) as unknown as Record<string, unknown>);

  it('rules a block out only when no record of it matches', () => {
    const combined = fc.tuple(filter, filter, fc.constantFrom('and', 'or')).map(([a, b, op]) => `${a} ${op} ${b}`);
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.option(text, { nil: null }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        fc.oneof(filter, combined),
        (blocks, f) => {
          const records = blocks.map((names) => named(...names));
          const bound = compileFilter(parseFilter(f), model).over!(blockColumns(records));
          let at = 0;
          for (const [b, block] of records.entries()) {
            const matches = block.map((r) => bound(r, at++));
            if (bound.mayMatch?.(b) === false) expect(matches).not.toContain(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rules out the blocks whose text lacks the literal, for each function that can', () => {
    const blocks = [named('Sales', 'Zeta one'), named('alpha', null), named('x one', 'beta')];
    const ruledOut = (f: string) => {
      const bound = compileFilter(parseFilter(f), model).over!(blockColumns(blocks));
      return blocks.map((_, b) => bound.mayMatch?.(b) === false);
    };
    expect(ruledOut("contains(tolower(displayName),'zeta')")).toEqual([false, true, true]);
    expect(ruledOut("startswith(tolower(displayName),'one')")).toEqual([true, true, true]);
    expect(ruledOut("endswith(tolower(displayName),'one')")).toEqual([false, true, false]);
    expect(ruledOut("tolower(displayName) eq 'x'")).toEqual([true, true, true]);
    expect(ruledOut("'beta' eq tolower(displayName)")).toEqual([true, true, false]);
    expect(ruledOut("contains(tolower(displayName),'zeta') and isHidden eq false")).toEqual([false, true, true]);
    expect(ruledOut("contains(tolower(displayName),'zeta') or startswith(tolower(displayName),'alp')")).toEqual([false, false, true]);
    // Nothing rules a block out where a record could match without the literal in the text.
    expect(ruledOut("contains(tolower(displayName),'zeta') or isHidden eq false")).toEqual([false, false, false]);
    expect(ruledOut("not contains(tolower(displayName),'zeta')")).toEqual([false, false, false]);
    expect(ruledOut("tolower(displayName) ne 'x'")).toEqual([false, false, false]);
    expect(ruledOut("contains(tolower(displayName),'ωmega')")).toEqual([false, false, false]);
  });
});
