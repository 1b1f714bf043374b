// Why a user's JSON file is refused, and where, quoting none of it (jsonSyntax.ts): JSON.parse's own message
// quotes the characters around the fault, which a file reached by a link may hold.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonSyntaxProblem } from '../../server/jsonSyntax.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('jsonSyntaxProblem', () => {
  it.each([
    ['root:x:0:0:root:/root:/bin/bash\n', 'a JSON value was expected at line 1, column 1'],
    ['{"adminToken": "s3cret-admin-token" "port": 1}', "',' or '}' was expected at line 1, column 37"],
    ['{\n  "a": [1, 2,\n  ]\n}', 'a JSON value was expected at line 3, column 3'],
    ['{"a": 1', 'the text ends before its JSON value does at line 1, column 8'],
    ['{"a": "never closed', 'a string is not closed at line 1, column 7'],
    ['["tab\there"]', 'a string holds a control character, which JSON writes escaped (\\n, \\t, \\u0000) at line 1, column 6'],
    ['["\\x41"]', 'a string holds a backslash escape JSON does not have at line 1, column 3'],
    ['{a: 1}', 'a property name in double quotes was expected at line 1, column 2'],
    ['{"a" 1}', "':' was expected after a property name at line 1, column 6"],
    ['[NaN, Infinity]', 'a JSON value was expected at line 1, column 2'],
    ['[01]', "',' or ']' was expected at line 1, column 3"],
    ['{} {}', 'more text follows the JSON value at line 1, column 4'],
    ['', 'the text ends before its JSON value does at line 1, column 1'],
    // Line breaks as Windows writes them are blanks: the column counts from the \n.
    ['{\r\n  "a": 1,\r\n}', 'a property name in double quotes was expected at line 3, column 1'],
    // Every escape JSON has, \/ and \u in either case included, is read through to the fault after it.
    ['["https:\\/\\/x" 1]', "',' or ']' was expected at line 1, column 16"],
    ['["\\u00E9" x]', "',' or ']' was expected at line 1, column 11"],
    ['["\\u00zz"]', 'a string holds a backslash escape JSON does not have at line 1, column 3'],
    // A text that ends where a member's name or its colon was due ends too soon; blanks before a name are skipped.
    ['{"a": 1,', 'the text ends before its JSON value does at line 1, column 9'],
    ['{"a"', 'the text ends before its JSON value does at line 1, column 5'],
    ['{"a": 1, "b" 2}', "':' was expected after a property name at line 1, column 14"],
    // A line break inside a string is the fault, on the line it ends.
    ['{"a": "line\nbreak"}', 'a string holds a control character, which JSON writes escaped (\\n, \\t, \\u0000) at line 1, column 12'],
    // An empty object or list may hold blanks.
    ['{"a": [ ], "b": { } "c": 1}', "',' or '}' was expected at line 1, column 21"],
  ])('%j: %s', (text, problem) => {
    expect(parses(text)).toBe(false);
    expect(jsonSyntaxProblem(text)).toBe(problem);
  });

  it('reads a text nested 100,000 deep without recursion', () => {
    expect(jsonSyntaxProblem(`${'['.repeat(100_000)}x`)).toBe('a JSON value was expected at line 1, column 100001');
  });

  it('finds a fault in exactly the texts JSON.parse refuses, and quotes none of them', () => {
    const piece = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '"k"',
      '"sécret"',
      '\\',
      '\\u00e9',
      '1',
      '-0.5e3',
      '01',
      'true',
      'nul',
      ' ',
      '\n',
      '\t',
      'x',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join('')),
        ),
        (text) => {
          const problem = jsonSyntaxProblem(text);
          if (parses(text)) expect(problem).toBe('JSON.parse refused it');
          else expect(problem).toMatch(/^[^"]* at line \d+, column \d+$/);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
