import { describe, expect, it } from '@jest/globals';
import { parseReferenceDate, referenceInstant } from '../../server/tenantData/referenceDate.js';

describe('parseReferenceDate', () => {
  it.each([
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    [' 2026-11-01 ', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T09:30Z', '2026-11-01T09:30:00.000Z'],
    ['2026-11-01T09:30:15.250Z', '2026-11-01T09:30:15.250Z'],
    ['2026-11-01T09:30:00+02:00', '2026-11-01T07:30:00.000Z'],
    ['2026-11-01T00:30:00-05:00', '2026-11-01T05:30:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['1970-01-01', '1970-01-01T00:00:00.000Z'],
    ['1970-01-01T00:00:00-01:00', '1970-01-01T01:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['9999-12-31T23:59:59+14:00', '9999-12-31T09:59:59.000Z'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseReferenceDate(text)).toBe(iso);
  });

  it.each([
    ['a date-time without an offset, which would be read in the local time zone', '2026-11-01T09:30:00'],
    ['a day the month does not have', '2026-02-30'],
    ['February 29 of a common year', '2027-02-29'],
    ['month 13', '2026-13-01'],
    ['hour 24', '2026-11-01T24:00:00Z'],
    ['a year before 1970', '1969-12-31'],
    ['an instant before 1970 in UTC, by its offset', '1970-01-01T00:00:00+14:00'],
    ['an instant past 9999 in UTC, by its offset', '9999-12-31T23:59:59-14:00'],
    ['words', 'yesterday'],
    ['nothing', ''],
    ['a lowercase z', '2026-11-01T09:30:00z'],
  ])('refuses %s (%j)', (_case, text) => {
    expect(parseReferenceDate(text)).toBeUndefined();
  });
});

describe('referenceInstant', () => {
  it('is the reference date when one is given, else the clock', () => {
    expect(referenceInstant('2026-11-01', () => 5)).toBe(Date.UTC(2026, 10, 1));
    expect(referenceInstant(undefined, () => 1_793_491_200_123)).toBe(1_793_491_200_123);
  });
});
