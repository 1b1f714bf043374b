// The request journal's request headers: a credential (Authorization, Proxy-Authorization) kept as its scheme alone,
// when it is an HTTP authentication scheme's name, and a cookie as its name alone (a browser sends the cookies of
// every other local app to this host), a header named for a secret (`X-Api-Key`) REDACTED, as a Referer's secret
// parameters. journalSecrets.ts cuts a $batch item's headers the same way.
import { REDACTED, queryWithoutSecrets, urlWithoutSecrets } from './secretNames.js';

const CREDENTIAL_HEADER = /^(?:proxy-)?authorization$/i;
export const COOKIE_HEADER = /^cookie$/i;

/** Whether a header name (in any case) carries a credential: Authorization or Proxy-Authorization. */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/**
 * The names of HTTP authentication schemes, in lower case: IANA's registry
 * (https://www.iana.org/assignments/http-authschemes/http-authschemes.xhtml), then NTLM and PoP, which Microsoft's
 * clients send (https://learn.microsoft.com/en-us/entra/msal/dotnet/advanced/proof-of-possession-tokens).
 */
const AUTH_SCHEMES = new Set(
  'basic bearer concealed digest dpop gnap hoba mutual negotiate oauth privatetoken scram-sha-1 scram-sha-256 vapid ntlm pop'.split(' '),
);

/**
 * A credential's scheme, as sent: the word before its first space or tab when it names an authentication scheme;
 * else nothing of the value (a bare token, or a token sent before a scheme's name, `<JWT> Bearer`).
 */
export function credentialScheme(value: string): string {
  const scheme = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]/.exec(value.trimStart())?.[1] ?? '';
  return AUTH_SCHEMES.has(scheme.toLowerCase()) ? scheme : '';
}

/**
 * A Cookie header's cookie names, without their values. A pair without `=` is left out: a browser sends a cookie
 * set without a name as its value alone (RFC 6265bis, "Retrieval Algorithm":
 * https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis), so that text is a value.
 */
export function cookieNames(value: string): string {
  const names: string[] = [];
  for (const pair of value.split(';')) {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? '' : pair.slice(0, equals).trim();
    if (name !== '') names.push(name);
  }
  return names.join('; ');
}

/**
 * A header whose name says it carries a secret: App Service's `X-MS-TOKEN-AAD-ACCESS-TOKEN`, an `X-Api-Key`, a
 * `X-CSRF-Token`, a password. Its value is kept as REDACTED.
 */
const SECRET_HEADER = /token|secret|passw|api-?key/i;

/** Whether a header's name says it carries a secret (SECRET_HEADER): its value is never kept. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** What a header block must contain, in some case, to hold such a header or a Referer (whose URL may carry a token). */
const SECRET_HEADER_HINT = /token|secret|passw|api-?key|referer/i;

/**
 * A URL with the value of each secret-named parameter of its query or fragment REDACTED (a Referer's
 * `?access_token=…` or `#access_token=…`), and its userinfo's password.
 */
function refererWithoutSecrets(sent: string): string {
  return urlWithoutSecrets(sent, queryWithoutSecrets).url;
}

/** The header pairs with a secret-named header's value REDACTED and a Referer's secret parameters too. */
function withoutSecretHeaders(raw: readonly string[]): string[] {
  const kept = raw.slice();
  for (let i = 0; i + 1 < kept.length; i += 2) {
    const name = kept[i]!;
    if (isSecretHeader(name)) kept[i + 1] = REDACTED;
    else if (name.toLowerCase() === 'referer') kept[i + 1] = refererWithoutSecrets(kept[i + 1]!);
  }
  return kept;
}

/**
 * The raw header pairs as one text (`name\nvalue…`): a credential cut to its scheme, a cookie to its names, a
 * secret-named header's value and a Referer's secret parameters REDACTED. Only a block that names one of these
 * (one test of the joined text) is walked again.
 */
export function keptRequestHeaders(raw: readonly string[]): string {
  const kept = keptCredentials(raw);
  const text = kept.join('\n');
  return SECRET_HEADER_HINT.test(text) ? withoutSecretHeaders(kept).join('\n') : text;
}

/** The raw header pairs with a credential cut to its scheme, a cookie to its names, a Host to its host. */
function keptCredentials(raw: readonly string[]): readonly string[] {
  let kept = raw;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Names compared by length first: a request's other headers cost a comparison or two each.
    const cookie = name.length === 6 && COOKIE_HEADER.test(name);
    // A Host with a user and a password (`mallory:pw@evil`), which an absolute-form target leaves unused: its host alone.
    const host = name.length === 4 && raw[i + 1]!.includes('@') && name.toLowerCase() === 'host';
    if (!cookie && !host && !(name.length >= 13 && isCredentialHeader(name))) continue;
    if (kept === raw) kept = raw.slice();
    const value = raw[i + 1]!;
    (kept as string[])[i + 1] = host ? value.slice(value.lastIndexOf('@') + 1) : cookie ? cookieNames(value) : credentialScheme(value);
  }
  return kept;
}
