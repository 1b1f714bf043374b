import { describe, expect, it } from '@jest/globals';
import { numberLiteral } from '../../server/odata/filterNumbers.js';
import { graphErrorOf } from '../support/errors.js';

// The types Graph's OData library (ExpressionLexer.ParseFromDigit and MakeBestGuessOnNoSuffixStr) gives number literals.
describe('numberLiteral types a number as the OData library does', () => {
  it.each([
    ['1', 'Edm.Int32', 1, '1'],
    ['-2147483648', 'Edm.Int32', -2147483648, '-2147483648'],
    ['2147483647', 'Edm.Int32', 2147483647, '2147483647'],
    ['2147483648', 'Edm.Int64', 2147483648, '2147483648'],
    ['-2147483649', 'Edm.Int64', -2147483649, '-2147483649'],
    ['9223372036854775807', 'Edm.Int64', 2 ** 63, '9223372036854775807'],
    ['9223372036854775808', 'Edm.Decimal', 2 ** 63, '9223372036854775808'],
    ['99999999999999999999', 'Edm.Decimal', 1e20, '99999999999999999999'],
    ['1.5', 'Edm.Single', 1.5, '1.5'],
    ['2.0', 'Edm.Single', 2, '2.0'],
    ['0.1', 'Edm.Single', 0.1, '0.1'],
    ['1e5', 'Edm.Single', 1e5, '1e5'],
    ['1234.56789012', 'Edm.Double', 1234.56789012, '1234.56789012'],
    ['1e300', 'Edm.Double', 1e300, '1e300'],
    ['0.12345678901234567890', 'Edm.Decimal', 0.12345678901234568, '0.12345678901234567890'],
    ['1L', 'Edm.Int64', 1, '1'],
    ['1l', 'Edm.Int64', 1, '1'],
    ['1.5M', 'Edm.Decimal', 1.5, '1.5'],
    ['1m', 'Edm.Decimal', 1, '1'],
    ['1D', 'Edm.Double', 1, '1'],
    ['2.5d', 'Edm.Double', 2.5, '2.5'],
    ['1F', 'Edm.Single', 1, '1'],
    ['1e5f', 'Edm.Single', 1e5, '1e5'],
  ])('%s is %s', (token, type, value, written) => {
    expect(numberLiteral(token, 0, token)).toEqual({ type, value, written });
  });

  it.each(['1.5L', '9223372036854775808L', '1e5L'])('refuses %s, which is no Int64, as the library does', (token) => {
    const err = graphErrorOf(() => numberLiteral(token, 12, `isHidden eq ${token}`));
    expect([err.status, err.code, err.message]).toEqual([400, 'BadRequest', `Unrecognized 'Edm.Int64' literal '${token}' at '12' in 'isHidden eq ${token}'.`]);
  });
});
