// Consecutive middleware steps run as one Express layer. Express's router pays for every layer it walks
// (path matching, prefix trimming, its own bookkeeping) on every request; the emulator's steps apply to
// every path, so that walk buys nothing. Semantics are Express's: a step calls next() to go on, next(err)
// to hand an error to the error handler, and a thrown error or a rejected promise goes the same way.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function pipeline(...steps: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    let index = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null) return next(err);
      const handler = steps[index++];
      if (handler === undefined) return next();
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
