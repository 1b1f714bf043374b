// How an accessPackage is shown to a read: the id check, $select projection, $expand of the catalog, and the
// matching @odata.context. https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta
import { GraphError } from '../../graphErrors.js';
import { ACCESS_PACKAGES_CONTEXT } from '../outbound.js';
import type { AccessPackage, Store } from '../../store/types.js';

export const EXPANDABLE = ['accessPackageCatalog'];

export interface ViewOptions {
  select?: readonly string[];
  expand: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored form of an id from a URL: a GUID, lower-cased (Graph matches ids case-insensitively). */
export function accessPackageId(raw: string): string {
  if (!GUID.test(raw)) throw GraphError.of('badRequest', `Invalid id '${raw}': an accessPackage id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.`);
  return raw.toLowerCase();
}

/** The collection context, with the selected properties in parentheses as Graph writes them. */
export function collectionContext(select: readonly string[] | undefined): string {
  return select ? `${ACCESS_PACKAGES_CONTEXT}(${select.join(',')})` : ACCESS_PACKAGES_CONTEXT;
}

/**
 * A record as the read asked for it; `id` is always included, as Graph always returns the key. Without
 * $select or $expand this is the stored record itself (serialised, never modified), so a page costs no copies.
 */
export function accessPackageView(record: AccessPackage, options: ViewOptions, store: Store): Readonly<Record<string, unknown>> {
  const source = record as unknown as Readonly<Record<string, unknown>>;
  const expandCatalog = options.expand.includes('accessPackageCatalog');
  if (!options.select && !expandCatalog) return source;
  const view: Record<string, unknown> = options.select ? { id: record.id } : { ...source };
  for (const name of options.select ?? []) view[name] = source[name] ?? null;
  if (expandCatalog) {
    view['accessPackageCatalog'] = record.catalogId ? (store.get('accessPackageCatalogs', record.catalogId) ?? null) : null;
  }
  return view;
}
