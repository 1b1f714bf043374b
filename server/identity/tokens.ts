// Access tokens for Graph as Entra ID mints them (v1.0 tokens: Graph accepts no other version), signed with
// the emulator's key: delegated tokens with `scp` and a user, application tokens with `roles`.
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
import type { Ajv, ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import { GraphError } from '../graphErrors.js';
import { createAjv, firstProblem } from '../jsonSchema.js';
import { DEFAULT_TENANT_ID, MAX_TENANT_ID_LENGTH, TENANT_ID_RULE } from '../tenantIds.js';
import { nameBasedGuid } from '../nameBasedGuid.js';
import { GRAPH_RESOURCE } from './claims.js';
import { signJwt } from './jwt.js';
import type { KeyPair } from './signingKey.js';

/** What a caller may choose of a token; everything else follows from it. */
export interface TokenRequest {
  /** Tenant id (default: DEFAULT_TENANT_ID). */
  tid?: string;
  /** Object id of the user or service principal (default: derived from the tenant and the user or client). */
  oid?: string;
  /** The user (default: admin@contoso.onmicrosoft.com on a delegated token). */
  upn?: string;
  /** Delegated scopes, space-separated or a list (default: EntitlementManagement.ReadWrite.All on a delegated token). */
  scp?: string | readonly string[];
  /** Application permissions. Given without `upn` and `scp`, the token is an application token. */
  roles?: string | readonly string[];
  /** Seconds until the token expires (default 3600); 0 or less gives a token that has already expired. */
  expiresIn?: number;
  /** The audience (default https://graph.microsoft.com); another value makes a token Graph refuses. */
  aud?: string;
  /** The client application's id. */
  appid?: string;
}

interface MintedToken {
  accessToken: string;
  expiresIn: number;
}

export { DEFAULT_TENANT_ID };
const DEFAULT_UPN = 'admin@contoso.onmicrosoft.com';
const DEFAULT_SCOPE = 'EntitlementManagement.ReadWrite.All';
const DEFAULT_LIFETIME_SECONDS = 3600;
/** The client of delegated tokens minted by POST /_emulator/token, as if a user had signed in to it. */
const EMULATOR_CLIENT_ID = '9a1c5b3e-7d2f-4e8a-b6c0-1f3d5e7a9b2c';
const EMULATOR_CLIENT_NAME = 'Graph accessPackages emulator';
const YEAR_SECONDS = 365 * 24 * 3600;

/** The body of POST /_emulator/token (exported for the test that checks every schema against JSON Schema's meta-schema). */
export const TOKEN_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // A tenant id the emulator can keep data under (tenantIds.ts).
    tid: { type: 'string', minLength: 1, maxLength: MAX_TENANT_ID_LENGTH, pattern: '^[A-Za-z0-9._-]+$' },
    oid: { type: 'string', minLength: 1 },
    upn: { type: 'string', minLength: 1 },
    scp: { type: ['string', 'array'], items: { type: 'string' } },
    roles: { type: ['string', 'array'], items: { type: 'string' } },
    expiresIn: { type: 'integer', minimum: -YEAR_SECONDS, maximum: YEAR_SECONDS },
    aud: { type: 'string', minLength: 1 },
    appid: { type: 'string', minLength: 1 },
  },
};

let validate: ValidateFunction<TokenRequest> | undefined;

/** What is wrong with a token request, naming the field, `whole` naming the request itself; undefined when nothing. */
function tokenRequestProblem(value: unknown, whole: string): string | undefined {
  validate ??= (createAjv() as Ajv).compile<TokenRequest>(TOKEN_REQUEST_SCHEMA);
  if (validate(value)) return undefined;
  const error = validate.errors?.[0];
  // A tid string that is no tenant id (too long, a space, a '/') is told what a tenant id is, in the words every
  // admin route's ?tenant= uses, rather than as the schema's regular expression.
  if (error?.instancePath === '/tid' && error.keyword !== 'type') return `tid must be a tenant id: ${TENANT_ID_RULE}.`;
  return firstProblem(validate.errors, '', whole).sentence;
}

/** A POST /_emulator/token body as a TokenRequest; a 400 naming the field otherwise. */
export function parseTokenRequest(body: unknown): TokenRequest {
  const problem = tokenRequestProblem(body, 'the body');
  if (problem !== undefined) throw GraphError.of('badRequest', problem);
  return body as TokenRequest;
}

/**
 * mintToken's request, checked as the endpoint checks its body (the same messages, the request itself named as
 * mintToken's): a misspelt field or a tid no tenant can have is a ConfigError at the call, not a token for the
 * default tenant or a 401 at its first use.
 */
export function libraryTokenRequest(request: unknown): TokenRequest {
  if (request === undefined) return {};
  const problem = tokenRequestProblem(request, "mintToken's request");
  if (problem !== undefined) throw new ConfigError(problem);
  return request as TokenRequest;
}

const listOf = (value: string | readonly string[]): string[] => (typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [...value]);

/** The claims of the token a request asks for, issued at `now` (seconds). */
function accessTokenClaims(request: TokenRequest, now: number): Record<string, unknown> {
  // Tenant ids are matched case-insensitively and kept lower-cased (tenantIds.ts), as the OAuth endpoint mints
  // them: `ABCDEF01-…` and `abcdef01-…` are one tenant, with one `iss` and the same user's `oid`.
  const tid = (request.tid ?? DEFAULT_TENANT_ID).toLowerCase();
  const lifetime = request.expiresIn ?? DEFAULT_LIFETIME_SECONDS;
  const exp = now + lifetime;
  // An already-expired token was valid for the hour before it expired.
  const iat = Math.min(now, exp - DEFAULT_LIFETIME_SECONDS);
  const common = { aud: request.aud ?? GRAPH_RESOURCE, iss: `https://sts.windows.net/${tid}/`, iat, nbf: iat, exp };
  const application = request.roles !== undefined && request.scp === undefined && request.upn === undefined;
  if (application) {
    const appid = request.appid ?? EMULATOR_CLIENT_ID;
    const oid = request.oid ?? nameBasedGuid(`${tid}/${appid}`);
    return { ...common, app_displayname: appid, appid, idtyp: 'app', oid, roles: listOf(request.roles!), sub: oid, tid, ver: '1.0' };
  }
  const upn = request.upn ?? DEFAULT_UPN;
  const oid = request.oid ?? nameBasedGuid(`${tid}/${upn}`);
  return {
    ...common,
    app_displayname: request.appid ?? EMULATOR_CLIENT_NAME,
    appid: request.appid ?? EMULATOR_CLIENT_ID,
    idtyp: 'user',
    oid,
    ...(request.roles === undefined ? {} : { roles: listOf(request.roles) }),
    scp: listOf(request.scp ?? DEFAULT_SCOPE).join(' '),
    sub: oid,
    tid,
    unique_name: upn,
    upn,
    ver: '1.0',
  };
}

export function mintAccessToken(key: KeyPair, request: TokenRequest = {}, nowMs = Date.now()): MintedToken {
  const now = Math.floor(nowMs / 1000);
  const claims = accessTokenClaims(request, now);
  const accessToken = signJwt({ typ: 'JWT', kid: key.kid }, claims, key.privateKey);
  return { accessToken, expiresIn: Math.max(0, (claims['exp'] as number) - now) };
}
