// Records as a read asked for them: projected to the version's wire form, $select applied (`id` always kept, as
// Graph always returns the key), and each $expand item resolved for all the records of a level at once, with its
// own nested $select, $expand, $filter, $orderby and $top. Without $select or $expand a record goes out as its
// wire form, which for most types is the stored record itself, so a page costs no copies.
// https://learn.microsoft.com/graph/query-parameters#expand-parameter
import type { ExpandItem } from '../odata/expand.js';
import { compileFilter } from '../odata/filterCompile.js';
import { parseFilter } from '../odata/filterParser.js';
import { ordering } from '../odata/ordering.js';
import { type NestedOptions, nestedOptions } from '../odata/queryOptions.js';
import type { Store } from '../store/types.js';
import type { MutableRow, Row } from './definition.js';
import { renameFilterPaths } from './typeModel.js';
import type { NavigationView, TypeView } from './views.js';

export interface ViewOptions {
  select?: readonly string[];
  expand: readonly ExpandItem[];
}

/** The related records of each record, through one navigation property. */
function relatedOf(nav: NavigationView, records: readonly Row[], store: Store): Map<Row, Row[] | Row | null> {
  const { navigation } = nav;
  const result = new Map<Row, Row[] | Row | null>();
  if (!navigation.many) {
    for (const record of records) result.set(record, navigation.one!(record, store));
    return result;
  }
  if (navigation.batch && records.length > 1) return navigation.batch(records, store);
  for (const record of records) {
    const { collection, where } = navigation.scope!(record, store);
    result.set(
      record,
      (store.list(collection) as unknown as Row[]).filter((row) => where(row)),
    );
  }
  return result;
}

/** A predicate over stored records for a $filter read against a view (its wire names, its documented paths). */
export function filterOf(view: TypeView, text: string, store: Store): (row: Row) => boolean {
  const predicate = compileFilter(renameFilterPaths(parseFilter(text), view.surface.filterPaths ?? view.resource.filterPaths), view.filterModel);
  return view.storedNames ? predicate : (row) => predicate(view.project(row, store));
}

/** The predicate of each nested $filter in an $expand tree, by item. */
type NestedFilters = ReadonlyMap<ExpandItem, (row: Row) => boolean>;

/**
 * Every nested $filter of the tree bound against the view it reaches, before any record is read, so that a filter
 * the parser left to the view (a documented path, nestedFilter.ts) is refused whatever the records too.
 */
function nestedFilters(view: TypeView, items: readonly ExpandItem[], store: Store, into = new Map<ExpandItem, (row: Row) => boolean>()): NestedFilters {
  for (const item of items) {
    const target = view.navigation.get(item.name.toLowerCase())!.view();
    const nested = nestedOptions(item);
    if (nested.filter !== undefined) into.set(item, filterOf(target, nested.filter, store));
    nestedFilters(target, nested.expand, store, into);
  }
  return into;
}

/** The nested options of an $expand item applied to the records it reaches: filter, order, top. */
function narrowed(view: TypeView, rows: Row[], nested: NestedOptions, filter: ((row: Row) => boolean) | undefined, store: Store): Row[] {
  let result = rows;
  if (filter) result = result.filter(filter);
  if (nested.orderby.length > 0) {
    const order = ordering(nested.orderby, view.model);
    const subject = (row: Row) => (view.storedNames ? row : view.project(row, store));
    result = [...result].sort((a, b) => order.compare(subject(a), subject(b)));
  }
  if (nested.top !== undefined) result = result.slice(0, nested.top);
  return result;
}

// A $filter on a single-valued navigation keeps the related entity when it matches and answers null otherwise,
// as $filter keeps only the items for which it is true (OData 4.01 Part 2 §5.1.3 allows it in any expand item,
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_SystemQueryOptionexpand;
// ASP.NET OData's HandleReferenceNavigationPropertyExpandFilter does the same). Chosen: Graph documents nothing.
function render(view: TypeView, records: readonly Row[], options: ViewOptions, store: Store, filters: NestedFilters): Row[] {
  const wire = records.map((r) => view.project(r, store));
  if (!options.select && options.expand.length === 0) return wire;
  const out = wire.map((w) => {
    if (!options.select) return { ...w } as MutableRow;
    const selected: MutableRow = { id: w['id'] };
    for (const name of options.select) selected[name] = w[name] ?? null;
    return selected;
  });
  for (const item of options.expand) {
    const nav = view.navigation.get(item.name.toLowerCase())!;
    const target = nav.view();
    const related = relatedOf(nav, records, store);
    const nested = nestedOptions(item);
    const filter = filters.get(item);
    const inner: ViewOptions = { select: nested.select, expand: nested.expand };
    records.forEach((record, i) => {
      const value = related.get(record) ?? null;
      if (Array.isArray(value)) out[i]![item.name] = render(target, narrowed(target, value, nested, filter, store), inner, store, filters);
      else out[i]![item.name] = value === null || (filter && !filter(value)) ? null : render(target, [value], inner, store, filters)[0]!;
    });
  }
  return out;
}

/** The records as the read asked for them. */
export function renderRows(view: TypeView, records: readonly Row[], options: ViewOptions, store: Store): Row[] {
  return render(view, records, options, store, nestedFilters(view, options.expand, store));
}

export function renderRow(view: TypeView, record: Row, options: ViewOptions, store: Store): Row {
  return renderRows(view, [record], options, store)[0]!;
}
