// The request journal as GET /_emulator/requests answers it: which entries a query selects (method, path glob,
// status, tenant, since, limit), and each entry's wire form, with its bodies parsed back into JSON where they
// are JSON and whole. A bad filter is a 400 naming it.
import { matchedPath, pathGlob, pathPatternProblem } from '../faults/matchedPath.js';
import { isCredentialHeader } from './journalSecrets.js';
import { MAX_SHOWN_DEPTH, jsonLimitPassed } from './jsonDepth.js';
import { GraphError } from '../graphErrors.js';
import type { AppliedFault } from './context.js';
import { METHODS } from 'node:http';
import { type EntrySummary, type StoredEntry, tenantOf } from './requestJournal.js';
import { TENANT_ID_RULE, tenantKey } from '../tenantIds.js';
import { firstNonUtf8Offset } from '../utf8Bytes.js';

/** A credential as the journal keeps it: its scheme, and a bearer JWT's claims, never the token itself. */
interface AuthorizationSummary {
  scheme: string;
  claims: Readonly<Record<string, unknown>> | null;
}

/** Entries one answer holds at most (and by default): a poller asks again with `since` set to the last id. */
export const MAX_ENTRIES_PER_ANSWER = 1000;

export interface JournalEntry {
  /** Increasing integer, as a string; `since` takes it. */
  id: string;
  /** When the request arrived, ISO 8601. */
  time: string;
  tenant: string;
  method: string;
  path: string;
  /** Each parameter decoded; one given more than once as the list of its values, in order. */
  query: Record<string, string | string[]>;
  requestHeaders: Record<string, string | AuthorizationSummary>;
  requestBody: unknown;
  requestBodyTruncated: boolean;
  /** null when the connection closed before an answer (a dropped connection, a client gone). */
  status: number | null;
  responseHeaders: Record<string, string | string[]>;
  responseBody: unknown;
  responseBodyTruncated: boolean;
  durationMs: number;
  fault: AppliedFault | null;
  /** The entry id of the $batch request an item belongs to. */
  batchId: string | null;
  /** The item's `id` in its batch. */
  batchItemId: string | null;
}

interface RequestQuery {
  keep: (entry: EntrySummary) => boolean;
  since: number;
  limit: number;
}

const FILTERS = new Set(['method', 'path', 'status', 'tenant', 'since', 'limit']);

function badFilter(message: string): GraphError {
  return GraphError.of('badRequest', message);
}

function statusTest(raw: string): (status: number | null) => boolean {
  const exact = /^[1-5]\d\d$/.test(raw) ? Number(raw) : undefined;
  if (exact !== undefined) return (status) => status === exact;
  const klass = /^([1-5])xx$/i.exec(raw)?.[1];
  if (klass !== undefined) return (status) => status !== null && Math.floor(status / 100) === Number(klass);
  throw badFilter(`Invalid value for 'status': '${raw}'. Use a status such as 201, or a class such as 4xx.`);
}

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw badFilter(`Invalid value for '${name}': '${raw}'. Use a whole number from ${min} to ${max}.`);
  return value;
}

/**
 * The tenant a `tenant` filter names, lower-cased; a 400 for a value no tenant can have (`worker 1`, `../x`), as on
 * every other admin route: a misspelt tenant selected nothing, and DELETE cleared nothing, both answered as a success.
 */
export function journalTenant(raw: string): string {
  const tenant = tenantKey(raw);
  if (tenant === undefined) throw badFilter(`Invalid value for 'tenant': '${raw}'. Use a tenant id: ${TENANT_ID_RULE}.`);
  return tenant;
}

