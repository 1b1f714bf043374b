// $filter AST -> one predicate closure, built once per request, type-checked while it is built. The
// closure reads stored records directly (no copies, no per-record tree walk), so a scan over 100,000
// records costs one closure call per record. Semantic errors are 400 InvalidFilter with Graph's
// "OData query is invalid: ..." prefix and the messages of Graph's OData library.
// tolower()/toupper() of a property read the store's case columns when bound to a collection (caseColumns.ts).
import { canonicalDateTime, toGraphDateTime } from '../graphTime.js';
import { type EntityModel, propertyNamed } from './entityModel.js';
import { enumLiteral } from './filterEnums.js';
import type { FilterNode } from './filterParser.js';
import { CASE_FUNCTIONS, type CaseColumns, asciiLiteral, convertCase } from './caseColumns.js';
import { compileComparison } from './filterComparisons.js';
import { type Compiled, type EdmType, type Getter, type Row, byPosition, holding, invalid, refuseUnqueryable } from './filterOperands.js';

/**
 * A compiled $filter bound to a collection: by record and position, with `mayMatch` when a block of
 * positions can be ruled out at once (false: no record of the block matches; true: test them one by one).
 */
export type BoundPredicate = ((record: Row, at: number) => boolean) & { mayMatch?: (block: number) => boolean };

/** A compiled $filter: on a record alone, or bound to a collection's case columns and read by position. */
export type Predicate = ((record: Row) => boolean) & {
  over?: (columns: CaseColumns) => BoundPredicate;
};

const KIND: Record<string, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  and: 'And',
  or: 'Or',
};
const STRING_FUNCTIONS = ['contains', 'startswith', 'endswith'];

export function compileFilter(tree: FilterNode, model: EntityModel): Predicate {
  const get = compileRoot(tree, model, undefined).get;
  const predicate: Predicate = (record) => get(record, -1) === true;
  predicate.over = (columns) => {
    const compiled = compileRoot(tree, model, columns);
    const get = compiled.get;
    const bound: BoundPredicate = (record, at) => get(record, at) === true;
    bound.mayMatch = compiled.mayMatch;
    return bound;
  };
  return predicate;
}

function compileRoot(tree: FilterNode, model: EntityModel, columns: CaseColumns | undefined): Compiled {
  const compiled = compileNode(tree, model, columns);
  if (compiled.type !== 'Edm.Boolean') throw invalid('The $filter expression must evaluate to a single boolean value.');
  return compiled;
}

function compileNode(node: FilterNode, model: EntityModel, columns: CaseColumns | undefined): Compiled {
  switch (node.kind) {
    case 'literal': {
      if (node.type === 'enum') {
        const { enumType, value } = enumLiteral(node.value as string, model);
        return { type: enumType.name as EdmType, get: () => value, literal: node.value, enumType };
      }
      if (node.number) {
        const { type, value, written } = node.number;
        return { type, get: () => value, literal: value, written, integral: type === 'Edm.Int32' || type === 'Edm.Int64' };
      }
      const type: EdmType = (
        { string: 'Edm.String', boolean: 'Edm.Boolean', null: 'null', guid: 'Edm.Guid', date: 'Edm.Date', dateTimeOffset: 'Edm.DateTimeOffset' } as const
      )[node.type as 'string'];
      const value = node.type === 'dateTimeOffset' ? toGraphDateTime(node.value as string) : node.value;
      return { type, get: () => value, literal: node.value };
    }
    case 'property': {
      if (node.name.includes('/')) throw invalid(`Navigation paths ('${node.name}') are not supported in $filter.`);
      const info = propertyNamed(model, node.name, 'invalidFilter');
      const name = info.name;
      const type = info.edmType as EdmType;
      const get: Getter = type === 'Edm.DateTimeOffset' ? (r) => canonicalDateTime(r[name]) : (r) => r[name] ?? null;
      return { type, get, property: info.queryable ? name : `!${name}`, enumType: info.enumType };
    }
    case 'not': {
      const operand = compileNode(node.operand, model, columns);
      if (operand.type !== 'Edm.Boolean')
        throw invalid(`A unary operator with an incompatible type was detected. Found operand type '${operand.type}' for operator kind 'Not'.`);
      const get = operand.get;
      return { type: 'Edm.Boolean', get: (r, at) => get(r, at) !== true };
    }
    case 'call':
      return compileCall(node, model, columns);
    case 'binary':
      return compileBinary(node, model, columns);
  }
}

