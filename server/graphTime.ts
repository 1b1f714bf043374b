// Graph's timestamp shapes. DateTimeOffset values carry 7 fractional digits and Z
// (e.g. 2020-08-21T19:45:33.2042281Z); innerError.date has no fraction and no Z.

let lastMicros = 0n;

/** Now as a Graph DateTimeOffset, strictly increasing within this process so that modifiedDateTime always moves forward. */
export function graphNow(clock: () => number = Date.now): string {
  const millis = BigInt(clock());
  let ticks = millis * 10_000n; // 100 ns ticks, as .NET's DateTime
  if (ticks <= lastMicros) ticks = lastMicros + 1n;
  lastMicros = ticks;
  const ms = Number(ticks / 10_000n);
  const sub = (ticks % 10_000n).toString().padStart(4, '0');
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, `.$1${sub}Z`);
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
