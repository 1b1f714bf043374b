// The host a request is for (RFC 9112 §3.2, https://www.rfc-editor.org/rfc/rfc9112#section-3.2): the authority of
// an absolute-form target (`GET http://graph:4000/beta/… HTTP/1.1`), which a server MUST use in place of the Host
// header (§3.2.2), else the Host header; a request with more than one Host header line MUST be answered 400 (§3.2).
// Node keeps the first of two Host headers without a word and leaves an absolute-form target in req.url, so both
// are read here, from the request line and the raw header lines. The host of an absolute-form target replaces
// req.headers.host: the host check, the admin guard and every URL built later (Location, nextLink) read that one.
// A user name or password in the authority (`http://user:pw@host/…`, or a Host header with '@') is a 400 that never
// repeats it: RFC 9110 §4.2.4 (https://www.rfc-editor.org/rfc/rfc9110#section-4.2.4) says to treat userinfo in an
// http(s) URI as an error, and a host taken with it would put the password, or another host, in every nextLink.
import type { IncomingMessage } from 'node:http';
import { GraphError } from '../graphErrors.js';

/** `scheme://authority`, the authority ending at the path, the query or the fragment. */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i;

/** The 400 for userinfo; the wording is chosen: not documented. */
function userInfoRefused(where: string): GraphError {
  return GraphError.of('badRequest', `The ${where} names a user or a password before '@': the emulator takes no credentials in a URL or a Host header.`);
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
 * The host the request is for, undefined for an HTTP/1.0 request without Host and an origin-form target.
 * Throws Graph's 400 for a second Host header (the wording is chosen: not documented), and for userinfo.
 */
export function requestHost(req: IncomingMessage): string | undefined {
  if (hostLines(req.rawHeaders) > 1) throw GraphError.of('badRequest', 'The request has more than one Host header.');
  const url = req.url ?? '';
  const authority = url.startsWith('/') ? undefined : ABSOLUTE_FORM.exec(url)?.[1];
  if (authority === undefined) {
    if (req.headers.host?.includes('@')) throw userInfoRefused('Host header');
    return req.headers.host;
  }
  if (authority.includes('@')) throw userInfoRefused('request target');
  req.headers.host = authority;
  return authority;
}