function compileBinary(node: Extract<FilterNode, { kind: 'binary' }>, model: EntityModel, columns: CaseColumns | undefined): Compiled {
  const kind = KIND[node.op];
  if (kind === undefined) throw invalid(`The operator '${node.op}' is not supported; use eq, ne, gt, ge, lt, le, and, or, not.`);
  const left = compileNode(node.left, model, columns);
  const right = compileNode(node.right, model, columns);
  // tolower(p) against an ASCII literal: equal and ordered alike in the ASCII column (where a character
  // beyond ASCII, \xff, still sorts after every character of the literal).
  const l = left.ascii && asciiLiteral(right.literal) ? byPosition(left.ascii()) : left.get;
  const r = right.ascii && asciiLiteral(left.literal) ? byPosition(right.ascii()) : right.get;
  if (node.op === 'and' || node.op === 'or') {
    if (left.type !== 'Edm.Boolean' || right.type !== 'Edm.Boolean') {
      throw invalid(
        `A binary operator with incompatible types was detected. Found operand types '${left.type}' and '${right.type}' for operator kind '${kind}'.`,
      );
    }
    const [lm, rm] = [left.mayMatch, right.mayMatch];
    // and: a block either side rules out is out; or: only one both sides rule out.
    const mayMatch = node.op === 'and' ? (lm && rm ? (b: number) => lm(b) && rm(b) : (lm ?? rm)) : lm && rm ? (b: number) => lm(b) || rm(b) : undefined;
    return {
      type: 'Edm.Boolean',
      get: node.op === 'and' ? (x, at) => l(x, at) === true && r(x, at) === true : (x, at) => l(x, at) === true || r(x, at) === true,
      mayMatch,
    };
  }
  return compileComparison(node.op, kind, left, right, l, r);
}

function compileCall(node: Extract<FilterNode, { kind: 'call' }>, model: EntityModel, columns: CaseColumns | undefined): Compiled {
  const name = node.name.toLowerCase();
  const binary = STRING_FUNCTIONS.includes(name);
  const unary = CASE_FUNCTIONS.find((f) => f === name);
  if (!binary && !unary) {
    if (node.name === '') throw invalid(`The operator 'in' is not supported; use eq, ne, gt, ge, lt, le, and, or, not.`);
    throw invalid(`The function '${node.name}' is not supported; use contains, startswith, endswith, tolower, toupper.`);
  }
  const args = node.args.map((a) => compileNode(a, model, columns));
  const signature = binary ? `${name}(Edm.String Nullable=true, Edm.String Nullable=true)` : `${name}(Edm.String Nullable=true)`;
  if (args.length !== (binary ? 2 : 1) || args.some((a) => a.type !== 'Edm.String' && a.type !== 'null')) {
    throw invalid(
      `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${signature}.`,
    );
  }
  for (const arg of args) refuseUnqueryable(arg, `Filter on property '${arg.property?.slice(1)}' is not supported.`);
  if (unary) {
    const property = args[0]!.property;
    if (columns && property !== undefined) {
      // The exact column only if something reads the converted value itself: an ASCII literal needs only the other.
      let exact: readonly unknown[] | undefined;
      const exactColumn = (): readonly unknown[] => {
        exact ??= columns(unary, property, 'exact');
        return exact;
      };
      const text = columns.text;
      return {
        type: 'Edm.String',
        get: (_x, at) => exactColumn()[at] ?? null,
        ascii: () => columns(unary, property, 'ascii'),
        asciiText: text && ((block) => text(unary, property, 'ascii', block)),
      };
    }
    const get = args[0]!.get;
    return { type: 'Edm.String', get: (x, at) => convertCase(unary, get(x, at)) };
  }
  const literal = args[1]!.literal;
  const inColumn = args[0]!.ascii !== undefined && asciiLiteral(literal);
  const a = inColumn ? byPosition(args[0]!.ascii!()) : args[0]!.get;
  const blockText = inColumn ? args[0]!.asciiText : undefined;
  const b = args[1]!.get;
  // One closure per function rather than one calling through a table: the scan's inner call stays direct.
  const text = (x: Row, at: number): string | undefined => {
    const s = a(x, at);
    return typeof s === 'string' ? s : undefined;
  };
  if (typeof literal === 'string') {
    switch (name) {
      case 'contains':
        return { type: 'Edm.Boolean', get: (x, at) => text(x, at)?.includes(literal) === true, mayMatch: holding(blockText, literal) };
      case 'startswith':
        return { type: 'Edm.Boolean', get: (x, at) => text(x, at)?.startsWith(literal) === true, mayMatch: holding(blockText, `\0${literal}`) };
      default:
        return { type: 'Edm.Boolean', get: (x, at) => text(x, at)?.endsWith(literal) === true, mayMatch: holding(blockText, `${literal}\0`) };
    }
  }
  const test = {
    contains: (s: string, t: string) => s.includes(t),
    startswith: (s: string, t: string) => s.startsWith(t),
    endswith: (s: string, t: string) => s.endsWith(t),
  }[name as 'contains'];
  return {
    type: 'Edm.Boolean',
    get: (x, at) => {
      const s = a(x, at);
      const t = b(x, at);
      return typeof s === 'string' && typeof t === 'string' && test(s, t);
    },
  };
}
