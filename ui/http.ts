// Every request the page makes: to the admin API (/_emulator/*) and to the Graph routes, on the page's own origin.
// The admin API follows the emulator's rules: with ADMIN_TOKEN set, the page asks for it once and keeps it in
// sessionStorage (this tab only, gone when the tab closes). Graph calls carry a token minted by POST
// /_emulator/token for the tenant in view, kept in this module's memory only and minted again when it expires.
export const EM = '/beta/identityGovernance/entitlementManagement';

const ADMIN_TOKEN_KEY = 'emulator.adminToken';
/** Minted Graph tokens are used until this long before they expire. */
const TOKEN_MARGIN_MS = 60_000;

/** A failed answer, with Graph's error code and message when it has its envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Headers,
  ) {
    super(message);
  }

  /** What a person reads: `400 BadRequest: Invalid value for property 'isHidden' …`. */
  get text(): string {
    return `${this.status} ${this.code}: ${this.message}`;
  }
}

/** A failure in words: Graph's status, code and message, or, when no answer came (fetch's TypeError), that. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.text;
  if (err instanceof TypeError) return `No answer from the emulator (${err.message}): is it running, on this address?`;
  return String(err);
}

/** How long a Graph request of the page may take before it says so (a request a fault holds never ends). */
export const ANSWER_TIMEOUT_MS = 30_000;

/** A signal that ends a request when `abandon` fires or after ANSWER_TIMEOUT_MS, whichever comes first. */
export function withinAnswerTime(abandon: AbortSignal): AbortSignal {
  return AbortSignal.any([abandon, AbortSignal.timeout(ANSWER_TIMEOUT_MS)]);
}

/** A failed Graph request in words, a timeout (withinAnswerTime) included. */
export function graphFailureText(err: unknown): string {
  if (err instanceof DOMException && err.name === 'TimeoutError') {
    return `No answer in ${ANSWER_TIMEOUT_MS / 1000} s: a fault rule may hold Graph requests (drop: hang); see the faults view.`;
  }
  return describeError(err);
}

/** The endpoint does not exist on this emulator (an older or a trimmed one): the view says "not available". */
export function isUnavailable(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.message !== undefined) return new ApiError(res.status, body.error.code ?? 'Error', body.error.message, res.headers);
  } catch {
    // not JSON: the text itself below
  }
  return new ApiError(res.status, res.statusText || 'Error', text.slice(0, 500) || `HTTP ${res.status}`, res.headers);
}

/** Asks the person for ADMIN_TOKEN; null when they cancel. Set by the page's shell (the dialog). */
let askAdminToken: (reason: string) => Promise<string | null> = async () => null;

export function onAdminTokenNeeded(ask: (reason: string) => Promise<string | null>): void {
  askAdminToken = ask;
}

/**
 * Whether the person cancelled the dialog: the page then stops asking (its views poll every second or two) and
 * its calls fail with the emulator's 401 until they ask to enter the token again.
 */
let declined = false;
const tokenListeners = new Set<() => void>();

export function adminTokenDeclined(): boolean {
  return declined;
}

/** After a cancel: ask again on the next admin call. */
export function askForAdminTokenAgain(): void {
  declined = false;
  for (const listener of tokenListeners) listener();
}

/** Runs `listener` when a token is given or the dialog cancelled (the header shows which). */
export function onAdminTokenState(listener: () => void): void {
  tokenListeners.add(listener);
}

export function storedAdminToken(): string | null {
  return sessionStorage.getItem(ADMIN_TOKEN_KEY);
}

export function forgetAdminToken(): void {
  sessionStorage.removeItem(ADMIN_TOKEN_KEY);
}

export type Query = Record<string, string | number | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const pairs = Object.entries(query).filter((pair): pair is [string, string | number] => pair[1] !== undefined && pair[1] !== '');
  if (pairs.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
}

function isAdminChallenge(res: Response): boolean {
  return res.status === 401 && /realm="emulator-admin"/.test(res.headers.get('WWW-Authenticate') ?? '');
}

/** A request to /_emulator/*; answers the Response of any status but the ADMIN_TOKEN challenge. */
export async function adminFetch(method: string, path: string, body?: unknown): Promise<Response> {
  for (;;) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = storedAdminToken();
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    if (!isAdminChallenge(res)) return res;
    const reason = (await failure(res)).message;
    if (declined) throw new ApiError(401, 'InvalidAuthenticationToken', reason, res.headers);
    const given = await askAdminToken(token === null ? reason : 'That token is not the ADMIN_TOKEN this emulator was started with.');
    // A token the emulator refused is not kept past a cancel: the next tab load asks with the plain reason.
    if (given === null) {
      declined = true;
      forgetAdminToken();
    } else sessionStorage.setItem(ADMIN_TOKEN_KEY, given);
    for (const listener of tokenListeners) listener();
    if (given === null) throw new ApiError(401, 'InvalidAuthenticationToken', reason, res.headers);
  }
}

/** An admin call whose answer is JSON (or nothing, on 204); an ApiError otherwise. */
export async function adminJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await adminFetch(method, path, body);
  if (!res.ok) throw await failure(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

interface Minted {
  token: string;
  expiresAt: number;
}

const minted = new Map<string, Minted>();

/** A Graph token for the tenant: `tid` null for the token endpoint's default tenant. */
async function graphToken(tid: string | null, fresh: boolean): Promise<string> {
  const key = tid ?? '';
  const cached = minted.get(key);
  if (!fresh && cached !== undefined && cached.expiresAt - TOKEN_MARGIN_MS > Date.now()) return cached.token;
  const answer = await adminJson<{ access_token: string; expires_in: number }>('POST', '/_emulator/token', tid === null ? {} : { tid });
  minted.set(key, { token: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 });
  return answer.access_token;
}

export interface GraphAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A Graph request for the tenant; an ApiError carrying Graph's own message when it fails. */
export async function graph<T>(method: string, url: string, tid: string | null, body?: unknown, signal?: AbortSignal): Promise<GraphAnswer<T>> {
  let fresh = false;
  for (;;) {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${await graphToken(tid, fresh)}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', signal });
    // A token that expired or was signed by a key the emulator no longer has: mint once more.
    if (res.status === 401 && !fresh) {
      fresh = true;
      continue;
    }
    if (!res.ok) throw await failure(res);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }
}

/** A nextLink as a path on this page's origin: BASE_URL may name another host than the one the browser uses. */
export function samePath(link: string): string {
  const url = new URL(link, location.href);
  return `${url.pathname}${url.search}`;
}
