// The one error middleware: everything thrown or passed to next() ends up in Graph's envelope.
// Unknown errors become 500 UnknownError (the detail goes to the log, not to the client).
import type { NextFunction, Request, Response } from 'express';
import { GraphError, sendGraphError } from '../graphErrors.js';
import { StoreError } from '../store/types.js';

export function toGraphError(err: unknown): GraphError {
  if (err instanceof GraphError) return err;
  if (err instanceof StoreError && err.kind === 'conflict') return GraphError.of('conflict', err.message);
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Errors raised by Express itself or its parsers (e.g. a malformed URI).
    return GraphError.of('badRequest', (err as Error).message);
  }
  return GraphError.of('internal');
}

export function errorHandler(onUnexpected: (err: unknown, req: Request) => void) {
  return function graphErrorHandler(err: unknown, req: Request, res: Response, next: NextFunction): void {
    if (res.headersSent) return next(err);
    const graphError = toGraphError(err);
    if (graphError.status >= 500 && !(err instanceof GraphError)) onUnexpected(err, req);
    sendGraphError(res, graphError);
  };
}
