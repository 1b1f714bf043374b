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

/** Normalise any valid DateTimeOffset to UTC with 7 fractional digits. */
export function toGraphDateTime(value: string): string {
  const match = /\.(\d+)(?:Z|[+-]\d{2}:?\d{2})$/i.exec(value);
  const digits = (match?.[1] ?? '').padEnd(7, '0').slice(0, 7);
  const iso = new Date(value).toISOString();
  return `${iso.slice(0, 19)}.${digits}Z`;
}

/** A stored DateTimeOffset in the canonical form, so that values order as strings; non-dates pass through. */
export function canonicalDateTime(value: unknown): unknown {
  if (typeof value !== 'string' || (value.length === 28 && value.endsWith('Z'))) return value ?? null;
  return Number.isNaN(Date.parse(value)) ? value : toGraphDateTime(value);
}

export function graphErrorDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}
