// The request journal as GET /_emulator/requests answers it: which entries a query selects (method, path glob,
// status, tenant, since, limit), and each entry's wire form, with its bodies parsed back into JSON where they
// are JSON and whole. A bad filter is a 400 naming it.
import { compileGlob, globProblem } from '../faults/glob.js';
import { GraphError } from '../graphErrors.js';
import type { AppliedFault } from './context.js';
import type { AuthorizationSummary, RecordedHeaders, StoredEntry } from './requestJournal.js';

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
  query: Record<string, string>;
  requestHeaders: Record<string, string | string[] | AuthorizationSummary>;
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

export interface RequestQuery {
  keep: (entry: StoredEntry) => boolean;
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

/** The selection a query string's filters make; every filter is optional and they combine with "and". */
export function parseRequestQuery(params: Readonly<Record<string, unknown>>): RequestQuery {
  const tests: Array<(entry: StoredEntry) => boolean> = [];
  let since = 0;
  let limit = MAX_ENTRIES_PER_ANSWER;
  for (const [name, value] of Object.entries(params)) {
    if (!FILTERS.has(name)) throw badFilter(`Unknown query parameter '${name}'; the filters are ${[...FILTERS].join(', ')}.`);
    if (typeof value !== 'string') throw badFilter(`The filter '${name}' is given more than once.`);
    if (name === 'method') {
      const method = value.toUpperCase();
      tests.push((entry) => entry.method === method);
    } else if (name === 'path') {
      const problem = globProblem(value);
      if (problem !== undefined) throw badFilter(`Invalid value for 'path': the pattern ${problem}.`);
      const matches = compileGlob(value);
      tests.push((entry) => matches(entry.path.replace(/(.)\/+$/, '$1')));
    } else if (name === 'status') {
      const test = statusTest(value);
      tests.push((entry) => test(entry.status));
    } else if (name === 'tenant') {
      const tenant = value.toLowerCase();
      tests.push((entry) => entry.tenant === tenant);
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
  if (truncated || !json) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function shownHeaders<T>(headers: RecordedHeaders, shown: (value: RecordedHeaders[string]) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const name of Object.keys(headers)) out[name] = shown(headers[name]!);
  return out;
}

export function entryWireForm(entry: StoredEntry): JournalEntry {
  const isJson = entry.responseType !== undefined && /[/+]json\b/i.test(entry.responseType);
  return {
    id: String(entry.id),
    time: new Date(entry.time).toISOString(),
    tenant: entry.tenant,
    method: entry.method,
    path: entry.path,
    query: Object.fromEntries(new URLSearchParams(entry.query)),
    requestHeaders: shownHeaders(entry.requestHeaders, (value) => (typeof value === 'number' ? String(value) : value)),
    requestBody: shownBody(entry.requestBody, entry.requestBodyTruncated, true),
    requestBodyTruncated: entry.requestBodyTruncated,
    status: entry.status,
    responseHeaders: shownHeaders(entry.responseHeaders, (value) => (Array.isArray(value) ? value : String(value))),
    responseBody: shownBody(entry.responseBody, entry.responseBodyTruncated, isJson),
    responseBodyTruncated: entry.responseBodyTruncated,
    durationMs: entry.durationMs,
    fault: entry.fault,
    batchId: entry.batchId === null ? null : String(entry.batchId),
    batchItemId: entry.batchItemId,
  };
}
