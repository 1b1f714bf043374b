// Headers the live Graph sends on every response, success or error (captures in msgraph-sdk-powershell
// issue 2505; https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support).
// The first step gives each request its ids; the headers themselves are written with the response's own, when
// its status line is: writeHead of the app's responses adds them (installGraphHeaders), so no answer leaves
// without them, and a success sender hands Node all its headers in one list (Node's fast path: no per-header
// bookkeeping, measured in bench/README.md). A header a sender set itself (OAuth's Cache-Control) is kept.
import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, Response } from 'express';
import type { GraphIds } from '../graphWire.js';

const DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: 'West Europe', Slice: 'E', Ring: '5', ScaleUnit: '000', RoleInstance: 'AM1PEPF0001A38D' },
});

/**
 * Headers a browser may read: Graph's own Access-Control-Expose-Headers, in its order (the list Microsoft's Dev Proxy
 * sends as Graph's, ProxyUtils.BuildGraphResponseHeaders; the first six in Graph's documented photo answer of 2017).
 * No more: a page that reads OData-Version or a throttle header here would read null from Graph. WWW-Authenticate
 * lets a page read a 401's challenge.
 */
export const EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Preference-Applied',
  'Content-Range',
  'request-id',
  'client-request-id',
  'ReadWriteConsistencyToken',
  'SdkVersion',
  'WWW-Authenticate',
  'x-ms-client-gcc-tenant',
  'Retry-After',
];

export function graphHeaders(req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  const sent = req.headers['client-request-id'];
  res.graphIds = { requestId, clientRequestId: typeof sent === 'string' && sent.trim() !== '' ? sent : requestId };
  next();
}

const CONSTANT_NAMES = ['Cache-Control', 'Strict-Transport-Security', 'x-ms-ags-diagnostic'] as const;
const CONSTANT_VALUES = ['no-cache', 'max-age=31536000', DIAGNOSTIC] as const;
/**
 * Graph's HSTS value, sent over plain http, where browsers ignore it (RFC 6797 §8.1). Over HTTPS a browser keeps
 * it for the host, whatever the port: a year of it for `localhost` would turn every local app's http:// address
 * into https://. `max-age=0` keeps the header there and tells a browser to forget any it kept (§6.1.1).
 */
const CONSTANT_VALUES_TLS = ['no-cache', 'max-age=0', DIAGNOSTIC] as const;

/** Whether an answer goes over TLS (an HTTPS server's socket). */
export function overTls(socket: unknown): boolean {
  return (socket as { encrypted?: boolean } | null | undefined)?.encrypted === true;
}

/**
 * Graph's headers as name, value pairs, but for those the response already has; with no response (an answer
 * written on the socket itself, clientErrors.ts), all of them.
 */
export function graphPairs(ids: GraphIds, res?: ServerResponse, tls = overTls(res?.socket)): string[] {
  const pairs: string[] = [];
  if (!res?.hasHeader('request-id')) pairs.push('request-id', ids.requestId);
  if (!res?.hasHeader('client-request-id')) pairs.push('client-request-id', ids.clientRequestId);
  const values = tls ? CONSTANT_VALUES_TLS : CONSTANT_VALUES;
  for (let i = 0; i < CONSTANT_NAMES.length; i += 1) if (!res?.hasHeader(CONSTANT_NAMES[i]!)) pairs.push(CONSTANT_NAMES[i]!, values[i]!);
  return pairs;
}

/** Graph's headers that a response whose headers are not written yet lacks, as name, value pairs (none for one that never passed the graphHeaders step). */
export function graphHeaderPairs(res: ServerResponse): string[] {
  const ids = res.graphIds;
  return ids === undefined ? [] : graphPairs(ids, res);
}

/** Sets Graph's headers on a response whose headers are not written yet (a response kept in this process, syntheticExchange.ts). */
export function applyGraphHeaders(res: ServerResponse): void {
  const pairs = graphHeaderPairs(res);
  for (let i = 0; i < pairs.length; i += 2) res.setHeader(pairs[i]!, pairs[i + 1]!);
}

// Node's own, called as writeHead(status, reason or undefined, headers or undefined).
const nodeWriteHead = ServerResponse.prototype.writeHead as (this: ServerResponse, status: number, reason?: unknown, headers?: unknown) => ServerResponse;

/**
 * Node's writeHead, with Graph's headers added for a response that passed the graphHeaders step. Node calls it for
 * every response that did not (res.end() without it), so it sees each answer once, before its header block exists.
 */
function writeHeadWithGraphHeaders(this: ServerResponse, statusCode: number, reasonOrHeaders?: unknown, headers?: unknown): ServerResponse {
  const ids = this.graphIds;
  if (ids === undefined) return nodeWriteHead.call(this, statusCode, reasonOrHeaders, headers);
  const reason = typeof reasonOrHeaders === 'string' ? reasonOrHeaders : undefined;
  const given = reason === undefined ? reasonOrHeaders : headers;
  if (Array.isArray(given)) return nodeWriteHead.call(this, statusCode, reason, graphPairs(ids, this).concat(given as string[]));
  applyGraphHeaders(this);
  return nodeWriteHead.call(this, statusCode, reason, given);
}

/** Makes every response of the app carry Graph's headers (once per app: Express gives each app its own response prototype). */
export function installGraphHeaders(app: Express): void {
  (app.response as unknown as { writeHead: typeof writeHeadWithGraphHeaders }).writeHead = writeHeadWithGraphHeaders;
}
