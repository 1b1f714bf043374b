import { describe, expect, it } from '@jest/globals';
import { graphErrorDate, graphNow, isGraphDuration, toGraphDateTime } from '../../server/graphTime.js';

describe('Graph timestamps', () => {
  it.each([
    ['2020-08-21T19:45:33.2042281Z', '2020-08-21T19:45:33.2042281Z'],
    ['2020-08-21T19:45:33Z', '2020-08-21T19:45:33.0000000Z'],
    ['2020-08-21T21:45:33.5+02:00', '2020-08-21T19:45:33.5000000Z'],
    ['2020-08-21T19:45:33.123456789Z', '2020-08-21T19:45:33.1234567Z'],
  ])('normalises %s to %s', (input, expected) => {
    expect(toGraphDateTime(input)).toBe(expected);
  });

  it('never repeats or goes back within a process, even when the clock stands still', () => {
    const frozen = () => Date.UTC(2026, 0, 1);
    const a = graphNow(frozen);
    const b = graphNow(frozen);
    expect(a).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(b > a).toBe(true);
  });

  it('formats innerError.date without fraction and without Z', () => {
    expect(graphErrorDate(new Date('2025-02-13T10:17:05.987Z'))).toBe('2025-02-13T10:17:05');
  });
});

describe('isGraphDuration', () => {
  it.each(['P14D', 'PT0S', 'P1DT12H', 'PT36H', '-P1D', 'P2W', 'PT1.5S', 'P10675199D', 'P10675199DT2H48M5.4775807S'])('takes %s', (text) => {
    expect(isGraphDuration(text)).toBe(true);
  });
  it.each(['P', 'PT', '14D', 'P1.5D', 'P99999999999D', 'P10675199DT2H48M6S', 'P29248Y', 'P1DT', 'p1d'])('refuses %s', (text) => {
    expect(isGraphDuration(text)).toBe(false);
  });
});
