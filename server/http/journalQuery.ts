// Which entries GET /_emulator/requests selects: its filters (method, path glob, status, tenant, since, limit), each
// optional, combined with "and". A bad filter is a 400 naming it, so a misspelt one never answers as if no request
// had been sent.
import { METHODS } from 'node:http';
import { matchedPath, pathGlob, pathPatternProblem } from '../faults/matchedPath.js';
import { GraphError } from '../graphErrors.js';
import { TENANT_ID_RULE, tenantKey } from '../tenantIds.js';
import { type EntrySummary, tenantOf } from './requestJournal.js';

/** Entries one answer holds at most (and by default): a poller asks again with `since` set to the last id. */
export const MAX_ENTRIES_PER_ANSWER = 1000;

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
