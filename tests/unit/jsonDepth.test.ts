// Reading a JSON text's nesting and values before it is parsed (server/http/jsonDepth.ts).
import { describe, expect, it } from '@jest/globals';
import { jsonLimitPassed } from '../../server/http/jsonDepth.js';

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

  it('counts every value, not member names', () => {
    // The array, the object, 1, "x", true, null, the inner array and its 2.5: 8.
    const text = '[{"a":1,"b":"x","c":true,"d":null}, [2.5]]';
    expect(jsonLimitPassed(text, 10, 8)).toBeUndefined();
    expect(jsonLimitPassed(text, 10, 7)).toBe('values');
    expect(jsonLimitPassed('12345', 1, 1)).toBeUndefined();
    expect(jsonLimitPassed('[[],[],[]]', 2, 3)).toBe('values');
  });
});
