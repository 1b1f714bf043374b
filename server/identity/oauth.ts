// The OAuth 2.0 endpoints of Entra ID that a confidential client (MSAL, @azure/identity) calls, so a
// backend gets Graph tokens from the emulator with nothing changed but its authority URL:
//   GET  /{tenant}/v2.0/.well-known/openid-configuration   where the other endpoints are
//   GET  /{tenant}/discovery/v2.0/keys                       the public key tokens are signed with
//   POST /{tenant}/oauth2/v2.0/token                         client credentials -> an application token
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
// {tenant} is a GUID (the token's `tid`), a domain name, `common` or `organizations` (the default tenant);
// a named tenant (`worker-1`) is no OAuth path. Client secrets are not checked; a client's `roles` come from
// CLIENT_ROLES.
import { randomUUID } from 'node:crypto';
import { GraphError } from '../graphErrors.js';
import { isDecompressionError } from '../errors.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ClientRoles } from '../settingValues.js';
import { serverBaseUrl } from '../listener.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './claims.js';
import type { SigningKey } from './signingKey.js';
import { DEFAULT_TENANT_ID, mintAccessToken } from './tokens.js';
import { percentDecoded } from '../urlText.js';
import { GUID_PATTERN, isGuid } from '../guid.js';

/** A body reader as body-parser's are: `done` once the body is read or refused. */
type FormReader = (req: Request, res: Response, done: (err?: unknown) => void) => void;

interface OAuthOptions {
  signingKey: SigningKey;
  clientRoles: ClientRoles;
  baseUrl?: string;
  /**
   * The form's reader with its bytes taken from the budget of all bodies being received (http/bodyBudget.ts), and
   * `limit` enforced ahead of it: a form past it is answered at once, its rest dropped within bounds.
   */
  withinBodyBudget: (read: FormReader, limit: number) => FormReader;
}

// A tenant segment as Entra ID takes it. A domain needs a letter TLD, so Graph's own /beta and /v1.0 never match.
const TENANT = new RegExp(`^(?:${GUID_PATTERN}|common|organizations|[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,})$`, 'i');
const ENDPOINT = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token)\/?$/i;
const GRAPH_DEFAULT_SCOPES = new Set([`${GRAPH_RESOURCE}/.default`, `${GRAPH_APP_ID}/.default`]);
// Entra ID adds these to any request; a client-credentials token ignores them.
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const FORM_LIMIT = 64 * 1024;

const tenantIdOf = (tenant: string): string => (isGuid(tenant) ? tenant.toLowerCase() : DEFAULT_TENANT_ID);

/** An OAuth error as Entra ID sends it: `error`, an AADSTS description, its code, trace and correlation ids. */
class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }
}

function sendOAuthError(req: Request, res: Response, err: OAuthError): void {
  const timestamp = `${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`;
  const traceId = randomUUID();
  const correlationId = req.get('client-request-id') ?? randomUUID();
  res.status(err.status).setHeader('Cache-Control', 'no-store, no-cache');
  res.json({
    error: err.error,
    error_description: `${err.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.aadsts}`,
  });
}

function openIdConfiguration(origin: string, tenant: string): Record<string, unknown> {
  const base = `${origin}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    // MSAL accepts an issuer on the authority's own scheme, host and port.
    issuer: `${origin}/${tenantIdOf(tenant)}/v2.0`,
    request_uri_parameter_supported: false,
    // Listed because clients require the key; only the token endpoint is served (client credentials).
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

/** A credential that is there: an empty one is none, as an empty client_id or scope is missing. */
const given = (value: string | undefined): boolean => value !== undefined && value !== '';

/**
 * The client id and whether it authenticated, from the body or an HTTP Basic header (client_secret_basic). An
 * empty secret or assertion, in the form or as Basic's password (`app:`), is no secret: Entra ID's 7000218.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#first-case-access-token-request-with-a-shared-secret
 */
function clientOf(req: Request, form: Record<string, string>): { clientId: string | undefined; authenticated: boolean } {
  const inForm = given(form['client_secret']) || given(form['client_assertion']);
  const basic = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (basic) {
    const credentials = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = credentials.indexOf(':');
    const id = colon === -1 ? credentials : credentials.slice(0, colon);
    // client_secret_basic form-encodes the id (RFC 6749 §2.3.1); one that does not decode names no client.
    const clientId = form['client_id'] ?? (id ? percentDecoded(id) : undefined);
    return { clientId, authenticated: inForm || (colon !== -1 && given(credentials.slice(colon + 1))) };
  }
  return { clientId: form['client_id'], authenticated: inForm };
}

const missing = (parameter: string) => new OAuthError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${parameter}'.`);

/** The roles of a client's tokens, or Entra ID's answer for an application the tenant does not have. */
function rolesOf(clientRoles: ClientRoles, clientId: string, tenant: string): readonly string[] {
  // Own entries only: a client id such as `constructor` or `__proto__` names no configured client.
  const configured = (id: string) => (Object.hasOwn(clientRoles, id) ? clientRoles[id] : undefined);
  const roles = configured(clientId) ?? configured('*');
  if (roles === undefined) {
    throw new OAuthError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
  }
  return roles;
}

/**
 * The form's parameters, each sent once. The parser makes a repeated key a list (`scope=a&scope=b`), which
 * names no single value: refused, naming the first such parameter (chosen: not documented; the code of the
 * endpoint's other invalid_request answers).
 */
