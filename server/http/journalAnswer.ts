// What the request journal takes out of an answer's body: every secret it took out of the request
// (journalSecrets.ts), wherever the answer repeats it. A 400 quotes the literal it could not convert, which may be
// a JSON object holding a password (`cannot convert the literal '{"password":"…"}'`), and a list's nextLink
// repeats the query as sent. In a JSON answer only its string values are looked at, as they read once parsed, so
// the answer stays JSON and its names stay as they were, however short the secret.
// A nextLink does not repeat the query byte for byte: what a URL cannot hold as it is (`[`, a space, a lone `%`) is
// percent-encoded (odata/paging.ts nextLink, asUrlText). So each secret is also looked for as that function spells
// it, and, whatever the spelling, every URL in the answer has the value of each secret-named query parameter
// replaced: a later change in how links are spelt cannot bring a secret back.
import { asUrlText } from '../urlText.js';
import { REDACTED, queryWithoutSecrets } from './secretNames.js';

export { REDACTED };

/** What the journal took out of a request, to be taken out of its answer too. */
export interface TakenOut {
  /** The secret `name=value` pairs of the query and of a $batch item's url as sent, each with what it became. */
  pairs: Map<string, string>;
  /** Each secret value as text: a string's characters, a number's digits, a credential's token, a cookie's value. */
  values: Set<string>;
}

/** How many times a secret is looked for escaped: a JSON text quoted in a message, inside a $batch answer's JSON. */
const ESCAPE_LEVELS = 3;

/** A text as it stands inside a JSON string. */
function escaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function regExpText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Where an absolute http(s) URL starts, in any case. */
const URL_START = /https?:\/\//gi;
/** A URL's path as far as a link can reach: up to a character no link the emulator writes holds as it is
 * (asUrlText encodes a space, `"`, `<`, `>`), a query or a fragment. */
const URL_PATH = /[^\s"<>?#]*/y;
/** A URL's query, up to such a character or a fragment. */
const URL_QUERY = /[^\s"<>#]*/y;

function runEnd(run: RegExp, text: string, at: number): number {
  run.lastIndex = at;
  run.exec(text);
  return run.lastIndex;
}

/**
 * `text` with the value of every secret-named parameter of every URL's query in it replaced, its name kept: what
 * `text.replace(/(https?:\/\/[^\s"<>?#]*\?)([^\s"<>#]*)/gi, …)` replaced, in one pass. That pattern scanned a path
 * again from each URL that starts inside it (`http://http://…`): time quadratic in the text, minutes for an answer
 * holding a name of 1 MB. A path's end is kept for the URLs that start inside it.
 */
export function urlsWithoutSecrets(text: string): string {
  if (!text.includes('?')) return text;
  let kept = '';
  let from = 0;
  let path = { start: -1, end: -1 };
  URL_START.lastIndex = 0;
  for (let url = URL_START.exec(text); url !== null; url = URL_START.exec(text)) {
    const start = url.index + url[0].length;
    if (start < path.start || start > path.end) path = { start, end: runEnd(URL_PATH, text, start) };
    if (text.charCodeAt(path.end) !== 0x3f) {
      URL_START.lastIndex = url.index + 1;
      continue;
    }
    const queryEnd = runEnd(URL_QUERY, text, path.end + 1);
    kept += `${text.slice(from, path.end + 1)}${queryWithoutSecrets(text.slice(path.end + 1, queryEnd))}`;
    from = queryEnd;
    URL_START.lastIndex = queryEnd;
  }
  return from === 0 ? text : kept + text.slice(from);
}

/** Every string value of a parsed JSON answer (never a name) replaced by `replace`; the rest as it was. */
function withStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((item) => withStrings(item, replace));
  if (typeof value !== 'object' || value === null) return value;
  // No prototype: a member named `__proto__` (JSON.parse makes it an own one) stays a member, not a prototype.
  const copy: Record<string, unknown> = Object.create(null);
  for (const [name, field] of Object.entries(value)) copy[name] = withStrings(field, replace);
  return copy;
}

/** The answer parsed as JSON, or undefined when it is not (a cut or empty body, text). */
function parsedJson(answer: string): { value: unknown } | undefined {
  if (!/^\s*[[{]/.test(answer)) return undefined;
  try {
    return { value: JSON.parse(answer) };
  } catch {
    return undefined;
  }
}

/**
 * The answer's body with every value and pair taken out of its request replaced. Callers pass it only when
 * something was taken out: an answer to a request without a secret is not searched. A JSON answer is parsed and
 * its string values searched as they read, the secret as sent and as it stands in a JSON text a value quotes
 * (escaped once, twice inside a $batch answer's), then written again: nothing inside an escape is ever touched,
 * and the work is one pass over each value whatever it holds (a run of backslashes included).
 */
export function answerWithoutSecrets(answer: string, taken: TakenOut): string {
  const forms = new Map<string, string>();
  const add = (text: string, replacement: string) => {
    if (text === '') return;
    let form = text;
    let becomes = replacement;
    for (let level = 0; level < ESCAPE_LEVELS; level += 1) {
      if (!forms.has(form)) forms.set(form, becomes);
      const next = escaped(form);
      if (next === form) break;
      form = next;
      becomes = escaped(becomes);
    }
  };
  for (const value of taken.values) {
    add(value, REDACTED);
    add(asUrlText(value), REDACTED);
  }
  // A pair after the values: its replacement keeps its name.
  for (const [pair, redacted] of taken.pairs) {
    add(pair, redacted);
    add(asUrlText(pair), asUrlText(redacted));
  }
  if (forms.size === 0) return answer;
  // The longest first, so a secret holding a shorter one is replaced whole; all in one pass, so a replacement is
  // never searched again.
  const alternatives = [...forms.keys()].sort((a, b) => b.length - a.length).map(regExpText);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  const replaced = (text: string) => urlsWithoutSecrets(text.replace(pattern, (form) => forms.get(form)!));
  const json = parsedJson(answer);
  return json === undefined ? replaced(answer) : JSON.stringify(withStrings(json.value, replaced));
}
