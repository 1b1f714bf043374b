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
import { COOKIE_HEADER, cookieNames, credentialScheme, isCredentialHeader } from './credentialHeaders.js';
import { isSecretName, isSecretPair } from './secretNames.js';

export { REDACTED };
export { cookieNames, credentialScheme, isCredentialHeader, keptRequestHeaders } from './credentialHeaders.js';

/** What a text must contain, in some case, to name a secret or a credential header as it is. */
const SECRET_HINT = /token|secret|assertion|password|authorization|cookie/i;
/**
 * A JSON field with a string value: what comes before the value (group 1), the name as sent, unquoted (group 2), and
 * the value as sent, unquoted (group 3).
 */
const STRING_FIELD = /("((?:[^"\\]|\\.)*)"\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/**
 * Whether a text may hold a secret: it names one, or it may spell a name escaped (JSON's `client_\u0073ecret`) or
 * percent-encoded (a query's or a form's `client_%73ecret`), which only parsing it tells.
 */
function maySpellSecret(text: string): boolean {
  return text.includes('%') || text.includes('\\') || SECRET_HINT.test(text);
}

/**
 * The `name=value` pairs of a query or form text whose name is a secret's, each with its value redacted; each
 * value, as sent and decoded, added to `values` (an answer may quote either).
 */
function secretPairs(text: string, values: Set<string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (!isSecretPair(pair)) continue;
    const equals = pair.indexOf('=');
    found.set(pair, `${pair.slice(0, equals + 1)}${REDACTED}`);
    const value = pair.slice(equals + 1);
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
 * answer repeats them in its nextLink); the url itself when its query holds none.
 */
function urlWithoutSecrets(url: string, taken: TakenOut): string {
  const at = url.indexOf('?');
  if (at === -1 || !maySpellSecret(url)) return url;
  const pairs = secretPairs(url.slice(at + 1), taken.values);
  if (pairs.size === 0) return url;
  for (const [pair, redacted] of pairs) taken.pairs.set(pair, redacted);
  return `${url.slice(0, at + 1)}${replacedPairs(url.slice(at + 1), pairs)}`;
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
 * A JSON value with every secret field redacted, every credential header cut and the secret pairs of every `url`'s
 * query redacted (what was taken out added to `taken`), or undefined when it holds none.
 */
function redactedJson(value: unknown, taken: TakenOut): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => redactedJson(item, taken));
    return items.some((item) => item !== undefined) ? items.map((item, i) => item ?? value[i]) : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const name = key.trim().toLowerCase();
    let kept = field;
    if (isSecretName(name)) {
      kept = REDACTED;
      addLeaves(field, taken.values);
    } else if (isCredentialHeader(name) || COOKIE_HEADER.test(name)) kept = keptHeaderField(name === 'cookie', field, taken.values);
    else if (typeof field === 'string' && name === 'url') kept = urlWithoutSecrets(field, taken);
    // A $batch item's body given as text (a form, JSON as a string): read as a body of its own.
    else if (typeof field === 'string' && name === 'body' && maySpellSecret(field)) kept = bodyWithoutSecrets(field, taken);
    else kept = redactedJson(field, taken) ?? field;
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
 * The query, the request body and the answer's body as the journal keeps them. The answer's body loses every
 * secret taken out of the query and the body, wherever it repeats one (journalAnswer.ts).
 */
export function withoutSecrets(query: string, requestBody: string | undefined, responseBody: string | undefined): KeptTexts {
  const querySpells = query !== '' && maySpellSecret(query);
  const bodySpells = requestBody !== undefined && maySpellSecret(requestBody);
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

/** A body without its secrets: JSON written again when it held any, else a form's pairs redacted; else as sent. */
function bodyWithoutSecrets(text: string, taken: TakenOut): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a form, or JSON cut or broken): its secret fields written as JSON (names escaped or not), then its
    // secret pairs.
    const fields = otherValuesRedacted(
      text.replace(STRING_FIELD, (field, head: string, name: string, value: string) => {
        if (!isSecretName(decodedJsonText(name))) return field;
        taken.values.add(decodedJsonText(value) || value);
        return `${head}"${REDACTED}"`;
      }),
      (name) => isSecretName(decodedJsonText(name)),
      (leaf) => taken.values.add(leaf),
    );
    const pairs = secretPairs(fields, taken.values);
    return pairs.size === 0 ? fields : replacedPairs(fields, pairs);
  }
  const redacted = redactedJson(parsed, taken);
  return redacted === undefined ? text : JSON.stringify(redacted);
}
