// What /_emulator/health and reset report per collection: the counts given, zero for every other collection.
import { type CollectionName, perCollection } from '../../server/collections.js';
import type { Dataset } from '../../server/store/records.js';

export function recordCounts(counts: Partial<Record<CollectionName, number>>): Record<CollectionName, number> {
  return { ...perCollection(() => 0), ...counts };
}

/** The counts of a dataset, as the admin endpoints report them. */
export function countsOf(dataset: Dataset): Record<CollectionName, number> {
  return perCollection((name) => dataset[name].length);
}
