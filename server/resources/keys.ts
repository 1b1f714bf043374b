// The key of an entity in a URL, in each form OData and Graph accept: a segment (`/accessPackages/{id}`),
// parentheses (`accessPackages('{id}')`, unquoted too), the key's name (`accessPackages(id='{id}')`) and
// the type's alternate key (`accessPackages(uniqueName='…')`, Org.OData.Core.V1.AlternateKeys in the CSDL).
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_CanonicalURL
import { GraphError } from '../graphErrors.js';
import { percentDecoded } from '../urlText.js';
import type { Store } from '../store/store.js';
import type { ResourceDefinition, Row } from './definition.js';
import { isGuid } from '../guid.js';

export interface EntityKey {
  /** `id`, or the alternate key's property. */
  property: string;
  value: string;
}

function unquoted(literal: string, raw: string): string {
  const quoted = /^'((?:[^']|'')*)'$/.exec(literal);
  if (quoted) return quoted[1]!.replace(/''/g, "'");
  if (/^[^'(),=]+$/.test(literal)) return literal;
  throw GraphError.of('badRequest', `The key '${raw}' is not a valid key literal.`);
}

/** The key a (decoded) URL parameter names. */
export function parseKey(raw: string, resource: ResourceDefinition): EntityKey {
  if (!raw.startsWith('(')) return { property: 'id', value: raw };
  const inner = raw.slice(1, -1).trim();
  const named = /^([A-Za-z_]\w*)\s*=\s*(.*)$/s.exec(inner);
  if (!named) return { property: 'id', value: unquoted(inner, raw) };
  const [, name, literal] = named;
  if (name!.toLowerCase() === 'id') return { property: 'id', value: unquoted(literal!.trim(), raw) };
  if (resource.alternateKey && name!.toLowerCase() === resource.alternateKey.toLowerCase()) {
    return { property: resource.alternateKey, value: unquoted(literal!.trim(), raw) };
  }
  throw GraphError.of('badRequest', `The key property '${name}' is not a key of type 'microsoft.graph.${resource.typeName}'.`);
}

/** The longest `@odata.id` or `@odata.bind` read for a key: 16 KiB, as a request line (docs/security.md). */
export const MAX_URL_CHARS = 16 * 1024;

/**
 * The key a URL gives the entity it names in one of `sets`: `{id}` of `…/accessPackages/{id}`, or the key syntax
 * `('{id}')`, `(id='{id}')`, `(uniqueName='…')` as `parseKey` reads it. Undefined when the URL names no entity of
 * those sets, or something under one (`…/accessPackages/{id}/accessPackageCatalog`).
 */
export function keyInUrl(url: unknown, sets: readonly string[]): string | undefined {
  // No longer than a URL on the wire can be (Node's maxHeaderSize bounds a request line): the pattern below, searched
  // from every `/`, takes time quadratic in the text (3.5 s for 256 KB of `/accessPackages(`, 18 ms for 16 KiB).
  if (typeof url !== 'string' || url.length > MAX_URL_CHARS) return undefined;
  const pattern = `(?:^|/)(?:${sets.join('|')})(?:/([^/?#()]+)|(\\((?:[^')]|'(?:[^']|'')*')*\\)))/?(?:[?#]|$)`;
  const match = new RegExp(pattern, 'i').exec(url);
  const key = match?.[1] ?? match?.[2];
  return key === undefined ? undefined : (percentDecoded(key) ?? key);
}

/** The refusal of an id that is no GUID, naming the type it is an id of: `an accessPackage id is a GUID such as …`. */
export function invalidIdMessage(raw: string, typeName: string): string {
  const article = /^[aeiou]/i.test(typeName) ? 'an' : 'a';
  return `Invalid id '${raw}': ${article} ${typeName} id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.`;
}

/** The stored form of an id from a URL: a GUID, lower-cased (Graph matches ids case-insensitively). */
export function storedId(resource: ResourceDefinition, raw: string): string {
  // Named by the Graph type the URL addresses (a group for incompatibleGroups), not by the record the emulator keeps.
  if (!isGuid(raw)) throw GraphError.of('badRequest', invalidIdMessage(raw, resource.typeName));
  return raw.toLowerCase();
}

/** The record a key names, or undefined; a malformed id is a 400 before any lookup. */
export function findByKey(store: Store, resource: ResourceDefinition, key: EntityKey): Row | undefined {
  if (key.property === 'id') return store.get(resource.collection, storedId(resource, key.value)) as Row | undefined;
  const property = key.property;
  return (store.list(resource.collection) as unknown as readonly Row[]).find((row) => row[property] === key.value);
}

/** The record a URL parameter names; Graph's 404 when there is none. */
export function recordOf(store: Store, resource: ResourceDefinition, raw: string): Row {
  const record = findByKey(store, resource, parseKey(raw, resource));
  if (!record) throw GraphError.of('notFound');
  return record;
}
