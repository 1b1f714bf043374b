// What the request journal never keeps: a credential (Authorization and Proxy-Authorization are kept as their
// scheme alone, when it is an HTTP authentication scheme's name), a cookie's value (a browser sends the cookies of
// every other local app to this host; only their names are kept), and the value of a token or secret sent where it
// does not belong: a query parameter or a JSON or form body field named like OAuth's (access_token, client_secret,
// …, in any case, escaped or percent-encoded), and a $batch item's credential headers inside the batch's body. A
// request that names none of them, and holds no `\` or `%` that could spell one's name, costs one check of its
// query and body text; only one that does is parsed, and only one that holds a secret is rewritten (its body
// written again as JSON). Every value taken out is taken out of the answer's body too (journalAnswer.ts), which may
// quote it: a 400 names the literal it could not convert, a list's nextLink repeats the query.
import { percentDecoded } from '../urlText.js';
import { REDACTED, type TakenOut, answerWithoutSecrets } from './journalAnswer.js';
import { decodedJsonText, otherValuesRedacted } from './journalBrokenJson.js';
import { replaceStringFields } from './jsonScan.js';
import { COOKIE_HEADER, cookieNames, credentialScheme, isCredentialHeader, isSecretHeader } from './credentialHeaders.js';
import { isBase64Type } from './batchPayload.js';
import { MAX_SHOWN_DEPTH, jsonLimitPassed } from './jsonDepth.js';
import { isSecretName, redactedPair, urlWithoutSecrets } from './secretNames.js';

export { REDACTED };
export { cookieNames, credentialScheme, isCredentialHeader, keptRequestHeaders } from './credentialHeaders.js';

/**
 * What a text must contain, in some case, to name a secret or a credential header as it is: `passw`, as a
 * secret-named header's (credentialHeaders.ts), so a $batch item's `X-Passwd` is read too.
 */
const SECRET_HINT = /token|secret|assertion|passw|authorization|cookie|api-?key/i;

/**
 * Whether a text may hold a secret: it names one, or it may spell a name escaped (JSON's `client_\u0073ecret`) or
 * percent-encoded (a query's or a form's `client_%73ecret`), which only parsing it tells.
 */
function maySpellSecret(text: string): boolean {
  return text.includes('%') || text.includes('\\') || SECRET_HINT.test(text) || (text.includes('://') && USERINFO_HINT.test(text));
}

/** An absolute URL with a userinfo (`https://user:pw@…`), whose password a $batch item's `url` may carry. */
const USERINFO_HINT = /:\/\/[^/?#@\s"]*@/;

/** A string-valued `body` field: a $batch item's body given as text, or base64url, whose bytes no hint can read. */
const ENCODED_BODY = /"body"\s*:\s*"/;

/**
 * The `name=value` pairs of a query or form text whose name is a secret's, each with its value redacted; each
 * value, as sent and decoded, added to `values` (an answer may quote either).
 */
function secretPairs(text: string, values: Set<string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const pair of text.split('&')) {
    const redacted = redactedPair(pair);
    if (redacted === undefined) continue;
    found.set(pair, redacted);
    // What was taken out: the pair's text past what its redacted form keeps.
    const value = pair.slice(redacted.length - REDACTED.length);
    values.add(value);
    values.add(percentDecoded(value.replace(/\+/g, ' ')) ?? value);
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
 * A $batch item's `url` with the secret pairs of its query redacted, each pair found added to `taken` (the item's
 * answer repeats them in its nextLink), and its userinfo's password (`https://user:pw@graph.microsoft.com/…`,
 * which the batch refuses); the url itself when it holds none.
 */
function itemUrlWithoutSecrets(sent: string, taken: TakenOut): string {
  const { url, password } = urlWithoutSecrets(sent, (params) => {
    if (!maySpellSecret(params)) return params;
    const pairs = secretPairs(params, taken.values);
    for (const [pair, redacted] of pairs) taken.pairs.set(pair, redacted);
    return pairs.size === 0 ? params : replacedPairs(params, pairs);
  });
  if (password !== undefined) taken.values.add(password);
  return url;
}

/** Every string and number a secret value holds, at any depth, added to `values` as text. */
function addLeaves(value: unknown, values: Set<string>): void {
  if (typeof value === 'string' || typeof value === 'number') values.add(String(value));
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) addLeaves(item, values);
}

/**
 * What the journal keeps of a credential or cookie field (a $batch item's header): a credential cut to its scheme,
 * a cookie to its names, what was cut added to `values`; a value that is no string (no header can carry it, but
 * it may hold a token) as REDACTED.
 */
