// One log line per answered request: method, path, status, duration, Graph's request-id (as `requestId`),
// and the fault injected into it if any. A $batch is one line whose `items` lists its requests (batchItemsOf):
// a line per item cost a batch about a tenth of its CPU (bench/README.md), and an item's own request-id never
// reaches the client (Graph sends the batch's alone).
// Written on pino directly rather than through pino-http: pino-http builds a child logger and serialises
// req/res for every request, a large share of the server's CPU per request under load (bench/README.md);
// this writes the same fields in one line when the response is done: through logger.ts's lineWriter for the
// emulator's own logger (one JSON.stringify of the fields), through pino for any other.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { type Logger, lineWriter } from '../logger.js';
import { escapedControls } from '../terminalText.js';
import { decodedForDisplay, percentDecoded } from '../urlText.js';
import { graphIdsOf } from '../graphWire.js';
import { withoutSecrets } from './journalSecrets.js';
import { REDACTED } from './secretNames.js';
import { absoluteTarget } from './requestHost.js';
import { HEALTH_PATH } from '../adminPath.js';
import { type SocketAnswer, answerInPlaceOf } from './clientErrors.js';

/** `scheme://` and the userinfo after it, up to the authority's last '@'. */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

type Level = 'error' | 'warn' | 'info' | 'debug';
const SEVERITY: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function levelFor(path: string, status: number, completed: boolean): Level {
  if (status >= 500) return 'error';
  if (!completed) return 'warn';
  // Container healthchecks poll every few seconds; their lines would drown the real traffic. Only the path as
  // they send it (bin/healthcheck.ts) is quieted: another spelling of it is not a healthcheck's, and is logged.
  return path === HEALTH_PATH ? 'debug' : 'info';
}

/** The URL as logged, split at its query (decoded for display): what a line and a $batch item show of a target. */
function targetOf(logged: string, adminToken?: string): { url: string; path: string; query: string | undefined } {
  // Control characters a client put in its target (a C1 CSI as raw bytes, a bidi override percent-encoded in the
  // query) written as escapes: the log reaches a terminal (terminalText.ts).
  const url = escapedControls(loggedUrl(logged, adminToken));
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return { url, path: url, query: undefined };
  return { url, path: url.slice(0, queryAt), query: escapedControls(decodedForDisplay(url.slice(queryAt + 1))) };
}

/**
 * A $batch's items as its line lists them, in the order they ran: id, method, path, query, status, fault, and
 * `aborted` for one its batch's closed connection cut short; and the level of the most severe of them and the
 * batch's own `level`.
 */
function batchItemsOf(
  requests: readonly Request[],
  batchLevel: Level,
  adminToken: string | undefined,
): { items: Array<Record<string, unknown>>; level: Level } {
  let level = batchLevel;
  const items = requests.map((item) => {
    const res = item.res!;
    const { path, query } = targetOf(item.originalUrl, adminToken);
    const completed = res.writableFinished;
    const id = item.emulatorContext?.batchItem?.id;
    const line: Record<string, unknown> = { id: id === undefined ? undefined : escapedControls(id), method: item.method, path };
    if (query !== undefined) line['query'] = query;
    // An item its batch's closed connection left unanswered has no status (Express's default 200 is none).
    const status = res.headersSent ? res.statusCode : null;
    line['status'] = status;
    const fault = item.emulatorContext?.fault;
    if (fault) line['fault'] = fault;
    if (!completed) line['aborted'] = true;
    const itemLevel = levelFor(path, status ?? 0, completed);
    if (SEVERITY[itemLevel] > SEVERITY[level]) level = itemLevel;
    return line;
  });
  return { items, level };
}

/**
 * The URL as logged: a token or secret in its query (`access_token=…`, `client_secret=…`) is `REDACTED`, as in the
 * request journal (journalSecrets.ts): the log goes to CI output and `docker logs`.
 */
function loggedUrl(logged: string, adminToken: string | undefined): string {
  // An absolute-form target's user name and password (refused with a 400 in requestHost.ts) are not logged either.
  const url = logged.replace(USER_INFO, '$1');
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return url;
  const query = url.slice(queryAt + 1);
  const kept = withoutAdminToken(withoutSecrets(query, undefined, undefined).query, adminToken);
  return kept === query ? url : `${url.slice(0, queryAt + 1)}${kept}`;
}

/**
 * A query with each value that is the admin token `REDACTED`, under any name (`?token=…`, `?admin_token=…`): the
 * admin API takes it only as a header, but a client that tries the query puts it in every log line of its request.
 */
