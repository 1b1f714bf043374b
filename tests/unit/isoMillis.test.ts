import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isoMillis } from '../../server/isoMillis.js';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, -1);

describe('isoMillis', () => {
  it("is Date#toISOString without its Z over Date's whole range, in any order of calls", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }), { minLength: 1, maxLength: 20 }), (times) => {
        for (const ms of times) expect(isoMillis(ms)).toBe(iso(ms));
      }),
    );
  });

  it('pads the milliseconds and follows second boundaries both ways, before 1970 too', () => {
    const second = Date.UTC(2026, 11, 3, 7, 59, 59);
    for (const ms of [second, second + 9, second + 10, second + 99, second + 100, second + 999, second + 1000, second + 999, second - 1, -1, -1000, -1001, 0]) {
      expect(isoMillis(ms)).toBe(iso(ms));
    }
  });
});
