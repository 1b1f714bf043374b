// The one error middleware: everything thrown or passed to next() ends up in Graph's envelope.
// Unknown errors become 500 UnknownError (the detail goes to the log, not to the client).
import type { NextFunction, Request, Response } from 'express';
import { GraphError, sendGraphError, toGraphError } from '../graphErrors.js';

export function errorHandler(onUnexpected: (err: unknown, req: Request) => void) {
  return function graphErrorHandler(err: unknown, req: Request, res: Response, next: NextFunction): void {
    if (res.headersSent) return next(err);
    const graphError = toGraphError(err);
    // A 5xx the emulator answers on purpose (507 past MAX_TENANTS) is an answer, not a failure to log.
    if (graphError.status >= 500 && graphError.code !== 'quotaLimitReached' && !(err instanceof GraphError)) onUnexpected(err, req);
    sendGraphError(res, graphError);
  };
}
