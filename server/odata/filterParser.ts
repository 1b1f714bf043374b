// $filter syntax: a tokenizer and a recursive-descent parser for the OData v4 subset Graph's entitlement
// management accepts, producing a small AST. Written here rather than taken from npm: the OData parsers
// published there (odata-v4-parser, @odata/parser, @balena/odata-parser) are CommonJS without types, and
// none reports errors in the wording of Graph's OData library (Microsoft.OData.Core), which clients see.
// Positions in messages are 0-based offsets into the expression, as in that library.
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_BuiltinFilterOperations
import { GraphError } from '../graphErrors.js';

export type LiteralType = 'string' | 'boolean' | 'null' | 'guid' | 'dateTimeOffset' | 'number';

export type FilterNode =
  | { kind: 'literal'; type: LiteralType; value: string | boolean | number | null; pos: number }
  | { kind: 'property'; name: string; pos: number }
  | { kind: 'call'; name: string; args: FilterNode[]; pos: number }
  | { kind: 'binary'; op: string; left: FilterNode; right: FilterNode; pos: number }
  | { kind: 'not'; operand: FilterNode; pos: number };

type TokenKind = 'ident' | 'string' | 'number' | 'guid' | 'dateTimeOffset' | 'open' | 'close' | 'comma' | 'slash' | 'colon' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

/** Logical, comparison and arithmetic operators of OData v4, by precedence level. Only some are supported. */
export const COMPARISON_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has', 'in'] as const;
const ARITHMETIC_OPERATORS = ['add', 'sub', 'mul', 'div', 'divby', 'mod'];

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/y;
const DATE_TIME_OFFSET = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?(?:Z|[+-]\d{2}:\d{2})(?![\w:.])/iy;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/y;
const IDENT = /[A-Za-z_][\w.]*/y;
// Tried in this order: a GUID or a date would otherwise start as a number.
const LEXEMES = [['guid', GUID], ['dateTimeOffset', DATE_TIME_OFFSET], ['number', NUMBER], ['ident', IDENT]] as const;
const PUNCTUATION: Record<string, TokenKind> = { '(': 'open', ')': 'close', ',': 'comma', '/': 'slash', ':': 'colon' };

function syntaxError(message: string): GraphError {
  return GraphError.of('badRequest', message);
}

function sticky(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
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
      let value = '';
      let at = pos + 1;
      for (;;) {
        if (at >= text.length) throw syntaxError(`There is an unterminated string literal at position ${pos} in '${text}'.`);
        if (text[at] === "'") {
          if (text[at + 1] === "'") {
            value += "'";
            at += 2;
            continue;
          }
          break;
        }
        value += text[at];
        at += 1;
      }
      tokens.push({ kind: 'string', text: value, pos });
      pos = at + 1;
      continue;
    }
    const found = LEXEMES.map(([kind, re]) => ({ kind, match: sticky(re, text, pos) })).find((l) => l.match !== undefined);
    if (!found) throw syntaxError(`Syntax error: character '${ch}' is not valid at position ${pos} in '${text}'.`);
    tokens.push({ kind: found.kind, text: found.match!, pos });
    pos += found.match!.length;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

