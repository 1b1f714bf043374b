// Graph's token check, the one place a request is refused for its token (401). AUTH=bearer accepts any
// non-empty token and checks a JWT's lifetime and audience without its signature (this is a local
// emulator); AUTH=strict accepts only JWTs signed with the emulator's own key (identity/signingKey.ts);
// AUTH=none skips the check. What the token may do is checked after it, in http/permissions.ts.
// Wordings are the live service's, from captured answers (docs/identity.md lists them):
// https://learn.microsoft.com/graph/resolve-auth-errors
import type { NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { BEARER_CHALLENGE } from '../graphWire.js';
import { GRAPH_AUDIENCES, type Identity } from '../identity/claims.js';
import { type SignatureVerdict, verifyJwt } from '../identity/jwt.js';
import type { SigningKey } from '../identity/signingKey.js';
import { memoize } from '../memo.js';
import { TENANT_ID_RULE, tenantKey } from '../tenantIds.js';
import { contextOf } from './context.js';

export type AuthMode = 'bearer' | 'strict' | 'none';

const CHALLENGE = { 'WWW-Authenticate': BEARER_CHALLENGE };

const refused = (kind: 'unauthenticated' | 'tokenExpired', message?: string) => GraphError.of(kind, message, CHALLENGE);

// What Graph's token parser answers for a token that is not a JWT (Earlybyte/aad_oauth issue 102).
const NOT_A_JWT = 'CompactToken parsing failed with error code: 80049217';
// wazuh/wazuh-documentation issue 7620 (the whole body).
const BAD_SIGNATURE = 'Signature is invalid.';
// microsoft-graph-docs-contrib issue 2362 (the whole body).
const BAD_AUDIENCE = 'Access token validation failure. Invalid audience.';
// Chosen: not documented; the expired token's wording, for the other end of the lifetime.
const NOT_YET_VALID = 'Lifetime validation failed, the token is not yet valid.';
// Chosen: not documented; the lifetime failures' wording, naming the claim and what RFC 7519 §2 makes it.
const badTime = (claim: string) => `Lifetime validation failed, the ${claim} claim must be a number of seconds since the epoch (NumericDate).`;
// Chosen: not documented (Entra ID only issues GUIDs); the audience failure's wording, and what a tenant id may be.
const BAD_TENANT = `Access token validation failure. Invalid tenant: the tid claim must be ${TENANT_ID_RULE}.`;

/**
 * How far in the future a token's `nbf` may be: the clock skew Microsoft's token validation allows by default
 * (TokenValidationParameters.DefaultClockSkew, 300 s:
 * https://learn.microsoft.com/dotnet/api/microsoft.identitymodel.tokens.tokenvalidationparameters.defaultclockskew).
 * A token minted on another machine, or before the clock was set back, has its `nbf` ahead of this clock; `exp` is
 * checked to the second (docs/identity.md), so that a test can mint one that expires in a second.
 */
const NOT_BEFORE_SKEW_SECONDS = 300;

/** Lifetime, then audience, as Graph's token validation orders them; `nbf` with NOT_BEFORE_SKEW_SECONDS of skew. */
function checkClaims(identity: Identity, nowSeconds: number): void {
  const { expiresAt, notBefore, malformedTime, audiences } = identity;
  if (malformedTime !== undefined) throw refused('tokenExpired', badTime(malformedTime));
  if (expiresAt !== undefined && expiresAt <= nowSeconds) throw refused('tokenExpired');
  if (notBefore !== undefined && notBefore > nowSeconds + NOT_BEFORE_SKEW_SECONDS) throw refused('tokenExpired', NOT_YET_VALID);
  if (audiences !== undefined && !audiences.some((aud) => GRAPH_AUDIENCES.has(aud))) throw refused('unauthenticated', BAD_AUDIENCE);
  // The tenant names the data the request reaches (tenantIds.ts): a tid that cannot name one is no valid token.
  if (identity.tenantId !== null && tenantKey(identity.tenantId) === undefined) throw refused('unauthenticated', BAD_TENANT);
}

export function authenticate(mode: AuthMode, signingKey: SigningKey) {
  // Strict mode reads the key on its first request; then each distinct token is verified once.
  let verdictOf: ((token: string) => SignatureVerdict) | undefined;
  const loadVerifier = async (): Promise<void> => {
    const { publicKey } = await signingKey.load();
    verdictOf ??= memoize((token) => verifyJwt(token, publicKey));
  };

  const check = (req: Request): void => {
    const header = req.headers.authorization?.trim() ?? '';
    // A scheme other than Bearer (Basic, a bare token) is what Graph's token parser rejects by this code.
    if (header !== '' && !/^Bearer(?:\s|$)/i.test(header)) throw refused('unauthenticated', NOT_A_JWT);
    const { token, identity } = contextOf(req);
    if (token === '') throw refused('unauthenticated', 'Access token is empty.');
    const verdict = verdictOf?.(token);
    if (verdict === 'malformed') throw refused('unauthenticated', NOT_A_JWT);
    if (verdict === 'invalid') throw refused('unauthenticated', BAD_SIGNATURE);
    if (identity.claims !== null) checkClaims(identity, Date.now() / 1000);
  };

  return function auth(req: Request, _res: Response, next: NextFunction): void | Promise<void> {
    if (mode === 'none') return next();
    if (mode === 'strict' && verdictOf === undefined) {
      return loadVerifier().then(() => {
        check(req);
        next();
      });
    }
    check(req);
    next();
  };
}
