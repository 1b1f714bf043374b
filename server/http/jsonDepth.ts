// How deep a request body may nest and how many values it may hold, read from its text before JSON.parse builds
// anything: one pass over the characters, strings skipped to their closing quote. JSON.parse of 16 Mi '[' then 16 Mi ']'
// (a 32 KiB gzip body to the reset) took 1.8 GB and 9 s before a check of the parsed value could refuse it, and a
// flat 32 MiB body of `{},` 1.1 GB and 13 s.
import { GraphError } from '../graphErrors.js';

/**
 * How deep a request body's arrays and objects may nest: the default of OData's reader quota (ODataMessageQuotas.
 * MaxNestingDepth, 100). Writing a value back (the data file's journal, an error message naming a literal, a $batch
 * item handed on) recurses once per level: 5,000 brackets, 10 KB, overflowed the stack.
 */
export const MAX_BODY_DEPTH = 100;

/**
 * Arrays and objects nested deeper than this the request journal shows as text, and reads as text when it takes
 * secrets out of a body (journalEntry.ts, journalSecrets.ts): writing the answer's JSON recurses once per
 * level, and a body of 5,000 brackets (10 KB, well within the body limit) overflowed the stack, breaking the
 * journal's every read until the entry left it.
 */
export const MAX_SHOWN_DEPTH = 256;

/**
 * How many JSON values (arrays, objects, strings, numbers, true, false, null; member names not counted) a request
 * body may hold. A data file export of 31 MB (15,000 packages) holds 825,000, which JSON.parse builds in 32 MB of
 * heap; 1,000,000 empty objects take 64 MB, where the 32 MiB the reset accepts would hold 11 million of them (715 MB).
 * Only a body over about 2 MB can reach it (each value takes at least 2 characters). Chosen: not documented.
 */
export const MAX_BODY_VALUES = 1_000_000;

/**
 * Where the string whose text starts at `from` ends: its closing quote, the first one not escaped (after an even
 * run of backslashes, which escape each other), or the text's length. Found with indexOf rather than character by
 * character: most of a body's characters are in its strings (ids, URLs), which this skips at native speed. The
 * run of backslashes before a quote stops at the string's opening quote, at `from - 1`, at the latest. The walk
 * over member names (duplicateNames.ts) ends its strings here too.
 */
export function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); at !== -1; at = text.indexOf('"', at + 1)) {
    let before = at - 1;
    while (text.charCodeAt(before) === 0x5c) before -= 1;
    if ((at - 1 - before) % 2 === 0) return at;
  }
  return text.length;
}

/**
 * What a JSON text passes first: `depth` (nesting past the limit, the text itself level 1), `values`, or undefined.
 * `counted.names`, when given, receives the number of member names (duplicateNames.ts compares it with the parsed value's).
 */
export function jsonLimitPassed(
  text: string,
  maxDepth: number,
  maxValues = Number.POSITIVE_INFINITY,
  counted?: { names: number },
): 'depth' | 'values' | undefined {
  // Whether each open container is an object (1) or an array (0): a member name is no value, an array's item is.
  const objects = new Uint8Array(maxDepth + 2);
  let depth = 0;
  let values = 0;
  let expectValue = true;
  let names = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x5d || c === 0x7d) {
      depth -= 1;
      expectValue = false;
      continue;
    }
    if (c === 0x2c || c === 0x3a) {
      // After `:` a value; after `,` an item in an array, a member name in an object.
      expectValue = c === 0x3a || depth <= 0 || objects[depth] === 0;
      continue;
    }
    if (c === 0x22) {
      // A string where no value is expected is a member name.
      if (expectValue) {
        values += 1;
        if (values > maxValues) return 'values';
      } else names += 1;
      expectValue = false;
      i = closingQuote(text, i + 1);
      continue;
    }
    if (!expectValue) continue;
    values += 1;
    if (values > maxValues) return 'values';
    expectValue = false;
    if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return 'depth';
      objects[depth] = c === 0x7b ? 1 : 0;
      expectValue = c === 0x5b;
    }
  }
  if (counted !== undefined) counted.names = names;
  return undefined;
}

/**
 * Graph's envelope for a body past the depth or the value limit, or undefined. `wrapping`: the levels a body puts
 * around the request bodies it carries ($batch: its items' bodies are 3 levels in), which the depth does not count.
 */
export function refusedJson(text: string, wrapping: number, counted?: { names: number }): GraphError | undefined {
  const passed = jsonLimitPassed(text, MAX_BODY_DEPTH + wrapping, MAX_BODY_VALUES, counted);
  if (passed === 'depth') return GraphError.of('badRequest', `The request body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep.`);
  if (passed === 'values') {
    return GraphError.of(
      'payloadTooLarge',
      `The request body holds more than ${MAX_BODY_VALUES} JSON values (arrays, objects, strings, numbers, true, false and null).`,
    );
  }
  return undefined;
}
