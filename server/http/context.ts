// The one per-request context: what the steps of a Graph request learn about it and hand on. The bearer
// token is read from the Authorization header once, its claims decoded once (once per distinct token:
// clients send the same token request after request), and the fault step records what it did here for the
// request log and for the success senders (a fault in phase "after" answers instead of the success).
import type { Request, Response } from 'express';

export interface AppliedFault {
  /** `rules[2] (name)`, `X-Emulator-Fault`, `throttle` or `Retry-After`. */
  source: string;
  /** What happened, e.g. `latency 312ms, status 503`. */
  effect: string;
}

export type Claims = Readonly<Record<string, unknown>>;

export interface RequestContext {
  /** The bearer token as sent; '' when there is none. */
  readonly token: string;
  /** The token's claims when it is a JWT; null for any other token (any non-empty token is accepted). */
  readonly claims: Claims | null;
  /** The caller's UPN from the claims (createdBy/modifiedBy); null when the token names nobody. */
  readonly caller: string | null;
  /** The fault applied to this request; undefined while it runs clean. */
  fault: AppliedFault | undefined;
  /** A fault in phase "after": the request commits, then this answers instead of the success. */
  deferredFault: ((res: Response) => void) | undefined;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by contextOf on first use; read it through contextOf. */
    emulatorContext?: RequestContext;
  }
}

/** The bearer token of an Authorization header; '' when it carries none. */
export function bearerTokenOf(header: string | undefined): string {
  if (header === undefined || header === '') return '';
  return /^Bearer\s+(.*)$/i.exec(header.trim())?.[1]?.trim() ?? '';
}

/** The claims of a JWT; null for any other token. */
export function decodeClaims(token: string): Claims | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Claims) : null;
  } catch {
    return null;
  }
}

/** Who the claims name, in the order Entra ID tokens carry a readable name. */
function callerIn(claims: Claims | null): string | null {
  for (const claim of ['upn', 'unique_name', 'preferred_username', 'app_displayname']) {
    const value = claims?.[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

let lastToken = '';
let lastIdentity: { claims: Claims | null; caller: string | null } = { claims: null, caller: null };

function identityOf(token: string): { claims: Claims | null; caller: string | null } {
  if (token !== lastToken) {
    const claims = decodeClaims(token);
    lastIdentity = { claims, caller: callerIn(claims) };
    lastToken = token;
  }
  return lastIdentity;
}

/** The request's context, made on first use from its headers. */
export function contextOf(req: Request): RequestContext {
  let context = req.emulatorContext;
  if (context === undefined) {
    const token = bearerTokenOf(req.headers.authorization);
    const { claims, caller } = identityOf(token);
    context = { token, claims, caller, fault: undefined, deferredFault: undefined };
    req.emulatorContext = context;
  }
  return context;
}
