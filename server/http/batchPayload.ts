// The body of POST /{version}/$batch, read into the requests it holds: Graph's JSON batching
// (https://learn.microsoft.com/graph/json-batching): {"requests": [{id, method, url, headers, body, dependsOn}]},
// at most 20, ids unique (not case-sensitive), urls relative to the version, a body with a Content-Type on every
// write. Bodies are encoded as OData's JSON batch format says: JSON for a JSON media type, a string for text/*,
// base64url for anything else
// (http://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html#sec_BatchRequest).
// Whatever breaks these rules fails the whole batch with a 400 naming the request and the rule.
import { maxHeaderSize, validateHeaderName, validateHeaderValue } from 'node:http';
import { GraphError } from '../graphErrors.js';
import { ITEM_PROPERTIES, upperName } from './batchNames.js';
import { isJsonObject } from '../jsonObject.js';
import { hasLoneSurrogate } from '../urlText.js';

/** Requests a batch may hold (https://learn.microsoft.com/graph/json-batching#batch-size-limitations). */
export const MAX_BATCH_REQUESTS = 20;
/** Largest $batch body: Graph's 4 MB for a whole batch (chosen: the docs name no size). Each item's body still meets BODY_LIMIT. */
export const BATCH_BODY_LIMIT = 4 * 1024 * 1024;

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
const WRITES = new Set(['POST', 'PATCH', 'PUT']);
// Set for an item from the batch request itself, never from the item's own headers.
const BATCH_OWNED_HEADERS = new Set([
  'authorization',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);

export interface BatchItemRequest {
  id: string;
  method: string;
  /** The item's url under the version: `/beta/...`. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Ids of the requests it waits for, as they are spelled in their own `id`. */
  dependsOn: string[];
}

// "Invalid batch payload format." is what Graph answers an unreadable batch (msgraph-sdk-javascript issue 1451).
function invalid(detail: string): GraphError {
  return GraphError.of('badRequest', `Invalid batch payload format: ${detail}`);
}

/** True when Node's check of a header (the one its parser and `setHeader` apply) passes. */
function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/**
 * A header's value as Graph's OData batch reader takes it: any JSON primitive, as .NET writes it
 * (ODataJsonBatchPayloadItemPropertiesCache: ReadPrimitiveValue()?.ToString(): `5` is "5", `true` "True"); a null
 * is no value, and the header is left out (chosen); an object or an array is none.
 */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return undefined;
}

/**
 * An item's headers, each as a request on the wire could carry it: a token for a name, and a value without line
 * breaks, control characters or characters above U+00FF. Anything else could never reach Graph as an HTTP
 * header, and would break the item's answer, which echoes its client-request-id (chosen: not documented).
 */
