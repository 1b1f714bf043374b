// CORS through the `cors` package, for requests that come from a browser (they carry Origin). SDKs,
// curl and test clients send no Origin and have no use for the headers, so they skip the work.
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { EXPOSED_HEADERS } from './graphHeaders.js';

export function browserCors(origins: '*' | readonly string[]): RequestHandler {
  const handle = cors({
    origin: origins === '*' ? true : [...origins],
    credentials: true,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  return function browserOnlyCors(req: Request, res: Response, next: NextFunction): void {
    if (req.headers.origin === undefined) return next();
    handle(req, res, next);
  };
}
