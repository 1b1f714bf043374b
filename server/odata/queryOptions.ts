// The OData system query options of a request, read once and validated against the entity model.
// Names work with or without the `$` prefix, as Graph accepts both
// (https://learn.microsoft.com/graph/query-parameters); an option given twice is an error, as in Graph's OData library.
import { GraphError } from '../graphErrors.js';
import { percentDecoded } from '../urlText.js';
import { type EntityModel, propertyNamed } from './entityModel.js';
import { type ExpandItem, type ExpandScope, parseExpand } from './expand.js';
import { checkedFilter } from './nestedFilter.js';

export type { ExpandItem, ExpandScope };

export interface OrderKey {
  property: string;
  descending: boolean;
}

export interface QueryOptions {
  filter?: string;
  /** Selected property names as the client spelled them, canonical case; undefined means all. */
  select?: string[];
  /** `$select=*`: every structural property, a derived type's own too (select lists the declared type's). */
  selectAll?: boolean;
  orderby: OrderKey[];
  top?: number;
  skip: number;
  count: boolean;
  expand: ExpandItem[];
  skiptoken?: string;
  /** The raw query string pairs, in order, to repeat in nextLinks. */
  rawPairs: string[];
}

export const MAX_PAGE_SIZE = 999;
/** Sort keys one $orderby may name (chosen: not documented; no resource has more sortable properties). */
export const MAX_ORDERBY_KEYS = 10;
const SYSTEM_OPTIONS = ['filter', 'select', 'orderby', 'top', 'skip', 'count', 'expand', 'search', 'skiptoken', 'format'];

function badRequest(message: string): GraphError {
  return GraphError.of('badRequest', message);
}

function decode(part: string): string {
  const decoded = percentDecoded(part.replace(/\+/g, ' '));
  if (decoded === undefined) throw badRequest(`The query string part '${part}' is not valid percent-encoding.`);
  return decoded;
}

