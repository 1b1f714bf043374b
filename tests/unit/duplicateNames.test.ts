// duplicateNames: the member names a JSON text repeats within one object, found as a reader reads them.
import { describe, expect, it } from '@jest/globals';
import { firstRepeatedName, keyCount, repeatedNameError } from '../../server/http/duplicateNames.js';
import { jsonLimitPassed } from '../../server/http/jsonDepth.js';

/** The names the scan counts, against the keys JSON.parse keeps. */
function counts(text: string): [number, number] {
  const counted = { names: 0 };
  expect(jsonLimitPassed(text, 100, Number.POSITIVE_INFINITY, counted)).toBeUndefined();
  return [counted.names, keyCount(JSON.parse(text))];
}

describe('duplicate member names', () => {
  it.each([
    ['{}', [0, 0]],
    ['{"a":1,"b":{"c":[{"d":null},{"d":"x"}]}}', [5, 5]],
    ['[{"a":1},{"a":2}]', [2, 2]],
    ['{"a":"{\\"a\\":1}","b":"\\"","c":[":",","]}', [3, 3]],
    ['{"__proto__":1,"constructor":2}', [2, 2]],
    ['{"a":1,"a":2}', [2, 1]],
    ['{"x":{"b":1,"c":2,"b":3}}', [4, 3]],
    ['"text"', [0, 0]],
  ] as [string, [number, number]][])('counts the names of %s on its text as JSON.parse keeps its keys, but for repeats', (text, expected) => {
    expect(counts(text)).toEqual(expected);
  });

  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"a":{"b":1},"c":{"b":2,"d":[{"e":1,"e":2}]}}', 'e'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['{"@odata.type":"#microsoft.graph.accessPackageCatalog","@odata.type":"#microsoft.graph.accessPackage"}', '@odata.type'],
    ['{"a":"x,\\"a\\":","b":1}', undefined],
    ['[{"a":1},{"a":1}]', undefined],
    // Values are not names, an object's or an array's.
    ['{"a":"x","b":"x"}', undefined],
    ['{"a":["x","x"],"b":{"c":["y", "y"]}}', undefined],
    ['{"a\\"":1,"a\\"":2}', 'a"'],
  ])('finds the first name %s repeats within one object: %s', (text, name) => {
    expect(firstRepeatedName(text)).toBe(name);
  });

  it("words a repeat as Graph's OData reader does, an annotation's apart", () => {
    expect(repeatedNameError('displayName')).toMatchObject({
      status: 400,
      code: 'BadRequest',
      message:
        "Multiple properties with the name 'displayName' were detected in a resource or a complex value. In OData, duplicate property names are not allowed.",
    });
    expect(repeatedNameError('@odata.type').message).toBe(
      "Multiple annotations with the name 'odata.type' were detected. In OData, duplicate annotations are not allowed.",
    );
  });
});
