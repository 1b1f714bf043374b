import { describe, expect, it } from '@jest/globals';
import {
  canonicalDateTime,
  durationSeconds,
  graphErrorDate,
  graphNow,
  graphNowAfter,
  isCalendarDay,
  isGraphDateTime,
  isGraphDuration,
  minutesAsDuration,
  toGraphDateTime,
} from '../../server/graphTime.js';

describe('Graph timestamps', () => {
  it.each([
    ['2020-08-21T19:45:33.2042281Z', '2020-08-21T19:45:33.2042281Z'],
    ['2020-08-21T19:45:33Z', '2020-08-21T19:45:33.0000000Z'],
    ['2020-08-21T21:45:33.5+02:00', '2020-08-21T19:45:33.5000000Z'],
  ])('normalises %s to %s', (input, expected) => {
    expect(toGraphDateTime(input)).toBe(expected);
  });

  // .NET (XmlConvert, with which Graph's OData library reads a DateTimeOffset) keeps 7 digits and rounds on the rest,
  // half to even, carrying into the next second, day and year.
  it.each([
    ['2020-08-21T19:45:33.123456789Z', '2020-08-21T19:45:33.1234568Z'],
    ['2020-08-21T19:45:33.12345674999Z', '2020-08-21T19:45:33.1234567Z'],
    ['2020-08-21T19:45:33.12345675Z', '2020-08-21T19:45:33.1234568Z'],
    ['2020-08-21T19:45:33.12345665Z', '2020-08-21T19:45:33.1234566Z'],
    ['2020-08-21T19:45:33.123456650000001Z', '2020-08-21T19:45:33.1234567Z'],
    // zeros after the half are no more than a half: still to even
    ['2020-08-21T19:45:33.1234566500Z', '2020-08-21T19:45:33.1234566Z'],
    ['2020-08-21T19:45:33.1234567500Z', '2020-08-21T19:45:33.1234568Z'],
    ['2020-08-21T19:45:33.1234567890123456789Z', '2020-08-21T19:45:33.1234568Z'],
    ['2020-12-31T23:59:59.99999995Z', '2021-01-01T00:00:00.0000000Z'],
    ['2021-01-01T01:59:59.99999999+02:00', '2021-01-01T00:00:00.0000000Z'],
  ])('rounds %s to %s, as .NET reads it', (input, expected) => {
    expect(isGraphDateTime(input)).toBe(true);
    expect(toGraphDateTime(input)).toBe(expected);
  });

  it('never repeats or goes back within a process, even when the clock stands still', () => {
    const frozen = () => Date.UTC(2026, 0, 1);
    const a = graphNow(frozen);
    const b = graphNow(frozen);
    expect(a).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(b > a).toBe(true);
  });

  it.each([
    ['now, when every earlier value is before it', ['2020-01-01T00:00:00.0000000Z'], '2026-01-01T00:00:00.000'],
    ['one tick after a later value', ['2031-01-01T00:00:00.0000000Z', '2030-01-01T00:00:00.0000000Z'], '2031-01-01T00:00:00.0000001Z'],
    ['the next millisecond after its last tick', ['2031-01-01T00:00:00.9999999Z'], '2031-01-01T00:00:01.0000000Z'],
    ['the last instant .NET holds, kept', ['9999-12-31T23:59:59.9999999Z'], '9999-12-31T23:59:59.9999999Z'],
    ['one tick after a value in the last millisecond .NET holds', ['9999-12-31T23:59:59.9990000Z'], '9999-12-31T23:59:59.9990001Z'],
    ['now, past values that are no timestamps', [null, 'tomorrow', 42, ['2031-01-01T00:00:00.0000000Z']], '2026-01-01T00:00:00.000'],
  ])('graphNowAfter answers %s', (_name, earlier, expected) => {
    const value = graphNowAfter(earlier, () => Date.UTC(2026, 0, 1));
    if (expected.endsWith('Z')) expect(value).toBe(expected);
    else expect(value.startsWith(expected)).toBe(true);
  });

  // These two move the process's last value past the fixed clock the tests above use: they come after them.
  it('carries 10,000 values handed out in one millisecond into the next one, keeping 7 digits', () => {
    // A clock behind the last value (stepped back, or standing still) continues from that value one tick at a time.
    const behind = () => 0;
    const first = graphNow(behind);
    const values = Array.from({ length: 10_000 }, () => graphNow(behind));
    for (const value of values) expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(values.every((value, i) => value > (values[i - 1] ?? first))).toBe(true);
    const last = values.at(-1)!;
    expect(Date.parse(`${last.slice(0, 23)}Z`) - Date.parse(`${first.slice(0, 23)}Z`)).toBe(1);
    expect(last.slice(23)).toBe(first.slice(23));
  });

  it('moves one tick past an earlier value that is exactly now', () => {
    const clock = () => Date.UTC(2040, 0, 1);
    expect(graphNowAfter(['2040-01-01T00:00:00.0000000Z'], clock)).toBe('2040-01-01T00:00:00.0000001Z');
  });

  it('formats innerError.date without fraction and without Z', () => {
    expect(graphErrorDate(new Date('2025-02-13T10:17:05.987Z'))).toBe('2025-02-13T10:17:05');
  });
});

