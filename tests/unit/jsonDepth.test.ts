// Reading a JSON text's nesting and values before it is parsed (server/http/jsonDepth.ts).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonLimitPassed } from '../../server/http/jsonDepth.js';

/** The same reading, a character at a time: a string's escape skips the character after the backslash. */
function characterByCharacter(text: string, maxDepth: number, maxValues: number, counted: { names: number }): 'depth' | 'values' | undefined {
  const objects: number[] = [];
  let [depth, values, names, expectValue, inString] = [0, 0, 0, true, false];
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (' \n\r\t'.includes(c)) continue;
    if (c === ']' || c === '}') {
      depth -= 1;
      expectValue = false;
    } else if (c === ',' || c === ':') expectValue = c === ':' || depth <= 0 || objects[depth] === 0;
    else if (c === '"' && !expectValue) [names, inString] = [names + 1, true];
    else if (expectValue) {
      values += 1;
      if (values > maxValues) return 'values';
      [expectValue, inString] = [false, c === '"'];
      if (c === '[' || c === '{') {
        depth += 1;
        if (depth > maxDepth) return 'depth';
        objects[depth] = c === '{' ? 1 : 0;
        expectValue = c === '[';
      }
    }
  }
  counted.names = names;
  return undefined;
}

describe('jsonLimitPassed', () => {
  it('counts the text itself as level 1, arrays and objects alike', () => {
    expect(jsonLimitPassed('[[{"a":[]}]]', 4)).toBeUndefined();
    expect(jsonLimitPassed('[[{"a":[[]]}]]', 4)).toBe('depth');
    expect(jsonLimitPassed(`${'['.repeat(3)}`, 2)).toBe('depth');
  });

  it('skips brackets inside strings and their escapes', () => {
    expect(jsonLimitPassed('["[[[[", "\\"[[[[", {"[[[[":"]]"}]', 2)).toBeUndefined();
    expect(jsonLimitPassed('["\\\\", [[]]]', 2)).toBe('depth');
  });

  it('ends a string at the first quote after an even run of backslashes', () => {
    const counted = { names: 0 };
    // `\\\\` is one backslash escaped: the quote after it closes the name; `\\\\\\"` escapes the quote.
    expect(jsonLimitPassed('{"a\\\\":[[]], "b\\\\\\"[[":1}', 3, 10, counted)).toBeUndefined();
    expect(counted.names).toBe(2);
    expect(jsonLimitPassed('{"a\\\\":[[]], "b\\\\\\"[[":1}', 2)).toBe('depth');
    expect(jsonLimitPassed('["\\"[[[', 1)).toBeUndefined();
    // Four backslashes are two escaped: the string ends, and the 1 after it is a third value.
    expect(jsonLimitPassed('["\\\\\\\\", 1]', 1, 2)).toBe('values');
  });

  it('reads any text as a reading a character at a time does', () => {
    const piece = fc.constantFrom('"', '\\', '[', ']', '{', '}', ',', ':', ' ', '\t', '\r', 'a', '1', '\n');
    const texts = fc.oneof(
      fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join('')),
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify(value, null, 1)),
    );
    fc.assert(
      fc.property(texts, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 30 }), (text, maxDepth, maxValues) => {
        const [fast, slow] = [{ names: -1 }, { names: -1 }];
        expect(jsonLimitPassed(text, maxDepth, maxValues, fast)).toBe(characterByCharacter(text, maxDepth, maxValues, slow));
        expect(fast.names).toBe(slow.names);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a space, a tab, a carriage return and a line feed between tokens as nothing', () => {
    for (const space of [' ', '\t', '\r', '\n']) {
      expect(jsonLimitPassed(`{"a":${space}[${space}[]]}`, 2)).toBe('depth');
      expect(jsonLimitPassed(`[${space}1,${space}2]`, 1, 2)).toBe('values');
    }
  });

  it('counts every value, not member names', () => {
    // The array, the object, 1, "x", true, null, the inner array and its 2.5: 8.
    const text = '[{"a":1,"b":"x","c":true,"d":null}, [2.5]]';
    expect(jsonLimitPassed(text, 10, 8)).toBeUndefined();
    expect(jsonLimitPassed(text, 10, 7)).toBe('values');
    expect(jsonLimitPassed('12345', 1, 1)).toBeUndefined();
    expect(jsonLimitPassed('[[],[],[]]', 2, 3)).toBe('values');
  });
});
