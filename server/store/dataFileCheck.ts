// Telling the emulator's own data file from any other JSON (a package.json given as DATA_FILE must never be
// overwritten), and checking what a file the emulator did not write holds before it is served.
import { COLLECTIONS, COLLECTION_NAMES } from '../collections.js';
import { STORED_TENANT_ID_RULE, isStoredTenantId } from '../tenantIds.js';
import type { Dataset } from './records.js';
import { DATA_FORMAT, FORMAT_KEY, TENANTS_KEY } from './dataFileFormat.js';
import { recordProblem } from './journalLines.js';
import { linksProblem } from './recordLinks.js';
import { isJsonObject } from '../jsonObject.js';

/** A few of `keys`, quoted, for a message. */
function someOf(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).map((key) => `'${key}'`);
  return keys.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/**
 * Structural check of one tenant's collections; names the first problem, each path prefixed by `at`. Ids are
 * checked for repeats in either layout: a record line copied in a file the emulator wrote was listed twice and
 * could never be deleted (a delete removes one, the other answers again). One set of ids per collection: about
 * 10 ms of CPU per 100,000 records.
 */
function collectionsProblem(data: Record<string, unknown>, at: string): string | undefined {
  for (const name of COLLECTION_NAMES) {
    const list = data[name];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `'${at}${name}' must be an array`;
    const seen = new Set<string>();
    for (let i = 0; i < list.length; i += 1) {
      const id = (list[i] as { id?: unknown } | null)?.id;
      if (typeof list[i] !== 'object' || typeof id !== 'string') return `${at}${name}[${i}] must be an object with a string id`;
      const size = seen.size;
      if (seen.add(id).size === size) return `${at}${name}[${i}] repeats the id '${id}' of ${at}${name}[${list.findIndex((r) => r.id === id)}]`;
    }
  }
  return undefined;
}

/** The other tenants' section: each id as the emulator writes one (lower case, never the default's), each an object of collections. */
function tenantsProblem(tenants: unknown): string | undefined {
  if (!isJsonObject(tenants)) return `'${TENANTS_KEY}' must be an object of tenants by id`;
  for (const [id, data] of Object.entries(tenants)) {
    if (!isStoredTenantId(id)) return `${TENANTS_KEY}.${id} is not a tenant id (${STORED_TENANT_ID_RULE})`;
    if (!isJsonObject(data)) return `${TENANTS_KEY}.${id} must be an object of collections`;
    const unknown = Object.keys(data).find((key) => !Object.hasOwn(COLLECTIONS, key));
    if (unknown !== undefined) return `unknown key '${unknown}' in ${TENANTS_KEY}.${id}`;
    const problem = collectionsProblem(data, `${TENANTS_KEY}.${id}.`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Whether a parsed data file is the emulator's own and shaped like one; names the first problem. Its own
 * file carries the format marker (and then may hold other tenants), or, written before the marker existed,
 * holds the default tenant's collections and nothing else (then gets the marker at its next snapshot).
 */
export function checkDataset(value: unknown): string | undefined {
  if (!isJsonObject(value)) return 'the top level must be a JSON object';
  const keys = Object.keys(value);
  const format = value[FORMAT_KEY];
  if (format === undefined) {
    const foreign = keys.filter((key) => !Object.hasOwn(COLLECTIONS, key));
    if (keys.length === 0) return `it has no "${FORMAT_KEY}" marker and none of the emulator's collections`;
    if (foreign.length > 0 || !keys.includes('accessPackages')) {
      return `it has no "${FORMAT_KEY}" marker, and its keys (${someOf(keys)}) are not the emulator's collections`;
    }
  } else if (format !== DATA_FORMAT) {
    return `its "${FORMAT_KEY}" is ${JSON.stringify(format)}; this emulator reads '${DATA_FORMAT}'`;
  } else {
    const unknown = keys.find((key) => key !== FORMAT_KEY && key !== TENANTS_KEY && !Object.hasOwn(COLLECTIONS, key));
    if (unknown !== undefined) return `unknown top-level key '${unknown}'`;
  }
  return collectionsProblem(value, '') ?? (value[TENANTS_KEY] === undefined ? undefined : tenantsProblem(value[TENANTS_KEY]));
}

/**
 * The first record, of any tenant, that does not follow its resource's schema (the one journal lines and request
 * bodies are checked against), or whose id or references are not in lower case or name no record (recordLinks.ts),
 * for a data file in a layout the emulator does not write (hand-written or pretty-printed): served as it is, such a
 * record answered with the wrong types, and an acknowledged change to it wrote a journal line the next start
 * refused. A file in the emulator's own layout holds records it checked on their way in, and is not checked again:
 * at 100,000 records that would take more than the whole start. Call it after checkDataset.
 */
export function recordsProblem(value: Record<string, unknown>): string | undefined {
  const sections: [string, Record<string, unknown>][] = [['', value]];
  for (const [id, data] of Object.entries((value[TENANTS_KEY] ?? {}) as Record<string, Record<string, unknown>>))
    sections.push([`${TENANTS_KEY}.${id}.`, data]);
  for (const [at, data] of sections) {
    for (const name of COLLECTION_NAMES) {
      const list = (data[name] ?? []) as unknown[];
      for (const [i, record] of list.entries()) {
        const problem = recordProblem(name, record, `${at}${name}[${i}]`);
        if (problem !== undefined) return problem;
      }
    }
    const links = linksProblem(data as Partial<Dataset>, (name, i) => `${at}${name}[${i}]`);
    if (links !== undefined) return links;
  }
  return undefined;
}
