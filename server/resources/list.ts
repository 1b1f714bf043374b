// GET on a collection, an entity set or a collection-valued navigation path: $filter, $select, $orderby, $top,
// $skip, $count, $expand and server-driven paging, over the stored records the path reaches.
// https://learn.microsoft.com/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-beta
// https://learn.microsoft.com/graph/paging
import type { Request, Response } from 'express';
import { contextOf, expansionBudgetOf, storeOf } from '../http/context.js';
import { sendOData } from '../http/successAnswers.js';
import { cursorAfter, selectPage } from '../odata/listPage.js';
import { type Ordering, ordering } from '../odata/ordering.js';
import { decodeSkipToken, encodeSkipToken, nextLink, preferredPageSize } from '../odata/paging.js';
import { type QueryOptions, parseQueryOptions } from '../odata/queryOptions.js';
import { graphRoot } from '../graphWire.js';
import type { ApiVersion } from '../metadata/csdl.js';
import type { Store } from '../store/store.js';
import type { Row, RowScope } from './definition.js';
import { contextUrl, entitySetPath, serverBaseUrl } from './outbound.js';
import { filterOf, renderPage } from './render.js';
import { MAX_EXPANDED_JSON_CHARS } from '../expansionBudget.js';
import type { TypeView } from './views.js';

export interface ListDeps {
  baseUrl?: string;
  /** Page size when the client asks for none (1..999). */
  pageSize: number;
}

interface ListTarget {
  view: TypeView;
  /** The records the path reaches; the whole collection when absent. */
  scope?: RowScope;
  /** The path read, relative to entitlement management, for @odata.context. */
  contextPath: string;
  /**
   * The resource read, as its $skiptoken is bound to it: the same text however the request spelt the path (key
   * syntax, percent-encoding, case), so that an equivalent path follows the token. pagedPath makes it.
   */
  pagedPath: string;
  /** The collection a refused $search names when the path's is not the view's entity set: a navigation's name. */
  name?: string;
  /** Written first in each item (a function's answer carries its items' type). */
  itemType?: string;
  /**
   * False where the path ends in a navigation that does not contain its target (a package's incompatible packages)
   * or is a function's answer: OData knows no path for the items, so their contained expansions carry no context
   * (expandContexts.ts Placement).
   */
  placed?: boolean;
  /** A `$ref` list: each item is the URL of the record (`{"@odata.id": …}`), under the context `Collection($ref)`. */
  refUrl?: (id: string) => string;
}

/** An ordering over stored records, reading the wire form where the version renames properties. */
function orderingOf(view: TypeView, options: QueryOptions, store: Store): Ordering | undefined {
  if (options.orderby.length === 0) return undefined;
  const order = ordering(options.orderby, view.model);
  if (view.storedNames) return order;
  // Ties are broken by the stored id, the one the store's index orders by and the token's cursor names: a projection
  // may show another (a group's id for the link behind an incompatibleGroups row), and comparing that with the
  // cursor's would resume at the wrong place, repeating or skipping records.
  const wire = (row: Row): Row => {
    const shown = view.project(row, store);
    return shown['id'] === row['id'] ? shown : { ...shown, id: row['id'] };
  };
  const { leading } = order;
  return {
    ...order,
    unindexed: view.surface.readsOtherRecords === true,
    keysOf: (row) => order.keysOf(wire(row)),
    compareToKeys: (row, keys, id) => order.compareToKeys(wire(row), keys, id),
    compare: (a, b) => order.compare(wire(a), wire(b)),
    // The store's sorted index is kept per name: one of its own for the renamed properties of this version.
    leading: {
      ...leading,
      name: `${view.version}:${leading.name}`,
      compare: (a, b) => leading.compare(wire(a), wire(b)),
      compareToKey: (row, key) => leading.compareToKey(wire(row), key),
    },
  };
}

/**
 * The resource a list reads as its tokens are bound to it: the entity set's path, then the segments under it, key
 * segments as the stored id. Lower case, as a path in the segment form was bound before, so tokens of that form
 * issued earlier are still followed.
 */
export function pagedPath(version: ApiVersion, entitySet: string, ...segments: string[]): string {
  return [entitySetPath(version, entitySet), ...segments].join('/').toLowerCase();
}

/**
 * What a $skiptoken is bound to beside its own fields ($orderby and the page size): the tenant, the resource and the
 * options that decide what the pages hold. A token followed with any of them changed is refused (odata/paging.ts);
 * $top, Prefer and $count may differ, as docs/querying.md says how they apply to a followed nextLink.
 */
