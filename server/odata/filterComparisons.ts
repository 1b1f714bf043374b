// The comparison operators of $filter (eq, ne, gt, ge, lt, le): which operand types Graph's OData library lets
// compare, its messages for those it refuses, and the closures that compare with OData's null semantics.
import { enumComparison } from './filterEnums.js';
import { asciiLiteral } from './caseColumns.js';
import { type Compiled, type EdmType, type Getter, holding, invalid, refuseUnqueryable } from './filterOperands.js';

// How the entitlement management back end names operators in its "not supported" message.
const EM_KIND: Record<string, string> = { eq: 'Equals', ne: 'NotEquals', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };
const NUMBER_TYPES: ReadonlySet<EdmType> = new Set(['Edm.Int32', 'Edm.Int64', 'Edm.Single', 'Edm.Double', 'Edm.Decimal']);

// Graph's OData library lists Boolean/Boolean among the signatures of every relational operator (eq, ne, lt, le,
// gt, ge), as OData does: "The Boolean value true is greater than false".
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_GreaterThan
// Numbers of any two types compare: the library promotes one to the other's type (Int32 to Int64, Single, Double,
// Decimal); here both are read as JavaScript numbers (chosen: no entity property Graph filters on is a number).
// A GUID written unquoted is an Edm.Guid, which the library never promotes to a string: every id in the model is an
// Edm.String, so `catalogId eq <guid>` is its "incompatible types" 400 and only `catalogId eq '<guid>'` compares
// (the quoted form Graph's pages and Microsoft's tools send). A date alone (`2024-01-31`) is an Edm.Date, which the
// library converts to no other type (MetadataUtilsCommon.CanConvertPrimitiveTypeTo), so `createdDateTime ge
// 2024-01-31` is the same 400: every date in the model is an Edm.DateTimeOffset.
function comparable(a: EdmType, b: EdmType): boolean {
  if (a === 'null' || b === 'null') return true;
  return a === b || (NUMBER_TYPES.has(a) && NUMBER_TYPES.has(b));
}

function shown(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return value === null ? 'null' : String(value);
}

// Apart from compileBinary (filterCompile.ts), whose frame every level of a long and/or chain keeps on the stack.
export function compileComparison(op: string, kind: string, left: Compiled, right: Compiled, l: Getter, r: Getter): Compiled {
  for (const [operand, other] of [
    [left, right],
    [right, left],
  ] as const) {
    const property = operand.property?.slice(1);
    const value = other.written ?? ('literal' in other ? shown(other.literal) : '');
    refuseUnqueryable(operand, `Filter '${property} ${EM_KIND[op]} ${value} is not supported. .`);
  }
  const enumSides = enumComparison(op, kind, left, right);
  if (enumSides) return { type: 'Edm.Boolean', get: comparison(op, ...enumSides) };
  if (!comparable(left.type, right.type)) {
    throw invalid(
      `A binary operator with incompatible types was detected. Found operand types '${left.type}' and '${right.type}' for operator kind '${kind}'.`,
    );
  }
  return { type: 'Edm.Boolean', get: comparison(op, l, r), mayMatch: op === 'eq' ? equalInBlock(left, right) : undefined };
}

/** tolower(p) eq 'literal' (either way round): the block's text holds the literal between two separators. */
function equalInBlock(left: Compiled, right: Compiled): ((block: number) => boolean) | undefined {
  for (const [column, other] of [
    [left, right],
    [right, left],
  ] as const) {
    if (column.ascii && asciiLiteral(other.literal)) return holding(column.asciiText, `\0${other.literal}\0`);
  }
  return undefined;
}

// OData null semantics: eq/ne compare null like any value; gt and lt with null are false; ge and le follow the
// rules of gt and eq (lt and eq), so null ge null is true and 'x' ge null false. JavaScript's own >= would
// call null >= null and '' <= null true, and true > false is true, as OData orders Booleans.
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_GreaterThanorEqual
function comparison(op: string, l: Getter, r: Getter): Getter {
  switch (op) {
    case 'eq':
      return (x, at) => l(x, at) === r(x, at);
    case 'ne':
      return (x, at) => l(x, at) !== r(x, at);
    default: {
      const order = {
        gt: (a: never, b: never) => a > b,
        ge: (a: never, b: never) => a >= b,
        lt: (a: never, b: never) => a < b,
        le: (a: never, b: never) => a <= b,
      }[op as 'gt']!;
      const orEqual = op === 'ge' || op === 'le';
      return (x, at) => {
        const a = l(x, at);
        const b = r(x, at);
        if (a === null || b === null) return orEqual && a === b;
        return order(a as never, b as never);
      };
    }
  }
}
