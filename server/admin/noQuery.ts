// The admin routes that take no query parameter at all (token, tenants) refuse any: `?tenant=` on one of
// them would otherwise be ignored, a token minted for the default tenant or another tenant dropped in the named
// one's place, which is what namedTenant's 400 (tenants.ts) prevents on the routes of one tenant.
// Answers in Graph's envelope (https://learn.microsoft.com/graph/errors); the wording is chosen: not documented.
import type { NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';

/** A route step: a 400 naming the first query parameter, if there is one. */
export function noQuery(req: Request, _res: Response, next: NextFunction): void {
  const name = Object.keys(req.query)[0];
  if (name !== undefined) throw GraphError.of('badRequest', `Unknown query parameter '${name}': ${req.method} ${req.baseUrl}${req.path} takes none.`);
  next();
}