function pagedQuery(req: Request, target: ListTarget, options: QueryOptions): string {
  const expand = options.expand.map((item) => [item.name, [...item.options]]);
  return JSON.stringify([contextOf(req).tenant, target.pagedPath, options.filter ?? null, options.select ?? null, expand]);
}

/**
 * Characters of JSON the records of one page may take: past them the page ends early, with a nextLink to the rest,
 * as server-driven paging may (OData 4.01 Part 1 §11.2.6.7: https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_ServerDrivenPaging;
 * Graph's clients follow the nextLink until there is none: https://learn.microsoft.com/graph/paging). A page holds at
 * least one record, whatever its size. Chosen: Graph documents no such bound; records holding strings of a
 * megabyte made a page of 999 too long for one string (a 500) and a few such pages at once ran the process out of
 * memory. The same 16 MiB as an answer with $expand (expansionBudget.ts), whose larger answers are refused instead.
 */
export const MAX_PAGE_JSON_CHARS = MAX_EXPANDED_JSON_CHARS;

/** How many of a page's records, by the characters each takes, fit within MAX_PAGE_JSON_CHARS (one at least). */
export function keptWithinBound(sizes: readonly number[], limit = MAX_PAGE_JSON_CHARS): number {
  // As a list's JSON counts them: its brackets, and a comma between two records.
  let chars = 1;
  for (let i = 0; i < sizes.length; i += 1) {
    chars += sizes[i]! + 1;
    if (chars > limit && i > 0) return i;
  }
  return sizes.length;
}

export function listRecords({ baseUrl, pageSize: defaultPageSize }: ListDeps, req: Request, res: Response, target: ListTarget): void {
  const { view, scope } = target;
  const store = storeOf(req);
  const options = parseQueryOptions(req.originalUrl, view.scope, 'collection', target.name);
  const filter = options.filter === undefined ? undefined : filterOf(view, options.filter, store);
  const where = scope?.where;
  const predicate = filter && where ? (row: Row) => where(row) && filter(row) : (filter ?? where);
  const order = options.orderby.map((k) => `${k.property} ${k.descending ? 'desc' : 'asc'}`).join(',');
  const cursor = options.skiptoken === undefined ? undefined : decodeSkipToken(options.skiptoken, order, pagedQuery(req, target, options));
  // $top wins over the Prefer header; a followed nextLink keeps the size its token was issued with.
  const preferred = preferredPageSize(req.get('Prefer'));
  const pageSize = options.top ?? preferred ?? cursor?.pageSize ?? defaultPageSize;

  const collection = scope?.collection ?? view.resource.collection;
  // Past the last record the order cannot matter: the page is empty, found by one scan (for $count) instead of a sort.
  const pastTheEnd = cursor === undefined && options.skip >= store.count(collection);
  const sorted = pastTheEnd ? undefined : orderingOf(view, options, store);
  const page = selectPage(store, collection, { predicate, ordering: sorted, cursor, skip: options.skip, pageSize, count: options.count });

  const at = target.placed === false ? undefined : { path: target.contextPath, keyed: true };
  const rendered = renderPage(view, page.items as unknown as Row[], options, store, expansionBudgetOf(req), at);
  // A `$ref` list's items are links, whatever their records hold.
  const kept = target.refUrl ? rendered.rows.length : keptWithinBound(rendered.sizes);
  const rows = kept === rendered.rows.length ? rendered.rows : rendered.rows.slice(0, kept);
  const next = kept === rendered.rows.length ? page.next : cursorAfter(store, collection, sorted, page.items[kept - 1] as unknown as Row & { id: string });
  const context = target.refUrl ? `${graphRoot(view.version)}/$metadata#Collection($ref)` : contextUrl(view.version, target.contextPath, options);
  const body: Record<string, unknown> = { '@odata.context': context };
  if (page.count !== undefined) body['@odata.count'] = page.count;
  if (next) {
    const token = encodeSkipToken({ ...next, order, pageSize }, pagedQuery(req, target, options));
    body['@odata.nextLink'] = nextLink(serverBaseUrl(req, baseUrl), req.path.replace(/\/$/, ''), options.rawPairs, token);
  }
  const { itemType, refUrl } = target;
  if (refUrl) body['value'] = rows.map((row) => ({ '@odata.id': refUrl(String(row['id'])) }));
  else body['value'] = itemType === undefined ? rows : rows.map((row) => ({ '@odata.type': itemType, ...row }));
  if (options.top === undefined && preferred !== undefined) res.setHeader('Preference-Applied', `odata.maxpagesize=${preferred}`);
  sendOData(res, 200, body);
}
