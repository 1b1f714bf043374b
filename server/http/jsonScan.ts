// The request journal's reading of JSON text that may be cut or broken (journalSecrets.ts, journalBrokenJson.ts):
// its fields `"name": "value"` and `"name": <other value>`, and the strings and numbers in a value, found where the
// patterns /"((?:[^"\\]|\\.)*)"\s*:\s*…/gs found them, match for match, in time linear in the text. Those patterns
// took time quadratic in it: a string that never closes was scanned again to the text's end from each quote after
// its opening one, and one request of 128 KB held the emulator for seconds, one of 1 MB for minutes.
// A backslash takes the character after it, whatever it is (the `s` flag): without it `\\.` took no line
// terminator, a string holding a backslash before one (`"password": "ab\<LF>cd"`, broken JSON) ended there
// unclosed, and its secret was kept in the journal as sent.
// Why this is linear: a string opening at a quote is scanned (escapes as pairs) until a quote closes it, or to the
// text's end. Every quote inside that span is the second half of an escape, so a string opening there is scanned in
// step with the first and ends where it ends: the span's outcome is kept, and no character is scanned twice.

/** How far `\s*` reaches from `at` (JavaScript's whitespace, as the patterns read it). */
const SPACES = /\s*/y;
function afterSpaces(text: string, at: number): number {
  SPACES.lastIndex = at;
  SPACES.exec(text);
  return SPACES.lastIndex;
}

/** A span scanned: the quote a string opened at, where its scan stopped, and whether a quote closed it there. */
interface Span {
  from: number;
  stop: number;
  closed: boolean;
}

/**
 * The strings of one text: where each, opening at a quote, closes. The last two spans are kept: a field's name and
 * its value, so that the quotes inside a name whose field failed at its value reuse both.
 */
class JsonStrings {
  private spans: Span[] = [];

  constructor(readonly text: string) {}

  /** The index of the quote that closes the string opening at the quote `open`; -1 when it stops unclosed. */
  closeOf(open: number): number {
    const span = this.spanOf(open);
    return span.closed ? span.stop : -1;
  }

  private spanOf(open: number): Span {
    for (const span of this.spans) if (open >= span.from && open < span.stop) return span;
    const text = this.text;
    let i = open + 1;
    let closed = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        closed = true;
        break;
      }
      i += c === 0x5c ? 2 : 1;
    }
    const span = { from: open, stop: i, closed };
    this.spans = [this.spans.at(-1), span].filter((kept): kept is Span => kept !== undefined);
    return span;
  }
}

/** A field found: where its name's opening quote is, its name as sent, and where its value starts. */
interface FieldHead {
  index: number;
  name: string;
  /** The index of the value's first character (past the colon and the spaces around it). */
  value: number;
}

/**
 * The field whose name opens at the quote `open`: its name closed, then `\s*:\s*`; undefined when there is none.
 * The outcome for one closing quote is kept: the quotes inside a name share it.
 */
function fieldAt(strings: JsonStrings, open: number, last: { close: number; value: number }): FieldHead | undefined {
  const close = strings.closeOf(open);
  if (close === -1) return undefined;
  if (last.close !== close) {
    const colon = afterSpaces(strings.text, close + 1);
    last.close = close;
    last.value = strings.text.charCodeAt(colon) === 0x3a ? afterSpaces(strings.text, colon + 1) : -1;
  }
  return last.value === -1 ? undefined : { index: open, name: strings.text.slice(open + 1, close), value: last.value };
}

/**
 * `text` with each string-valued field `"name": "value"` given to `replace`, as
 * `text.replace(/("((?:[^"\\]|\\.)*)"\s*:\s*)"((?:[^"\\]|\\.)*)("|$)/g, replace)` gives it: the field, what comes
 * before the value, the name and the value as sent (unquoted), and the closing quote ('' for a value cut at the end).
 */
export function replaceStringFields(text: string, replace: (field: string, head: string, name: string, value: string, closed: string) => string): string {
  const strings = new JsonStrings(text);
  const last = { close: -1, value: -1 };
  let kept = '';
  let from = 0;
  for (let open = text.indexOf('"'); open !== -1; ) {
    let next = open + 1;
    const field = fieldAt(strings, open, last);
    if (field !== undefined && text.charCodeAt(field.value) === 0x22) {
      const close = strings.closeOf(field.value);
      // A value that never closes runs to the text's end (a body cut at the journal's limit).
      const end = close !== -1 ? close + 1 : text.length;
      const closed = close !== -1 ? '"' : '';
      const value = text.slice(field.value + 1, end - closed.length);
      kept += text.slice(from, open) + replace(text.slice(open, end), text.slice(open, field.value), field.name, value, closed);
      from = end;
      next = end;
    }
    open = next >= text.length ? -1 : text.indexOf('"', next);
  }
  return from === 0 ? text : kept + text.slice(from);
}

/** The first characters of a value that is no string: a number, true, false, null, an array or an object. */
const OTHER_VALUE_START = /[-\d[{tfn]/;

/**
 * Each field whose value is no string, `"name": ` before a number, true, false, null, an array or an object, as
 * `text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:\s*(?=[-\d[{tfn])/g)` finds them: where the field starts, its name as sent,
 * and where its value starts.
 */
export function otherFields(text: string): FieldHead[] {
  const strings = new JsonStrings(text);
  const last = { close: -1, value: -1 };
  const found: FieldHead[] = [];
  for (let open = text.indexOf('"'); open !== -1; ) {
    let next = open + 1;
    const field = fieldAt(strings, open, last);
    if (field !== undefined && field.value < text.length && OTHER_VALUE_START.test(text[field.value]!)) {
      found.push(field);
      // The match ends where the value starts; a match of its own length at least 2 (the quotes) moves on.
      next = field.value;
    }
    open = next >= text.length ? -1 : text.indexOf('"', next);
  }
  return found;
}

/** A number as the leaves read one, from its first character: `-?\d[\d.eE+-]*`. */
const NUMBER = /-?\d[\d.eE+-]*/y;

/**
 * The strings (as sent, unquoted) and numbers in a text, in order, as
 * `text.matchAll(/"((?:[^"\\]|\\.)*)"|-?\d[\d.eE+-]*\/g)` finds them: `string` set for a string, else the number.
 */
export function leaves(text: string): { string?: string; number?: string }[] {
  const strings = new JsonStrings(text);
  const found: { string?: string; number?: string }[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const close = strings.closeOf(i);
      if (close !== -1) {
        found.push({ string: text.slice(i + 1, close) });
        i = close + 1;
        continue;
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text);
      if (number !== null) {
        found.push({ number: number[0] });
        i = NUMBER.lastIndex;
        continue;
      }
    }
    i += 1;
  }
  return found;
}