function itemHeaders(id: string, raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isJsonObject(raw)) throw invalid(`the headers of request '${id}' must be an object of strings.`);
  const headers: Record<string, string> = {};
  for (const [name, sent] of Object.entries(raw)) {
    if (sent === null) continue;
    const value = headerText(sent);
    if (value === undefined) throw invalid(`the header '${name}' of request '${id}' must be a string, a number, a Boolean or null.`);
    if (!passes(() => validateHeaderName(name))) throw invalid(`the header name ${JSON.stringify(name)} of request '${id}' is not a valid HTTP header name.`);
    if (!passes(() => validateHeaderValue(name, value)))
      throw invalid(
        `the header '${name}' of request '${id}' holds a character an HTTP header cannot carry (a line break, a control character or one above U+00FF).`,
      );
    if (!BATCH_OWNED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** The media type of a Content-Type, in lower case. */
function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** Whether a body of this type travels base64url-encoded (neither JSON nor text). */
export function isBase64Type(contentType: string): boolean {
  const type = mediaType(contentType);
  return !(type === 'application/json' || type.endsWith('+json') || type.startsWith('text/'));
}

function itemBody(id: string, raw: unknown, contentType: string): Buffer {
  const type = mediaType(contentType);
  if (type === 'application/json' || type.endsWith('+json')) return Buffer.from(JSON.stringify(raw), 'utf8');
  if (typeof raw !== 'string') throw invalid(`the body of request '${id}' (${type}) must be a string (base64url unless the type is text/*).`);
  if (!isBase64Type(contentType)) return Buffer.from(raw, 'utf8');
  // Node's decoder skips what is not base64 and would make "@@@" an empty body: a body that is not base64url (or
  // base64, which the same decoder reads) is the batch's 400, naming it.
  if (!BASE64.test(raw)) throw invalid(`the body of request '${id}' (${type}) must be base64url, and it is not.`);
  return Buffer.from(raw, 'base64url');
}

/** base64url or base64 text, padded or not. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The longest item url: Node's maxHeaderSize, which bounds a request line and its headers on the wire. */
export const ITEM_URL_LIMIT = maxHeaderSize;

function itemUrl(id: string, raw: unknown, version: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid(`request '${id}' has no 'url'.`);
  // Graph takes only urls relative to the version: an absolute one fails the batch (msgraph-sdk-javascript issue 1451).
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//'))
    throw invalid(`the url of request '${id}' must be relative to /${version}, such as /identityGovernance/entitlementManagement/accessPackages.`);
  // No longer than a request line Node reads alone (maxHeaderSize, 16 KiB with the headers): an item is bounded as the
  // request it stands for, so a $filter cannot grow past what a request on the wire may send.
  if (raw.length > ITEM_URL_LIMIT)
    throw invalid(`the url of request '${id}' is longer than ${ITEM_URL_LIMIT} characters, the most a request line holds on its own.`);
  const url = raw.startsWith('/') ? raw : `/${raw}`;
  // A request target carries no fragment (RFC 9112 §3.2), so a `#` would leave what follows it to be read as the
  // query of a request no client could send alone; refused like an absolute url (chosen: not documented).
  if (url.includes('#')) throw invalid(`the url of request '${id}' holds a fragment ('#'); a request's url has none.`);
  // Half of a character beyond U+FFFF (`\ud800` in the JSON) is no text a URL can carry as UTF-8: its query would
  // be read with U+FFFD in its place, and the nextLink made from it would not lead back (chosen: not documented).
  if (hasLoneSurrogate(url))
    throw invalid(`the url of request '${id}' holds half of a surrogate pair (a lone \\ud800 to \\udfff), which no URL can carry; send text as UTF-8.`);
  // Only `$batch` as written: `%24batch` is no OData segment (an escaped `$` is data, RFC 3986 §2.2, as batch.ts
  // reads the batch's own path), so such an item is answered as it would be alone.
  if (/^\/\$batch(?:[/?]|$)/i.test(url)) throw invalid(`request '${id}' is a $batch request: batches cannot be nested.`);
  return `/${version}${url}`;
}

/** An item's properties under their own names, however their case is written (batchNames.ts refused repeats). */
function properties(raw: Record<string, unknown>): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    const name = ITEM_PROPERTIES.get(upperName(key));
    if (name !== undefined && !(name in named)) named[name] = raw[key];
  }
  return named;
}