/** Parse a $filter expression; syntax errors are 400 BadRequest naming the position. */
export function parseFilter(text: string): FilterNode {
  if (text.trim() === '') throw syntaxError(`The $filter expression is empty.`);
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token => tokens[at]!;
  const take = (): Token => tokens[at++]!;
  const isWord = (word: string): boolean => peek().kind === 'ident' && peek().text === word;

  const expect = (kind: TokenKind, shown: string): Token => {
    if (peek().kind !== kind) throw syntaxError(`'${shown}' expected at position ${peek().pos} in '${text}'.`);
    return take();
  };

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isWord('or')) {
      const pos = take().pos;
      left = { kind: 'binary', op: 'or', left, right: parseAnd(), pos };
    }
    return left;
  };

  const parseAnd = (): FilterNode => {
    let left = parseComparison();
    while (isWord('and')) {
      const pos = take().pos;
      left = { kind: 'binary', op: 'and', left, right: parseComparison(), pos };
    }
    return left;
  };

  const parseComparison = (): FilterNode => {
    let left = parseArithmetic();
    while (peek().kind === 'ident' && (COMPARISON_OPERATORS as readonly string[]).includes(peek().text)) {
      const op = take();
      const right = op.text === 'in' && peek().kind === 'open' ? parseList() : parseArithmetic();
      left = { kind: 'binary', op: op.text, left, right, pos: op.pos };
    }
    return left;
  };

  // The right side of `in`: parsed so that the operator can be refused by name rather than as a syntax error.
  const parseList = (): FilterNode => {
    const pos = take().pos;
    const args = parseArguments();
    return { kind: 'call', name: '', args, pos };
  };

  const parseArguments = (): FilterNode[] => {
    const args: FilterNode[] = [];
    if (peek().kind !== 'close') {
      args.push(parseOr());
      while (peek().kind === 'comma') {
        take();
        args.push(parseOr());
      }
    }
    if (peek().kind !== 'close') throw syntaxError(`')' or ',' expected at position ${peek().pos} in '${text}'.`);
    take();
    return args;
  };

  // Arithmetic is parsed (so that it can be refused with a clear message) but never evaluated.
  const parseArithmetic = (): FilterNode => {
    let left = parseUnary();
    while (peek().kind === 'ident' && ARITHMETIC_OPERATORS.includes(peek().text)) {
      const op = take();
      left = { kind: 'binary', op: op.text, left, right: parseUnary(), pos: op.pos };
    }
    return left;
  };

  // `not` binds tighter than comparisons, as in OData: `not isHidden eq true` is `(not isHidden) eq true`.
  const parseUnary = (): FilterNode => {
    if (isWord('not')) {
      const pos = take().pos;
      return { kind: 'not', operand: parseUnary(), pos };
    }
    return parsePrimary();
  };

  const parsePrimary = (): FilterNode => {
    const token = peek();
    switch (token.kind) {
      case 'open': {
        take();
        const inner = peek().kind === 'close' ? undefined : parseOr();
        if (inner === undefined) throw syntaxError(`Expression expected at position ${peek().pos} in '${text}'.`);
        if (peek().kind !== 'close') throw syntaxError(`')' or operator expected at position ${peek().pos} in '${text}'.`);
        take();
        return inner;
      }
      case 'string':
        take();
        return { kind: 'literal', type: 'string', value: token.text, pos: token.pos };
      case 'guid':
        take();
        return { kind: 'literal', type: 'guid', value: token.text.toLowerCase(), pos: token.pos };
      case 'dateTimeOffset':
        take();
        if (Number.isNaN(Date.parse(token.text))) throw syntaxError(`The DateTimeOffset literal '${token.text}' at position ${token.pos} is not a valid date and time in '${text}'.`);
        return { kind: 'literal', type: 'dateTimeOffset', value: token.text, pos: token.pos };
      case 'number':
        take();
        return { kind: 'literal', type: 'number', value: Number(token.text), pos: token.pos };
      case 'ident':
        return parseIdentifier();
      default:
        throw syntaxError(`Expression expected at position ${token.pos} in '${text}'.`);
    }
  };

  const parseIdentifier = (): FilterNode => {
    const token = take();
    if (token.text === 'true' || token.text === 'false') return { kind: 'literal', type: 'boolean', value: token.text === 'true', pos: token.pos };
    if (token.text === 'null') return { kind: 'literal', type: 'null', value: null, pos: token.pos };
    if (peek().kind === 'open') {
      take();
      return { kind: 'call', name: token.text, args: parseArguments(), pos: token.pos };
    }
    let name = token.text;
    // A path (catalog/id, tags/any(...)) is kept whole so the compiler can refuse it by name.
    while (peek().kind === 'slash') {
      take();
      name += `/${expect('ident', 'identifier').text}`;
      if (peek().kind === 'open') throw GraphError.of('invalidFilter', `OData query is invalid: Lambda and navigation expressions ('${name}') are not supported.`);
    }
    return { kind: 'property', name, pos: token.pos };
  };

  const tree = parseOr();
  if (peek().kind !== 'end') throw syntaxError(`Syntax error at position ${peek().pos} in '${text}'.`);
  return tree;
}
