// One error model: a table of Graph error templates, one error class, one renderer.
// Envelope and codes: https://learn.microsoft.com/graph/errors
// Entitlement-management specific codes (ResourceNotFound, UnAuthorized, InvalidFilter) are the ones the
// live accessPackages endpoint answers with; see docs/graph-fidelity.md.
// Not through here: the OAuth token endpoint's refusals, in Entra ID's envelope (identity/oauth.ts), and Node's bare
// 408 for a request whose headers never came (http/clientErrors.ts); docs/architecture.md, step 15.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { ConfigError, FaultRuleError, FixtureError, StoreError, ValidationError } from './errors.js';
import { graphErrorDate } from './graphTime.js';
import { endAnswer, graphIdsOf } from './graphWire.js';

export interface ErrorTemplate {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Set where the live service's answer carries `"details": []` (entitlement management's own errors). */
  readonly details?: true;
}

/** The default code and message Graph uses for each status. */
export const ERROR_TEMPLATES = {
  badRequest: { status: 400, code: 'BadRequest', message: 'Bad request.' },
  // Captured with "details": [] (microsoft-graph-docs-contrib issue 8922, a full body).
  invalidFilter: { status: 400, code: 'InvalidFilter', message: 'OData query is invalid.', details: true },
  // Entitlement management's answer to a body naming what does not exist (microsoft-graph-docs-contrib issue 4569:
  // a wrong catalog id).
  invalidModel: { status: 400, code: 'InvalidModel', message: 'Model is not valid.' },
  // A rule of entitlement management refused the write; the wording follows the live
  // InvalidDeleteResourceHasEntitlements answer (terraform-provider-azuread issue 1175).
  invalidOperation: { status: 400, code: 'BadRequest', message: 'The request is not valid for the current state of the resource.', details: true },
  unauthenticated: { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
  // Captured: Microsoft365DSC issue 4427 (the whole answer, headers included).
  tokenExpired: { status: 401, code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' },
  // Captured from entitlement management for a token without the permission: terraform-provider-azuread
  // issue 1226, msgraph-sdk-powershell issue 881 (both end the message with "Reason: Unauthorized"). Its 403s carry
  // "details": [] (the full capture of the same message's NoLicense variant, AzureAD-Governance-Assessment issue 2).
  forbidden: { status: 403, code: 'UnAuthorized', message: 'User is not authorized to perform the operation. Reason: Unauthorized', details: true },
  notFound: { status: 404, code: 'ResourceNotFound', message: 'The resource was not found.' },
  methodNotAllowed: { status: 405, code: 'MethodNotAllowed', message: 'The HTTP method is not allowed for the requested resource.' },
  notAcceptable: { status: 406, code: 'NotAcceptable', message: 'The requested format is not supported.' },
  conflict: { status: 409, code: 'Conflict', message: 'The request conflicts with the current state of the resource.' },
  preconditionFailed: {
    status: 412,
    code: 'PreconditionFailed',
    message: "A precondition provided in the request does not match the resource's current state.",
  },
  payloadTooLarge: { status: 413, code: 'RequestEntityTooLarge', message: 'The request body exceeds the maximum allowed size.' },
  unsupportedMediaType: { status: 415, code: 'UnsupportedMediaType', message: 'The content type of the request body is not supported.' },
  // A Range the admin page's asset does not have (serve-static's 416). The code and wording are the error code
  // table's of https://learn.microsoft.com/graph/errors ("invalidRange: The specified byte range is invalid or
  // unavailable."), which also lists the status.
  rangeNotSatisfiable: { status: 416, code: 'invalidRange', message: 'The specified byte range is invalid or unavailable.' },
  // Chosen: not documented (Graph serves one host name); RFC 9110 §15.5.20 for a request this server will not answer.
  misdirected: { status: 421, code: 'MisdirectedRequest', message: 'The request was sent to a host name this server does not answer for.' },
  // A $batch item whose dependsOn names a request that failed (https://learn.microsoft.com/graph/json-batching);
  // the code and wording are chosen: not documented.
  failedDependency: { status: 424, code: 'FailedDependency', message: 'The request depends on a request of the batch that failed.' },
  tooManyRequests: { status: 429, code: 'TooManyRequests', message: 'Please retry again later.' },
  internal: { status: 500, code: 'UnknownError', message: 'An internal server error occurred.' },
  notImplemented: { status: 501, code: 'NotImplemented', message: 'The requested feature is not implemented.' },
  badGateway: { status: 502, code: 'BadGateway', message: 'The server received an invalid response from an upstream server.' },
  serviceUnavailable: { status: 503, code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please retry again later.' },
  // The data file could not be written: nothing was changed, and writes resume once the disk takes them again.
  // Code and wording from the error code table of https://learn.microsoft.com/graph/errors ("serviceNotAvailable:
  // The service is not available. Try the request again after a delay. There may be a Retry-After header.").
  // Also a body refused while the bodies being received hold all the emulator allows them (http/bodyBudget.ts).
  writeUnavailable: { status: 503, code: 'serviceNotAvailable', message: 'The service is not available. Try the request again after a delay.' },
  gatewayTimeout: { status: 504, code: 'GatewayTimeout', message: 'The operation timed out waiting for an upstream response.' },
  // A limit of what the emulator keeps: 507 "The maximum storage quota has been reached." and the code
  // quotaLimitReached, both from https://learn.microsoft.com/graph/errors. Here the baselines of a tenant and the
  // tenants an emulator holds (MAX_TENANTS); chosen: Graph has no such limits.
  quotaLimitReached: { status: 507, code: 'quotaLimitReached', message: 'The maximum storage quota has been reached.' },
} as const satisfies Record<string, ErrorTemplate>;

type ErrorKind = keyof typeof ERROR_TEMPLATES;

const RESOURCE_SHORTAGE = {
  EMFILE: 'too many open files in this process',
  ENFILE: 'too many open files in the system',
  ENOMEM: 'out of memory',
} as const;

/**
 * Retry-After of every 503 the emulator answers of itself: a write the disk refused (the next write tries the disk
 * again, store/journal.ts), a moment short of system resources, the budgets of request bodies and of answers (bodies
 * under way finish or are cut within a request's 60 s, answers within their stall cut). The SDKs then retry with
 * growing delays.
 */
const UNAVAILABLE_RETRY_AFTER_S = 1;

/** Graph's 503 serviceNotAvailable, with its Retry-After ([errors](https://learn.microsoft.com/graph/errors)). */
export function unavailable(message: string): GraphError {
  return GraphError.of('writeUnavailable', message, { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_S) });
}

/** The template Graph uses for a bare status, for injected faults that name only a status. */
export function templateForStatus(status: number): ErrorTemplate {
  const found = Object.values(ERROR_TEMPLATES).find((t) => t.status === status);
  return found ?? { status, code: status >= 500 ? 'UnknownError' : 'BadRequest', message: 'The request failed.' };
}

export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra response headers, e.g. Retry-After on 429/503. */
  readonly headers: Readonly<Record<string, string>>;
  /** Entitlement management's `details` array, where its answers carry one. */
  readonly details: readonly unknown[] | undefined;

  constructor(template: ErrorTemplate, message?: string, headers: Record<string, string> = {}) {
    super(message ?? template.message);
    this.name = 'GraphError';
    this.status = template.status;
    this.code = template.code;
    this.headers = headers;
    this.details = template.details ? [] : undefined;
  }

  static of(kind: ErrorKind, message?: string, headers?: Record<string, string>): GraphError {
    return new GraphError(ERROR_TEMPLATES[kind], message, headers);
  }
}

/**
 * A 4xx raised by Express or one of its libraries (an http-errors error: `status`, and `headers` it means for its
 * answer, as a 416's Content-Range naming the asset's length, RFC 9110 §15.5.17): Graph's error for that status, with
 * the library's message where it says more than the status text. Undefined for anything else.
 */
function libraryError(err: unknown): GraphError | undefined {
  const { status, headers, message } = (err ?? {}) as { status?: unknown; headers?: unknown; message?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status >= 500) return undefined;
  const own: Record<string, string> = {};
  if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') own[name] = value;
  }
  const template = templateForStatus(status);
  const said = typeof message === 'string' && message !== '' && message !== STATUS_CODES[status] ? message : undefined;
  return new GraphError(template, said, own);
}

