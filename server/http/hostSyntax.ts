// What a host is, as a request names it in its Host header or its absolute-form target: `host[:port]` as RFC 3986
// §3.2.2-3.2.3 spells it (https://www.rfc-editor.org/rfc/rfc3986#section-3.2.2), with the host never empty: an
// http(s) URI with an empty host is invalid and MUST be rejected (RFC 9110 §4.2.1,
// https://www.rfc-editor.org/rfc/rfc9110#section-4.2.1); a nextLink built on `http://:80` or `http:///beta/…`
// would send a paging client's token to whatever its URL parser makes of it (`new URL` reads the host `beta`).
import { isIPv6 } from 'node:net';

/** RFC 3986 §3.2.2 reg-name: unreserved, sub-delims and escapes (an IPv4 address is one too), here never empty. */
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
/** RFC 3986 §3.2.2 IPvFuture, inside the brackets; its "v" is case-insensitive, as every ABNF quoted string is (RFC 5234 §2.3). */
const IP_FUTURE = /^[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+$/;
const PORT = /^\d*$/;
/** The largest TCP port. */
const MAX_PORT = 65535;

function isHostName(name: string): boolean {
  if (!name.startsWith('[')) return REG_NAME.test(name);
  if (!name.endsWith(']')) return false;
  const literal = name.slice(1, -1);
  // node:net's isIPv6 takes a zone id (`fe80::1%eth0`), which RFC 3986's IP-literal has no room for.
  return (isIPv6(literal) && !literal.includes('%')) || IP_FUTURE.test(literal);
}

/**
 * The port as a URL names it, '' for an empty one (read as none, RFC 3986 §3.2.3), or undefined for none a client
 * can reach. RFC 3986 allows any digits: leading zeros are dropped (`0000080` is 80, as `new URL` reads it), and 0
 * or a port past 65535, which `new URL` refuses, is refused. Chosen: not documented by Graph.
 */
function normalPort(digits: string): string | undefined {
  if (!PORT.test(digits)) return undefined;
  if (digits === '') return '';
  const port = Number(digits);
  return port >= 1 && port <= MAX_PORT ? String(port) : undefined;
}

/**
 * A `host[:port]`'s name and port, the port as the URLs built from it name it ('' for none or an empty one), or
 * undefined for a text that is no `host[:port]`: an empty host, a port of 0 or past 65535, anything else RFC 3986
 * §3.2.2 does not allow. The one reading of a host: normalHost below and the host check (hostCheck.ts) build on it.
 */
export function hostParts(text: string): { name: string; port: string } | undefined {
  const close = text.startsWith('[') ? text.indexOf(']') : -1;
  const colon = text.indexOf(':', close + 1);
  const name = colon === -1 ? text : text.slice(0, colon);
  if (!isHostName(name)) return undefined;
  const port = colon === -1 ? '' : normalPort(text.slice(colon + 1));
  return port === undefined ? undefined : { name, port };
}

/**
 * `host[:port]` as the URLs built from it name it (`localhost:` as `localhost`, `localhost:0080` as
 * `localhost:80`), or undefined for a text that is no `host[:port]` (hostParts).
 */
export function normalHost(text: string): string | undefined {
  const parts = hostParts(text);
  if (parts === undefined) return undefined;
  return parts.port === '' ? parts.name : `${parts.name}:${parts.port}`;
}

/** Whether `text` is `host[:port]` by the rules of normalHost. */
export function isHostAndPort(text: string): boolean {
  return normalHost(text) !== undefined;
}