function readItem(item: unknown, index: number, version: string): BatchItemRequest {
  if (!isJsonObject(item)) throw invalid(`requests[${index}] must be an object.`);
  const raw = properties(item);
  const { id, method, url, headers, dependsOn } = raw;
  // `"body": null` is no body, as serializers write an unset one (chosen: not documented).
  const body = raw['body'] === null ? undefined : raw['body'];
  if (typeof id !== 'string' || id === '') throw invalid(`requests[${index}] needs an 'id': a non-empty string.`);
  const verb = typeof method === 'string' ? method.toUpperCase() : '';
  if (!METHODS.has(verb)) throw invalid(`request '${id}' needs a 'method' of ${[...METHODS].join(', ')}.`);
  const itemHeaderMap = itemHeaders(id, headers);
  const contentType = itemHeaderMap['content-type'];
  // Graph's wording, captured in msgraph-sdk-dotnet issue 1038; a write needs both, even with an empty body
  // (https://learn.microsoft.com/graph/json-batching, the 405 of the example).
  if (WRITES.has(verb) && (contentType === undefined || body === undefined)) {
    throw GraphError.of('badRequest', `Write request id : ${id} does not contain Content-Type header or body.`);
  }
  // "When the body is supplied, a Content-Type header must be included" (json-batching), whatever the method;
  // the wording is chosen: Graph's for a read with a body is not documented.
  if (body !== undefined && contentType === undefined) throw invalid(`request '${id}' has a body but no Content-Type header.`);
  if (dependsOn !== undefined && (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))) {
    throw invalid(`the dependsOn of request '${id}' must be an array of request ids.`);
  }
  const itemBodyBytes = body === undefined || contentType === undefined ? undefined : itemBody(id, body, contentType);
  // A JSON or text body arrives decoded, inside the batch's JSON, and is written as UTF-8: a charset the item
  // declared (utf-16, say) no longer describes its bytes (chosen: not documented).
  if (itemBodyBytes !== undefined && !isBase64Type(contentType!)) itemHeaderMap['content-type'] = contentType!.replace(/;\s*charset=[^;]*/i, '; charset=utf-8');
  return {
    id,
    method: verb,
    url: itemUrl(id, url, version),
    headers: itemHeaderMap,
    body: itemBodyBytes,
    dependsOn: (dependsOn as string[] | undefined) ?? [],
  };
}

/** Every dependency names another request of the batch, and no chain of them comes back to where it started. */
function checkDependencies(items: readonly BatchItemRequest[]): void {
  if (items.every((item) => item.dependsOn.length === 0)) return;
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  for (const item of items) {
    for (const dependency of item.dependsOn) {
      const target = byId.get(dependency.toLowerCase());
      if (target === undefined || target === item)
        throw invalid(`request '${item.id}' depends on '${dependency}', which is not another request of this batch.`);
    }
  }
  const state = new Map<BatchItemRequest, 'visiting' | 'done'>();
  const visit = (item: BatchItemRequest): void => {
    if (state.get(item) === 'done') return;
    if (state.get(item) === 'visiting') throw invalid(`the dependsOn of request '${item.id}' leads back to itself.`);
    state.set(item, 'visiting');
    for (const dependency of item.dependsOn) visit(byId.get(dependency.toLowerCase())!);
    state.set(item, 'done');
  };
  items.forEach(visit);
}

/**
 * The body's `requests`, its name read in any case (`"Requests"`), as Graph's OData batch reader reads it
 * (Microsoft.OData.Core ODataJsonBatchReader.DetectReaderMode compares it OrdinalIgnoreCase).
 */
function requestsOf(body: unknown): unknown {
  if (!isJsonObject(body)) return undefined;
  if (Object.hasOwn(body, 'requests')) return body['requests'];
  const name = Object.keys(body).find((key) => key.toLowerCase() === 'requests');
  return name === undefined ? undefined : body[name];
}

/** The requests of a $batch body sent to `/{version}/$batch`. */
export function readBatchPayload(body: unknown, version: string): BatchItemRequest[] {
  const raw = requestsOf(body);
  if (!Array.isArray(raw)) throw invalid("the body must be an object with a 'requests' array.");
  if (raw.length === 0) throw invalid("'requests' is empty; a batch holds 1 to 20 requests.");
  if (raw.length > MAX_BATCH_REQUESTS) throw invalid(`the batch holds ${raw.length} requests; a batch may hold at most ${MAX_BATCH_REQUESTS}.`);
  const items = raw.map((item, index) => readItem(item, index, version));
  const seen = new Set<string>();
  for (const { id } of items) {
    if (seen.has(id.toLowerCase())) throw invalid(`the id '${id}' is used by more than one request; ids must be unique (not case-sensitive).`);
    seen.add(id.toLowerCase());
  }
  checkDependencies(items);
  return items;
}