/** Option name (lower case, without `$`) -> value, from the raw query string of a URL. */
export function readOptions(originalUrl: string): { values: Map<string, string>; rawPairs: string[] } {
  const query = originalUrl.includes('?') ? originalUrl.slice(originalUrl.indexOf('?') + 1) : '';
  const rawPairs = query.split('&').filter((p) => p !== '');
  const values = new Map<string, string>();
  for (const pair of rawPairs) {
    const eq = pair.indexOf('=');
    const rawName = decode(eq === -1 ? pair : pair.slice(0, eq)).trim();
    const name = rawName.replace(/^\$/, '').toLowerCase();
    if (!SYSTEM_OPTIONS.includes(name)) {
      // Custom options (no `$`) are the client's business; an unknown system option is an error in OData.
      if (rawName.startsWith('$')) throw badRequest(`The query parameter '${rawName}' is not supported.`);
      continue;
    }
    if (values.has(name)) throw badRequest(`Query option '$${name}' was specified more than once, but it must be specified at most once.`);
    values.set(name, eq === -1 ? '' : decode(pair.slice(eq + 1)));
  }
  return { values, rawPairs };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** How ASP.NET OData, Graph's service stack, begins the message of a query it refuses (SRResources.UriQueryStringInvalid). */
const QUERY_NOT_VALID = 'The query specified in the URI is not valid.';
/** The largest $skip ASP.NET OData, Graph's service stack, takes: SkipQueryOption.Value is an Int32. */
const MAX_SKIP = 2_147_483_647;
const MAX_INT64 = 9_223_372_036_854_775_807n;

/**
 * $top and $skip as Graph's OData library reads them (ODataQueryOptionParser.ParseTop/ParseSkip: .NET's long.TryParse,
 * which takes spaces around the number and a sign, `+5` and `-0` too), then as ASP.NET OData, Graph's service stack,
 * reads the library's long into an int (SkipQueryOption.Value). A $skip that is none, negative or past Int64 is refused
 * in the library's words, one past Int32 in ASP.NET OData's (SRResources.SkipTopLimitExceeded), each behind the prefix
 * ASP.NET OData gives a query it refuses (EnableQueryAttribute: both are thrown as the query is validated); a $top
 * outside the page sizes the service takes in the service's.
 */
function wholeNumber(value: string, name: '$top' | '$skip', min: number, max: number): number {
  const digits = value.trim();
  const whole = /^[+-]?\d+$/.test(digits) ? BigInt(digits) : undefined;
  if (whole === undefined || whole < BigInt(min) || whole > (name === '$skip' ? MAX_INT64 : BigInt(max))) {
    if (name === '$top') throw badRequest(`Invalid page size specified: '${value}'. Must be between ${min} and ${max} inclusive.`);
    throw badRequest(
      `${QUERY_NOT_VALID} Invalid value '${value}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`,
    );
  }
  if (whole > BigInt(max)) {
    throw badRequest(`${QUERY_NOT_VALID} The limit of '${max}' for Skip query has been exceeded. The value from the incoming request is '${value}'.`);
  }
  return Number(whole);
}

function parseSelect(value: string, model: EntityModel): string[] {
  const names = list(value);
  if (names.length === 0) throw badRequest(`The $select query option must name at least one property.`);
  if (names.includes('*')) return [...model.properties.values()].map((p) => p.name);
  const selected: string[] = [];
  for (const name of names) {
    if (model.navigation.some((n) => n.toLowerCase() === name.toLowerCase())) {
      throw badRequest(`Selecting the navigation property '${name}' is not supported; use $expand=${name}.`);
    }
    const property = propertyNamed(model, name, 'badRequest').name;
    if (!selected.includes(property)) selected.push(property);
  }
  return selected;
}

/**
 * The clauses of $orderby. Graph's OData library reads an expression after every comma, so an empty clause
 * (`displayName,`, `,displayName`, `a,,b`) is refused in its words, with the position where one was expected
 * (UriQueryExpressionParser.ParseOrderBy; chosen: not documented on Graph's pages); so is an empty or blank $orderby
 * nested in $expand, which no ASP.NET OData check refuses before the library reads it (refuseEmptyOptions).
 */
function orderByClauses(value: string): string[] {
  const clauses: string[] = [];
  let at = 0;
  for (const part of value.split(',')) {
    const clause = part.trim();
    if (clause === '') {
      const expected = at + part.length - part.trimStart().length;
      throw badRequest(`Expression expected at position ${expected} in '${value}'.`);
    }
    if (clause !== '') clauses.push(clause);
    at += part.length + 1;
  }
  return clauses;
}

// A property named twice is refused in the words of Graph's OData library (Microsoft.OData.Core; quoted in
// OData/WebApi issue #376): ordering by it again could never change the order, only the cost of comparing.
function parseOrderBy(value: string | undefined, model: EntityModel): OrderKey[] {
  if (value === undefined) return [];
  const clauses = orderByClauses(value);
  if (clauses.length > MAX_ORDERBY_KEYS)
    throw badRequest(`The $orderby query option may name at most ${MAX_ORDERBY_KEYS} properties; it names ${clauses.length}.`);
  const keys: OrderKey[] = [];
  for (const clause of clauses) {
    const match = /^(\S+)(?:\s+(asc|desc))?$/i.exec(clause);
    if (!match) throw badRequest(`Syntax error in $orderby at '${clause}': expected a property name followed by asc or desc.`);
    const property = propertyNamed(model, match[1]!, 'badRequest');
    if (!property.queryable) throw badRequest(`OData query is invalid: ordering by the property '${property.name}' is not supported.`);
    if (keys.some((k) => k.property === property.name)) throw badRequest(`Duplicate property named '${property.name}' is not supported in '$orderby'.`);
    keys.push({ property: property.name, descending: match[2]?.toLowerCase() === 'desc' });
  }
  return keys;
}

/** What a URL without a query string asks for, per entity model: read by every plain get and list. */
const noOptions = new WeakMap<ExpandScope, QueryOptions>();

/** What a path reads: a collection (the list's options all apply) or one entity ($select and $expand only). */
type Target = 'collection' | 'entity';

/**
 * The options of a request to a collection or an entity of the scope's type. `name` is what a refused $search names:
 * the path's collection as the client wrote it (a navigation's name), by default the model's entity set.
 */
export function parseQueryOptions(originalUrl: string, scope: ExpandScope, target: Target = 'collection', name?: string): QueryOptions {
  if (originalUrl.includes('?')) return parse(originalUrl, scope, target, name);
  let options = noOptions.get(scope);
  if (options === undefined) {
    options = Object.freeze(parse('', scope, target));
    noOptions.set(scope, options);
  }
  return options;
}

/** The options nested in one $expand item, read against the type it reaches. */
export interface NestedOptions {
  filter?: string;
  select?: string[];
  selectAll?: boolean;
  orderby: OrderKey[];
  top?: number;
  expand: ExpandItem[];
}

/** Read once per item, when the query is parsed (expandOf), and by whatever renders it afterwards. */
const nestedOf = new WeakMap<ExpandItem, NestedOptions>();

export function nestedOptions(item: ExpandItem): NestedOptions {
  let nested = nestedOf.get(item);
  if (nested === undefined) {
    nested = readNested(item);
    nestedOf.set(item, nested);
  }
  return nested;
}

function readNested(item: ExpandItem): NestedOptions {
  const { model } = item.scope;
  const get = (name: string) => item.options.get(name);
  const filter = get('filter');
  const select = get('select');
  const top = get('top');
  return {
    filter: filter === undefined ? undefined : checkedFilter(filter, model),
    select: select === undefined ? undefined : parseSelect(select, model),
    ...(select !== undefined && list(select).includes('*') ? { selectAll: true } : {}),
    orderby: parseOrderBy(get('orderby'), model),
    top: top === undefined ? undefined : wholeNumber(top, '$top', 1, MAX_PAGE_SIZE),
    expand: expandOf(get('expand') ?? '', item.scope, item.depth + 1),
  };
}

/**
 * The items of an $expand with every nested option read now, at every depth: a query is accepted or refused
 * whatever the records, as Graph's OData library binds the whole $expand tree before it reads any
 * (https://learn.microsoft.com/graph/query-parameters#expand-parameter).
 */
function expandOf(value: string, scope: ExpandScope, depth = 1): ExpandItem[] {
  const items = parseExpand(value, scope, depth);
  for (const item of items) nestedOptions(item);
  return items;
}

/**
 * On one entity, the options that shape a collection are refused in the words of ASP.NET OData, Graph's service
 * stack (EnableQueryAttribute.ValidateSelectExpandOnly): OData 4.01 URL conventions §5.1 apply them to collections
 * only. $skiptoken, which that check leaves out, gets the same answer naming it, since no page of one entity follows
 * (chosen: not documented on Graph's pages).
 */
function refuseCollectionOptions(values: ReadonlyMap<string, string>): void {
  if (['filter', 'orderby', 'count', 'skip', 'top'].some((name) => values.has(name)))
    throw badRequest(`${NOT_A_COLLECTION} Query options $filter, $orderby, $count, $skip, and $top can be applied only on collections.`);
  if (values.has('skiptoken')) throw badRequest(`${NOT_A_COLLECTION} Query option $skiptoken can be applied only on collections.`);
}

const NOT_A_COLLECTION = `${QUERY_NOT_VALID} The requested resource is not a collection.`;

/**
 * ASP.NET OData, Graph's service stack, refuses these options empty or blank, the first in the query string first
 * (ODataQueryOptions.ThrowIfEmpty; the words as OData/WebApi issue 2091 quotes them): an empty $orderby orders by
 * nothing only where the stack does not read it. $select, $expand and $count are read as they are.
 */
function refuseEmptyOptions(values: ReadonlyMap<string, string>): void {
  for (const [name, value] of values) {
    if (['filter', 'orderby', 'top', 'skip'].includes(name) && value.trim() === '')
      throw badRequest(`${QUERY_NOT_VALID} The value for OData query '$${name}' cannot be empty.`);
  }
}

function parse(originalUrl: string, scope: ExpandScope, target: Target, name = scope.model.collection): QueryOptions {
  const { model } = scope;
  const { values, rawPairs } = readOptions(originalUrl);
  if (target === 'entity') refuseCollectionOptions(values);
  refuseEmptyOptions(values);
  // The live service does not search access packages; $filter with contains() is the documented way, named where
  // the type has a displayName to filter on (a v1.0 policy's questions have none).
  if (values.has('search')) {
    const hint = model.properties.has('displayname') ? "; use $filter=contains(tolower(displayName),'...')" : '';
    throw badRequest(`The query parameter '$search' is not supported on ${name}${hint}.`);
  }
  // `true` or `false` in small letters, spaces around them aside, as Graph's OData library reads $count
  // (ODataQueryOptionParser.ParseCount): `$count=True`, what .NET's bool.ToString() writes, is its 400 (OData/odata.net
  // issue 1330).
  const count = values.get('count');
  if (count !== undefined && !['true', 'false'].includes(count.trim())) throw badRequest(`'${count}' is not a valid count option.`);
  const select = values.get('select');
  const top = values.get('top');
  const skip = values.get('skip');
  return {
    filter: values.get('filter'),
    select: select === undefined ? undefined : parseSelect(select, model),
    ...(select !== undefined && list(select).includes('*') ? { selectAll: true } : {}),
    orderby: parseOrderBy(values.get('orderby'), model),
    top: top === undefined ? undefined : wholeNumber(top, '$top', 1, MAX_PAGE_SIZE),
    skip: skip === undefined ? 0 : wholeNumber(skip, '$skip', 0, MAX_SKIP),
    count: count?.trim() === 'true',
    expand: expandOf(values.get('expand') ?? '', scope),
    skiptoken: values.get('skiptoken'),
    rawPairs,
  };
}
