// Server-driven paging as Graph does it (https://learn.microsoft.com/graph/paging): a page size from
// $top or `Prefer: odata.maxpagesize`, and an @odata.nextLink that repeats the query with an opaque
// $skiptoken. The token is a keyset cursor, not an offset: it names the last record returned (its sort
// key values and id, or its insertion sequence number for the default order), so following nextLinks
// yields every matching record exactly once even when records are created or deleted between pages.
// One case cannot resume exactly: in the default order, after a restart renumbered the records, when the
// last record returned has been deleted; that token is answered as expired rather than with duplicates.
// A sort value too long to repeat in a URL (a displayName of thousands of characters) is not carried: the token holds
// its digest, and the next page reads it back from the last record, which must still hold it; a record since deleted
// or given another value makes the token expired. So a token stays short (MAX_KEY_JSON_BYTES a key) and every
// nextLink fits the request line the server accepts, restarts included, as nothing is kept server-side.
// The token is base64url of a keyed hash (HMAC-SHA256, cut to 128 bits) followed by its JSON: the hash covers the
// JSON and the query the token pages (tenant, resource path, $filter, $select, $expand: pagedQuery in resources/list.ts), so a
// token changed by hand, or replayed under another query, is refused as not valid instead of paging something else.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { GraphError } from '../graphErrors.js';
import { asUrlText, decodedForDisplay } from '../urlText.js';
import { MAX_PAGE_SIZE } from './queryOptions.js';

export interface Cursor {
  /** Id of the last record returned. */
  id: string;
  /** Its insertion sequence number (default order), and the store's numbering it belongs to. */
  seq?: number;
  epoch?: string;
  /** Its sort key values ($orderby), canonicalised as compared; null where a digest stands for a long value. */
  keys?: unknown[];
  /** Per sort key, the digest of a value too long for the token (null where the value itself is in `keys`). */
  digests?: (string | null)[];
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
  d?: (string | null)[];
  o: string;
  n: number;
}

// An integrity check, not a secret: the key is written here, so anyone who reads the source can make a token. It
// is the same in every process because docs/querying.md promises that nextLinks survive a restart; what it stops
// is a token edited by hand or followed under another query, which would otherwise page through other records.
const TOKEN_KEY = 'graph-accesspackages-emulator $skiptoken integrity v1';
/** Bytes of HMAC-SHA256 kept in a token: 128 bits, more than enough against a guessed edit, and 22 characters. */
const TAG_BYTES = 16;

/** Bytes of JSON (UTF-8) a sort value may take in a token; a longer one is carried as its digest. Chosen. */
export const MAX_KEY_JSON_BYTES = 128;

/** A long sort value's digest: SHA-256 cut to 128 bits, 22 characters. */
function digestOf(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest().subarray(0, TAG_BYTES).toString('base64url');
}

const DIGEST = /^[A-Za-z0-9_-]{22}$/;

function tooLong(value: unknown): value is string {
  return typeof value === 'string' && Buffer.byteLength(JSON.stringify(value)) > MAX_KEY_JSON_BYTES;
}

function tagOf(json: Buffer, query: string): Buffer {
  return createHmac('sha256', TOKEN_KEY).update(json).update('\n').update(query, 'utf8').digest().subarray(0, TAG_BYTES);
}

/**
 * The token for the page after `cursor`. `query` is what else it is bound to, beside its own fields (the order
 * and the page size): the tenant, resource path and options of the request it pages, as pagedQuery in resources/list.ts
 * spells them; decodeSkipToken must be given the same text.
 */
export function encodeSkipToken(cursor: Cursor, query = ''): string {
  const json: TokenJson = { v: 1, i: cursor.id, o: cursor.order, n: cursor.pageSize };
  if (cursor.seq !== undefined) json.s = cursor.seq;
  if (cursor.epoch !== undefined) json.e = cursor.epoch;
  if (cursor.keys !== undefined) {
    json.k = cursor.keys.map((key) => (tooLong(key) ? null : key));
    if (cursor.keys.some(tooLong)) json.d = cursor.keys.map((key) => (tooLong(key) ? digestOf(key) : null));
  }
  return sealedToken(JSON.stringify(json), query);
}