function keptHeaderField(cookie: boolean, field: unknown, values: Set<string>): unknown {
  if (field === null) return field;
  if (typeof field !== 'string') {
    addLeaves(field, values);
    return REDACTED;
  }
  if (cookie) {
    for (const pair of field.split(';')) values.add(pair.slice(pair.indexOf('=') + 1).trim());
    return cookieNames(field);
  }
  const scheme = credentialScheme(field);
  values.add(field.trim().slice(scheme.length).trim());
  return scheme;
}

/**
 * Whether a field's name (decoded, in any case) is one whose value the journal never keeps whole in JSON it cannot
 * walk: a header's named for a secret (`X-Api-Key`) too, since where it stands (a $batch item's `headers`) is unread.
 */
function isGuardedName(name: string): boolean {
  return isSecretName(name) || isCredentialHeader(name.trim()) || COOKIE_HEADER.test(name.trim()) || isSecretHeader(name);
}

/** What JSON the journal cannot walk keeps of a string field by its name (keptField), a secret header's REDACTED. */
function keptTextField(name: string, field: string, taken: TakenOut): unknown {
  const kept = keptField(name, field, taken);
  if (kept !== undefined || !isSecretHeader(name)) return kept;
  taken.values.add(field);
  return REDACTED;
}

/**
 * What the journal keeps of a field by its name: a secret's value REDACTED, a credential cut to its scheme, a cookie
 * to its names, the secret pairs of a `url`'s query redacted, a $batch item's body given as text (a form, JSON as a
 * string) read as a body of its own; what was taken out added to `taken`. `field` itself when nothing is taken out;
 * undefined when the name is none of these (a value that may hold such fields deeper).
 */
function keptField(key: string, field: unknown, taken: TakenOut): unknown {
  const name = key.trim().toLowerCase();
  if (isSecretName(name)) {
    addLeaves(field, taken.values);
    return REDACTED;
  }
  if (isCredentialHeader(name) || COOKIE_HEADER.test(name)) return keptHeaderField(name === 'cookie', field, taken.values);
  if (typeof field === 'string' && name === 'url') return itemUrlWithoutSecrets(field, taken);
  if (typeof field === 'string' && name === 'body') return maySpellSecret(field) ? bodyWithoutSecrets(field, taken) : field;
  return undefined;
}

/** The `Content-Type` a $batch item's `headers` give, in any case of its name. */
function itemContentType(headers: unknown): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const entry = Object.entries(headers).find(([name]) => name.trim().toLowerCase() === 'content-type');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

/**
 * A $batch item's body that travels base64url (neither JSON nor text: a form, batchPayload.ts), its bytes read one
 * per character as a body of its own and encoded again when a secret was taken out; undefined when it holds none.
 */
function encodedBodyWithoutSecrets(item: Readonly<Record<string, unknown>>, taken: TakenOut): string | undefined {
  const body = item['body'];
  const contentType = itemContentType(item['headers']);
  if (typeof body !== 'string' || contentType === undefined || !isBase64Type(contentType)) return undefined;
  const text = Buffer.from(body, 'base64url').toString('latin1');
  if (!maySpellSecret(text)) return undefined;
  const kept = bodyWithoutSecrets(text, taken);
  return kept === text ? undefined : Buffer.from(kept, 'latin1').toString('base64url');
}

/**
 * A JSON value with every secret field redacted, every credential header cut and the secret pairs of every `url`'s
 * query redacted (what was taken out added to `taken`), or undefined when it holds none.
 */
function redactedJson(value: unknown, taken: TakenOut): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => redactedJson(item, taken));
    return items.some((item) => item !== undefined) ? items.map((item, i) => item ?? value[i]) : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const encoded = encodedBodyWithoutSecrets(value as Record<string, unknown>, taken);
  let changed = false;
  // No prototype: a member named `__proto__` (JSON.parse makes it an own one) stays a member, not a prototype.
  const copy: Record<string, unknown> = Object.create(null);
  for (const [key, field] of Object.entries(value)) {
    let kept = encoded !== undefined && key === 'body' ? encoded : (keptField(key, field, taken) ?? redactedJson(field, taken) ?? field);
    if (key.trim().toLowerCase() === 'headers') kept = withoutSecretNamedHeaders(kept, taken);
    changed ||= kept !== field;
    copy[key] = kept;
  }
  return changed ? copy : undefined;
}

/**
 * A $batch item's `headers` with each header named for a secret (`apikey`, `X-Api-Key`, `Token`: credentialHeaders.ts)
 * REDACTED, as on the wire, a value that is no string whole (no header can carry it, but it may hold a key);
 * `headers` itself when it names none.
 */