describe('isGraphDuration', () => {
  it.each(['P14D', 'PT0S', 'P1DT12H', 'PT36H', '-P1D', 'PT1.5S', 'P10675199D', 'P10675199DT2H48M5.4775807S'])('takes %s', (text) => {
    expect(isGraphDuration(text)).toBe(true);
  });
  it.each(['P', 'PT', '14D', 'P1.5D', 'P99999999999D', 'P10675199DT2H48M6S', 'P2W', 'P1Y', 'P1M', 'P1DT', 'p1d'])('refuses %s', (text) => {
    expect(isGraphDuration(text)).toBe(false);
  });
});

describe('durationSeconds', () => {
  it.each([
    ['P2D', 172_800],
    ['PT48H', 172_800],
    ['P2DT0H', 172_800],
    ['P1DT24H', 172_800],
    ['PT2880M', 172_800],
    ['PT36H', 129_600],
    ['PT1.5S', 1.5],
    ['-P1D', -86_400],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });
  it.each(['P', 'P2W', 'P1Y', 'p1d', 14, null, ['P1D']])('answers null for %p', (value) => {
    expect(durationSeconds(value)).toBeNull();
  });
});

describe('minutesAsDuration', () => {
  it.each([
    [0, 'PT0S'],
    [45, 'PT45M'],
    [90, 'PT1H30M'],
    [120, 'PT2H'],
    [1440, 'P1D'],
    [1565, 'P1DT2H5M'],
  ])('%d minutes as .NET writes them: %s', (minutes, text) => {
    expect(minutesAsDuration(minutes)).toBe(text);
  });
});

describe('isCalendarDay', () => {
  it.each([
    [2024, 2, 29, true],
    [2000, 2, 29, true],
    [2100, 2, 29, false],
    [2026, 2, 29, false],
    [2026, 4, 31, false],
    [2026, 12, 31, true],
    [1, 1, 1, true],
    [0, 1, 1, false],
    [2026, 0, 1, false],
    [2026, 13, 1, false],
    [2026, 1, 0, false],
  ])('%d-%d-%d: %p', (year, month, day, expected) => {
    expect(isCalendarDay(year, month, day)).toBe(expected);
  });
});

describe('canonicalDateTime', () => {
  it.each([
    ['a canonical value, as it is', '2024-01-02T03:04:05.1234567Z', '2024-01-02T03:04:05.1234567Z'],
    ['another form, to 7 digits in UTC', '2024-01-02T05:04:05.5+02:00', '2024-01-02T03:04:05.5000000Z'],
    ['text that is no date, as it is', 'tomorrow', 'tomorrow'],
    ['a number, as it is', 42, 42],
    ['null as null', null, null],
    ['nothing as null', undefined, null],
  ])('keeps %s', (_name, value, expected) => {
    expect(canonicalDateTime(value)).toBe(expected);
  });
});

describe('isGraphDateTime', () => {
  it.each([
    '2026-01-01T10:00Z',
    '2026-01-01T10:00:00.1234567Z',
    '2026-01-01T10:00:00z',
    '0001-01-01T00:00:00Z',
    '0001-01-01T14:00:00+14:00',
    '9999-12-31T23:59:59.9999999Z',
  ])('takes %s, and it normalises', (text) => {
    expect(isGraphDateTime(text)).toBe(true);
    expect(toGraphDateTime(text)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
  });
  it.each([
    '2026-01-01T10:00.5Z',
    '0001-01-01T00:00:00+14:00',
    '9999-12-31T23:00:00-14:00',
    '2026-01-01T10:00:60Z',
    '2026-01-01 10:00:00Z',
    // XmlConvert reads a capital T only (and a Z in either case)
    '2026-01-01t10:00:00Z',
    '2026-01-01T10:00:00',
    // rounded past the last instant .NET holds
    '9999-12-31T23:59:59.99999995Z',
  ])('refuses %s', (text) => {
    expect(isGraphDateTime(text)).toBe(false);
  });
});
