// A $filter operand as filterCompile.ts compiles it: its type, how it reads a record (by record and position), and
// what Graph's messages and the block tests need to know of it. Shared by the compiler and its comparisons
// (filterComparisons.ts).
import { GraphError } from '../graphErrors.js';
import type { EnumType } from './entityModel.js';
import type { NumberType } from './filterNumbers.js';

export type Row = Readonly<Record<string, unknown>>;

export type Getter = (record: Row, at: number) => unknown;

export const byPosition =
  (values: readonly unknown[]): Getter =>
  (_record, at) =>
    values[at] ?? null;

/** The primitive types a filter meets, or an enum's qualified name. */
export type EdmType = 'Edm.String' | 'Edm.Boolean' | 'Edm.Date' | 'Edm.DateTimeOffset' | 'Edm.Guid' | NumberType | 'null' | `microsoft.graph.${string}`;

export interface Compiled {
  type: EdmType;
  get: Getter;
  /** Set when the operand is a plain property, for Graph's "not supported" message. */
  property?: string;
  /** Set when the operand is a literal, for the same message. */
  literal?: unknown;
  /** A number literal as written, without its type suffix: how messages quote it. */
  written?: string;
  /** An Int32 or Int64 literal, which may name an enum member by its value. */
  integral?: boolean;
  /** Set when the operand is of an enum type (filterEnums.ts). */
  enumType?: EnumType;
  /** Set for tolower/toupper of a property bound to case columns: the column that answers ASCII literals. */
  ascii?: () => readonly unknown[];
  /** The same column as block text, where the columns offer it. */
  asciiText?: (block: number) => string;
  /** Boolean operands: false when no record of the block can make it true (see BoundPredicate, filterCompile.ts). */
  mayMatch?: (block: number) => boolean;
}

/** Rules a block out when its text does not hold `needle` (the literal with the separators the test implies). */
export function holding(text: ((block: number) => string) | undefined, needle: string): ((block: number) => boolean) | undefined {
  return text && ((block) => text(block).includes(needle));
}

export function invalid(message: string): GraphError {
  return GraphError.of('invalidFilter', `OData query is invalid: ${message}`);
}

export function refuseUnqueryable(operand: Compiled, message: string): void {
  if (operand.property?.startsWith('!')) throw invalid(message);
}
