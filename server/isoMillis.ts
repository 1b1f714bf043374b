// ISO 8601 text of a millisecond time, as Date#toISOString writes it but without its Z, for the texts written many
// times a millisecond under load (a log line's time, a record's timestamps): the text of the second is made once
// per second and the milliseconds appended, rather than a Date made and formatted for every value.

let secondMs = Number.NaN;
let secondText = '';

/** `new Date(ms).toISOString()` without the final `Z`, e.g. `2026-12-03T07:59:59.042`. */
export function isoMillis(ms: number): string {
  const within = ((ms % 1000) + 1000) % 1000;
  if (ms - within !== secondMs) {
    secondMs = ms - within;
    secondText = new Date(secondMs).toISOString().slice(0, -4);
  }
  return `${secondText}${within < 10 ? '00' : within < 100 ? '0' : ''}${within}`;
}
