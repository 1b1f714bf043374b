// Which browser origins may use the emulator. By default only pages served from this machine during
// development: http(s)://localhost, 127.0.0.1 and [::1], on any port. CORS_ORIGINS adds origins; `*` opens
// the Graph routes to every page, never /_emulator/* (a page that can reset the data or replace the fault
// rules must be named). `Origin: null` (sandboxed frames, file: pages, some redirects) is no origin at all:
// it is never allowed by name.
// Chosen: not documented (Graph itself answers CORS for any origin, but it is not on a developer's laptop).
import type { Request } from 'express';
import type { TLSSocket } from 'node:tls';

const LOCAL_ORIGIN = /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i;

export interface OriginPolicy {
  /** Graph routes: allowed, or any origin when CORS_ORIGINS is `*`. */
  allowsGraph(origin: string): boolean;
  /** /_emulator/*: allowed by name only (local origins, the listed ones, the emulator's own pages). */
  allowsAdmin(origin: string, req: Request): boolean;
  /**
   * Whether a page served under this Host can be the emulator's own rather than a rebound one: a name the host
   * check admits without ALLOWED_HOSTS=* (hostCheck.ts knownHost).
   */
  knownHost(host: string): boolean;
  /** True when CORS_ORIGINS is `*`: Graph answers carry `Access-Control-Allow-Origin: *`. */
  readonly wildcard: boolean;
}

/** The origin of the page that served the request's own URL, under a name the emulator is known by. */
function isOwnOrigin(origin: string, req: Request, knownHost: (host: string) => boolean): boolean {
  const host = req.headers.host;
  if (host === undefined || !knownHost(host)) return false;
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  return origin.toLowerCase() === `${scheme}://${host.toLowerCase()}`;
}

/**
 * `knownHost`: the names a page of the emulator's own origin may be served under. With ALLOWED_HOSTS=* a rebound
 * page (evil.example, re-pointed at 127.0.0.1) is of "the emulator's own origin" too: only a known name makes it so.
 */
export function originPolicy(corsOrigins: '*' | readonly string[], knownHost: (host: string) => boolean): OriginPolicy {
  const wildcard = corsOrigins === '*';
  const listed = new Set(wildcard ? [] : corsOrigins.map((o) => o.toLowerCase()));
  const named = (origin: string) => LOCAL_ORIGIN.test(origin) || listed.has(origin.toLowerCase());
  return {
    wildcard,
    allowsGraph: (origin) => wildcard || named(origin),
    allowsAdmin: (origin, req) => named(origin) || isOwnOrigin(origin, req, knownHost),
    knownHost,
  };
}
