// memoize: one computation per distinct key, the oldest forgotten past the limit, and the last key answered
// without the map.
import { describe, expect, it } from '@jest/globals';
import { memoize } from '../../server/memo.js';

function counted<V>(compute: (key: string) => V) {
  const calls: string[] = [];
  return {
    calls,
    fn: (key: string) => {
      calls.push(key);
      return compute(key);
    },
  };
}

describe('memoize', () => {
  it('computes once per distinct key, however the keys alternate', () => {
    const { calls, fn } = counted((key) => key.length);
    const memo = memoize(fn);
    expect([memo('a'), memo('bb'), memo('a'), memo('a'), memo('bb'), memo('ccc')]).toEqual([1, 2, 1, 1, 2, 3]);
    expect(calls).toEqual(['a', 'bb', 'ccc']);
  });

  it('knows an equal key made anew (a header is a new string every request)', () => {
    const { calls, fn } = counted((key) => ({ key }));
    const memo = memoize(fn);
    const first = memo(['tok', 'en'].join(''));
    expect(memo(['to', 'ken'].join(''))).toBe(first);
    expect(calls).toEqual(['token']);
  });

  it('keeps an undefined answer too', () => {
    const { calls, fn } = counted(() => undefined);
    const memo = memoize(fn);
    memo('a');
    memo('b');
    memo('a');
    expect(calls).toEqual(['a', 'b']);
  });

  it('forgets the oldest key past its limit, and computes it again when asked', () => {
    const { calls, fn } = counted((key) => key.toUpperCase());
    const memo = memoize(fn, 2);
    expect([memo('a'), memo('b'), memo('c'), memo('b'), memo('a')]).toEqual(['A', 'B', 'C', 'B', 'A']);
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
