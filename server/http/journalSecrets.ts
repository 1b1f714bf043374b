// What the request journal never keeps: a credential (Authorization and Proxy-Authorization are kept as their
// scheme alone, when it is an HTTP authentication scheme's name), a cookie's value (a browser sends the cookies of
// every other local app to this host; only their names are kept), and the value of a token or secret sent where it
// does not belong: a query parameter or a JSON or form body field named like OAuth's (access_token, client_secret,
// …, in any case, escaped or percent-encoded), and a $batch item's credential headers inside the batch's body. A
// request that names none of them, and holds no `\` or `%` that could spell one's name, costs one check of its
// query and body text; only one that does is parsed, and only one that holds a secret is rewritten (its body
// written again as JSON).
import { percentDecoded } from '../urlText.js';

/** OAuth's names for what grants access (RFC 6749, RFC 7521, RFC 7523; ROPC's password), compared in lower case. */
const SECRET_NAMES = new Set(['access_token', 'refresh_token', 'id_token', 'client_secret', 'client_assertion', 'assertion', 'password']);
/** What a text must contain, in some case, to name a secret or a credential header as it is. */
const SECRET_HINT = /token|secret|assertion|password|authorization|cookie/i;
/** A JSON field with a string value: what comes before the value (group 1) and the name as sent, unquoted (group 2). */
const STRING_FIELD = /("((?:[^"\\]|\\.)*)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
/** What a secret's value becomes. */
export const REDACTED = 'REDACTED';

/**
 * Whether a text may hold a secret: it names one, or it may spell a name escaped (JSON's `client_\u0073ecret`) or
 * percent-encoded (a query's or a form's `client_%73ecret`), which only parsing it tells.
 */
function maySpellSecret(text: string): boolean {
  return text.includes('%') || text.includes('\\') || SECRET_HINT.test(text);
}

/** Whether a name, decoded, is a secret's (surrounding spaces and case ignored). */
function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.trim().toLowerCase());
}

const CREDENTIAL_HEADER = /^(?:proxy-)?authorization$/i;
const COOKIE_HEADER = /^cookie$/i;

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

/** The raw header pairs as one text (`name\nvalue…`): a credential cut to its scheme, a cookie to its names. */
export function keptRequestHeaders(raw: readonly string[]): string {
  let kept = raw;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Names compared by length first: a request's other headers cost a comparison or two each.
    const cookie = name.length === 6 && COOKIE_HEADER.test(name);
    if (!cookie && !(name.length >= 13 && isCredentialHeader(name))) continue;
    if (kept === raw) kept = raw.slice();
    (kept as string[])[i + 1] = cookie ? cookieNames(raw[i + 1]!) : credentialScheme(raw[i + 1]!);
  }
  return kept.join('\n');
}

/** A pair's name decoded; '' when it does not decode (no secret's name holds a `%`). */
function decodedName(pair: string): string {
  return percentDecoded(pair.split('=', 1)[0]!.replace(/\+/g, ' ')) ?? '';
}

/** A JSON string's text (between its quotes) decoded; '' when it is not one. */
function decodedJsonText(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return '';
  }
}

/** The `name=value` pairs of a query or form text whose name is a secret's, each with its value redacted. */
function secretPairs(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const pair of text.split('&')) {
    const equals = pair.indexOf('=');
    if (equals !== -1 && isSecretName(decodedName(pair))) found.set(pair, `${pair.slice(0, equals + 1)}${REDACTED}`);
  }
  return found;
}

function replacedPairs(text: string, pairs: ReadonlyMap<string, string>): string {
  return text
    .split('&')
    .map((pair) => pairs.get(pair) ?? pair)
    .join('&');
}

/**
 * A $batch item's `url` with the secret pairs of its query redacted, each pair found added to `found` (the item's
 * answer repeats them in its nextLink); the url itself when its query holds none.
 */
function urlWithoutSecrets(url: string, found: Map<string, string>): string {
  const at = url.indexOf('?');
  if (at === -1 || !maySpellSecret(url)) return url;
  const pairs = secretPairs(url.slice(at + 1));
  if (pairs.size === 0) return url;
  for (const [pair, redacted] of pairs) found.set(pair, redacted);
  return `${url.slice(0, at + 1)}${replacedPairs(url.slice(at + 1), pairs)}`;
}

/**
 * A JSON value with every secret field redacted, every credential header cut and the secret pairs of every `url`'s
 * query redacted (those pairs added to `found`), or undefined when it holds none.
 */
function redactedJson(value: unknown, found: Map<string, string>): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => redactedJson(item, found));
    return items.some((item) => item !== undefined) ? items.map((item, i) => item ?? value[i]) : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const name = key.trim().toLowerCase();
    let kept = field;
    if (isSecretName(name)) kept = REDACTED;
    else if (typeof field === 'string' && isCredentialHeader(name)) kept = credentialScheme(field);
    else if (typeof field === 'string' && COOKIE_HEADER.test(name)) kept = cookieNames(field);
    else if (typeof field === 'string' && name === 'url') kept = urlWithoutSecrets(field, found);
    else kept = redactedJson(field, found) ?? field;
    changed ||= kept !== field;
    copy[key] = kept;
  }
  return changed ? copy : undefined;
}

/** What the journal keeps of a request's query, its body and its answer's body, secrets taken out. */
export interface KeptTexts {
  query: string;
  requestBody: string | undefined;
  responseBody: string | undefined;
}

/**
 * The query, the request body and the answer's body as the journal keeps them. The answer's body loses the query's
 * secret pairs too: a list's @odata.nextLink repeats the query as sent.
 */
export function withoutSecrets(query: string, requestBody: string | undefined, responseBody: string | undefined): KeptTexts {
  const inQuery = query !== '' && maySpellSecret(query) ? secretPairs(query) : undefined;
  // The pairs the answer may repeat: the query's, and those of a $batch's item urls (their answers' nextLinks).
  let repeated = inQuery;
  let body = requestBody;
  if (body !== undefined && maySpellSecret(body)) {
    repeated = new Map(inQuery);
    body = bodyWithoutSecrets(body, repeated);
  }
  if (repeated === undefined || repeated.size === 0) return { query, requestBody: body, responseBody };
  let answer = responseBody;
  for (const [pair, redacted] of repeated) {
    // As it stands inside a JSON string.
    if (answer !== undefined) answer = answer.split(JSON.stringify(pair).slice(1, -1)).join(redacted);
  }
  return { query: inQuery === undefined || inQuery.size === 0 ? query : replacedPairs(query, inQuery), requestBody: body, responseBody: answer };
}

/** A body without its secrets: JSON written again when it held any, else a form's pairs redacted; else as sent. */
function bodyWithoutSecrets(text: string, repeated: Map<string, string>): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a form, or JSON cut or broken): its secret fields written as JSON (names escaped or not), then its
    // secret pairs.
    const fields = text.replace(STRING_FIELD, (field, head: string, name: string) => (isSecretName(decodedJsonText(name)) ? `${head}"${REDACTED}"` : field));
    const pairs = secretPairs(fields);
    return pairs.size === 0 ? fields : replacedPairs(fields, pairs);
  }
  const redacted = redactedJson(parsed, repeated);
  return redacted === undefined ? text : JSON.stringify(redacted);
}
