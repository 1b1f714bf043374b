// Enum-typed properties in $filter (v1.0's catalog `state` and `catalogType`), bound as Graph's OData library
// (Microsoft.OData.Core 7) binds them, so that a filter Graph refuses is refused here too:
// - eq and ne take a string literal that names a member exactly (`state eq 'published'`; 'Published' and 'bogus'
//   are 400 "The string 'bogus' is not a valid enumeration type constant."), or an Int32 or Int64 literal
//   (filterNumbers.ts), or a string of one, that is a member's value (`state eq 2`, as the library reads them since 7.21.4); a string property is
//   compared by the member it names; null as with any type;
// - every comparison takes a literal of the same enum type, `microsoft.graph.accessPackageCatalogState'published'`
//   (the alias `graph.` too; its type name matched without regard to case, as property names are, its member name
//   too, or a number for the value, as the library's enum parser reads it); gt, ge, lt, le only that way, ordered
//   by the members' values, as the OData ASP.NET layer compares enums;
// - everything else is the library's "incompatible types" 400, naming the enum type; the string functions refuse
//   an enum as any other non-string argument (filterCompile.ts).
// https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-1.0 (the enum members)
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_LiteralDataValues
import { GraphError } from '../graphErrors.js';
import type { EntityModel, EnumType } from './entityModel.js';

type Row = Readonly<Record<string, unknown>>;
type Getter = (record: Row, at: number) => unknown;

/** What the comparison needs of a compiled operand (filterOperands.ts). `literal` is present on literals only. */
interface EnumOperand {
  type: string;
  get: Getter;
  literal?: unknown;
  /** An Int32 or Int64 literal, with its digits as written. */
  integral?: boolean;
  written?: string;
  enumType?: EnumType;
}

function notAConstant(text: string): GraphError {
  return GraphError.of('invalidFilter', `OData query is invalid: The string '${text}' is not a valid enumeration type constant.`);
}

const INTEGRAL = /^\s*[+-]?\d+\s*$/;

/** A literal compared with an enum: the member it names exactly, else the member whose value it writes, else a 400. */
function memberValue(enumType: EnumType, text: string): number {
  const named = enumType.members.get(text);
  if (named !== undefined) return named;
  if (INTEGRAL.test(text)) {
    const wanted = Number(text);
    for (const value of enumType.members.values()) if (value === wanted) return value;
  }
  throw notAConstant(text);
}

/** A qualified enum literal as its type and value; a 400 quoting it whole when its type or member is unknown. */
export function enumLiteral(text: string, model: EntityModel): { enumType: EnumType; value: number } {
  const quote = text.indexOf("'");
  const enumType = model.enumTypes?.get(
    text
      .slice(0, quote)
      .toLowerCase()
      .replace(/^graph\./, 'microsoft.graph.'),
  );
  const member = text
    .slice(quote + 1, -1)
    .replace(/''/g, "'")
    .trim();
  if (enumType) {
    // The library's enum parser takes any integral value here, a member's or not.
    if (INTEGRAL.test(member)) return { enumType, value: Number(member) };
    const lower = member.toLowerCase();
    for (const [name, value] of enumType.members) if (name.toLowerCase() === lower) return { enumType, value };
  }
  throw notAConstant(text);
}

/** A stored member name as its value; a name the type lacks equals nothing (NaN). */
function byMember(enumType: EnumType, get: Getter): Getter {
  return (record, at) => {
    const name = get(record, at);
    if (name === null || name === undefined) return null;
    return (typeof name === 'string' ? enumType.members.get(name) : undefined) ?? Number.NaN;
  };
}

/**
 * The two sides of a comparison as enum values, when either side is an enum; undefined when neither is.
 * `kind` is the operator as the library names it in messages (Equal, GreaterThan, ...).
 */
export function enumComparison(op: string, kind: string, left: EnumOperand, right: EnumOperand): [Getter, Getter] | undefined {
  const enumType = left.enumType ?? right.enumType;
  if (!enumType) return undefined;
  const equality = op === 'eq' || op === 'ne';
  const shown = (o: EnumOperand) => (o.type === 'null' ? '<null>' : o.type);
  const incompatible = () =>
    GraphError.of(
      'invalidFilter',
      `OData query is invalid: A binary operator with incompatible types was detected. Found operand types '${shown(left)}' and '${shown(right)}' for operator kind '${kind}'.`,
    );
  const side = (operand: EnumOperand): Getter => {
    const isLiteral = 'literal' in operand;
    if (operand.enumType) {
      if (operand.enumType.name !== enumType.name) throw incompatible();
      return isLiteral ? operand.get : byMember(enumType, operand.get);
    }
    if (!equality) throw incompatible();
    if (operand.type === 'null') return operand.get;
    if (isLiteral && (operand.type === 'Edm.String' || operand.integral)) {
      // An integer as .NET writes the library's Int32 or Int64 value (007 is '7'), every digit kept.
      const text = operand.integral ? BigInt(operand.written ?? String(operand.literal)).toString() : String(operand.literal);
      const value = memberValue(enumType, text);
      return () => value;
    }
    if (operand.type === 'Edm.String' && !isLiteral) return byMember(enumType, operand.get);
    throw incompatible();
  };
  return [side(left), side(right)];
}
