// What the request journal takes out of an answer's body: every secret it took out of the request
// (journalSecrets.ts), wherever the answer repeats it. A 400 quotes the literal it could not convert, which may be
// a JSON object holding a password (`cannot convert the literal '{"password":"…"}'`), and a list's nextLink
// repeats the query as sent. In a JSON answer only its string values are looked at, a secret as it stands there
// (JSON-escaped, and escaped again inside an escaped JSON text a message quotes) and never from inside an escape, so
// the answer stays JSON and its names stay as they were, however short the secret.

/** What a secret's value becomes. */
export const REDACTED = 'REDACTED';

/** What the journal took out of a request, to be taken out of its answer too. */
export interface TakenOut {
  /** The secret `name=value` pairs of the query and of a $batch item's url as sent, each with what it became. */
  pairs: Map<string, string>;
  /** Each secret value as text: a string's characters, a number's digits, a credential's token, a cookie's value. */
  values: Set<string>;
}

/** A JSON string with its quotes, and the colon that follows a name (group 1). */
const STRING = /"(?:[^"\\]|\\.)*"(\s*:)?/g;
/** Only where an escape does not begin: after an even number of backslashes. */
const NOT_IN_ESCAPE = '(?<=(?:^|[^\\\\])(?:\\\\\\\\)*)';

/** How many times a secret is looked for escaped: a JSON text quoted in a message, inside a $batch answer's JSON. */
const ESCAPE_LEVELS = 3;

/** A text as it stands inside a JSON string. */
function escaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function regExpText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The answer's body with every value and pair taken out of its request replaced. Callers pass it only when
 * something was taken out: an answer to a request without a secret is not searched.
 */
export function answerWithoutSecrets(answer: string, taken: TakenOut): string {
  const json = /^\s*[[{]/.test(answer);
  const forms = new Map<string, string>();
  const add = (text: string, replacement: string) => {
    if (text === '') return;
    // Text that is not JSON may hold it as sent.
    if (!json) forms.set(text, replacement);
    // Escaped once in a string; again for each JSON text quoted in one, while that changes it.
    let form = text;
    let becomes = replacement;
    for (let level = 0; level < ESCAPE_LEVELS; level += 1) {
      const next = escaped(form);
      if (level > 0 && next === form) break;
      form = next;
      becomes = escaped(becomes);
      forms.set(form, becomes);
    }
  };
  for (const value of taken.values) add(value, REDACTED);
  // A pair after the values: its replacement keeps its name.
  for (const [pair, redacted] of taken.pairs) add(pair, redacted);
  if (forms.size === 0) return answer;
  // The longest first, so a secret holding a shorter one is replaced whole; all in one pass, so a replacement is
  // never searched again.
  const alternatives = [...forms.keys()].sort((a, b) => b.length - a.length).map(regExpText);
  const pattern = new RegExp(`${json ? NOT_IN_ESCAPE : ''}(?:${alternatives.join('|')})`, 'g');
  const replaced = (text: string) => text.replace(pattern, (form) => forms.get(form)!);
  return json ? answer.replace(STRING, (string, colon?: string) => (colon === undefined ? replaced(string) : string)) : replaced(answer);
}
