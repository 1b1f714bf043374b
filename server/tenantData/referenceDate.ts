// The "now" of generated data. By default the time of generation, so that a freshly seeded tenant is never old;
// a fixed reference date (REFERENCE_DATE, --reference-date) makes a seed give the same bytes on any day.

export const REFERENCE_DATE_FORMS = 'a date such as 2026-11-01 or a date-time with its offset such as 2026-11-01T09:30:00Z, from 1970 to 9999 in UTC';

// A date alone is UTC midnight; a date-time must carry Z or an offset, since one read in the local time zone
// would give another tenant on a machine in another zone.
const ISO_FORM = /^(\d{4})-(\d{2})-(\d{2})(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/** The instant `text` names, as an ISO string in UTC; undefined when it is not one of REFERENCE_DATE_FORMS from 1970 to 9999, in UTC too. */
export function parseReferenceDate(text: string): string | undefined {
  const match = ISO_FORM.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.parse rolls 2026-02-30 over into March; the calendar check refuses it. Day 0 of the next month is the last of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  // The instant too, in UTC: an offset moves 1970-01-01T00:00+14:00 into 1969 and 9999-12-31T23:59-14:00 into year
  // 10000, whose ISO form (+010000-…) no Graph date-time has.
  const instant = Date.parse(text.trim());
  if (instant < 0 || instant > LATEST_MS) return undefined;
  return new Date(instant).toISOString();
}

/** The last instant of 9999 in UTC: Graph's DateTimeOffset has four-digit years. */
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Milliseconds since the epoch of the reference date, or of the clock when none is given. */
export function referenceInstant(referenceDate: string | undefined, clock: () => number = Date.now): number {
  if (referenceDate === undefined) return clock();
  const parsed = parseReferenceDate(referenceDate);
  if (parsed === undefined) throw new RangeError(`The reference date must be ${REFERENCE_DATE_FORMS}; got '${referenceDate}'.`);
  return Date.parse(parsed);
}
