// Where a JSON text a user named (a config, faults, fixtures or data file) stops being JSON, and why, in words that
// quote none of it. JSON.parse's own message quotes up to twenty characters around the fault ("root:x:0:0" of a
// fixtures file replaced by a link to /etc/passwd, an admin token beside a typo in a config file), and a fixtures
// file's refusal is the answer of POST /_emulator/reset, which any client that reaches the admin API reads.
// Read only once JSON.parse has refused the text: one pass, no recursion, however deep the text nests.

interface Problem {
  /** Offset, in UTF-16 units, of the character at fault (the text's length when it ends too soon). */
  at: number;
  what: string;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
const SIMPLE_ESCAPES = '"\\/bfnrt';

class Reader {
  i = 0;
  constructor(private readonly text: string) {}

  blanks(): void {
    const { text } = this;
    while (this.i < text.length && ' \t\n\r'.includes(text[this.i]!)) this.i++;
  }

  ended(): Problem {
    return { at: this.text.length, what: 'the text ends before its JSON value does' };
  }

  /** A string from its opening quote, at `i`. */
  string(): Problem | undefined {
    const { text } = this;
    const start = this.i++;
    while (this.i < text.length) {
      const code = text.charCodeAt(this.i);
      if (code === 0x22) {
        this.i++;
        return undefined;
      }
      if (code < 0x20) return { at: this.i, what: 'a string holds a control character, which JSON writes escaped (\\n, \\t, \\u0000)' };
      if (code !== 0x5c) this.i++;
      else if (SIMPLE_ESCAPES.includes(text[this.i + 1] ?? '')) this.i += 2;
      else if (text[this.i + 1] === 'u' && matchesAt(HEX4, text, this.i + 2) === this.i + 6) this.i += 6;
      else return { at: this.i, what: 'a string holds a backslash escape JSON does not have' };
    }
    return { at: start, what: 'a string is not closed' };
  }

  /** An object's member name and its colon, the blanks before them skipped. */
  name(): Problem | undefined {
    this.blanks();
    if (this.i >= this.text.length) return this.ended();
    if (this.text[this.i] !== '"') return { at: this.i, what: 'a property name in double quotes was expected' };
    const problem = this.string();
    if (problem !== undefined) return problem;
    this.blanks();
    if (this.i >= this.text.length) return this.ended();
    if (this.text[this.i] !== ':') return { at: this.i, what: "':' was expected after a property name" };
    this.i++;
    return undefined;
  }
}

function matchesAt(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : -1;
}

/** The first fault of a text that is not JSON (RFC 8259), or undefined when it is JSON. */
function firstProblem(text: string): Problem | undefined {
  const reader = new Reader(text);
  const open: string[] = [];
  let valueNext = true;
  for (;;) {
    reader.blanks();
    const at = reader.i;
    const char = text[at];
    if (valueNext) {
      if (char === undefined) return reader.ended();
      valueNext = false;
      if (char === '{' || char === '[') {
        reader.i++;
        reader.blanks();
        if (text[reader.i] === (char === '{' ? '}' : ']')) reader.i++;
        else if (char === '[') {
          open.push(char);
          valueNext = true;
        } else {
          open.push(char);
          const problem = reader.name();
          if (problem !== undefined) return problem;
          valueNext = true;
        }
      } else if (char === '"') {
        const problem = reader.string();
        if (problem !== undefined) return problem;
      } else {
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, at));
        const end = literal === undefined ? matchesAt(NUMBER, text, at) : at + literal.length;
        if (end === -1) return { at, what: 'a JSON value was expected' };
        reader.i = end;
      }
      continue;
    }
    const inside = open.at(-1);
    if (inside === undefined) return char === undefined ? undefined : { at, what: 'more text follows the JSON value' };
    if (char === undefined) return reader.ended();
    const close = inside === '{' ? '}' : ']';
    reader.i++;
    if (char === close) open.pop();
    else if (char !== ',') return { at, what: `',' or '${close}' was expected` };
    else if (inside === '[') valueNext = true;
    else {
      const problem = reader.name();
      if (problem !== undefined) return problem;
      valueNext = true;
    }
  }
}

/**
 * Why JSON.parse refused a text, and where (line and column from 1, as an editor shows them), quoting none of it:
 * "a JSON value was expected at line 1, column 1".
 */
export function jsonSyntaxProblem(text: string): string {
  const problem = firstProblem(text);
  if (problem === undefined) return 'JSON.parse refused it';
  let line = 1;
  let lineStart = 0;
  for (let next = text.indexOf('\n'); next !== -1 && next < problem.at; next = text.indexOf('\n', next + 1)) {
    line++;
    lineStart = next + 1;
  }
  return `${problem.what} at line ${line}, column ${problem.at - lineStart + 1}`;
}
