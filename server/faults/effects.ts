// What a fired rule does to the exchange: Graph's error for a status, a sampled delay, or a broken
// connection on the real socket. Error bodies and headers come from the one error model.
// Retry-After on 429/503: https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ERROR_TEMPLATES, GraphError, sendGraphError, templateForStatus, type ErrorTemplate } from '../graphErrors.js';
import { BEARER_CHALLENGE, ODATA_CONTENT_TYPE, graphIdsOf } from '../graphWire.js';
import type { Random } from '../random.js';
import { DEFAULT_LOGNORMAL_MAX_MS, type DropKind, type FaultRule, type Latency } from './ruleSchema.js';

/** Retry-After sent with an injected 429 that names none; the value Graph's throttling docs show. */
const DEFAULT_RETRY_AFTER_SECONDS = 10;
/** The longest delay one request gets, however many latency rules fire (the schema's cap for one latency). */
export const MAX_DELAY_MS = 300_000;
/** A `hang` connection is destroyed after this long if the client has not given up before. */
export const MAX_HANG_MS = 300_000;
/** Hung connections held at once; a new one releases the oldest. */
export const MAX_HUNG_CONNECTIONS = 100;

// The request carried a token (auth ran first), so an injected 401 is the one a client with a token
// meets: the token expired mid-session, with Graph's bearer challenge.
const INJECTED: Partial<Record<number, { template: ErrorTemplate; headers: Record<string, string> }>> = {
  401: { template: ERROR_TEMPLATES.tokenExpired, headers: { 'WWW-Authenticate': BEARER_CHALLENGE } },
};

/** The Retry-After an injected error sends, in seconds; undefined when it sends none. */
export function retryAfterOf(rule: FaultRule): number | undefined {
  return rule.retryAfter ?? (rule.status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
}

function faultError(rule: FaultRule & { status: number }): GraphError {
  const { template, headers: fixed } = INJECTED[rule.status] ?? { template: templateForStatus(rule.status), headers: {} };
  const retryAfter = retryAfterOf(rule);
  const headers: Record<string, string> = retryAfter === undefined ? { ...fixed } : { ...fixed, 'Retry-After': String(retryAfter) };
  return new GraphError({ ...template, code: rule.code ?? template.code }, rule.message, headers);
}

export function sampleLatency(latency: Latency | undefined, random: Random): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  if ('min' in latency) return random.int(latency.min, latency.max);
  return Math.round(Math.min(random.lognormal(latency.median, latency.sigma), latency.max ?? DEFAULT_LOGNORMAL_MAX_MS));
}

// A status line and headers a client accepts, then a chunk size that is not hex: HTTP parsers fail
// with an invalid-chunk error instead of waiting, which is what a proxy mangling a response looks like.
// An answer to HEAD has no body (RFC 9110 §9.3.2), so a client never reads the chunk and would see a 200: its
// garbled line comes among the headers instead, a line with no colon that parsers refuse.
// The headers the response already has come too: a page's CORS headers, without which a browser would report the
// answer as refused by CORS instead of as a 200 whose body breaks. So do the ones every Graph answer carries
// (`graphHeaders`, name and value pairs: request-id, client-request-id, x-ms-ags-diagnostic, …) and a success's
// OData-Version and Date, as a client that reads the headers before the body finds them on Graph's 200.
const WRITTEN_HERE = new Set(['content-type', 'content-length', 'transfer-encoding', 'request-id', 'odata-version', 'date']);
function malformedResponse(res: ServerResponse, head: boolean, graphHeaders: readonly string[]): string {
  const kept = Object.entries(res.getHeaders())
    .filter(([name]) => !WRITTEN_HERE.has(name))
    .flatMap(([name, value]) => [value ?? []].flat().map((v) => `${name}: ${v}`));
  const graph = graphHeaders.flatMap((name, i) => (i % 2 === 0 ? [`${name}: ${graphHeaders[i + 1]}`] : []));
  // Without them (a response that never passed the Graph headers step), its request-id alone, as before.
  if (graph.length === 0) graph.push(`request-id: ${graphIdsOf(res).requestId}`);
  const start = ['HTTP/1.1 200 OK', `Content-Type: ${ODATA_CONTENT_TYPE}`, 'OData-Version: 4.0', ...kept, ...graph, `Date: ${new Date().toUTCString()}`];
  if (head) return [...start, 'zz', '', ''].join('\r\n');
  return [...start, 'Transfer-Encoding: chunked', '', 'zz', '{"@odata.context":"https://graph.microsoft.com/beta/$metadata#'].join('\r\n');
}

/** A TCP RST. Over HTTPS the request's socket is TLS; only the TCP socket under it can send the reset. */
function resetConnection(socket: Socket): void {
  // `encrypted` tells a TLS socket from a plain one (https://nodejs.org/api/tls.html#tlssocketencrypted) without
  // loading node:tls for the check.
  const tcp = (socket as Partial<TLSSocket>).encrypted === true ? (socket as TLSSocket & { _parent?: Socket | null })._parent : socket;
  if (tcp) tcp.resetAndDestroy();
  socket.destroy();
}

/**
 * Break the connection under the request. `hang` hands the socket to `onHang`, which must destroy it
 * when the emulator stops so a graceful shutdown does not wait for a client that never gives up.
 */
function dropConnection(kind: DropKind, res: ServerResponse, onHang: (socket: Socket) => void, graphHeaders: readonly string[]): string | undefined {
  const socket = res.req.socket;
  switch (kind) {
    case 'reset':
      resetConnection(socket);
      return;
    case 'empty':
      // end() sends FIN: the client reads end-of-stream with no status line ("socket hang up").
      socket.end();
      return;
    case 'malformed': {
      const written = malformedResponse(res, res.req.method === 'HEAD', graphHeaders);
      // Latin-1, as Node writes a header (a client-request-id's bytes go back as they came).
      socket.end(written, 'latin1');
      return written;
    }
    case 'hang':
      onHang(socket);
      return;
  }
}

/**
 * Render a fault that has an error or a connection effect; what a drop wrote on the socket itself (`malformed`'s
 * status line, headers and broken chunk), for the log and the journal to show. `graphHeaders`: the name and value
 * pairs of Graph's headers the response does not have yet, for an answer written on the socket.
 */
export function renderFault(rule: FaultRule, res: ServerResponse, onHang: (socket: Socket) => void, graphHeaders: readonly string[] = []): string | undefined {
  if (rule.drop !== undefined) return dropConnection(rule.drop, res, onHang, graphHeaders);
  if (rule.status !== undefined) sendGraphError(res, faultError({ ...rule, status: rule.status }));
  return undefined;
}
