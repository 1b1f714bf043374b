// The case columns: what tolower()/toupper() of a stored string property make of each record, kept by the store
// beside the records (CollectionView.derived, derivedText) so that a filter reads them instead of converting.
// tolower()/toupper() of a property allocate a string per record and call: over 100,000 names with a
// non-ASCII character that was 20 ms a request. Bound to a collection (`over`), the predicate reads the
// converted values the store keeps beside the records by position instead, and allocates nothing. Compared
// with an ASCII literal (what a search box sends), it reads them with every non-ASCII character as \xff:
// a one-byte string, where the literal is found exactly where it is in the converted value, for about
// half the memory of the converted names themselves (two-byte, as soon as one character is not Latin-1).
// The store also keeps that column as text a block of positions at a time, so a filter that can only match
// where the text holds its literal (contains, startswith, endswith, eq) tells the scan which blocks to skip
// with one search each: a page that matches nothing no longer tests 100,000 records one by one.

/** tolower or toupper of a property by position in the collection, as caseColumnValue gives it (kept by CollectionView.derived). */
export interface CaseColumns {
  (fn: CaseFunction, property: string, form: CaseForm): readonly unknown[];
  /** The same column as text, a block of positions at a time (CollectionView.derivedText). */
  text?: (fn: CaseFunction, property: string, form: CaseForm, block: number) => string;
}
/** `exact`: the converted value; `ascii`: the same with every non-ASCII character as \xff. */
type CaseForm = 'exact' | 'ascii';

export const CASE_FUNCTIONS = ['tolower', 'toupper'] as const;
type CaseFunction = (typeof CASE_FUNCTIONS)[number];

/** What tolower()/toupper() make of a stored value: null for anything but a string; the value itself when unchanged. */
export function convertCase(fn: CaseFunction, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const converted = fn === 'tolower' ? value.toLowerCase() : value.toUpperCase();
  return converted === value ? value : converted;
}

const NOT_ASCII = /[\u0080-\uffff]/;

/** A case column's value for a stored value (see CaseForm). */
export function caseColumnValue(fn: CaseFunction, value: unknown, form: CaseForm): string | null {
  const converted = convertCase(fn, value);
  if (form === 'exact' || converted === null || !NOT_ASCII.test(converted)) return converted;
  const bytes = Buffer.allocUnsafe(converted.length);
  for (let i = 0; i < converted.length; i++) {
    const c = converted.charCodeAt(i);
    bytes[i] = c > 0x7f ? 0xff : c;
  }
  // latin1 decodes to a one-byte string: the converted value, if it had a character beyond Latin-1, was two-byte.
  return bytes.toString('latin1');
}

/** A string literal of ASCII characters only: the ASCII column answers a comparison with it. */
export function asciiLiteral(literal: unknown): literal is string {
  return typeof literal === 'string' && !NOT_ASCII.test(literal);
}
