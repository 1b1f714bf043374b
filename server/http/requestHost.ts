// The host a request is for (RFC 9112 §3.2, https://www.rfc-editor.org/rfc/rfc9112#section-3.2): the authority of
// an absolute-form target (`GET http://graph:4000/beta/… HTTP/1.1`), which a server MUST use in place of the Host
// header (§3.2.2), else the Host header; a request with more than one Host header line MUST be answered 400 (§3.2).
// Node keeps the first of two Host headers without a word and leaves an absolute-form target in req.url, so both
// are read here, from the request line and the raw header lines. The host of an absolute-form target replaces
// req.headers.host: the host check, the admin guard and every URL built later (Location, nextLink) read that one.
import type { IncomingMessage } from 'node:http';
import { GraphError } from '../graphErrors.js';

/** `scheme://authority`, the authority ending at the path, the query or the fragment. */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i;

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
 * Throws Graph's 400 for a second Host header (the wording is chosen: not documented).
 */
export function requestHost(req: IncomingMessage): string | undefined {
  if (hostLines(req.rawHeaders) > 1) throw GraphError.of('badRequest', 'The request has more than one Host header.');
  const url = req.url ?? '';
  if (url.startsWith('/')) return req.headers.host;
  const authority = ABSOLUTE_FORM.exec(url)?.[1];
  if (authority === undefined) return req.headers.host;
  req.headers.host = authority;
  return authority;
}
