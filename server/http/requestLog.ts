// One log line per answered request: method, path, status, duration, Graph's request-id (as `requestId`),
// and the fault injected into it if any. pino-http times the request from here until the response is finished.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { appliedFault } from '../faults/middleware.js';
import type { Logger } from '../logger.js';

const HEALTH_PATH = '/_emulator/health';

function requestFields(req: IncomingMessage, res: ServerResponse, responseTime: number) {
  const fault = appliedFault(req as Request);
  const url = new URL((req as Request).originalUrl ?? req.url ?? '/', 'http://emulator');
  return {
    method: req.method,
    path: url.pathname,
    ...(url.search ? { query: decodeURIComponent(url.search.slice(1)) } : {}),
    status: res.statusCode,
    durationMs: responseTime,
    clientRequestId: res.getHeader('client-request-id'),
    ...(fault ? { fault } : {}),
  };
}

export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    // Graph's request-id (set by graphHeaders just before) is the id a client reports; log under the same one.
    genReqId: (_req, res) => String(res.getHeader('request-id') ?? ''),
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    // Container healthchecks poll every few seconds; their lines would drown the real traffic.
    customLogLevel: (req, res, err) => (err || res.statusCode >= 500 ? 'error' : req.url === HEALTH_PATH ? 'debug' : 'info'),
    customSuccessObject: (req, res, val: { responseTime: number }) => requestFields(req, res, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) => requestFields(req, res, val.responseTime),
    customSuccessMessage: (req, res, ms) => `${req.method} ${(req as Request).originalUrl ?? req.url} ${res.statusCode} ${ms}ms`,
    customErrorMessage: (req, res) => `${req.method} ${(req as Request).originalUrl ?? req.url} ${res.statusCode}`,
  });
}
