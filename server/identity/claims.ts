// Who a bearer token names and what it may do, read from its claims as Entra ID issues them for Graph:
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
// A token that is not a JWT names nobody and may do everything (AUTH=bearer accepts any token).
import { type Claims, decodeClaims } from './jwt.js';

/** Microsoft Graph's application id, one of the two audiences Graph accepts. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** `aud` values Graph takes as its own (v1.0 tokens carry the URI, with or without a slash; v2.0 ones the id). */
export const GRAPH_AUDIENCES: ReadonlySet<string> = new Set([GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID]);

export interface Identity {
  /** The token's claims when it is a JWT; null for any other token. */
  readonly claims: Claims | null;
  /** `tid`: the tenant; null means the default tenant (no `tid`); '' a `tid` that is not a non-empty string, which names none. */
  readonly tenantId: string | null;
  /** `oid`: the user's or the service principal's object id. */
  readonly objectId: string | null;
  /** The caller's UPN (createdBy/modifiedBy); an application's display name; null when the token names nobody. */
  readonly caller: string | null;
  /** Delegated scopes (`scp`) and application permissions (`roles`); `all` for a token that is not a JWT. */
  readonly permissions: ReadonlySet<string> | 'all';
  /** The delegated scopes (`scp`) alone, for operations an application may not call; `all` for a token that is not a JWT. */
  readonly scopes: ReadonlySet<string> | 'all';
  /** `exp` and `nbf`, in seconds since the epoch, when the token has them. */
  readonly expiresAt: number | undefined;
  readonly notBefore: number | undefined;
  /** The first of `exp`, `nbf` and `iat` that the token has but not as a number (a NumericDate); auth refuses it. */
  readonly malformedTime: TimeClaim | undefined;
  /** `aud`, when the token has one. */
  readonly audiences: readonly string[] | undefined;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
// A `tid` that is there but not a non-empty string ("", 123, null) names no tenant; auth refuses it (Invalid tenant).
const tenantIn = (claims: Claims): string | null => (claims['tid'] === undefined ? null : (text(claims['tid']) ?? ''));
const seconds = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;
type TimeClaim = (typeof TIME_CLAIMS)[number];
// RFC 7519 §2: a NumericDate is a JSON number of seconds; "1700000000", null or a list is not one, and a token that
// carries such an exp would otherwise pass as one that never expires.
const malformedTimeIn = (claims: Claims): TimeClaim | undefined =>
  TIME_CLAIMS.find((name) => claims[name] !== undefined && seconds(claims[name]) === undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Who the claims name, in the order Entra ID tokens carry a readable name. */
function callerIn(claims: Claims): string | null {
  return text(claims['upn']) ?? text(claims['unique_name']) ?? text(claims['preferred_username']) ?? text(claims['app_displayname']);
}

const scopesIn = (claims: Claims): string[] => (typeof claims['scp'] === 'string' ? claims['scp'].split(/\s+/).filter(Boolean) : []);

function audiencesIn(claims: Claims): readonly string[] | undefined {
  const aud = claims['aud'];
  if (aud === undefined) return undefined;
  return typeof aud === 'string' ? [aud] : strings(aud);
}

const NOBODY: Identity = {
  claims: null,
  tenantId: null,
  objectId: null,
  caller: null,
  permissions: 'all',
  scopes: 'all',
  expiresAt: undefined,
  notBefore: undefined,
  malformedTime: undefined,
  audiences: undefined,
};

export function identityOf(token: string): Identity {
  const claims = decodeClaims(token);
  if (claims === null) return NOBODY;
  const scopes = scopesIn(claims);
  return {
    claims,
    tenantId: tenantIn(claims),
    objectId: text(claims['oid']),
    caller: callerIn(claims),
    permissions: new Set([...scopes, ...strings(claims['roles'])]),
    scopes: new Set(scopes),
    expiresAt: seconds(claims['exp']),
    notBefore: seconds(claims['nbf']),
    malformedTime: malformedTimeIn(claims),
    audiences: audiencesIn(claims),
  };
}
