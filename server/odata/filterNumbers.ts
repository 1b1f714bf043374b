// The Edm type of a $filter number literal, as Graph's OData library (Microsoft.OData.Core's ExpressionLexer)
// types it, so that a type mismatch names the type the library names:
// - a suffix decides: L Int64, M Decimal, D Double, F Single (either case);
// - else an integer is Int32 where it fits, else Int64 where it fits;
// - else Decimal where the nearest Double would lose digits that a Decimal keeps (no exponent, under 2^96),
//   Double where the nearest Single would, and Single otherwise: 1.5, 2.0 and 1e5 are Edm.Single.
// Overflow reads as .NET Core reads it (a float or double too large is infinite, not refused).
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_LiteralDataValues
import { syntaxError } from './filterTokens.js';

export type NumberType = 'Edm.Int32' | 'Edm.Int64' | 'Edm.Single' | 'Edm.Double' | 'Edm.Decimal';

export interface NumberLiteral {
  type: NumberType;
  /** The value as a JavaScript number (an Int64 or Decimal beyond 2^53 rounded). */
  value: number;
  /** The number as written, without its suffix: how messages quote it. */
  written: string;
}

const SUFFIX: Record<string, NumberType> = { l: 'Edm.Int64', m: 'Edm.Decimal', d: 'Edm.Double', f: 'Edm.Single' };
const INTEGER = /^-?\d+$/;
const INT32 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;
/** .NET's decimal holds 96 bits of integer. */
const DECIMAL_LIMIT = 2n ** 96n;

const within = (n: bigint, [low, high]: readonly [bigint, bigint]) => n >= low && n <= high;

/** A decimal number's text as digits and a power of ten, without leading or trailing zeros, for exact equality. */
function canonical(text: string): string {
  const [mantissa = '', exponent = '0'] = text.toLowerCase().replace(/^[+-]/, '').split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  // A loop, not replace(/0+$/), which tries a run of zeros again from each of them: time quadratic in the run.
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 0x30) end -= 1;
  const kept = digits.slice(0, end);
  if (kept === '') return '0';
  const sign = text.startsWith('-') ? '-' : '';
  return `${sign}${kept}e${Number(exponent) - fraction.length + (digits.length - kept.length)}`;
}

/** The shortest text that reads back as the same Single, as .NET's "R" format writes a float. */
function singleText(value: number): string {
  const single = Math.fround(value);
  if (!Number.isFinite(single)) return String(single);
  for (let digits = 1; digits < 9; digits += 1) {
    const text = single.toPrecision(digits);
    if (Math.fround(Number(text)) === single) return text;
  }
  return single.toPrecision(9);
}

function bestGuess(written: string): NumberType {
  if (INTEGER.test(written)) {
    const n = BigInt(written);
    if (within(n, INT32)) return 'Edm.Int32';
    if (within(n, INT64)) return 'Edm.Int64';
  }
  const double = Number(written);
  const point = written.indexOf('.');
  const whole = /e/i.test(written) ? undefined : BigInt(point === -1 ? written : written.slice(0, point));
  const decimal = whole !== undefined && whole < DECIMAL_LIMIT && whole > -DECIMAL_LIMIT;
  if (decimal && Number.isFinite(double) && canonical(String(double)) !== canonical(written)) return 'Edm.Decimal';
  if (Number(singleText(double)) !== double) return 'Edm.Double';
  return 'Edm.Single';
}

/** The literal `token` (digits, fraction, exponent, suffix) at `pos` of `text`; an Int64 it cannot be is a 400. */
export function numberLiteral(token: string, pos: number, text: string): NumberLiteral {
  const suffix = SUFFIX[token.slice(-1).toLowerCase()];
  const written = suffix ? token.slice(0, -1) : token;
  if (suffix === 'Edm.Int64' && !(INTEGER.test(written) && within(BigInt(written), INT64)))
    throw syntaxError(`Unrecognized 'Edm.Int64' literal '${token}' at '${pos}' in '${text}'.`);
  return { type: suffix ?? bestGuess(written), value: Number(written), written };
}
