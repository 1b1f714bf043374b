// The names under which a request carries what grants access, shared by what the journal takes out of a request
// (journalSecrets.ts) and of its answer (journalAnswer.ts), so both read a name the same way.
import { percentDecoded } from '../urlText.js';

/** What a secret's value becomes. */
export const REDACTED = 'REDACTED';

/** OAuth's names for what grants access (RFC 6749, RFC 7521, RFC 7523; ROPC's password), compared in lower case. */
const SECRET_NAMES = new Set(['access_token', 'refresh_token', 'id_token', 'client_secret', 'client_assertion', 'assertion', 'password']);

/**
 * `name` without a trailing list or map index (`access_token[]`, `password[0]`), as query-string parsers (qs, PHP)
 * read a name: from the first `[` after the last `]` but the final one. A scan, not `replace(/\[[^\]]*\]$/, '')`,
 * which tries each `[` of a run again to its end: time quadratic in the name.
 */
function withoutIndex(name: string): string {
  if (!name.endsWith(']')) return name;
  const before = name.lastIndexOf(']', name.length - 2);
  const open = name.indexOf('[', before + 1);
  return open === -1 ? name : name.slice(0, open);
}

/**
 * Whether a name, decoded, is a secret's (surrounding spaces, case, a leading `$` and a trailing `[…]` index
 * ignored): query option names are read with or without their `$` (docs/querying.md), so `$client_secret` is a
 * spelling of `client_secret` too.
 */
export function isSecretName(name: string): boolean {
  const trimmed = name.trim().toLowerCase();
  const plain = trimmed.startsWith('$') ? trimmed.slice(1).trim() : trimmed;
  return SECRET_NAMES.has(plain) || SECRET_NAMES.has(withoutIndex(plain).trim());
}

/**
 * A query or form pair (the text between two `&`) with a secret's value REDACTED, or undefined when it holds none.
 * A raw `#` (no client sends one in a target, but a raw request line may hold one) may start a second pair
 * (`x=1#access_token=…`), whose value is redacted to the end, or sit inside a secret's value (`access_token=AA#BB`),
 * which is redacted whole.
 */
export function redactedPair(pair: string): string | undefined {
  if (isSecretPair(pair.split('#', 1)[0]!)) return `${pair.slice(0, pair.indexOf('=') + 1)}${REDACTED}`;
  for (let at = pair.indexOf('#'); at !== -1; at = pair.indexOf('#', at + 1)) {
    const rest = pair.slice(at + 1);
    if (isSecretPair(rest.split('#', 1)[0]!)) return `${pair.slice(0, at + 1)}${rest.slice(0, rest.indexOf('=') + 1)}${REDACTED}`;
  }
  return undefined;
}

/** A query's text with each secret pair redacted (redactedPair), every other pair as it was. */
export function queryWithoutSecrets(query: string): string {
  return query
    .split('&')
    .map((pair) => redactedPair(pair) ?? pair)
    .join('&');
}

/**
 * An absolute URL's userinfo (`https://user:password@host/…`): what comes before the password, the password (up to
 * the authority's last `@`), and the rest from that `@`.
 */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#]*)(@.*)$/is;

/**
 * Where a URL's parameters begin: its `?`, or its `#` when no query comes before it (an implicit grant's page,
 * `/callback#access_token=…`, whose fragment holds `&`-separated pairs); -1 when it has neither.
 */
function paramsStart(url: string): number {
  const query = url.indexOf('?');
  const fragment = url.indexOf('#');
  return query === -1 || (fragment !== -1 && fragment < query) ? fragment : query;
}

/**
 * A URL (a Referer, a $batch item's `url`) with its userinfo's password REDACTED and its parameters (its query or,
 * without one, its fragment) as `params` keeps them; the password taken out, undefined when it names none.
 */
export function urlWithoutSecrets(sent: string, params: (text: string) => string): { url: string; password: string | undefined } {
  const match = USERINFO.exec(sent);
  const password = match === null || match[2] === '' ? undefined : match[2];
  const url = password === undefined ? sent : `${match![1]}${REDACTED}${match![3]}`;
  const at = paramsStart(url);
  return { url: at === -1 ? url : `${url.slice(0, at + 1)}${params(url.slice(at + 1))}`, password };
}

/** A `name=value` pair's name decoded; '' when it does not decode (no secret's name holds a `%`). */
function decodedName(pair: string): string {
  return percentDecoded(pair.split('=', 1)[0]!.replace(/\+/g, ' ')) ?? '';
}

/** Whether a query's `name=value` pair names a secret and has a value. */
function isSecretPair(pair: string): boolean {
  return pair.includes('=') && isSecretName(decodedName(pair));
}
