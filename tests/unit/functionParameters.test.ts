// A function call's one parameter, `(on='allowedRequestor')`, read in one pass: the same name and text as the
// pattern it replaces gave, for any text, and in time linear in the call's length.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { oneParameter } from '../../server/functionParameters.js';

/** What the call was read by before: a lazy group before the trailing spaces, quadratic in the call's length. */
const BEFORE = /^\(\s*([A-Za-z_]\w*)\s*=\s*(.*?)\s*\)$/s;

function before(call: string): { name: string; text: string } | undefined {
  const found = BEFORE.exec(call);
  return found === null ? undefined : { name: found[1]!, text: found[2]! };
}

describe('oneParameter', () => {
  it.each([
    ["(on='allowedRequestor')", { name: 'on', text: "'allowedRequestor'" }],
    ["( on = 'x' )", { name: 'on', text: "'x'" }],
    ['(on=@p)', { name: 'on', text: '@p' }],
    ['(on=)', { name: 'on', text: '' }],
    ['(on= \t)', { name: 'on', text: '' }],
    ["(on='a)b')", { name: 'on', text: "'a)b'" }],
    ["(on='a'\n)", { name: 'on', text: "'a'" }],
  ])('reads %j', (call, expected) => {
    expect(oneParameter(call)).toEqual(expected);
  });

  it.each(['', '()', '(on)', "(on='x'", "on='x')", "(1on='x')", "(on='x') ", "(on='x'))x"])('gives nothing for %j', (call) => {
    expect(oneParameter(call)).toBeUndefined();
  });

  it('reads every text as the pattern it replaces did', () => {
    const call = fc.array(fc.constantFrom('(', ')', '=', ' ', '\t', '\n', 'o', 'n', '_', '1', "'", '@', 'x'), { maxLength: 24 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc.oneof(
          call,
          call.map((text) => `(on=${text})`),
        ),
        (text) => {
          expect(oneParameter(text)).toEqual(before(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads a call of a megabyte of spaces in one pass (the pattern it replaces took minutes)', () => {
    const call = `(on=x${' '.repeat(1024 * 1024)}y)`;
    expect(oneParameter(call)).toEqual({ name: 'on', text: `x${' '.repeat(1024 * 1024)}y` });
    expect(oneParameter(`(on=x${' '.repeat(1024 * 1024)}`)).toBeUndefined();
  });
});
