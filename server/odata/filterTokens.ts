// $filter tokens: literals (strings with '' escapes, GUIDs, DateTimeOffsets, numbers, enum members written
// `namespace.type'member'`), identifiers and punctuation, each with its 0-based position for error messages.
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_LiteralDataValues
import { GraphError } from '../graphErrors.js';
import { isCalendarDay, isGraphDateTime } from '../graphTime.js';
import { GUID_PATTERN } from '../guid.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'guid' | 'date' | 'dateTimeOffset' | 'enum' | 'open' | 'close' | 'comma' | 'slash' | 'colon' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const GUID = new RegExp(`${GUID_PATTERN}(?![\\w-])`, 'iy');
// Dates and times are read as Graph's OData library reads them (ExpressionLexer.ParseFromDigit): the literal runs from
// its first digit to the next space, comma or closing parenthesis, and is an Edm.Date if it is a day of the calendar
// (PlatformHelper.DateValidator: the month and day may have one digit), else an Edm.DateTimeOffset if it is one as
// .NET reads it (XmlConvert: a capital `T`, seconds optional, any number of fractional digits, `Z` or an offset).
// Text that starts like a date and a time (its PotentialDateTimeOffsetValidator) and is no DateTimeOffset is refused
// in the library's words: a missing offset, a `+` sent unencoded (which the query string reads as a space), a day the
// calendar lacks.
const LITERAL = /[^ ,)]*/y;
const DATE = /^(\d{4})-(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])$/;
const POTENTIAL_DATE_TIME = /\d{2,4}-\d{1,2}-\d{1,2}T\d{1,2}:\d{1,2}/y;
// A type suffix (L, M, D, F) as the OData library reads one: filterNumbers.ts.
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[LlMmDdFf]?(?![\w.])/y;
const IDENT = /[A-Za-z_][\w.]*/y;
// Tried in this order, after dates and times: a GUID would otherwise start as a number.
const LEXEMES = [
  ['guid', GUID],
  ['number', NUMBER],
  ['ident', IDENT],
] as const;
const PUNCTUATION: Record<string, TokenKind> = { '(': 'open', ')': 'close', ',': 'comma', '/': 'slash', ':': 'colon' };

export function syntaxError(message: string): GraphError {
  return GraphError.of('badRequest', message);
}

function sticky(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
}

/**
 * The quoted value that starts at `pos` ('' escapes a quote) and the position after its closing quote.
 * Unclosed, it is the OData library's error at the end of the text, where its lexer stopped looking: "string
 * literal" for a plain string, "literal" for one after a type name (`ns.type'member`).
 */
function quoted(text: string, pos: number, what = 'string literal'): { value: string; end: number } {
  let value = '';
  let at = pos + 1;
  for (;;) {
    if (at >= text.length) throw syntaxError(`There is an unterminated ${what} at position ${text.length} in '${text}'.`);
    if (text[at] === "'") {
      if (text[at + 1] !== "'") return { value, end: at + 1 };
      value += "'";
      at += 2;
      continue;
    }
    value += text[at];
    at += 1;
  }
}

/** A day the calendar has, written `yyyy-m-d` (one or two digits), as `yyyy-mm-dd`. */
export function calendarDate(literal: string): string | undefined {
  const parts = DATE.exec(literal);
  if (!parts) return undefined;
  const [year, month, day] = parts.slice(1).map(Number) as [number, number, number];
  if (!isCalendarDay(year, month, day)) return undefined;
  return `${parts[1]}-${parts[2]!.padStart(2, '0')}-${parts[3]!.padStart(2, '0')}`;
}

/** The Edm.Date or Edm.DateTimeOffset literal at `pos`, if one starts there (see LITERAL above). */
function temporal(text: string, pos: number): Token | undefined {
  const literal = sticky(LITERAL, text, pos) ?? '';
  const date = calendarDate(literal);
  if (date !== undefined) return { kind: 'date', text: literal, pos };
  if (sticky(POTENTIAL_DATE_TIME, text, pos) === undefined) return undefined;
  if (isGraphDateTime(literal)) return { kind: 'dateTimeOffset', text: literal, pos };
  throw syntaxError(
    `The DateTimeOffset text '${literal}' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.`,
  );
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const ch = text[pos]!;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      pos += 1;
      continue;
    }
    if (PUNCTUATION[ch]) {
      tokens.push({ kind: PUNCTUATION[ch]!, text: ch, pos });
      pos += 1;
      continue;
    }
    if (ch === "'") {
      const { value, end } = quoted(text, pos);
      tokens.push({ kind: 'string', text: value, pos });
      pos = end;
      continue;
    }
    const time = ch >= '0' && ch <= '9' ? temporal(text, pos) : undefined;
    if (time) {
      tokens.push(time);
      pos += time.text.length;
      continue;
    }
    const found = LEXEMES.map(([kind, re]) => ({ kind, match: sticky(re, text, pos) })).find((l) => l.match !== undefined);
    if (!found) throw syntaxError(`Syntax error: character '${ch}' is not valid at position ${pos} in '${text}'.`);
    const after = pos + found.match!.length;
    // A qualified name followed at once by a quoted value is an enum literal, kept whole as the OData library
    // keeps it (its text is what a refusal quotes): microsoft.graph.accessPackageCatalogType'userManaged'.
    // https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_LiteralDataValues
    if (found.kind === 'ident' && found.match!.includes('.') && text[after] === "'") {
      const { end } = quoted(text, after, 'literal');
      tokens.push({ kind: 'enum', text: text.slice(pos, end), pos });
      pos = end;
      continue;
    }
    tokens.push({ kind: found.kind, text: found.match!, pos });
    pos = after;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}
