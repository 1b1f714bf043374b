// Graph's bearer check. AUTH=bearer accepts any non-empty token (no signature check: this is a local
// emulator), AUTH=none skips the check. A token that is a JWT gives the caller's UPN for createdBy/modifiedBy.
// Error wording: https://learn.microsoft.com/graph/resolve-auth-errors
import type { NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';

export type AuthMode = 'bearer' | 'none';

// What Graph sends with a 401, so clients that parse the challenge find what they expect.
export const BEARER_CHALLENGE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

const callers = new WeakMap<Request, string | null>();

/** The caller's UPN when the bearer token is a JWT carrying one; null otherwise. */
export function callerOf(req: Request): string | null {
  return callers.get(req) ?? null;
}

/** The claims of a JWT bearer token; null for any other token. */
export function tokenClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    // Not a JWT: any non-empty token is accepted, it just names nobody.
    return null;
  }
}

// Clients send the same token on request after request: decode it once.
let lastToken = '';
let lastUpn: string | null = null;

export function upnFromToken(token: string): string | null {
  if (token !== lastToken) {
    lastUpn = readUpn(token);
    lastToken = token;
  }
  return lastUpn;
}

function readUpn(token: string): string | null {
  const claims = tokenClaims(token);
  for (const claim of ['upn', 'unique_name', 'preferred_username', 'app_displayname']) {
    const value = claims?.[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** The bearer token of a request, '' when there is none. */
export function bearerToken(req: Request): string {
  return /^Bearer\s+(.*)$/i.exec((req.get('authorization') ?? '').trim())?.[1]?.trim() ?? '';
}

export function authenticate(mode: AuthMode) {
  return function auth(req: Request, _res: Response, next: NextFunction): void {
    if (mode === 'none') return next();
    const header = req.get('authorization') ?? '';
    const match = /^Bearer(?:\s+(.*))?$/i.exec(header.trim());
    const token = match?.[1]?.trim() ?? '';
    if (header.trim() !== '' && match === null) {
      throw GraphError.of('unauthenticated', 'CompactToken parsing failed with error code: 80049217', { 'WWW-Authenticate': BEARER_CHALLENGE });
    }
    if (token === '') throw GraphError.of('unauthenticated', 'Access token is empty.', { 'WWW-Authenticate': BEARER_CHALLENGE });
    const upn = upnFromToken(token);
    if (upn !== null) callers.set(req, upn);
    next();
  };
}
