// $filter syntax: a recursive-descent parser for the OData v4 subset Graph's entitlement management
// accepts, producing a small AST. Written here rather than taken from npm: odata-v4-parser and @odata/parser
// are CommonJS parsers of the whole grammar whose token trees would still need the type checking done in
// filterCompile.ts, @balena/odata-parser is generated from OMeta for balena's own stack, and none reports
// errors in the wording of Graph's OData library (Microsoft.OData.Core), which is what clients see.
// Positions in messages are 0-based offsets into the expression, as in that library.
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_BuiltinFilterOperations
import { GraphError } from '../graphErrors.js';
import { type Token, type TokenKind, calendarDate, syntaxError, tokenize } from './filterTokens.js';
import { type NumberLiteral, numberLiteral } from './filterNumbers.js';

/** `enum`: a qualified enum literal, its value the text as written (`microsoft.graph.accessPackageCatalogState'published'`). */
type LiteralType = 'string' | 'boolean' | 'null' | 'guid' | 'date' | 'dateTimeOffset' | 'number' | 'enum';

export type FilterNode =
  /** A number's Edm type and its text as written (filterNumbers.ts); an Int32 or Int64 may name an enum member by its value. */
  | { kind: 'literal'; type: LiteralType; value: string | boolean | number | null; pos: number; number?: NumberLiteral }
  | { kind: 'property'; name: string; pos: number }
  | { kind: 'call'; name: string; args: FilterNode[]; pos: number }
  | { kind: 'binary'; op: string; left: FilterNode; right: FilterNode; pos: number }
  | { kind: 'not'; operand: FilterNode; pos: number };

// Comparison and arithmetic operators of OData v4. Only eq..le are evaluated; the others are parsed so that
// the compiler can refuse them by name instead of reporting a syntax error.
const COMPARISON_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has', 'in'];
const ARITHMETIC_OPERATORS = ['add', 'sub', 'mul', 'div', 'divby', 'mod'];
/** Nesting (parentheses, not, function calls) allowed before a 400, so no input can exhaust the stack. */
export const MAX_FILTER_DEPTH = 100;
/**
 * Conditions one filter may combine with `and` and `or`: a chain of them is no deeper in parentheses, but each is
 * one more test of every record read (a $batch item's url may be 16 KiB of them), and the compiler walks the chain
 * recursively. Chosen: Graph documents no limit; ASP.NET OData's MaxNodeCount, 100 nodes by default, allows fewer.
 */
export const MAX_FILTER_CONDITIONS = 100;

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

  // Each `and` or `or` adds one condition to the one the filter starts with, so the message's count is the conditions'.
  let conditions = 1;
  const combined = (pos: number): number => {
    if (++conditions > MAX_FILTER_CONDITIONS) {
      throw syntaxError(`The $filter expression combines more than ${MAX_FILTER_CONDITIONS} conditions with 'and' and 'or' (the last at position ${pos}).`);
    }
    return pos;
  };

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isWord('or')) {
      const pos = combined(take().pos);
      left = { kind: 'binary', op: 'or', left, right: parseAnd(), pos };
    }
    return left;
  };

  const parseAnd = (): FilterNode => {
    let left = parseComparison();
    while (isWord('and')) {
      const pos = combined(take().pos);
      left = { kind: 'binary', op: 'and', left, right: parseComparison(), pos };
    }
    return left;
  };

  const parseComparison = (): FilterNode => {
    let left = parseArithmetic();
    while (peek().kind === 'ident' && COMPARISON_OPERATORS.includes(peek().text)) {
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
  let depth = 0;
  const parseUnary = (): FilterNode => {
    if (++depth > MAX_FILTER_DEPTH) throw syntaxError(`Recursion depth exceeded allowed limit of ${MAX_FILTER_DEPTH} at position ${peek().pos} in '${text}'.`);
    try {
      if (isWord('not')) {
        const pos = take().pos;
        return { kind: 'not', operand: parseUnary(), pos };
      }
      return parsePrimary();
    } finally {
      depth -= 1;
    }
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
      case 'date':
        take();
        return { kind: 'literal', type: 'date', value: calendarDate(token.text)!, pos: token.pos };
      case 'dateTimeOffset':
        take();
        return { kind: 'literal', type: 'dateTimeOffset', value: token.text, pos: token.pos };
      case 'number': {
        take();
        const number = numberLiteral(token.text, token.pos, text);
        return { kind: 'literal', type: 'number', value: number.value, pos: token.pos, number };
      }
      case 'enum':
        take();
        return { kind: 'literal', type: 'enum', value: token.text, pos: token.pos };
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
      if (peek().kind === 'open')
        throw GraphError.of('invalidFilter', `OData query is invalid: Lambda and navigation expressions ('${name}') are not supported.`);
    }
    return { kind: 'property', name, pos: token.pos };
  };

  const tree = parseOr();
  if (peek().kind !== 'end') throw syntaxError(`Syntax error at position ${peek().pos} in '${text}'.`);
  return tree;
}
