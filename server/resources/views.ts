// How a record is shown to a read: the id in the URL checked, $select projected and $expand resolved.
// https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta ($select and $expand apply)
import { COLLECTIONS } from '../collections.js';
import { GraphError } from '../graphErrors.js';
import type { Store } from '../store/types.js';
import type { ResourceDefinition, Row } from './definition.js';

export interface ViewOptions {
  select?: readonly string[];
  expand: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored form of an id from a URL: a GUID, lower-cased (Graph matches ids case-insensitively). */
export function storedId(resource: ResourceDefinition, raw: string): string {
  if (!GUID.test(raw)) {
    throw GraphError.of('badRequest', `Invalid id '${raw}': an ${COLLECTIONS[resource.collection]} id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.`);
  }
  return raw.toLowerCase();
}

/**
 * A record as the read asked for it; `id` is always included, as Graph always returns the key. Without
 * $select or $expand this is the stored record itself (serialised, never modified), so a page costs no copies.
 */
export function recordView(resource: ResourceDefinition, record: Row, options: ViewOptions, store: Store): Row {
  if (!options.select && options.expand.length === 0) return record;
  const view: Record<string, unknown> = options.select ? { id: record['id'] } : { ...record };
  for (const name of options.select ?? []) view[name] = record[name] ?? null;
  for (const name of options.expand) view[name] = resource.expand[name]!(record, store);
  return view;
}
