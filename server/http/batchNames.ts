// The member names of a $batch body, read from its text as Graph's OData JSON batch reader reads them
// (Microsoft.OData.Core, ODataJsonBatchPayloadItemPropertiesCache.ScanJsonProperties): JSON.parse keeps the last of
// a repeated name, so `{"requests":[…],"requests":[…]}` would run only the second list, and an item with `"id"` and
// `"ID"` only one of its ids. The reader matches an item's property names whatever their case, refuses a name it
// does not know, and a header named twice (not case-sensitive); the bodies of the items are not checked (a repeat
// inside one keeps its last value, as before).
import { GraphError } from '../graphErrors.js';
import { firstRepeatedName, keyCount, repeatedNameError, scanMembers } from './duplicateNames.js';
import { isJsonObject } from '../jsonObject.js';

/** An item's property names as the reader knows them, in upper case (it compares them so). */
export const ITEM_PROPERTIES = new Map(
  ['id', 'atomicityGroup', 'method', 'url', 'headers', 'body', 'dependsOn', 'status'].map((name) => [name.toUpperCase(), name]),
);

/** The upper case of each property name as the batch format spells it, which nearly every item does. */
const SPELLED_UPPER = new Map([...ITEM_PROPERTIES].map(([upper, name]) => [name, upper]));

/** A member name of an item in upper case; a name spelled as the format spells it is looked up, not converted. */
export function upperName(name: string): string {
  return SPELLED_UPPER.get(name) ?? name.toUpperCase();
}

interface ItemNames {
  names: string[];
  /** The names of its (first) `headers` object, in the case written. */
  headers: string[] | undefined;
}

type Role = 'envelope' | 'requests' | 'item' | 'headers' | 'other';

interface Open {
  object: boolean;
  role: Role;
  /** The item this container is, or is the headers of. */
  item?: ItemNames;
  /** The last member name read in this object. */
  member?: string;
}

/** What a container opened in `parent` (under its last member name) is to the batch. */
function roleOf(parent: Open | undefined, object: boolean): Role {
  if (parent === undefined) return object ? 'envelope' : 'other';
  if (parent.role === 'envelope' && !object && parent.member === 'requests') return 'requests';
  if (parent.role === 'requests' && object) return 'item';
  if (parent.role === 'item' && object && parent.member?.toUpperCase() === 'HEADERS' && parent.item!.headers === undefined) return 'headers';
  return 'other';
}

/** The property and header names of each object of the body's `requests` array, as the text writes them. */
export function itemNames(text: string): ItemNames[] {
  const items: ItemNames[] = [];
  const open: Open[] = [];
  scanMembers(text, {
    open: (object) => {
      const parent = open.at(-1);
      const entry: Open = { object, role: roleOf(parent, object) };
      if (entry.role === 'item') {
        entry.item = { names: [], headers: undefined };
        items.push(entry.item);
      } else if (entry.role === 'headers') {
        entry.item = parent!.item!;
        entry.item.headers = [];
      }
      open.push(entry);
    },
    close: () => open.pop(),
    name: (name) => {
      const current = open.at(-1)!;
      current.member = name;
      if (current.role === 'item') current.item!.names.push(name);
      if (current.role === 'headers') current.item!.headers!.push(name);
      return false;
    },
  });
  return items;
}

/** The reader's error for one item's names; undefined when it reads them all. */
function itemError({ names, headers }: ItemNames): GraphError | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    const upper = name.toUpperCase();
    if (seen.has(upper)) return GraphError.of('badRequest', `Duplicate property name '${upper}' for request in batch.`);
    if (!ITEM_PROPERTIES.has(upper)) return GraphError.of('badRequest', `Unknown property name '${upper}' for message in batch.`);
    seen.add(upper);
    if (upper !== 'HEADERS') continue;
    const headerNames = new Set<string>();
    for (const header of headers ?? []) {
      if (headerNames.has(header.toLowerCase())) return GraphError.of('badRequest', `Duplicate header name '${header}' for request in batch.`);
      headerNames.add(header.toLowerCase());
    }
  }
  return undefined;
}

/** Whether a header object names no header twice (not case-sensitive); anything else is not read as headers. */
function headersPass(headers: unknown): boolean {
  if (!isJsonObject(headers)) return true;
  const seen = new Set<string>();
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return false;
    seen.add(lower);
  }
  return true;
}

/**
 * Whether the parsed body passes the reader's item checks, for a text that repeats no name exactly (so the parsed
 * objects hold every name the text writes): only names known, none twice in any case, and no header twice.
 */
function parsedItemsPass(body: unknown): boolean {
  if (!isJsonObject(body) || !Array.isArray(body['requests'])) return true;
  for (const item of body['requests'] as unknown[]) {
    if (!isJsonObject(item)) continue;
    const seen = new Set<string>();
    for (const name of Object.keys(item)) {
      const upper = upperName(name);
      if (seen.has(upper) || !ITEM_PROPERTIES.has(upper)) return false;
      seen.add(upper);
      if (upper === 'HEADERS' && !headersPass(item[name])) return false;
    }
  }
  return true;
}

/**
 * The 400 for a $batch body whose envelope repeats a name (the body-wide wording, duplicateNames.ts) or one of
 * whose items repeats a property or a header or names an unknown property (the batch reader's wording).
 * `names` and `body`, when given (the member names jsonDepth.ts counted on the text, and the parsed body): a body
 * whose parsed objects hold as many names as its text writes repeats none exactly, and one that also passes the
 * item checks on its parsed objects is not read again; the text is walked (twice) only to name a refusal, in the
 * order the reader meets it. A batch of 20 GETs spent about a sixth of its CPU in those walks (bench/README.md).
 */
export function batchNameError(text: string, names?: number, body?: unknown): GraphError | undefined {
  if (names !== undefined && names === keyCount(body) && parsedItemsPass(body)) return undefined;
  const top = firstRepeatedName(text, 1);
  if (top !== undefined) return repeatedNameError(top);
  for (const item of itemNames(text)) {
    const error = itemError(item);
    if (error !== undefined) return error;
  }
  return undefined;
}
