// Graph's timestamp shapes. DateTimeOffset values carry 7 fractional digits and Z
// (e.g. 2020-08-21T19:45:33.2042281Z); innerError.date has no fraction and no Z.
import { isoMillis } from './isoMillis.js';

// The last value handed out, as milliseconds plus 100 ns ticks within them (0..9999), as .NET's DateTime.
let lastMs = 0;
let lastTick = 0;

/** Now as a Graph DateTimeOffset, strictly increasing within this process so that modifiedDateTime always moves forward. */
export function graphNow(clock: () => number = Date.now): string {
  let ms = clock();
  let tick = 0;
  if (ms <= lastMs) {
    // Same millisecond (or the clock stepped back): one tick after the last value.
    ms = lastMs;
    tick = lastTick + 1;
    if (tick === 10_000) {
      ms += 1;
      tick = 0;
    }
  }
  lastMs = ms;
  lastTick = tick;
  // isoMillis keeps the text of the current second: no text of the millisecond is kept here too.
  return `${isoMillis(ms)}${String(tick).padStart(4, '0')}Z`;
}

/** A DateTimeOffset as Graph writes it, which orders as text. */
const GRAPH_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

/**
 * The modifiedDateTime of a write: now, unless a timestamp the record already carries is not before now (a client may
 * set createdDateTime and modifiedDateTime on a create, in the future too), then one tick (100 ns) after the latest of
 * them, so a modification never dates a record back (chosen: the resource pages say only that it is updated).
 */
export function graphNowAfter(earlier: readonly unknown[], clock: () => number = Date.now): string {
  const now = graphNow(clock);
  let latest: string | undefined;
  for (const value of earlier) {
    if (typeof value === 'string' && GRAPH_DATE_TIME.test(value) && value >= (latest ?? now)) latest = value;
  }
  return latest === undefined ? now : oneTickAfter(latest);
}

/** A Graph DateTimeOffset 100 ns later; the last instant .NET holds stays as it is. */
function oneTickAfter(value: string): string {
  let ms = Date.parse(`${value.slice(0, 23)}Z`);
  let tick = Number(value.slice(23, 27)) + 1;
  if (tick === 10_000) {
    ms += 1;
    tick = 0;
  }
  return ms > LAST_MS ? value : `${isoMillis(ms)}${String(tick).padStart(4, '0')}Z`;
}

// A fraction only after the seconds, as the ABNF has it: `10:00.5` is no time. A capital `T` only, and a `Z` in
// either case, as XmlConvert reads them (XsdDateTime's ParseChar compares the `T` exactly; its zone takes `Z` or
// `z`), though the ABNF's literals take any case.
const DATE_TIME_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/** The first and the last instant .NET's DateTimeOffset holds in UTC: years 0001 to 9999. */
const FIRST_MS = Date.parse('0001-01-01T00:00:00Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A DateTimeOffset as Graph reads one, in a body or a $filter literal: the ABNF's dateTimeOffsetValue
 * (https://docs.oasis-open.org/odata/odata/v4.01/os/abnf/odata-abnf-construction-rules.txt: a `T` between date and
 * time, `Z` or an offset with its colon) naming a day the calendar has and a time the clock shows (month 01-12, a
 * day of that month, 29 February only in a leap year, hour 00-23, minutes and seconds 00-59: no leap second), in
 * what .NET's DateTimeOffset holds (years 0001-9999, offsets up to 14 hours). Date.parse alone is too lenient:
 * it reads 2026-02-30 as 2 March, and JSON Schema's date-time takes a space for the `T` and second 60.
 */
/** Whether year, month and day name a day of the calendar, in years from 0001: 29 February only in a leap year. */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return year >= 1 && days !== undefined && day >= 1 && day <= days;
}

// An Edm.Date as Graph's OData library reads one in a body (Microsoft.OData's PlatformHelper.ConvertStringToDate):
// four digits of year, then a month and a day of one or two digits each (`2030-1-5` too), naming a day the calendar
// has from year 0001 (it then asks .NET's DateTime.TryParse, which refuses 2030-02-30 and year 0000).
const DATE = /^(\d{4})-(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])$/;

