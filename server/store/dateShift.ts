// A dataset with every Graph timestamp moved by the same amount. A generated tenant depends on its reference date
// only through its dates, each one the reference date plus an offset drawn from the seed
// (docs/data-and-persistence.md, "Choosing the reference date"): the set generated once and moved to a later
// "now" is the set generated at that "now", byte for byte (tests/unit/dateShift.test.ts). That lets a reset
// reuse one generation, and its journal entry name one stored dataset and the distance to move it.
import { perCollection } from '../collections.js';
import type { CollectionName, Dataset } from './records.js';

/** A stored DateTimeOffset: UTC, 7 fractional digits (graphTime.ts). */
const GRAPH_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
const DAY_MS = 86_400_000;

// A reset moves a hundred or so timestamps, most of them on a few hundred distinct days: the calendar
// arithmetic (Date.parse, toISOString) is done once per day, the time of day by hand. About five times
// faster, a fifth of a reset's CPU before.
const dayOf = new Map<string, number>();
const dateOf = new Map<number, string>();
const MEMO_LIMIT = 10_000;

function day(date: string): number {
  let n = dayOf.get(date);
  if (n === undefined) {
    if (dayOf.size >= MEMO_LIMIT) dayOf.clear();
    n = Date.parse(date) / DAY_MS;
    dayOf.set(date, n);
  }
  return n;
}

function date(dayNumber: number): string {
  let text = dateOf.get(dayNumber);
  if (text === undefined) {
    if (dateOf.size >= MEMO_LIMIT) dateOf.clear();
    text = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    dateOf.set(dayNumber, text);
  }
  return text;
}

/** The number the decimal digits of text[from, to) spell. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i += 1) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}
const PADDED = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const pad = (n: number, width: 2 | 3) => (width === 3 ? PADDED[n]! : PADDED[n]!.slice(1));

/** `value` (a Graph timestamp) `ms` later; the sub-millisecond ticks (digits 4 to 7 of the fraction) stay as they were. */
function moved(value: string, ms: number): string {
  const timeOfDay = ((digits(value, 11, 13) * 60 + digits(value, 14, 16)) * 60 + digits(value, 17, 19)) * 1000 + digits(value, 20, 23);
  const total = day(value.slice(0, 10)) * DAY_MS + timeOfDay + ms;
  const newDay = Math.floor(total / DAY_MS);
  let rest = total - newDay * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${date(newDay)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(milli, 3)}${value.slice(23)}`;
}

/**
 * The value with its timestamps moved; an object or array that holds none is returned as it is (records are
 * never changed in place, so the moved record may share it with the original): a policy's settings are most of
 * its size and hold no date.
 */
function shifted(value: unknown, ms: number): unknown {
  if (typeof value === 'string') return isTimestamp(value) ? moved(value, ms) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const item = shifted(value[i], ms);
      if (item === value[i]) continue;
      copy ??= [...value];
      copy[i] = item;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const old = (value as Record<string, unknown>)[key];
    const item = shifted(old, ms);
    if (item === old) continue;
    copy ??= { ...value };
    copy[key] = item;
  }
  return copy ?? value;
}

const isTimestamp = (value: unknown): value is string => typeof value === 'string' && value.length === 28 && GRAPH_TIMESTAMP.test(value);

/** The properties of each record that hold a timestamp, directly or inside: found once per dataset. */
type Plan = Record<CollectionName, (readonly string[])[]>;
const plans = new WeakMap<Dataset, Plan>();

function planOf(dataset: Dataset): Plan {
  let plan = plans.get(dataset);
  if (plan === undefined) {
    plan = perCollection((name) => {
      const records: readonly object[] = dataset[name];
      return records.map((record) => {
        const fields = record as Record<string, unknown>;
        return Object.keys(fields).filter((key) => shifted(fields[key], 1) !== fields[key]);
      });
    });
    plans.set(dataset, plan);
  }
  return plan;
}

/** The last move of each dataset: resets in the same second move a cached set by the same distance (sets.ts). */
const lastMoves = new WeakMap<Dataset, { ms: number; moved: Dataset }>();

/**
 * New records with every Graph timestamp moved by `ms`; the records given are not changed. `ms` 0: the same
 * dataset. Where the timestamps are is worked out once per dataset: a reset moves the same cached set each time.
 * The same move of the same dataset twice in a row answers the records of the first: stored records are
 * replaced on update, never changed in place, so two resets can share them (as they share a set not moved).
 */
export function shiftDates(dataset: Dataset, ms: number): Dataset {
  if (ms === 0) return dataset;
  const last = lastMoves.get(dataset);
  if (last?.ms === ms) return last.moved;
  const moved = moveAll(dataset, ms);
  lastMoves.set(dataset, { ms, moved });
  return moved;
}

function moveAll(dataset: Dataset, ms: number): Dataset {
  const plan = planOf(dataset);
  return perCollection((name) =>
    dataset[name].map((record, i) => {
      const keys = plan[name][i]!;
      if (keys.length === 0) return record;
      const copy: Record<string, unknown> = { ...record };
      for (const key of keys) {
        const value = copy[key];
        copy[key] = isTimestamp(value) ? moved(value, ms) : shifted(value, ms);
      }
      return copy;
    }),
  ) as Dataset;
}
