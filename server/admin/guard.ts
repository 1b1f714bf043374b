// Who may use /_emulator/*: it resets and exports the data and replaces the fault rules, so a web page
// the developer happens to have open must not reach it. Two checks, before any admin route runs:
//  - the browser check: a request with an Origin that is not allowed by name (originPolicy.ts; CORS_ORIGINS
//    `*` does not count here), or a cross-site request without one (a navigation, an <img>), is refused.
//    A request without Origin or Sec-Fetch-Site (curl, test suites, SDKs in Node) is not a browser's.
//    A browser's request (an Origin, or a Sec-Fetch-Site other than `none`, a URL the user typed) must also name
//    the emulator in Host as the host check would without ALLOWED_HOSTS=* (localhost, an IP address, this
//    machine's name, the bound name, BASE_URL's host): with `*` a rebound page passes the host check, and its
//    same-origin GETs carry no Origin. Browsers send Sec-Fetch-Site only to https and localhost origins, so a
//    plain-http rebound page's GET still looks like curl's; docs/security.md says so, and names ADMIN_TOKEN.
//  - ADMIN_TOKEN, when set: `Authorization: Bearer <token>` on every admin route but health, which a
//    container healthcheck polls and which tells nothing private, and the admin page (page.ts), which a
//    navigation loads without a header and which holds no data: it asks for the token before any call.
// Both answer in Graph's envelope (https://learn.microsoft.com/graph/errors); the codes are chosen: not documented.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { bearerTokenOf } from '../http/context.js';
import { withoutTrailingSlashes } from '../urlText.js';
import type { OriginPolicy } from '../http/originPolicy.js';
import { shownHost } from '../http/hostCheck.js';
import { isPagePath } from './page.js';

const OPEN_PATHS = new Set(['/health']);

function isOpen(relativePath: string): boolean {
  const normalized = withoutTrailingSlashes(relativePath.toLowerCase());
  return OPEN_PATHS.has(normalized) || isPagePath(normalized);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function refuseBrowser(why: string): GraphError {
  return GraphError.of(
    'forbidden',
    `${why} The emulator's admin API accepts browser requests only from local origins (http(s)://localhost, 127.0.0.1, [::1]) and the origins CORS_ORIGINS lists by name.`,
  );
}

function refuseHost(host: string): GraphError {
  return GraphError.of(
    'forbidden',
    `A page reached as '${shownHost(host)}' may not use /_emulator/: with ALLOWED_HOSTS=* a page whose name is re-pointed at this machine reaches the emulator under that name. The admin API accepts browser requests under localhost, an IP address, this machine's name, the bound name and BASE_URL's host; list the name in ALLOWED_HOSTS in place of * to use it.`,
  );
}

/**
 * Whether a Host names the machine by an address that reaches the loopback listener but that browsers do not treat
 * as loopback: the unspecified address (`0.0.0.0`, `[::]`) or an IPv4-mapped one (`[::ffff:127.0.0.1]`). A browser
 * sends no Sec-Fetch-Site to such an origin, so another site's link there would look like curl's request, and the
 * page it opens would call the admin API as its own origin. No client needs them: the emulator names 127.0.0.1.
 * The host (already checked and normalised by requestHost.ts) is read here as a browser's URL parser reads it, not
 * by hostSyntax.ts: the question is which origin the browser puts the page in, and `new URL` gives the same
 * unspecified address to every spelling a browser accepts for it (`0`, `0x0.0`, `[0:0::0]`, `0.0.0.0.`).
 */
function unspecifiedOrMapped(host: string | undefined): boolean {
  if (host === undefined) return false;
  let name: string;
  try {
    name = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return name === '0.0.0.0' || name === '[::]' || name.startsWith('[::ffff:');
}

function checkBrowser(req: Request, policy: OriginPolicy): void {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  const host = req.headers.host;
  if (unspecifiedOrMapped(host)) {
    throw GraphError.of(
      'forbidden',
      `The admin API and page are not served under '${shownHost(host!)}': a browser does not treat that address as this machine's, so another site could open them there. Use 127.0.0.1, [::1] or localhost.`,
    );
  }
  const browser = origin !== undefined || (site !== undefined && site !== 'none');
  if (browser && host !== undefined && !policy.knownHost(host)) throw refuseHost(host);
  if (origin !== undefined) {
    if (!policy.allowsAdmin(origin, req)) throw refuseBrowser(`The origin '${origin}' may not use /_emulator/.`);
    return;
  }
  if (site === 'cross-site') throw refuseBrowser('A cross-site request without an Origin may not use /_emulator/.');
}

function checkToken(req: Request, expected: Buffer): void {
  // Read as the Graph routes read a bearer token (context.ts): a pattern with a lazy group before trailing spaces
  // took time quadratic in the header's length, some 90 ms of CPU for a 15 KB header of spaces.
  const token = bearerTokenOf(req.headers.authorization);
  const sent = token === '' ? undefined : token;
  if (sent !== undefined && timingSafeEqual(digest(sent), expected)) return;
  throw GraphError.of(
    'unauthenticated',
    sent === undefined
      ? 'This emulator is started with ADMIN_TOKEN: send Authorization: Bearer <ADMIN_TOKEN> to /_emulator/.'
      : 'The bearer token is not the ADMIN_TOKEN this emulator was started with.',
    { 'WWW-Authenticate': 'Bearer realm="emulator-admin"' },
  );
}

/** The first step of the admin router; paths are relative to its /_emulator mount. */
export function adminGuard(policy: OriginPolicy, adminToken: string | undefined) {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return function guardAdmin(req: Request, _res: Response, next: NextFunction): void {
    checkBrowser(req, policy);
    if (expected !== undefined && !isOpen(req.path)) checkToken(req, expected);
    next();
  };
}
