// CORS through the `cors` package, for requests that come from a browser (they carry Origin). SDKs,
// curl and test clients send no Origin and have no use for the headers, so they skip the work.
// Which origins are allowed is originPolicy.ts; no Access-Control-Allow-Credentials: nothing here uses cookies.
// A preflight from an origin that is not allowed ends here too, with no CORS headers: the browser stops there.
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { EXPOSED_HEADERS } from './graphHeaders.js';
import type { OriginPolicy } from './originPolicy.js';
import { isAdminPath } from '../adminPath.js';

function endRefusedPreflight(res: Response): void {
  res.statusCode = 204;
  res.setHeader('Vary', 'Origin');
  res.setHeader('Content-Length', '0');
  res.end();
}

/**
 * CORS for a request whose Origin may read the answer: a preflight answered and ended, any other request given its
 * headers and handed to `then`. False, and nothing done, for a request without such an Origin.
 */
export type CorsForAllowed = (req: Request, res: Response, then: NextFunction) => boolean;

export function browserCors(policy: OriginPolicy): RequestHandler & { forAllowed: CorsForAllowed } {
  const common = { exposedHeaders: EXPOSED_HEADERS, maxAge: 600 };
  // `origin: true` reflects the request's origin (with Vary: Origin); `*` is sent as is.
  const graph = cors({ ...common, origin: policy.wildcard ? '*' : true });
  const named = cors({ ...common, origin: true });
  const forAllowed: CorsForAllowed = (req, res, then) => {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    // Matched as the admin mount matches it, so `/_EMULATOR/reset`, which the admin routes serve, never gets Graph's
    // CORS headers (`CORS_ORIGINS=*` does not apply to admin paths).
    const admin = isAdminPath(req.path);
    if (!(admin ? policy.allowsAdmin(origin, req) : policy.allowsGraph(origin))) return false;
    (admin ? named : graph)(req, res, then);
    return true;
  };
  function browserOnlyCors(req: Request, res: Response, next: NextFunction): void {
    if (forAllowed(req, res, next)) return;
    if (req.headers.origin !== undefined && req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      return endRefusedPreflight(res);
    }
    next();
  }
  return Object.assign(browserOnlyCors, { forAllowed });
}