function formOf(req: Request): Record<string, string> {
  const form = (req.body ?? {}) as Record<string, string | string[]>;
  for (const [name, value] of Object.entries(form)) {
    if (Array.isArray(value)) {
      throw new OAuthError(
        400,
        'invalid_request',
        900144,
        `The request body must contain the parameter '${name}' only once; it was sent ${value.length} times.`,
      );
    }
  }
  return form as Record<string, string>;
}

/**
 * A form the parser refused (a charset other than UTF-8 or ISO-8859-1, body-parser's two, a body over FORM_LIMIT, too many parameters, a
 * content coding it cannot undo) as Entra ID answers a request it cannot read: 400 invalid_request (OAuth 2.0
 * answers a bad request 400, RFC 6749 §5.2, and clients read the JSON of that answer; chosen: not documented).
 * Undefined for anything else (the client went away, a fault of the server), left to the error handler.
 */
function formFailure(err: unknown): OAuthError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  const why: Record<string, string> = {
    'charset.unsupported': 'its charset is not supported; send UTF-8',
    'encoding.unsupported': 'its content encoding is not supported',
    'entity.too.large': `it is larger than ${FORM_LIMIT / 1024} KiB`,
    'parameters.too.many': 'it has too many parameters',
    'entity.parse.failed': 'it is not a form',
    'request.size.invalid': 'its length is not the one declared',
  };
  const undecoded = isDecompressionError(err) ? 'it is not the data its Content-Encoding names' : undefined;
  const reason = undecoded ?? (typeof type === 'string' && Object.hasOwn(why, type) ? why[type] : undefined);
  if (reason === undefined) return undefined;
  return new OAuthError(400, 'invalid_request', 900144, `The request body could not be read as application/x-www-form-urlencoded: ${reason}.`);
}

async function clientCredentialsToken(req: Request, tenant: string, { signingKey, clientRoles }: OAuthOptions): Promise<Record<string, unknown>> {
  const form = formOf(req);
  const grantType = form['grant_type'];
  if (grantType === undefined) throw missing('grant_type');
  if (grantType !== 'client_credentials') {
    throw new OAuthError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'; the emulator serves client_credentials only.`,
    );
  }
  const { clientId, authenticated } = clientOf(req, form);
  if (clientId === undefined || clientId === '') throw missing('client_id');
  if (!authenticated)
    throw new OAuthError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  const scope = form['scope'];
  if (scope === undefined || scope.trim() === '') throw missing('scope');
  const resources = scope.split(/\s+/).filter((s) => s !== '' && !OIDC_SCOPES.has(s));
  if (resources.length !== 1 || !GRAPH_DEFAULT_SCOPES.has(resources[0]!)) {
    throw new OAuthError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI); the emulator issues tokens for ${GRAPH_RESOURCE}/.default.`,
    );
  }
  const roles = rolesOf(clientRoles, clientId, tenant);
  const { accessToken, expiresIn } = mintAccessToken(await signingKey.load(), { tid: tenantIdOf(tenant), appid: clientId, roles });
  return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken };
}

export function oauthEndpoints(options: OAuthOptions) {
  // A refusal for the budget (503) is no OAuth error: it goes on to Graph's error handler, as a fault of the server does.
  const parseForm = options.withinBodyBudget(express.urlencoded({ extended: false, limit: FORM_LIMIT }), FORM_LIMIT);
  return function oauth(req: Request, res: Response, next: NextFunction): void {
    const found = ENDPOINT.exec(req.path);
    if (found === null || !TENANT.test(found[1]!)) return next();
    const tenant = found[1]!;
    const endpoint = found[2]!.toLowerCase();
    const origin = serverBaseUrl(req, options.baseUrl);
    // HEAD as GET (Node sends the headers without the body), as every GET route of Express answers it.
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (read && endpoint.startsWith('v2.0/')) {
      res.status(200).json(openIdConfiguration(origin, tenant));
      return;
    }
    if (read && endpoint.startsWith('discovery/')) {
      options.signingKey.load().then(({ jwk }) => res.status(200).json({ keys: [jwk] }), next);
      return;
    }
    // Another method on a discovery document (CORS preflights go on): a known resource, so 405 with Allow, as on
    // every other route, not a 401 for a token the document never needs.
    if (!endpoint.startsWith('oauth2/') && req.method !== 'OPTIONS') {
      return next(GraphError.of('methodNotAllowed', `The HTTP method '${req.method}' is not allowed for the requested resource.`, { Allow: 'GET, HEAD' }));
    }
    if (!endpoint.startsWith('oauth2/') || req.method === 'OPTIONS') return next();
    if (req.method !== 'POST') {
      // Entra ID's answer to another method on its token endpoint; OPTIONS (CORS preflights) go on as before.
      const notPost = new OAuthError(400, 'invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method} request.`);
      return sendOAuthError(req, res, notPost);
    }
    parseForm(req, res, (err?: unknown) => {
      if (err !== undefined) {
        const failure = formFailure(err);
        return failure === undefined ? next(err) : sendOAuthError(req, res, failure);
      }
      clientCredentialsToken(req, tenant, options).then(
        (body) => res.status(200).setHeader('Cache-Control', 'no-store, no-cache').json(body),
        (failure: unknown) => (failure instanceof OAuthError ? sendOAuthError(req, res, failure) : next(failure)),
      );
    });
  };
}
