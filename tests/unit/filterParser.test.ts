import { describe, expect, it } from '@jest/globals';
import { type FilterNode, MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, parseFilter } from '../../server/odata/filterParser.js';
import { graphErrorOf } from '../support/errors.js';

/** The tree without positions, written compactly: ['eq', a, b], {p: name}, {s: 'text'}, ... */
type Shape = unknown;
function shape(node: FilterNode): Shape {
  switch (node.kind) {
    case 'literal':
      return { [node.type]: node.value };
    case 'property':
      return { p: node.name };
    case 'call':
      return [`${node.name}()`, ...node.args.map(shape)];
    case 'binary':
      return [node.op, shape(node.left), shape(node.right)];
    case 'not':
      return ['not', shape(node.operand)];
  }
}

describe('parseFilter', () => {
  it.each<[string, Shape]>([
    // every comparison operator
    ["displayName eq 'a'", ['eq', { p: 'displayName' }, { string: 'a' }]],
    ["displayName ne 'a'", ['ne', { p: 'displayName' }, { string: 'a' }]],
    ["displayName gt 'a'", ['gt', { p: 'displayName' }, { string: 'a' }]],
    ["displayName ge 'a'", ['ge', { p: 'displayName' }, { string: 'a' }]],
    ["displayName lt 'a'", ['lt', { p: 'displayName' }, { string: 'a' }]],
    ["displayName le 'a'", ['le', { p: 'displayName' }, { string: 'a' }]],
    // every literal kind
    ["description eq 'it''s'", ['eq', { p: 'description' }, { string: "it's" }]],
    ["description eq ''", ['eq', { p: 'description' }, { string: '' }]],
    ['isHidden eq true', ['eq', { p: 'isHidden' }, { boolean: true }]],
    ['isHidden eq false', ['eq', { p: 'isHidden' }, { boolean: false }]],
    ['description eq null', ['eq', { p: 'description' }, { null: null }]],
    ['catalogId eq 8A2B3C4D-1111-4222-8333-0123456789AB', ['eq', { p: 'catalogId' }, { guid: '8a2b3c4d-1111-4222-8333-0123456789ab' }]],
    ['createdDateTime ge 2024-01-02T03:04:05Z', ['ge', { p: 'createdDateTime' }, { dateTimeOffset: '2024-01-02T03:04:05Z' }]],
    ['createdDateTime lt 2024-01-02T03:04:05.1234567+02:00', ['lt', { p: 'createdDateTime' }, { dateTimeOffset: '2024-01-02T03:04:05.1234567+02:00' }]],
    ['createdDateTime lt 2024-01-02T03:04Z', ['lt', { p: 'createdDateTime' }, { dateTimeOffset: '2024-01-02T03:04Z' }]],
    // any number of fractional digits, as .NET reads them (graphTime.ts rounds them to the tick)
    ['createdDateTime lt 2024-01-02T03:04:05.1234567890123Z', ['lt', { p: 'createdDateTime' }, { dateTimeOffset: '2024-01-02T03:04:05.1234567890123Z' }]],
    // a date alone is an Edm.Date, its month and day in one digit or two, as Graph's OData library reads it
    ['createdDateTime ge 2024-01-31', ['ge', { p: 'createdDateTime' }, { date: '2024-01-31' }]],
    ['createdDateTime ge 2024-1-5', ['ge', { p: 'createdDateTime' }, { date: '2024-01-05' }]],
    ['(createdDateTime lt 2024-01-02T03:04:05z)', ['lt', { p: 'createdDateTime' }, { dateTimeOffset: '2024-01-02T03:04:05z' }]],
    // the last day of February in a leap year, including the 400-year rule, and the last second of a day
    ['createdDateTime ge 2028-02-29T00:00:00Z', ['ge', { p: 'createdDateTime' }, { dateTimeOffset: '2028-02-29T00:00:00Z' }]],
    ['createdDateTime ge 2000-02-29T23:59:59-14:00', ['ge', { p: 'createdDateTime' }, { dateTimeOffset: '2000-02-29T23:59:59-14:00' }]],
    ['createdDateTime ge 0001-01-01T00:00:00Z', ['ge', { p: 'createdDateTime' }, { dateTimeOffset: '0001-01-01T00:00:00Z' }]],
    // literals that start with a 9 are dates and times too
    ['createdDateTime le 9999-12-31T23:59:59.9999999Z', ['le', { p: 'createdDateTime' }, { dateTimeOffset: '9999-12-31T23:59:59.9999999Z' }]],
    ['createdDateTime le 9999-12-31', ['le', { p: 'createdDateTime' }, { date: '9999-12-31' }]],
    ['displayName eq 42', ['eq', { p: 'displayName' }, { number: 42 }]],
    ['displayName eq -1.5', ['eq', { p: 'displayName' }, { number: -1.5 }]],
    // an enum literal: a qualified type name followed at once by the quoted member, kept as written
    [
      "catalogType eq microsoft.graph.accessPackageCatalogType'userManaged'",
      ['eq', { p: 'catalogType' }, { enum: "microsoft.graph.accessPackageCatalogType'userManaged'" }],
    ],
    ["state ne graph.accessPackageCatalogState'it''s'", ['ne', { p: 'state' }, { enum: "graph.accessPackageCatalogState'it''s'" }]],
    // every function
    ["contains(displayName,'x')", ['contains()', { p: 'displayName' }, { string: 'x' }]],
    ["startswith(displayName, 'x')", ['startswith()', { p: 'displayName' }, { string: 'x' }]],
    ["endswith(displayName,'x')", ['endswith()', { p: 'displayName' }, { string: 'x' }]],
    ["contains(tolower(displayName),'x')", ['contains()', ['tolower()', { p: 'displayName' }], { string: 'x' }]],
    ["toupper(displayName) eq 'X'", ['eq', ['toupper()', { p: 'displayName' }], { string: 'X' }]],
    // no arguments: a call of none, left to the compiler's signature check, as the OData library's argument list reads `()`
    ['contains()', ['contains()']],
    // precedence: not > comparison > and > or; left associative; parentheses override
    [
      "isHidden eq true or displayName eq 'a' and description eq 'b'",
      [
        'or',
        ['eq', { p: 'isHidden' }, { boolean: true }],
        ['and', ['eq', { p: 'displayName' }, { string: 'a' }], ['eq', { p: 'description' }, { string: 'b' }]],
      ],
    ],
    [
      "(isHidden eq true or displayName eq 'a') and description eq 'b'",
      [
        'and',
        ['or', ['eq', { p: 'isHidden' }, { boolean: true }], ['eq', { p: 'displayName' }, { string: 'a' }]],
        ['eq', { p: 'description' }, { string: 'b' }],
      ],
    ],
    ['isHidden and isHidden and isHidden', ['and', ['and', { p: 'isHidden' }, { p: 'isHidden' }], { p: 'isHidden' }]],
    ["not contains(displayName,'x')", ['not', ['contains()', { p: 'displayName' }, { string: 'x' }]]],
    ['not isHidden eq true', ['eq', ['not', { p: 'isHidden' }], { boolean: true }]],
    ["not (displayName eq 'a' or isHidden)", ['not', ['or', ['eq', { p: 'displayName' }, { string: 'a' }], { p: 'isHidden' }]]],
    ['not not isHidden', ['not', ['not', { p: 'isHidden' }]]],
    ['  (( isHidden ))  ', { p: 'isHidden' }],
    // a tab or a line end (%09, %0D, %0A) separates tokens as a space does
    ["displayName\teq\r\n'a'\n", ['eq', { p: 'displayName' }, { string: 'a' }]],
    // parsed so that the compiler can refuse them by name
    ["displayName in ('a','b')", ['in', { p: 'displayName' }, ['()', { string: 'a' }, { string: 'b' }]]],
    ['displayName has 1', ['has', { p: 'displayName' }, { number: 1 }]],
    ['length(displayName) add 1 gt 2', ['gt', ['add', ['length()', { p: 'displayName' }], { number: 1 }], { number: 2 }]],
    ["accessPackageCatalog/displayName eq 'x'", ['eq', { p: 'accessPackageCatalog/displayName' }, { string: 'x' }]],
    // a string spelled like a keyword is a string: keywords are identifiers only
    ["displayName eq 'not'", ['eq', { p: 'displayName' }, { string: 'not' }]],
    ["displayName eq 'eq'", ['eq', { p: 'displayName' }, { string: 'eq' }]],
    ["displayName eq 'add'", ['eq', { p: 'displayName' }, { string: 'add' }]],
    ["displayName eq 'and'", ['eq', { p: 'displayName' }, { string: 'and' }]],
    ["'or' eq displayName", ['eq', { string: 'or' }, { p: 'displayName' }]],
    // only `in` takes a parenthesised list; after any other operator the parentheses just group
    ["displayName eq ('a')", ['eq', { p: 'displayName' }, { string: 'a' }]],
    ["displayName in 'a'", ['in', { p: 'displayName' }, { string: 'a' }]],
  ])('%s', (text, expected) => {
    expect(shape(parseFilter(text))).toEqual(expected);
  });

  it('types a number as the OData library does (filterNumbers.ts), keeping it as written', () => {
    const number = (text: string) => (parseFilter(`state eq ${text}`) as { right: unknown }).right;
    expect(number('2')).toMatchObject({ type: 'number', value: 2, number: { type: 'Edm.Int32', written: '2' } });
    expect(number('-2')).toMatchObject({ type: 'number', value: -2, number: { type: 'Edm.Int32', written: '-2' } });
    expect(number('2.0')).toMatchObject({ type: 'number', value: 2, number: { type: 'Edm.Single', written: '2.0' } });
    expect(number('2e0')).toMatchObject({ type: 'number', value: 2, number: { type: 'Edm.Single', written: '2e0' } });
    expect(number('2L')).toMatchObject({ type: 'number', value: 2, number: { type: 'Edm.Int64', written: '2' } });
    expect(number('1.5M')).toMatchObject({ type: 'number', value: 1.5, number: { type: 'Edm.Decimal', written: '1.5' } });
    expect(number('1d')).toMatchObject({ number: { type: 'Edm.Double' } });
    expect(number('1F')).toMatchObject({ number: { type: 'Edm.Single' } });
  });

  it('records 0-based positions', () => {
    const tree = parseFilter("displayName eq 'a'");
    expect(tree).toMatchObject({ pos: 12, left: { pos: 0 }, right: { pos: 15 } });
  });

  it.each([
    // The library reports where its lexer stopped: the end of the text.
    ["displayName eq 'abc", "There is an unterminated string literal at position 19 in 'displayName eq 'abc'."],
    ["displayName eq 'it''s", "There is an unterminated string literal at position 21 in 'displayName eq 'it''s'."],
    ["'", "There is an unterminated string literal at position 1 in '''."],
    ['displayName eq', "Expression expected at position 14 in 'displayName eq'."],
    ["displayName eq 'a' and", "Expression expected at position 22 in 'displayName eq 'a' and'."],
    ["(displayName eq 'a'", "')' or operator expected at position 19 in '(displayName eq 'a''."],
    ['()', "Expression expected at position 1 in '()'."],
    ["contains(displayName 'a')", "')' or ',' expected at position 21 in 'contains(displayName 'a')'."],
    ["displayName eq 'a' 'b'", "Syntax error at position 19 in 'displayName eq 'a' 'b''."],
    [
      "state eq microsoft.graph.accessPackageCatalogState'published",
      "There is an unterminated literal at position 60 in 'state eq microsoft.graph.accessPackageCatalogState'published'.",
    ],
    // only a qualified name takes a quoted value
    ["state eq published'x'", "Syntax error at position 18 in 'state eq published'x''."],
    ["isHidden eq 1.5'x'", "Syntax error at position 15 in 'isHidden eq 1.5'x''."],
    [
      "state eq microsoft.graph.accessPackageCatalogState 'published'",
      "Syntax error at position 51 in 'state eq microsoft.graph.accessPackageCatalogState 'published''.",
    ],
    ["displayName eq 'a')", "Syntax error at position 18 in 'displayName eq 'a')'."],
    // a keyword-spelled string where an operator belongs is not that operator
    ["displayName 'eq' 'a'", "Syntax error at position 12 in 'displayName 'eq' 'a''."],
    ["displayName 'add' 'a' eq 'b'", "Syntax error at position 12 in 'displayName 'add' 'a' eq 'b''."],
    ["isHidden 'and' isHidden", "Syntax error at position 9 in 'isHidden 'and' isHidden'."],
    ["isHidden 'or' isHidden", "Syntax error at position 9 in 'isHidden 'or' isHidden'."],
    ["'not' isHidden", "Syntax error at position 6 in ''not' isHidden'."],
    ["displayName eq ('a','b')", "')' or operator expected at position 19 in 'displayName eq ('a','b')'."],
    ["displayName == 'a'", "Syntax error: character '=' is not valid at position 12 in 'displayName == 'a''."],
    ['displayName eq #', "Syntax error: character '#' is not valid at position 15 in 'displayName eq #'."],
    // a suffix the number cannot take: the OData library's words for a literal it cannot read as its type
    ['isHidden eq 1.5L', "Unrecognized 'Edm.Int64' literal '1.5L' at '12' in 'isHidden eq 1.5L'."],
    ['isHidden eq 1LL', "Syntax error: character '1' is not valid at position 12 in 'isHidden eq 1LL'."],
    // days and times the calendar does not have, which Date.parse would read as another day (2026-02-30 as 2 March),
    // in the words of Graph's OData library, which quotes the literal up to the next space, comma or ')'
    ...[
      '2024-13-45T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01T00:00:00+24:00',
      '2026-01-01T00:00:00+01:60',
      // past what .NET's DateTimeOffset holds: offsets beyond 14 hours, year 0
      '2026-01-01T00:00:00-14:01',
      '2026-01-01T00:00:00+23:59',
      '0000-01-01T00:00:00Z',
      // no offset, and a `T` .NET does not read
      '2024-01-02T03:04:05',
      '2024-01-02T03:04:05.1234567890123',
      '2024-01-02T03:04:05Zand',
    ].map((literal) => [
      `createdDateTime ge ${literal}`,
      `The DateTimeOffset text '${literal}' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.`,
    ]),
    // an offset's `+` sent unencoded, which the query string reads as a space: the library quotes the text before it
    [
      'createdDateTime ge 2024-01-02T03:04:05 02:00',
      "The DateTimeOffset text '2024-01-02T03:04:05' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.",
    ],
    [
      'createdDateTime ge 2024-1-2T3:4:05',
      "The DateTimeOffset text '2024-1-2T3:4:05' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.",
    ],
    // a small `t` is not the start of a date and time for .NET: what follows the year is no literal
    ['createdDateTime ge 2024-01-02t03:04:05Z', "Syntax error: character '-' is not valid at position 26 in 'createdDateTime ge 2024-01-02t03:04:05Z'."],
    // a date the calendar does not have is no literal
    ['createdDateTime ge 2026-02-29', "Syntax error at position 23 in 'createdDateTime ge 2026-02-29'."],
    ['createdDateTime ge 0000-01-01', "Syntax error at position 23 in 'createdDateTime ge 0000-01-01'."],
    ['catalog/', "'identifier' expected at position 8 in 'catalog/'."],
    ['not', "Expression expected at position 3 in 'not'."],
    ['   ', 'The $filter expression is empty.'],
  ])('syntax error in %j is a 400 BadRequest naming the position', (text, message) => {
    const err = graphErrorOf(() => parseFilter(text));
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({ status: 400, code: 'BadRequest', message });
  });

  it('refuses nesting deeper than the limit instead of exhausting the stack', () => {
    const nested = (n: number) => `${'('.repeat(n)}isHidden${')'.repeat(n)}`;
    expect(shape(parseFilter(nested(MAX_FILTER_DEPTH - 1)))).toEqual({ p: 'isHidden' });
    const err = graphErrorOf(() => parseFilter(nested(5000)));
    expect(err.code).toBe('BadRequest');
    expect(err.message).toBe(`Recursion depth exceeded allowed limit of ${MAX_FILTER_DEPTH} at position 100 in '${nested(5000)}'.`);
    expect(graphErrorOf(() => parseFilter(`${'not '.repeat(200)}isHidden`)).message).toMatch(/^Recursion depth exceeded allowed limit of 100 at position 400 /);
  });

  it('counts the conditions of the whole expression, inside parentheses too, and names where the one too many is added', () => {
    const group = (n: number) => `(${Array.from({ length: n }, (_, i) => `displayName eq 'n${i}'`).join(' or ')})`;
    // 50 and 50: the most allowed.
    expect(() => parseFilter(`${group(50)} and ${group(50)}`)).not.toThrow();
    const text = `${group(50)} and ${group(MAX_FILTER_CONDITIONS + 1 - 50)}`;
    const err = graphErrorOf(() => parseFilter(text));
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({
      status: 400,
      code: 'BadRequest',
      message: `The $filter expression combines more than 100 conditions with 'and' and 'or' (the last at position ${text.lastIndexOf(' or ') + 1}).`,
    });
  });

  it('refuses lambda expressions as an InvalidFilter', () => {
    const err = graphErrorOf(() => parseFilter("tags/any(t: t eq 'x')"));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'InvalidFilter',
      message: "OData query is invalid: Lambda and navigation expressions ('tags/any') are not supported.",
    });
  });
});