function withoutSecretNamedHeaders(headers: unknown, taken: TakenOut): unknown {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return headers;
  const fields = headers as Record<string, unknown>;
  const named = Object.keys(fields).filter((name) => isSecretHeader(name) && fields[name] !== null);
  if (named.length === 0) return headers;
  const copy: Record<string, unknown> = Object.create(null);
  for (const [name, field] of Object.entries(fields)) copy[name] = named.includes(name) ? REDACTED : field;
  for (const name of named) addLeaves(fields[name], taken.values);
  return copy;
}

/** What the journal keeps of a request's query, its body and its answer's body, secrets taken out. */
interface KeptTexts {
  query: string;
  requestBody: string | undefined;
  responseBody: string | undefined;
}

/**
 * The query, the request body and the answer's body as the journal keeps them. The answer's body loses every
 * secret taken out of the query and the body, wherever it repeats one (journalAnswer.ts).
 */
export function withoutSecrets(query: string, requestBody: string | undefined, responseBody: string | undefined): KeptTexts {
  const querySpells = query !== '' && maySpellSecret(query);
  const bodySpells = requestBody !== undefined && (maySpellSecret(requestBody) || ENCODED_BODY.test(requestBody));
  // The cheap path: texts that cannot name a secret.
  if (!querySpells && !bodySpells) return { query, requestBody, responseBody };
  const taken: TakenOut = { pairs: new Map(), values: new Set() };
  const inQuery = querySpells ? secretPairs(query, taken.values) : undefined;
  for (const [pair, redacted] of inQuery ?? []) taken.pairs.set(pair, redacted);
  const body = bodySpells ? bodyWithoutSecrets(requestBody!, taken) : requestBody;
  if (taken.pairs.size === 0 && taken.values.size === 0) return { query, requestBody: body, responseBody };
  return {
    query: inQuery === undefined || inQuery.size === 0 ? query : replacedPairs(query, inQuery),
    requestBody: body,
    responseBody: responseBody === undefined ? undefined : answerWithoutSecrets(responseBody, taken),
  };
}

/**
 * A body without its secrets: JSON written again when it held any (a JSON string holding a body of its own, as a
 * $batch item's JSON body given as a string arrives, read as that body), else a form's pairs redacted; else as sent.
 * JSON nested deeper than the journal shows is read as text, as JSON that does not parse is: walking it took a
 * level of the stack each, and 2,000 levels (a body of 6 KB, refused as too deep) overflowed it.
 */
function bodyWithoutSecrets(text: string, taken: TakenOut): string {
  let parsed: unknown;
  try {
    if (jsonLimitPassed(text, MAX_SHOWN_DEPTH) === 'depth') return textWithoutSecrets(text, taken);
    parsed = JSON.parse(text);
  } catch {
    return textWithoutSecrets(text, taken);
  }
  if (typeof parsed === 'string') {
    const kept = maySpellSecret(parsed) ? bodyWithoutSecrets(parsed, taken) : parsed;
    return kept === parsed ? text : JSON.stringify(kept);
  }
  const redacted = redactedJson(parsed, taken);
  return redacted === undefined ? text : JSON.stringify(redacted);
}

/**
 * A body that is not JSON (a form, JSON cut, broken or too deep to walk) without its secrets: each field whose name
 * guards its value (a secret's, a credential header, a cookie, a url, a $batch item's body) kept as a parsed one
 * is, and a field named as a secret header REDACTED wherever it stands, its string written again as JSON, a string
 * cut at the text's end included; then the other secret values, then the secret pairs.
 */
function textWithoutSecrets(text: string, taken: TakenOut): string {
  const fields = otherValuesRedacted(
    // Each JSON field with a string value (jsonScan.ts: in one pass, a value cut at the text's end included).
    replaceStringFields(text, (field, head, name, value, closed) => {
      const sent = decodedJsonText(value) || value;
      const kept = keptTextField(decodedJsonText(name), sent, taken);
      return kept === undefined || kept === sent ? field : `${head}${closed === '' ? JSON.stringify(kept).slice(0, -1) : JSON.stringify(kept)}`;
    }),
    (name) => isGuardedName(decodedJsonText(name)),
    (leaf) => taken.values.add(leaf),
  );
  // A form's pairs; not those of JSON, whose `&` may stand anywhere in a string, between fields read above.
  if (/^\s*[[{]/.test(text)) return fields;
  const pairs = secretPairs(fields, taken.values);
  return pairs.size === 0 ? fields : replacedPairs(fields, pairs);
}