function withoutAdminToken(query: string, adminToken: string | undefined): string {
  if (adminToken === undefined || !query.includes('=')) return query;
  return query
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      const isToken = at !== -1 && [value, percentDecoded(value), percentDecoded(value.replace(/\+/g, ' '))].includes(adminToken);
      return isToken ? `${pair.slice(0, at + 1)}${REDACTED}` : pair;
    })
    .join('&');
}

/** The request log; `adminToken`, the ADMIN_TOKEN, is never written when a client sends it in a query. */
export function requestLog(logger: Logger, adminToken?: string): RequestHandler {
  const write = lineWriter(logger);
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    // A $batch item is listed in its batch's line, which is written once all its items are answered.
    if (req.emulatorContext?.batchItem !== undefined) return next();
    const started = performance.now();
    const done = () => {
      // `close` without `finish`: the connection ended before the answer was complete (socket faults, client gone).
      const completed = res.writableFinished;
      // The answer written on the socket in place of the response (a 408 when the request timed out, a 400 for bytes
      // Node could not read) is what the client got, whatever the app wrote after it into the closed connection;
      // else a response that sent nothing has no status of its own (Express's default 200 is none).
      const onSocket = answerInPlaceOf(res);
      const status = onSocket !== undefined ? onSocket.status : res.headersSent ? res.statusCode : null;
      // originalUrl: req.url is relative to a router mount point when the answer leaves from inside one; an
      // absolute-form target is logged as sent, though routed by its path (requestHost.ts).
      const { url, path, query } = targetOf(absoluteTarget(req) ?? req.originalUrl, adminToken);
      const ran = req.emulatorContext?.batchRequests;
      const own = levelFor(path, status ?? 0, completed);
      const batch = ran === undefined ? undefined : batchItemsOf(ran, own, adminToken);
      const level = batch?.level ?? own;
      if (!logger.isLevelEnabled(level)) return;
      const durationMs = Math.round(performance.now() - started);
      // Built field by field rather than with spreads: one object per line, in the same key order.
      const ids = graphIdsOf(res);
      const line: Record<string, unknown> = { requestId: ids.requestId, method: req.method, path };
      if (query !== undefined) line['query'] = query;
      line['status'] = status;
      line['durationMs'] = durationMs;
      line['clientRequestId'] = escapedControls(ids.clientRequestId);
      // Admin requests never make a context: only Graph requests are faulted.
      const fault = req.emulatorContext?.fault;
      if (fault) line['fault'] = fault;
      if (!completed) line['aborted'] = true;
      if (batch !== undefined) line['items'] = batch.items;
      let msg = `${req.method} ${url} ${status ?? 'unanswered'}${completed ? ` ${durationMs}ms` : ' (connection closed before the answer completed)'}`;
      if (batch !== undefined) {
        const count = batch.items.length;
        msg += ` (${count} request${count === 1 ? '' : 's'}: ${batch.items.map((item) => item['status'] ?? 'unanswered').join(', ')})`;
      }
      if (write) write(level, line, msg);
      else logger[level](line, msg);
    };
    // A response emits 'close' after 'finish', and alone when the connection ends first.
    res.on('close', done);
    next();
  };
}

/** What a log line says of an answer: its status and the ids it carried. */
export type AnswerIds = Pick<SocketAnswer, 'status' | 'requestId' | 'clientRequestId'>;

/**
 * The line of an answer the server gave outside the app (serverEvents.ts): to bytes Node could not read as a request
 * (headers too large, not HTTP, a timeout before the headers were whole: no method or path, the error's code
 * instead), or to a request it answered itself (a 417, a CONNECT). Its request-id is the one the client received,
 * so a failing client finds its answer in the log as any other; at `warn`, since no request was served.
 */
export function logOutsideApp(logger: Logger, answer: AnswerIds, request: { method: string; url: string } | { code: string }): void {
  if (!logger.isLevelEnabled('warn')) return;
  const line: Record<string, unknown> = { requestId: answer.requestId };
  let msg: string;
  if ('method' in request) {
    const { url, path, query } = targetOf(request.url);
    line['method'] = request.method;
    line['path'] = path;
    if (query !== undefined) line['query'] = query;
    msg = `${request.method} ${url} ${answer.status}`;
  } else {
    line['error'] = request.code;
    msg = `${answer.status} (the request could not be read: ${request.code})`;
  }
  line['status'] = answer.status;
  line['clientRequestId'] = answer.clientRequestId === undefined ? undefined : escapedControls(answer.clientRequestId);
  const write = lineWriter(logger);
  if (write) write('warn', line, msg);
  else logger.warn(line, msg);
}
