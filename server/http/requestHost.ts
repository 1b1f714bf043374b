// The host a request is for (RFC 9112 §3.2, https://www.rfc-editor.org/rfc/rfc9112#section-3.2): the authority of
// an absolute-form target (`GET http://graph:4000/beta/… HTTP/1.1`), which a server MUST use in place of the Host
// header (§3.2.2), else the Host header; a request with more than one Host header line MUST be answered 400 (§3.2).
// Node keeps the first of two Host headers without a word and leaves an absolute-form target in req.url, so both
// are read here, from the request line and the raw header lines. The host of an absolute-form target replaces
// req.headers.host: the host check, the admin guard and every URL built later (Location, nextLink) read that one.
// A user name or password in the authority (`http://user:pw@host/…`, or a Host header with '@') is a 400 that never
// repeats it: RFC 9110 §4.2.4 (https://www.rfc-editor.org/rfc/rfc9110#section-4.2.4) says to treat userinfo in an
// http(s) URI as an error, and a host taken with it would put the password, or another host, in every nextLink.
// A host that is not `host[:port]` as RFC 3986 §3.2.2-3.2.3 spells it (`evil.example/steal?x=`, `a b`, `[::1`,
// `a:80:80`, `a"><script>`) is a 400 too, whatever ALLOWED_HOSTS says: RFC 9112 §3.2 makes a Host field with an
// invalid value a 400, and with ALLOWED_HOSTS=* such a host would otherwise be copied into Location and nextLink.
import type { IncomingMessage } from 'node:http';
import { GraphError } from '../graphErrors.js';
import { normalHost } from './hostSyntax.js';

/** `scheme://authority`, the authority ending at the path, the query or the fragment; then the rest of the target. */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/is;

/** Absolute-form targets as sent, set aside by routableTarget, read here in place of req.url. */
const absoluteTargets = new WeakMap<object, string>();

/** The 400 for userinfo; the wording is chosen: not documented. */
function userInfoRefused(where: string): GraphError {
  return GraphError.of('badRequest', `The ${where} names a user or a password before '@': the emulator takes no credentials in a URL or a Host header.`);
}

/** The 400 for a host that is no `host[:port]`; the value is not repeated (it may be markup). Chosen: not documented. */
function invalidHost(where: string): GraphError {
  return GraphError.of(
    'badRequest',
    `The ${where} is not a valid host: a name, an IPv4 address or an [IPv6] address, never empty (RFC 9110 section 4.2.1), then an optional ':' and a port from 1 to 65535 (RFC 3986 section 3.2.2).`,
  );
}

function hostLines(rawHeaders: readonly string[]): number {
  let lines = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') lines++;
  }
  return lines;
}

/**
 * Makes an absolute-form target (`GET http://graph:4000/beta/… HTTP/1.1`) one Express can route: the request is
 * routed by the rest of the target, the path `/` when there is none (RFC 9112 §3.2.2), and the target is kept aside
 * as sent for requestHost below, which reads and checks its host. Express read the path itself through url.parse,
 * which finds none in a target that ends at its authority (`http://user:pw@`) nor in one whose authority it cannot
 * read (`http://[::1`, `http://[::1]x/beta/$metadata`, `http://[fe80::1%25eth0]/…`, `http://xn--a/…`): it then
 * skipped every step and answered its own HTML 404, without Graph's envelope or headers; and it reads part of some
 * hosts as the path (`http://a;b/beta/…` as `;b/beta/…`).
 */
export function routableTarget(req: { url?: string }): void {
  const url = req.url;
  if (url === undefined || url[0] === '/') return;
  const rest = ABSOLUTE_FORM.exec(url)?.[2];
  if (rest === undefined) return;
  absoluteTargets.set(req, url);
  req.url = rest[0] === '/' ? rest : `/${rest}`;
}

/** The absolute-form target as the request line sent it (the request log shows it), undefined for any other form. */
export function absoluteTarget(req: IncomingMessage): string | undefined {
  return absoluteTargets.get(req);
}

/**
 * The host the request is for, undefined for an HTTP/1.0 request without Host and an origin-form target.
 * Throws Graph's 400 for an HTTP/1.1 request without Host, for a second Host header (the wording is chosen: not
 * documented), for userinfo, and for a host that is no `host[:port]` (hostSyntax.ts).
 */
export function requestHost(req: IncomingMessage): string | undefined {
  const lines = hostLines(req.rawHeaders);
  if (lines > 1) throw GraphError.of('badRequest', 'The request has more than one Host header.');
  // RFC 9112 §3.2: an HTTP/1.1 request without Host MUST be answered 400, whatever its target's form; the wording is
  // chosen: not documented.
  if (lines === 0 && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) {
    throw GraphError.of('badRequest', 'The request has no Host header, which HTTP/1.1 requires (RFC 9112 section 3.2).');
  }
  const url = absoluteTarget(req) ?? req.url ?? '';
  const authority = url.startsWith('/') ? undefined : ABSOLUTE_FORM.exec(url)?.[1];
  if (authority === undefined) {
    const host = req.headers.host;
    if (host?.includes('@')) throw userInfoRefused('Host header');
    if (host === undefined) return undefined;
    const named = normalHost(host);
    if (named === undefined) throw invalidHost('Host header');
    if (named !== host) req.headers.host = named;
    return named;
  }
  if (authority.includes('@')) throw userInfoRefused('request target');
  const named = normalHost(authority);
  if (named === undefined) throw invalidHost("request target's host");
  req.headers.host = named;
  return named;
}
