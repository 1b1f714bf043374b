// Records as a read asked for them: projected to the version's wire form, $select applied (`id` always kept, as
// Graph always returns the key), and each $expand item resolved for all the records of a level at once, with its
// own nested $select, $expand, $filter, $orderby and $top, and the answer's size counted before it is made
// (expansionSize.ts). Without $select or $expand a record goes out as its wire form, which for most types is the
// stored record itself, so a page costs no copies.
// https://learn.microsoft.com/graph/query-parameters#expand-parameter
import type { ExpandItem } from '../odata/expand.js';
import { compileFilter } from '../odata/filterCompile.js';
import { parseFilter } from '../odata/filterParser.js';
import { ordering } from '../odata/ordering.js';
import { type NestedOptions, nestedOptions } from '../odata/queryOptions.js';
import type { Store } from '../store/store.js';
import type { MutableRow, Row } from './definition.js';
import { type ExpansionBudget, newExpansionBudget } from '../expansionBudget.js';
import { checkExpandedSize, expansionSize, ownSize } from './expansionSize.js';
import { type LevelPaths, type Placement, levelPaths, navigationPaths, writeContext } from './expandContexts.js';
import { renameFilterPaths } from './typeModel.js';
import type { NavigationView, TypeView } from './views.js';

interface ViewOptions {
  select?: readonly string[];
  /** `$select=*`: an entity of a derived type keeps its own properties too (a v1.0 question's regexPattern, choices). */
  selectAll?: boolean;
  expand: readonly ExpandItem[];
}

