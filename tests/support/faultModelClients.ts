// The fault model-based test's clients (tests/http/faultModel.test.ts): who sends a request and with which token,
// and the error each injected status answers with, as docs/faults.md and docs/identity.md give them.
import { READ, READ_WRITE, bearer, unsignedJwt } from './tokens.js';

/**
 * A client: a tenant (as its token's `tid` spells it) and its token: delegated with ReadWrite.All or Read.All, an
 * application's with ReadWrite.All, or one the OAuth token endpoint gave a client id of CLIENT_ROLES (MINTED).
 */
export interface Client {
  tid: string;
  kind: 'rw' | 'ro' | 'app' | 'backend' | 'reporting';
  /** The client-request-id it sends (a `$batch` hands it to its items), which a profile may key its buckets by. */
  crid?: string;
}
/** The clients CLIENT_ROLES names (docs/identity.md), with their roles, and the tokens the endpoint gave them this run. */
export const CLIENT_ROLES = { backend: [READ_WRITE], reporting: [READ] };
export const MINTED = new Map<string, string>();

export const APP_ID = '5b7f3c1e-2a4d-4e8f-9c6b-1d2e3f4a5b6c';

export function tokenOf({ tid, kind }: Client): string {
  if (kind === 'backend' || kind === 'reporting') return MINTED.get(kind)!;
  if (kind === 'app') return unsignedJwt({ tid, appid: APP_ID, roles: [READ_WRITE] });
  return unsignedJwt({ tid, upn: `admin@${tid}.test`, scp: kind === 'rw' ? READ_WRITE : READ });
}
export const authOf = (c: Client) => bearer(tokenOf(c));

/** Graph's code and message of an injected status, and the headers it sends (docs/faults.md, graphErrors.ts). */
export const INJECTED: Record<number, { code: string; message: string }> = {
  400: { code: 'BadRequest', message: 'Bad request.' },
  401: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' },
  403: { code: 'UnAuthorized', message: 'User is not authorized to perform the operation. Reason: Unauthorized' },
  404: { code: 'ResourceNotFound', message: 'The resource was not found.' },
  409: { code: 'Conflict', message: 'The request conflicts with the current state of the resource.' },
  412: { code: 'PreconditionFailed', message: "A precondition provided in the request does not match the resource's current state." },
  429: { code: 'TooManyRequests', message: 'Please retry again later.' },
  500: { code: 'UnknownError', message: 'An internal server error occurred.' },
  502: { code: 'BadGateway', message: 'The server received an invalid response from an upstream server.' },
  503: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please retry again later.' },
  504: { code: 'GatewayTimeout', message: 'The operation timed out waiting for an upstream response.' },
};
