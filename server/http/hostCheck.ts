// The Host header against DNS rebinding: a page on evil.example whose name is re-pointed at 127.0.0.1
// reaches the emulator as a same-origin request, past every CORS rule, but its Host header still says
// evil.example. Only names this emulator is known by are answered: localhost and *.localhost (browsers
// resolve them to loopback without asking DNS), any IP address (a rebinding attack needs a name), this
// machine's host name, the bound name, BASE_URL's host, and ALLOWED_HOSTS (`.example.test` also admits
// its subdomains; `*` lets any name through, but the admin API still asks a browser for one of the others:
// admin/guard.ts). Everything else is 421 in Graph's envelope, so the Location and nextLink URLs built from
// Host only ever name an allowed host. The host checked is the one the request is for (requestHost.ts: an
// absolute-form target's, a second Host header a 400).
// Chosen: not documented; the same default as Vite's and webpack-dev-server's host checks.
// The decision is cached per Host header value: a request costs one Map lookup.
import { hostname } from 'node:os';
import type { NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import type { CorsForAllowed } from './browserCors.js';
import { hostParts } from './hostSyntax.js';
import { requestHost } from './requestHost.js';

interface HostCheckOptions {
  /** ALLOWED_HOSTS: names besides the defaults, or `*` for any. */
  allowed?: '*' | readonly string[];
  /** The address or name the server is bound to. */
  boundHost?: string;
  /** BASE_URL: its host is allowed. */
  baseUrl?: string;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/**
 * A name of letters, digits, '_', '.' and '-', or an `[IPv6]` address, in lower case: a host whose name is anything
 * else RFC 3986 allows (`%41`, `!`, `[v1.x]`) is refused, whatever its port.
 */
const CHECKED_NAME = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_.-]+)$/;
const CACHE_LIMIT = 256;

/** The names a Host header is checked against, lower case, without a trailing dot. */
export function allowedHostNames({ allowed = [], boundHost, baseUrl }: HostCheckOptions): string[] {
  const names = ['localhost', hostname(), ...(allowed === '*' ? [] : allowed)];
  if (boundHost !== undefined) names.push(boundHost);
  if (baseUrl !== undefined) names.push(new URL(baseUrl).hostname);
  return [...new Set(names.map((n) => n.toLowerCase().replace(/\.$/, '')).filter((n) => n !== ''))];
}

/** Whether a Host header value names this emulator. */
export function hostAllowed(header: string, names: readonly string[]): boolean {
  // One reading of host and port for the host check and the URLs built from the host (requestHost.ts normalises it first).
  const parsed = hostParts(header.toLowerCase())?.name;
  if (parsed === undefined || !CHECKED_NAME.test(parsed)) return false;
  const name = parsed.replace(/\.$/, '');
  // Any IP address: IPv4, or `[IPv6]` (the only bracketed name CHECKED_NAME lets through).
  if (IPV4.test(name) || name.startsWith('[') || name === 'localhost' || name.endsWith('.localhost')) return true;
  return names.some((allowed) => (allowed.startsWith('.') ? name === allowed.slice(1) || name.endsWith(allowed) : name === allowed));
}

/** A Host value as an error message names it: at most 100 characters. */
export function shownHost(header: string): string {
  return header.length > 100 ? `${header.slice(0, 100)}…` : header;
}

function refused(header: string): GraphError {
  return GraphError.of(
    'misdirected',
    `The host '${shownHost(header)}' is not a name this emulator answers for. If clients reach it by that name, add it to ALLOWED_HOSTS (comma-separated names).`,
  );
}

/** Whether a Host value names this emulator by the rules above, ALLOWED_HOSTS=* left aside; cached per value. */
export function knownHost(options: HostCheckOptions): (host: string) => boolean {
  const names = allowedHostNames(options);
  const decided = new Map<string, boolean>();
  return (host) => {
    let known = decided.get(host);
    if (known === undefined) {
      known = hostAllowed(host, names);
      if (decided.size < CACHE_LIMIT) decided.set(host, known);
    }
    return known;
  };
}

/**
 * `corsForAllowed`: CORS for a page whose Origin may read answers (browserCors.ts). Such a page that reached the
 * emulator by a name it does not answer for gets its preflight answered and the 421 with CORS headers, so it reads
 * the name to add to ALLOWED_HOSTS where a browser would otherwise report a refusal by CORS. A rebound page gains
 * nothing: its origin is the refused name itself, which is no allowed origin (Graph's `*` aside, where CORS already
 * lets any page read answers).
 */
export function hostCheck(options: HostCheckOptions, known = knownHost(options), corsForAllowed?: CorsForAllowed) {
  const anyHost = options.allowed === '*';
  return function checkHost(req: Request, res: Response, next: NextFunction): void {
    const host = requestHost(req);
    // HTTP/1.0 without Host: no browser sends that, and no URL is built from it.
    if (host === undefined || anyHost || known(host)) return next();
    if (corsForAllowed?.(req, res, () => next(refused(host)))) return;
    throw refused(host);
  };
}
