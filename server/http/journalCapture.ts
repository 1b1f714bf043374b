// The step that records Graph requests in the request journal: every request under /beta or /v1.0 that got
// past the host check and CORS (the admin API and the OAuth endpoints are never recorded). What it costs a request:
// a listener and the copy of the request headers when the response closes; the answer's body is the text its
// sender already made (graphWire.ts endAnswer), kept as is. A $batch item records into its batch, which adds its
// items after itself when it closes, so a batch's entry always comes before its items.
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Identity } from '../identity/claims.js';
import { DEFAULT_TENANT_ID } from '../identity/tokens.js';
import { type RequestContext, contextOf } from './context.js';
import { type AuthorizationSummary, type RecordedHeaders, type RecordedRequest, type RequestJournal, capBody } from './requestJournal.js';

const GRAPH_PATH = /^\/(?:beta|v1\.0)(?:\/|$)/i;

/** The tenant a request is recorded under: its token's `tid`, else the default tenant. */
export function tenantOf(identity: Identity): string {
  return (identity.tenantId ?? DEFAULT_TENANT_ID).toLowerCase();
}

/** Credentials are kept as their scheme alone, and a bearer JWT as its claims: never the token or a password. */
function summarize(value: string, identity: Identity): AuthorizationSummary {
  const scheme = /^\S*/.exec(value.trim())![0];
  return { scheme, claims: scheme.toLowerCase() === 'bearer' ? identity.claims : null };
}

function requestHeaders(headers: IncomingHttpHeaders, identity: Identity): RecordedHeaders {
  const recorded: RecordedHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    recorded[name] = name === 'authorization' || name === 'proxy-authorization' ? summarize(String(value), identity) : value;
  }
  return recorded;
}

function bodyText(body: unknown): string | undefined {
  return body === undefined ? undefined : JSON.stringify(body);
}

function recordOf(req: Request, res: Response, context: RequestContext, path: string, query: string, started: number, time: number): RecordedRequest {
  const requestBody = capBody(bodyText(req.body));
  const responseBody = capBody(res.headersSent ? res.answerBody : undefined);
  const type = res.getHeader('content-type');
  return {
    time,
    tenant: tenantOf(context.identity),
    method: req.method,
    path,
    query,
    requestHeaders: requestHeaders(req.headers, context.identity),
    requestBody: requestBody.text,
    requestBodyTruncated: requestBody.truncated,
    status: res.headersSent ? res.statusCode : null,
    responseHeaders: res.headersSent ? (res.getHeaders() as RecordedHeaders) : {},
    responseBody: responseBody.text,
    responseBodyTruncated: responseBody.truncated,
    responseType: typeof type === 'string' ? type : undefined,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    fault: context.fault ?? null,
    batchItemId: context.batchItem?.id ?? null,
  };
}

export function journalCapture(journal: RequestJournal) {
  return function captureRequest(req: Request, res: Response, next: NextFunction): void {
    const path = req.path;
    if (!GRAPH_PATH.test(path)) return next();
    const started = performance.now();
    const time = Date.now();
    const url = req.url;
    const queryAt = url.indexOf('?');
    const context = contextOf(req);
    const capture = { items: [] as RecordedRequest[] };
    context.journal = capture;
    // A response emits 'close' after 'finish', and alone when the connection ends first.
    res.once('close', () => {
      const recorded = recordOf(req, res, context, path, queryAt === -1 ? '' : url.slice(queryAt + 1), started, time);
      const batch = context.batchItem?.batch;
      if (batch !== undefined) batch.items.push(recorded);
      else journal.record(recorded, capture.items);
    });
    next();
  };
}
