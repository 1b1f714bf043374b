// Where bytes a user sent or saved stop being UTF-8, for the messages that refuse them.
import { describe, expect, it } from '@jest/globals';
import { firstNonUtf8Offset, isUtf8, notUtf8Reason } from '../../server/utf8Bytes.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

describe('firstNonUtf8Offset', () => {
  it('walks past characters of every length to the first byte that starts none', () => {
    // a (1 byte), é (2), € (3), 😀 (4): 10 bytes, then a lone continuation byte.
    expect(firstNonUtf8Offset(bytes('aé€😀', [0x80], 'z'))).toBe(10);
    expect(firstNonUtf8Offset(bytes('aé€😀'))).toBe(10);
    expect(firstNonUtf8Offset(bytes(''))).toBe(0);
  });

  it.each([
    ['U+0080, the first two-byte character (lead byte 0xC2)', '\u0080'],
    ['£ (lead byte 0xC2)', '£'],
    ['U+07FF, the last two-byte character (lead byte 0xDF)', '\u07ff'],
    ['U+0800, the first three-byte character (lead byte 0xE0)', '\u0800'],
    ['अ (lead byte 0xE0)', 'अ'],
    ['a byte order mark (lead byte 0xEF)', '\ufeff'],
    ['U+FFFD, the replacement character (lead byte 0xEF)', '\ufffd'],
    ['U+100000, a private-use character (lead byte 0xF4)', '\u{100000}'],
    ['U+10FFFF, the last code point (lead byte 0xF4)', '\u{10ffff}'],
  ])('walks past %s, whose lead byte is at the edge of its range', (_name, character) => {
    const sent = bytes('ok', character, 'after');
    expect(isUtf8(sent)).toBe(true);
    expect(firstNonUtf8Offset(sent)).toBe(sent.length);
    expect(firstNonUtf8Offset(bytes(character, [0xe9]))).toBe(Buffer.byteLength(character));
  });

  it.each([
    ['a lead byte no character starts with', [0xff], 2],
    ['an overlong two-byte form', [0xc1, 0xbf], 2],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 2],
    ['a surrogate', [0xed, 0xb0, 0x80], 2],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 2],
    ['a character cut by the next one', [0xe2, 0x82, 0x41], 2],
    ['a character cut by the end', [0xf0, 0x9f, 0x98], 2],
  ])('stops at %s', (_name, bad, at) => {
    const sent = bytes('ok', bad, 'after');
    expect(isUtf8(sent)).toBe(false);
    expect(firstNonUtf8Offset(sent)).toBe(at);
  });

  it('names the byte and its offset in hexadecimal capitals', () => {
    expect(notUtf8Reason(Buffer.from('Caf\u00e9', 'latin1'))).toBe('the byte 0xE9 at offset 3 is no UTF-8 character');
    expect(notUtf8Reason(bytes('x', [0x0a, 0xc0]))).toBe('the byte 0xC0 at offset 2 is no UTF-8 character');
  });
});