/** A token of any text, with the tag decodeSkipToken checks (encodeSkipToken's last step; tests make odd shapes with it). */
export function sealedToken(text: string, query = ''): string {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([tagOf(bytes, query), bytes]).toString('base64url');
}

/** The answer to a $skiptoken the emulator did not give for this query (wording chosen: not documented; docs/querying.md). */
export const INVALID_TOKEN = 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.';

/** A sort key value as keysOf takes it from a record: JSON's scalars only (an object would be compared by its own toString). */
function isKeyValue(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** The sort keys of an $orderby, as `order` spells it: `displayName asc,id desc` is two. */
function keyCount(order: string): number {
  return order === '' ? 0 : order.split(',').length;
}

/** A token's digests as encodeSkipToken writes them: one per key, each standing in for a key left null. */
function digestsOf(d: unknown, keys: unknown[] | undefined): d is (string | null)[] {
  if (!Array.isArray(d) || keys === undefined || d.length !== keys.length) return false;
  return d.every((x, i) => x === null || (typeof x === 'string' && DIGEST.test(x) && keys[i] === null));
}

/** The cursor of a token encodeSkipToken issued for `query`; a 400 for any other text, edited tokens included. */
export function decodeSkipToken(token: string, order: string, query = ''): Cursor {
  let json: Partial<TokenJson>;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length <= TAG_BYTES) throw new Error('too short');
    const body = bytes.subarray(TAG_BYTES);
    if (!timingSafeEqual(bytes.subarray(0, TAG_BYTES), tagOf(body, query))) throw new Error('not issued for this query');
    json = JSON.parse(body.toString('utf8')) as Partial<TokenJson>;
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
  const { d } = json;
  if (d !== undefined && !digestsOf(d, json.k)) throw GraphError.of('badRequest', INVALID_TOKEN);
  if (json.o !== order) throw GraphError.of('badRequest', 'The $skiptoken was issued for a different $orderby. Follow @odata.nextLink as returned.');
  const cursor: Cursor = { id: json.i!, seq: json.s, epoch: json.e, keys: json.k, order: json.o!, pageSize: json.n! };
  if (d !== undefined) cursor.digests = d;
  return cursor;
}

/** Graph's words for a page token it can no longer honour. */
export function expiredToken(): GraphError {
  return GraphError.of('badRequest', 'The specified page token value has expired and can no longer be included in your request.');
}

/**
 * The cursor's sort key values in full: a long value its token carries as a digest is read back from the last
 * record's current keys (`current`, undefined when the record is gone); one that no longer matches is expired.
 */
export function fullKeys(cursor: Cursor, current: readonly unknown[] | undefined): unknown[] | undefined {
  const { keys, digests } = cursor;
  if (digests === undefined || keys === undefined) return keys;
  return keys.map((key, i) => {
    const digest = digests[i];
    if (digest === null || digest === undefined) return key;
    const value = current?.[i];
    if (!tooLong(value) || digestOf(value) !== digest) throw expiredToken();
    return value;
  });
}

/** The odata.maxpagesize a Prefer header asks for, clamped to what the service allows; undefined if absent or unusable. */
export function preferredPageSize(prefer: string | undefined): number | undefined {
  const match = /(?:^|[,;\s])odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(prefer ?? '');
  if (!match) return undefined;
  const n = Number(match[1]);
  return n < 1 ? undefined : Math.min(n, MAX_PAGE_SIZE);
}

/**
 * The request's own URL with its query repeated, minus $skip (the token carries the position), plus the new token.
 * What the request held that a URL cannot (a $batch item's raw space) is percent-encoded, so the link is one a
 * client can send: the same link as for the request written with the escapes.
 */
export function nextLink(base: string, path: string, rawPairs: readonly string[], token: string): string {
  const kept = rawPairs.filter((pair) => {
    const name = safeName(pair);
    return !['skiptoken', 'skip'].includes(name);
  });
  return `${base}${asUrlText(path)}?${[...kept.map(asUrlText), `$skiptoken=${token}`].join('&')}`;
}

function safeName(pair: string): string {
  return decodedForDisplay(pair.split('=', 1)[0]!).trim().replace(/^\$/, '').toLowerCase();
}