export function isGraphDate(text: string): boolean {
  const parts = DATE.exec(text);
  return parts !== null && isCalendarDay(Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

export function isGraphDateTime(text: string): boolean {
  const parts = DATE_TIME_PARTS.exec(text);
  if (!parts) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts.slice(1, 7).map((p) => Number(p ?? 0));
  const [offsetHours = 0, offsetMinutes = 0] = parts.slice(8).map((p) => Number(p ?? 0));
  const offset = offsetHours * 60 + offsetMinutes;
  if (!(isCalendarDay(year, month, day) && hour < 24 && minute < 60 && second < 60 && offsetMinutes < 60 && offset <= 14 * 60)) return false;
  // The UTC instant it names within .NET's range too: 0001-01-01T00:00:00+14:00 is in year 0 in UTC, and
  // 9999-12-31T23:59:59.99999999Z rounds past the last tick.
  const { seconds, ticks } = instant(text);
  return seconds >= FIRST_MS && seconds + (ticks === 10_000_000 ? 1000 : 0) <= LAST_MS - 999;
}

// The fraction of a DateTimeOffset, before its `Z` or offset.
const FRACTION = /\.(\d+)(?=(?:Z|[+-]\d{2}:?\d{2})$)/i;

/**
 * The fraction of a second as .NET reads it, in ticks of 100 ns: the first 7 digits, rounded on the rest, half to
 * even (System.Xml's XsdDateTime, which Graph's OData library reads every DateTimeOffset with, keeps "any number of
 * digits, but only first 7"): .12345675 is .1234568, .12345665 is .1234566, .99999999 is the next second.
 */
function roundedTicks(digits: string): number {
  const kept = Number(digits.slice(0, 7).padEnd(7, '0'));
  const rest = digits.slice(7);
  if (rest === '') return kept;
  const next = Number(rest[0]);
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest.slice(1)) || kept % 2 === 1));
  return up ? kept + 1 : kept;
}

/** The UTC second a DateTimeOffset names (milliseconds since the epoch) and the ticks after it, which may be 10^7. */
function instant(value: string): { seconds: number; ticks: number } {
  const fraction = FRACTION.exec(value);
  const whole = fraction ? value.slice(0, fraction.index) + value.slice(fraction.index + fraction[0].length) : value;
  const seconds = Date.parse(/^\d{4}-/.test(whole) ? whole.toUpperCase() : whole);
  return { seconds: seconds - (((seconds % 1000) + 1000) % 1000), ticks: roundedTicks(fraction?.[1] ?? '') };
}

/** Normalise any valid DateTimeOffset to UTC with 7 fractional digits, rounded as .NET rounds (roundedTicks). */
export function toGraphDateTime(value: string): string {
  let { seconds, ticks } = instant(value);
  if (ticks === 10_000_000) {
    seconds += 1000;
    ticks = 0;
  }
  return `${new Date(seconds).toISOString().slice(0, 19)}.${String(ticks).padStart(7, '0')}Z`;
}

/** A stored DateTimeOffset in the canonical form, so that values order as strings; non-dates pass through. */
export function canonicalDateTime(value: unknown): unknown {
  if (typeof value !== 'string' || (value.length === 28 && value.endsWith('Z'))) return value ?? null;
  return Number.isNaN(Date.parse(value)) ? value : toGraphDateTime(value);
}

export function graphErrorDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}

// OData's durationValue (the ABNF): days, hours, minutes and seconds only; no years, months or weeks.
const DURATION = /^(-?)P(?=\d|T\d)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
/**
 * The longest .NET TimeSpan (TimeSpan.MaxValue: 2^63 - 1 ticks of 100 ns), in seconds, as near as a double comes:
 * Graph's back end holds an Edm.Duration in one.
 */
const MAX_DURATION_SECONDS = 2 ** 63 / 1e7;

/**
 * An Edm.Duration as Graph reads one: a day-time duration (P14D, PT0S, P1DT12H; the ABNF's durationValue, which
 * has no years, months or weeks: https://docs.oasis-open.org/odata/odata/v4.01/os/abnf/odata-abnf-construction-rules.txt)
 * no longer than .NET's TimeSpan holds (10,675,199 days), so P99999999999D is refused as Graph refuses it.
 */
export function isGraphDuration(text: string): boolean {
  const seconds = durationSeconds(text);
  return seconds !== null && Math.abs(seconds) <= MAX_DURATION_SECONDS;
}

/**
 * The seconds a day-time duration names, signed (P2D, PT48H and P1DT24H alike: 172800), or null for what is not one:
 * the one reading of a v1.0 duration wherever beta counts it in days or minutes.
 */
export function durationSeconds(text: unknown): number | null {
  const parts = typeof text === 'string' ? DURATION.exec(text) : null;
  if (!parts) return null;
  const [days = 0, hours = 0, minutes = 0, seconds = 0] = parts.slice(2).map((p) => Number(p ?? 0));
  const total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
  return parts[1] === '-' ? -total : total;
}

/** Whole minutes as .NET writes a TimeSpan in ISO 8601 (XmlConvert): PT0S, PT45M, PT1H30M, P1DT2H. */
export function minutesAsDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const time = `${hours ? `${hours}H` : ''}${rest ? `${rest}M` : ''}`;
  if (days === 0 && time === '') return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
