// Graph's bearer check. AUTH=bearer accepts any non-empty token (no signature check: this is a local
// emulator), AUTH=none skips the check. The token and its claims are read into the request context.
// Error wording: https://learn.microsoft.com/graph/resolve-auth-errors
import type { NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { BEARER_CHALLENGE } from '../graphWire.js';
import { contextOf } from './context.js';

export type AuthMode = 'bearer' | 'none';

const CHALLENGE = { 'WWW-Authenticate': BEARER_CHALLENGE };

export function authenticate(mode: AuthMode) {
  return function auth(req: Request, _res: Response, next: NextFunction): void {
    if (mode === 'none') return next();
    const header = req.headers.authorization?.trim() ?? '';
    // A scheme other than Bearer (Basic, a bare token) is what Graph's token parser rejects by this code.
    if (header !== '' && !/^Bearer(?:\s|$)/i.test(header)) {
      throw GraphError.of('unauthenticated', 'CompactToken parsing failed with error code: 80049217', CHALLENGE);
    }
    if (contextOf(req).token === '') throw GraphError.of('unauthenticated', 'Access token is empty.', CHALLENGE);
    next();
  };
}
