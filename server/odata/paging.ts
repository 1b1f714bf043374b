// Server-driven paging as Graph does it (https://learn.microsoft.com/graph/paging): a page size from
// $top or `Prefer: odata.maxpagesize`, and an @odata.nextLink that repeats the query with an opaque
// $skiptoken. The token is a keyset cursor, not an offset: it names the last record returned (its sort
// key values and id, or its insertion sequence number for the default order), so following nextLinks
// yields every matching record exactly once even when records are created or deleted between pages.
// One case cannot resume exactly: in the default order, after a restart renumbered the records, when the
// last record returned has been deleted; that token is answered as expired rather than with duplicates.
import { GraphError } from '../graphErrors.js';
import { decodedForDisplay } from '../urlText.js';
import { MAX_PAGE_SIZE } from './queryOptions.js';

export interface Cursor {
  /** Id of the last record returned. */
  id: string;
  /** Its insertion sequence number (default order), and the store's numbering it belongs to. */
  seq?: number;
  epoch?: string;
  /** Its sort key values ($orderby), canonicalised as compared. */
  keys?: unknown[];
  /** The $orderby the cursor belongs to, so a token is not replayed against another order. */
  order: string;
  /** The page size in force when the token was issued. */
  pageSize: number;
}

interface TokenJson {
  v: 1;
  i: string;
  s?: number;
  e?: string;
  k?: unknown[];
  o: string;
  n: number;
}

export function encodeSkipToken(cursor: Cursor): string {
  const json: TokenJson = { v: 1, i: cursor.id, o: cursor.order, n: cursor.pageSize };
  if (cursor.seq !== undefined) json.s = cursor.seq;
  if (cursor.epoch !== undefined) json.e = cursor.epoch;
  if (cursor.keys !== undefined) json.k = cursor.keys;
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

const INVALID_TOKEN = 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.';

/** A sort key value as keysOf takes it from a record: JSON's scalars only (an object would be compared by its own toString). */
function isKeyValue(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** The sort keys of an $orderby, as `order` spells it: `displayName asc,id desc` is two. */
function keyCount(order: string): number {
  return order === '' ? 0 : order.split(',').length;
}

export function decodeSkipToken(token: string, order: string): Cursor {
  let json: Partial<TokenJson>;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenJson>;
  } catch {
    throw GraphError.of('badRequest', INVALID_TOKEN);
  }
  const valid =
    typeof json === 'object' &&
    json !== null &&
    json.v === 1 &&
    typeof json.i === 'string' &&
    typeof json.o === 'string' &&
    Number.isInteger(json.n) &&
    json.n! >= 1 &&
    json.n! <= MAX_PAGE_SIZE &&
    (json.s === undefined || Number.isSafeInteger(json.s)) &&
    (json.e === undefined || typeof json.e === 'string') &&
    (json.k === undefined || Array.isArray(json.k));
  if (!valid) throw GraphError.of('badRequest', INVALID_TOKEN);
  if (json.o === order && json.k !== undefined && (json.k.length !== keyCount(order) || !json.k.every(isKeyValue)))
    throw GraphError.of('badRequest', INVALID_TOKEN);
  if (json.o !== order) throw GraphError.of('badRequest', 'The $skiptoken was issued for a different $orderby. Follow @odata.nextLink as returned.');
  return { id: json.i!, seq: json.s, epoch: json.e, keys: json.k, order: json.o!, pageSize: json.n! };
}

/** The odata.maxpagesize a Prefer header asks for, clamped to what the service allows; undefined if absent or unusable. */
export function preferredPageSize(prefer: string | undefined): number | undefined {
  const match = /(?:^|[,;\s])odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(prefer ?? '');
  if (!match) return undefined;
  const n = Number(match[1]);
  return n < 1 ? undefined : Math.min(n, MAX_PAGE_SIZE);
}

/** The request's own URL with its query repeated, minus $skip (the token carries the position), plus the new token. */
export function nextLink(base: string, path: string, rawPairs: readonly string[], token: string): string {
  const kept = rawPairs.filter((pair) => {
    const name = safeName(pair);
    return !['skiptoken', 'skip'].includes(name);
  });
  return `${base}${path}?${[...kept, `$skiptoken=${token}`].join('&')}`;
}

function safeName(pair: string): string {
  return decodedForDisplay(pair.split('=', 1)[0]!).trim().replace(/^\$/, '').toLowerCase();
}
