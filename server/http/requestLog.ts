// One log line per answered request: method, path, status, duration, Graph's request-id (as `requestId`),
// and the fault injected into it if any.
// Written on pino directly rather than through pino-http: pino-http builds a child logger and serialises
// req/res for every request, a large share of the server's CPU per request under load (bench/README.md);
// this writes the same fields in one line when the response is done: through logger.ts's lineWriter for the
// emulator's own logger (one JSON.stringify of the fields), through pino for any other.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { type Logger, lineWriter } from '../logger.js';
import { decodedForDisplay } from '../urlText.js';
import { graphIdsOf } from '../graphWire.js';
import { withoutSecrets } from './journalSecrets.js';
import { absoluteTarget } from './requestHost.js';

const HEALTH_PATH = '/_emulator/health';
/** `scheme://` and the userinfo after it, up to the authority's last '@'. */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

function levelFor(path: string, status: number, completed: boolean): 'error' | 'warn' | 'info' | 'debug' {
  if (status >= 500) return 'error';
  if (!completed) return 'warn';
  // Container healthchecks poll every few seconds; their lines would drown the real traffic.
  return path === HEALTH_PATH ? 'debug' : 'info';
}

/**
 * The URL as logged: a token or secret in its query (`access_token=…`, `client_secret=…`) is `REDACTED`, as in the
 * request journal (journalSecrets.ts): the log goes to CI output and `docker logs`.
 */
function loggedUrl(logged: string): string {
  // An absolute-form target's user name and password (refused with a 400 in requestHost.ts) are not logged either.
  const url = logged.replace(USER_INFO, '$1');
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return url;
  const query = url.slice(queryAt + 1);
  const kept = withoutSecrets(query, undefined, undefined).query;
  return kept === query ? url : `${url.slice(0, queryAt + 1)}${kept}`;
}

export function requestLog(logger: Logger): RequestHandler {
  const write = lineWriter(logger);
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const started = performance.now();
    const done = () => {
      // `close` without `finish`: the connection ended before the answer was complete (socket faults, client gone).
      const completed = res.writableFinished;
      const status = res.statusCode;
      // originalUrl: req.url is relative to a router mount point when the answer leaves from inside one; an
      // absolute-form target is logged as sent, though routed by its path (requestHost.ts).
      const url = loggedUrl(absoluteTarget(req) ?? req.originalUrl);
      const queryAt = url.indexOf('?');
      const path = queryAt === -1 ? url : url.slice(0, queryAt);
      const level = levelFor(path, status, completed);
      if (!logger.isLevelEnabled(level)) return;
      const durationMs = Math.round(performance.now() - started);
      // Built field by field rather than with spreads: one object per line, in the same key order.
      const ids = graphIdsOf(res);
      const line: Record<string, unknown> = { requestId: ids.requestId, method: req.method, path };
      if (queryAt !== -1) line['query'] = decodedForDisplay(url.slice(queryAt + 1));
      line['status'] = status;
      line['durationMs'] = durationMs;
      line['clientRequestId'] = ids.clientRequestId;
      // Admin requests never make a context: only Graph requests are faulted.
      const fault = req.emulatorContext?.fault;
      if (fault) line['fault'] = fault;
      if (!completed) line['aborted'] = true;
      const msg = `${req.method} ${url} ${status}${completed ? ` ${durationMs}ms` : ' (connection closed before the answer completed)'}`;
      if (write) write(level, line, msg);
      else logger[level](line, msg);
    };
    // A response emits 'close' after 'finish', and alone when the connection ends first.
    res.on('close', done);
    next();
  };
}
