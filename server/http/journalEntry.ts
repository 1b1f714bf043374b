// A request journal entry as GET /_emulator/requests answers it (journalQuery.ts selects which): its texts decoded
// into fields, its headers as objects, a credential as its scheme and claims, its bodies parsed back into JSON where
// they are JSON and whole.
import { isCredentialHeader } from './journalSecrets.js';
import { MAX_SHOWN_DEPTH, jsonLimitPassed } from './jsonDepth.js';
import type { AppliedFault } from './context.js';
import { type StoredEntry, tenantOf } from './requestJournal.js';
import { firstNonUtf8Offset } from '../utf8Bytes.js';

/** A credential as the journal keeps it: its scheme, and a bearer JWT's claims, never the token itself. */
interface AuthorizationSummary {
  scheme: string;
  claims: Readonly<Record<string, unknown>> | null;
}

export interface JournalEntry {
  /** Increasing integer, as a string; `since` takes it. */
  id: string;
  /** When the request arrived (a pipelined one: when its turn on the connection came, pipelinedTurn.ts), ISO 8601. */
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