/** The related records of each record, through one navigation property. */
function relatedOf(nav: NavigationView, records: readonly Row[], store: Store): Map<Row, Row[] | Row | null> {
  const { navigation } = nav;
  const result = new Map<Row, Row[] | Row | null>();
  if (navigation.held) {
    for (const record of records) result.set(record, [...navigation.held(record)]);
    return result;
  }
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
  const paths = view.surface.filterPaths ?? view.resource.filterPaths;
  const predicate = compileFilter(renameFilterPaths(parseFilter(text), paths), view.filterModel);
  if (view.storedNames) return predicate;
  // A documented path reads a stored link the version's form leaves out (v1.0's catalog/id, the request's catalogId):
  // the form laid over the stored record. The filter model lets a client name only the form's names and the paths.
  return paths === undefined ? (row) => predicate(view.project(row, store)) : (row) => predicate({ ...row, ...view.project(row, store) });
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

/**
 * The records projected to the version's wire form with $select applied (`id` always kept), each a copy of its own
 * where expansions will be added to it; without $select or $expand the wire form itself, so a page costs no copies.
 */
function shaped(view: TypeView, records: readonly Row[], options: ViewOptions, store: Store): MutableRow[] {
  const wire = records.map((r) => view.project(r, store));
  if (!options.select && options.expand.length === 0) return wire as MutableRow[];
  return wire.map((w) => {
    if (!options.select) return { ...w } as MutableRow;
    // A derived type's entity keeps its @odata.type (an expanded question: accessPackageQuestion is abstract).
    const selected: MutableRow = w['@odata.type'] === undefined ? { id: w['id'] } : { '@odata.type': w['@odata.type'], id: w['id'] };
    for (const name of options.select) selected[name] = w[name] ?? null;
    // `$select=*` is every structural property of the entity's own type: a derived one's too, which the declared
    // (abstract) type's list lacks. https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_SystemQueryOptionselect
    if (options.selectAll && w['@odata.type'] !== undefined) for (const [name, value] of Object.entries(w)) if (!(name in selected)) selected[name] = value;
    return selected;
  });
}

/** Rendered entities, each with the characters of JSON it will take, its expansions included. */
interface Rendered {
  rows: Row[];
  sizes: number[];
}

/** The records an item reaches from each record: its list narrowed, or its entity (null where none or filtered out). */
function reachedBy(nav: NavigationView, records: readonly Row[], nested: NestedOptions, filter: ((row: Row) => boolean) | undefined, store: Store) {
  const target = nav.view();
  const related = relatedOf(nav, records, store);
  return records.map((record): Row[] | Row | null => {
    const value = related.get(record) ?? null;
    if (Array.isArray(value)) return narrowed(target, value, nested, filter, store);
    return value === null || (filter && !filter(value)) ? null : value;
  });
}

// A $filter on a single-valued navigation keeps the related entity when it matches and answers null otherwise,
// as $filter keeps only the items for which it is true (OData 4.01 Part 2 §5.1.3 allows it in any expand item,
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_SystemQueryOptionexpand;
// ASP.NET OData's HandleReferenceNavigationPropertyExpandFilter does the same). Chosen: Graph documents nothing.
// Each item is read for all the records of a level at once, and each record it reaches is rendered once however
// many records reach it (the catalog of a page of packages), the rendered entity shared among them: the work is
// bounded by the records, and only the answer's text repeats it, which expansionSize.ts bounds first. A contained
// navigation whose targets expand further is the exception: their own contexts name the path through each parent
// (expandContexts.ts), so each is rendered where it is reached, work bounded by the answer's size as counted.
function render(
  view: TypeView,
  records: readonly Row[],
  options: ViewOptions,
  store: Store,
  filters: NestedFilters,
  budget: ExpansionBudget,
  at?: LevelPaths,
): Rendered {
  const out = shaped(view, records, options, store);
  const unchanged = !options.select && options.expand.length === 0;
  // Each record of a level is in the answer at least once, so their own text alone passing what is left refuses the
  // request at once, before the rest of the level is sized or anything below it read (a 4-level $expand at 100,000
  // packages read and rendered every level first: 3.8 s, then the refusal).
  let level = 0;
  const sizes = out.map((row) => {
    const size = ownSize(row, unchanged);
    level += size;
    checkExpandedSize(level, budget);
    return size;
  });
  if (unchanged) return { rows: out, sizes };
  for (const item of options.expand) {
    const nav = view.navigation.get(item.name.toLowerCase())!;
    const nested = nestedOptions(item);
    const reached = reachedBy(nav, records, nested, filters.get(item), store);
    // The path of each record's navigation, where it contains its target and OData writes its context (expandContexts.ts).
    const navPaths = navigationPaths(at, nav, out, item.name);
    const placed = navPaths !== undefined && nested.expand.length > 0;
    const distinct = new Map<Row, number>();
    const innerRecords: Row[] = [];
    const innerBases: string[] = [];
    // Where placed, a record gets an index per place it is reached (its contexts differ); otherwise one per record.
    const indexes = reached.map((value, i) =>
      (value === null ? [] : Array.isArray(value) ? value : [value]).map((row) => {
        if (placed) {
          innerBases.push(navPaths[i]!);
          return innerRecords.push(row) - 1;
        }
        let index = distinct.get(row);
        if (index === undefined) {
          index = innerRecords.push(row) - 1;
          distinct.set(row, index);
        }
        return index;
      }),
    );
    const inner = render(
      nav.view(),
      innerRecords,
      { select: nested.select, selectAll: nested.selectAll, expand: nested.expand },
      store,
      filters,
      budget,
      placed ? { bases: innerBases, keyed: nav.navigation.many } : undefined,
    );
    reached.forEach((value, i) => {
      const row = out[i]!;
      if (navPaths !== undefined) sizes[i]! += writeContext(row, view, nav, item.name, navPaths[i]!, nested);
      const indexOf = (n: number) => indexes[i]![n]!;
      if (Array.isArray(value)) {
        row[item.name] = value.map((_, n) => inner.rows[indexOf(n)]!);
        sizes[i]! += expansionSize(
          item.name,
          value.map((_, n) => inner.sizes[indexOf(n)]!),
        );
      } else {
        row[item.name] = value === null ? null : inner.rows[indexOf(0)]!;
        sizes[i]! += expansionSize(item.name, value === null ? null : inner.sizes[indexOf(0)]!);
      }
      checkExpandedSize(sizes[i]!, budget);
    });
  }
  return { rows: out, sizes };
}

/**
 * The records as the read asked for them, their expansions counted against `budget` (a fresh one when the request
 * is no $batch item) and taken from it. What is counted is the JSON text of the records as JSON.stringify writes
 * them (UTF-16 units): a list's `[…]` with its commas, one entity's object alone, with the `@odata.context` of its
 * contained expansions; not the envelope around them (`@odata.context`, `@odata.count`, `@odata.nextLink`, an item's
 * `@odata.type`). `at` places the records for those contexts (expandContexts.ts).
 */
export function renderRows(
  view: TypeView,
  records: readonly Row[],
  options: ViewOptions,
  store: Store,
  budget?: ExpansionBudget,
  one = false,
  at?: Placement,
): Row[] {
  if (options.expand.length === 0) return shaped(view, records, options, store);
  return expanded(view, records, options, store, budget, one, at).rows;
}

/** Records with their expansions, what they count taken from `budget` (a fresh one without it). */
function expanded(
  view: TypeView,
  records: readonly Row[],
  options: ViewOptions,
  store: Store,
  budget: ExpansionBudget | undefined,
  one: boolean,
  at: Placement | undefined,
): Rendered {
  const within = budget ?? newExpansionBudget(false);
  const rendered = render(view, records, options, store, nestedFilters(view, options.expand, store), within, levelPaths(at, records.length));
  const { sizes } = rendered;
  const chars = one ? sizes[0]! : sizes.reduce((sum, n) => sum + n + 1, 1) + (sizes.length === 0 ? 1 : 0);
  checkExpandedSize(chars, within);
  within.remaining -= chars;
  return rendered;
}

/**
 * A page's records as renderRows makes them, with the characters of JSON each will take (its expansions included):
 * list.ts ends a page early past MAX_PAGE_JSON_CHARS. A record that goes out as it is stored is measured once
 * (expansionSize.ts ownSize), so a plain page costs a lookup per record.
 */
export function renderPage(view: TypeView, records: readonly Row[], options: ViewOptions, store: Store, budget?: ExpansionBudget, at?: Placement): Rendered {
  if (options.expand.length === 0) {
    const rows = shaped(view, records, options, store);
    const unchanged = !options.select;
    return { rows, sizes: rows.map((row) => ownSize(row, unchanged)) };
  }
  return expanded(view, records, options, store, budget, false, at);
}

export function renderRow(view: TypeView, record: Row, options: ViewOptions, store: Store, budget?: ExpansionBudget, at?: Placement): Row {
  return renderRows(view, [record], options, store, budget, true, at)[0]!;
}
