// How many characters of JSON the answers with $expand may hold (resources/expansionSize.ts counts them): one
// request's own budget, or one shared by all the items of a $batch (http/batch.ts), whose answer carries them all.
// A module of its own, below http/ and resources/, as both hold a budget.

/** Characters of JSON an answer with $expand may hold (16 MiB, about 35,000 packages as Graph shows them). */
export const MAX_EXPANDED_JSON_CHARS = 16 * 1024 * 1024;

/** What is left: 20 items each just under the bound made 339 MB and 3.45 GB of heap before they shared one. */
export interface ExpansionBudget {
  remaining: number;
  /** Whether the items of a $batch share it (the refusal says so). */
  readonly shared: boolean;
}

export function newExpansionBudget(shared: boolean): ExpansionBudget {
  return { remaining: MAX_EXPANDED_JSON_CHARS, shared };
}
