// What an answer with $expand may grow to. An expansion multiplies: every package of a page expands its catalog,
// which expands its packages, so a few hundred records could make an answer of gigabytes, built on the event loop
// before it failed as too long for one string. render.ts reads each record reached once per level and shares what
// it renders wherever the record recurs, so the work is bounded by the records; this counts the characters of JSON
// the answer will hold, recurrences included, and refuses the request once they pass the bound, before any text is
// made. Chosen: not documented (Graph answers nothing this large; the bound is far above what its pages show).
import { GraphError } from '../graphErrors.js';
import type { Row } from './definition.js';

/** Characters of JSON an answer with $expand may hold (16 MiB, about 35,000 packages as Graph shows them). */
export const MAX_EXPANDED_JSON_CHARS = 16 * 1024 * 1024;

/** Sizes of records that go out as they are stored (records are replaced on update, never changed in place). */
const storedSizes = new WeakMap<Row, number>();

/** Characters of JSON of an entity as rendered, before any expansion is added to it. */
export function ownSize(row: Row, unchanged: boolean): number {
  if (!unchanged) return JSON.stringify(row).length;
  let size = storedSizes.get(row);
  if (size === undefined) {
    size = JSON.stringify(row).length;
    storedSizes.set(row, size);
  }
  return size;
}

/** Characters an expansion adds to its entity: `,"name":` and the value, a list, an entity or null. */
export function expansionSize(name: string, value: readonly number[] | number | null): number {
  const text = value === null ? 4 : typeof value === 'number' ? value : value.reduce((sum, n) => sum + n + 1, 1);
  return name.length + 4 + text;
}

/** Refuses an answer past MAX_EXPANDED_JSON_CHARS, in Graph's envelope. */
export function checkExpandedSize(chars: number): void {
  if (chars <= MAX_EXPANDED_JSON_CHARS) return;
  throw GraphError.of(
    'badRequest',
    `The $expand in this request would make an answer of more than ${MAX_EXPANDED_JSON_CHARS} characters. Ask for fewer records ($top), fewer properties (a nested $select) or fewer related records (a nested $top or $filter).`,
  );
}
