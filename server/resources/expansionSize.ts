// What an answer with $expand may grow to. An expansion multiplies: every package of a page expands its catalog,
// which expands its packages, so a few hundred records could make an answer of gigabytes, built on the event loop
// before it failed as too long for one string. render.ts reads each record reached once per level and shares what
// it renders wherever the record recurs, so the work is bounded by the records; this counts the characters of JSON
// the answer will hold, recurrences included, and refuses the request once they pass the bound, before any text is
// made. Chosen: not documented (Graph answers nothing this large; the bound is far above what its pages show).
import { GraphError } from '../graphErrors.js';
import type { Row } from './definition.js';
import { type ExpansionBudget, MAX_EXPANDED_JSON_CHARS } from '../expansionBudget.js';

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

/** Characters an expanded navigation's context adds to its entity: `,"name@odata.context":` and the URL as a string. */
export function annotationSize(name: string, url: string): number {
  return name.length + '@odata.context'.length + 4 + JSON.stringify(url).length;
}

const NARROWER = 'Ask for fewer records ($top), fewer properties (a nested $select) or fewer related records (a nested $top or $filter).';

/** Refuses an answer past what the budget has left, in Graph's envelope. */
export function checkExpandedSize(chars: number, budget: ExpansionBudget): void {
  if (chars <= budget.remaining) return;
  throw GraphError.of(
    'badRequest',
    budget.shared
      ? `The $expand in this request would make an answer of more than the ${budget.remaining} characters left of the ${MAX_EXPANDED_JSON_CHARS} that the requests of one $batch share. ${NARROWER}`
      : `The $expand in this request would make an answer of more than ${MAX_EXPANDED_JSON_CHARS} characters. ${NARROWER}`,
  );
}