/** The selection a query string's filters make; every filter is optional and they combine with "and". */
export function parseRequestQuery(params: Readonly<Record<string, unknown>>): RequestQuery {
  const tests: Array<(entry: EntrySummary) => boolean> = [];
  let since = 0;
  let limit = MAX_ENTRIES_PER_ANSWER;
  for (const [name, value] of Object.entries(params)) {
    if (!FILTERS.has(name)) throw badFilter(`Unknown query parameter '${name}'; the filters are ${[...FILTERS].join(', ')}.`);
    if (typeof value !== 'string') throw badFilter(`The filter '${name}' is given more than once.`);
    if (value === '') throw badFilter(`The filter '${name}' is empty; leave it out to select every entry.`);
    if (name === 'method') {
      const method = value.toUpperCase();
      // Only a method Node's parser takes reaches the journal (a $batch item's is one of Graph's): a misspelt one
      // (`DELET`) matched nothing, an empty list answered as if no such request had been sent.
      if (!METHODS.includes(method)) throw badFilter(`Invalid value for 'method': '${value}' is no HTTP method (GET, POST, PATCH, PUT, DELETE, …).`);
      tests.push((entry) => entry.method === method);
    } else if (name === 'path') {
      const problem = pathPatternProblem(value);
      if (problem !== undefined) throw badFilter(`Invalid value for 'path': the pattern ${problem}.`);
      // Every path starts with '/': a pattern that starts with another character than '/' or a glob's (`beta/**`)
      // matched nothing, an empty list answered as if no request had been sent.
      if (/^[^/*?[{]/.test(value)) throw badFilter(`Invalid value for 'path': '${value}' matches no path, since every path starts with '/' (/beta/**).`);
      // Matched as fault rules match: the path decoded, key syntax as a segment, trailing slashes ignored.
      const matches = pathGlob(value);
      tests.push((entry) => matches(matchedPath(entry.path)));
    } else if (name === 'status') {
      const test = statusTest(value);
      tests.push((entry) => test(entry.status));
    } else if (name === 'tenant') {
      const tenant = journalTenant(value);
      tests.push((entry) => tenantOf(entry.identity) === tenant);
    } else if (name === 'since') {
      since = wholeNumber('since', value, 0, Number.MAX_SAFE_INTEGER);
    } else {
      limit = wholeNumber('limit', value, 1, MAX_ENTRIES_PER_ANSWER);
    }
  }
  return { keep: (entry) => tests.every((test) => test(entry)), since, limit };
}

/** A body as the journal shows it: JSON when it was JSON and kept whole, else the text; null when there was none. */
function shownBody(text: string | undefined, truncated: boolean, json: boolean): unknown {
  if (text === undefined || text === '') return null;
  if (truncated || !json || jsonLimitPassed(text, MAX_SHOWN_DEPTH) === 'depth') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Name, value pairs as an object, a name given more than once as the list of its values (or, with `joined`, its
 * values joined with ", "). Collected in a Map first: a name such as `__proto__` is an own field like any other.
 */
function fieldsOf(pairs: Iterable<readonly [string, string]>, joined = false): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of pairs) {
    const before = fields.get(name);
    if (before === undefined) fields.set(name, value);
    else if (joined) fields.set(name, `${before as string}, ${value}`);
    else fields.set(name, [...(Array.isArray(before) ? before : [before]), value]);
  }
  return Object.fromEntries(fields);
}

/**
 * A query string's name, value pairs as a form reads them (`+` a space, escapes undone), but an escaped byte that
 * is no UTF-8 (`%E9`, a Latin-1 é) kept as it was sent, where URLSearchParams would show U+FFFD: the 400 that
 * answered it quotes `%E9`, and so does the journal.
 */
function queryPairs(query: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const [name, value] = at === -1 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    pairs.push([formDecoded(name), formDecoded(value)]);
  }
  return pairs;
}

function formDecoded(text: string): string {
  return text.replaceAll('+', ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replaceAll('%', ''), 'hex');
    let decoded = '';
    for (let at = 0; at < bytes.length; ) {
      const good = firstNonUtf8Offset(bytes.subarray(at));
      decoded += bytes.toString('utf8', at, at + good);
      at += good;
      if (at < bytes.length) decoded += `%${run.slice(at * 3 + 1, at * 3 + 3)}`;
      at += 1;
    }
    return decoded;
  });
}

/** The request's raw header pairs as an object of lower-case names, a credential as its scheme and claims. */
function shownRequestHeaders(entry: StoredEntry): Record<string, string | AuthorizationSummary> {
  const raw = entry.requestHeaders === '' ? [] : entry.requestHeaders.split('\n');
  const pairs: [string, string][] = [];
  const credentials = new Map<string, AuthorizationSummary>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    // A credential sent twice: the first is the one used (Node keeps the first; auth.ts reads it), with its claims.
    if (!isCredentialHeader(name)) pairs.push([name, value]);
    else if (!credentials.has(name)) credentials.set(name, { scheme: value, claims: name === 'authorization' ? entry.identity.claims : null });
  }
  return { ...(fieldsOf(pairs, true) as Record<string, string>), ...Object.fromEntries(credentials) };
}

/** The answer's header block (a $batch item's is written the same way) as an object of lower-case names. */
function shownResponseHeaders(written: string): Record<string, string | string[]> {
  const pairs: [string, string][] = [];
  for (const line of written.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) pairs.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return fieldsOf(pairs);
}

export function entryWireForm(entry: StoredEntry): JournalEntry {
  const responseHeaders = shownResponseHeaders(entry.responseHeaders);
  const type = responseHeaders['content-type'];
  const isJson = typeof type === 'string' && /[/+]json\b/i.test(type);
  return {
    id: String(entry.id),
    time: new Date(entry.startedAt).toISOString(),
    tenant: tenantOf(entry.identity),
    method: entry.method,
    path: entry.path,
    query: fieldsOf(queryPairs(entry.query)),
    requestHeaders: shownRequestHeaders(entry),
    requestBody: shownBody(entry.requestBody, entry.requestBodyTruncated, true),
    requestBodyTruncated: entry.requestBodyTruncated,
    status: entry.status,
    responseHeaders,
    responseBody: shownBody(entry.responseBody, entry.responseBodyTruncated, isJson),
    responseBodyTruncated: entry.responseBodyTruncated,
    durationMs: entry.durationUs / 1000,
    fault: entry.fault,
    batchId: entry.batchId === null ? null : String(entry.batchId),
    batchItemId: entry.batchItemId,
  };
}