/**
 * The one mapping from anything thrown to Graph's error: the emulator's own errors by their class (bad
 * input is a 400 naming what is wrong), errors raised by Express or its libraries by their 4xx status (libraryError),
 * and anything else a 500 UnknownError whose detail goes to the log only.
 */
export function toGraphError(err: unknown): GraphError {
  if (err instanceof GraphError) return err;
  if (err instanceof ValidationError || err instanceof FaultRuleError || err instanceof FixtureError || err instanceof ConfigError) {
    return GraphError.of('badRequest', err.message);
  }
  if (err instanceof StoreError && err.kind === 'conflict') return GraphError.of('conflict', err.message);
  if (err instanceof StoreError && err.kind === 'io') {
    return unavailable(`The emulator could not write its data, and nothing was changed. ${err.message}`);
  }
  if (err instanceof StoreError && err.kind === 'quota') return GraphError.of('quotaLimitReached', err.message);
  if (err instanceof StoreError && err.kind === 'full') return GraphError.of('quotaLimitReached', err.message);
  // A tenant dropped while one of its requests was under way.
  if (err instanceof StoreError && err.kind === 'gone') return GraphError.of('notFound', err.message);
  const fromLibrary = libraryError(err);
  if (fromLibrary !== undefined) return fromLibrary;
  // The system out of file descriptors or memory for a moment (a read of the CSDL or a schema when every descriptor is
  // in use): nothing is wrong with the request, and the same request succeeds once they are free again.
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EMFILE' || code === 'ENFILE' || code === 'ENOMEM') {
    return unavailable(`The emulator ran short of system resources (${code}: ${RESOURCE_SHORTAGE[code]}); try again.`);
  }
  return GraphError.of('internal');
}

interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    details?: readonly unknown[];
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function errorBody(err: GraphError, requestId: string, clientRequestId: string, now = new Date()): GraphErrorBody {
  const innerError = { date: graphErrorDate(now), 'request-id': requestId, 'client-request-id': clientRequestId };
  // Entitlement management puts details between message and innerError (microsoft-graph-docs-contrib issues 8474, 8922).
  if (err.details) return { error: { code: err.code, message: err.message, details: err.details, innerError } };
  return { error: { code: err.code, message: err.message, innerError } };
}

/**
 * Headers that describe a success, set on the response before the failure that replaces it: a created entity's
 * Location, an applied preference, a static asset's validators and range (serve-static sets them before it checks
 * the request's Range and preconditions), and its own Cache-Control, which gives way to Graph's (graphHeaders.ts).
 */
const SUCCESS_ONLY_HEADERS = [
  'OData-Version',
  'Location',
  'Preference-Applied',
  'ETag',
  'Last-Modified',
  'Accept-Ranges',
  'Content-Range',
  'Content-Length',
  'Cache-Control',
] as const;

/**
 * The single renderer: every failure, injected or real, leaves through here.
 * Graph errors are plain `application/json` (no odata parameters) and carry no OData-Version.
 */
export function sendGraphError(res: ServerResponse, err: GraphError): void {
  const { requestId, clientRequestId } = graphIdsOf(res);
  // Only those it has: once Content-Length is removed, Node sends the body chunked unless the length is set again.
  const hadLength = res.hasHeader('Content-Length');
  for (const name of SUCCESS_ONLY_HEADERS) if (res.hasHeader(name)) res.removeHeader(name);
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res.statusCode = err.status;
  res.setHeader('Content-Type', 'application/json');
  const text = JSON.stringify(errorBody(err, requestId, clientRequestId));
  if (hadLength) res.setHeader('Content-Length', Buffer.byteLength(text));
  endAnswer(res, text);
}
