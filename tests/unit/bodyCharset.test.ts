// The text of a body refused unread, as the request journal keeps it (bodyCharset.ts): decoded with the charset its
// Content-Type names, a byte order mark or JSON's zeros telling the encoding when the label leaves it open, and no
// decoder for a charset that cannot be decoded.
import { describe, expect, it } from '@jest/globals';
import { bodyDecoder } from '../../server/http/bodyCharset.js';

const TEXT = '{"password":"hünter2 𝄞"}';

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

function utf32(text: string, bigEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const bytes = Buffer.alloc(points.length * 4);
  for (const [i, point] of points.entries()) {
    if (bigEndian) bytes.writeUInt32BE(point, i * 4);
    else bytes.writeUInt32LE(point, i * 4);
  }
  return bytes;
}

const decode = (type: string | undefined, bytes: Buffer) => bodyDecoder(type)!(bytes);

describe('bodyDecoder', () => {
  it.each([
    ['application/json; charset=utf-16le', Buffer.from(TEXT, 'utf16le')],
    ['text/plain; charset=UTF-16LE', Buffer.from(TEXT, 'utf16le')],
    ['application/json;charset="utf-16be"', utf16be(TEXT)],
    ['application/json; charset=utf-32', utf32(TEXT, false)],
    ['application/json; charset=utf-32be', utf32(TEXT, true)],
    ['application/json; charset=utf-8', Buffer.from(TEXT)],
    ['application/json; charset=utf8', Buffer.from(TEXT)],
    ['application/json', Buffer.from(TEXT)],
    [undefined, Buffer.from(TEXT)],
  ])('decodes %s as the charset it names', (type, bytes) => {
    expect(decode(type, bytes)).toBe(TEXT);
  });

  it('lets a byte order mark name the encoding, and drops it', () => {
    const marked16 = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)]);
    expect(decode('application/json; charset=utf-16', marked16)).toBe(TEXT);
    expect(decode('application/json; charset=utf-16le', marked16)).toBe(TEXT);
    expect(decode('application/json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]))).toBe(TEXT);
    expect(decode('application/json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toBe(TEXT);
    expect(decode('application/json; charset=utf-32', Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32(TEXT, true)]))).toBe(TEXT);
  });

  it('tells the encoding of JSON without a charset or a mark by the zeros among its first bytes', () => {
    expect(decode('application/json', Buffer.from(TEXT, 'utf16le'))).toBe(TEXT);
    expect(decode(undefined, utf16be(TEXT))).toBe(TEXT);
    expect(decode('application/json', utf32(TEXT, false))).toBe(TEXT);
    expect(decode('application/json', utf32(TEXT, true))).toBe(TEXT);
    expect(decode('application/json; charset=utf-16', utf16be(TEXT))).toBe(TEXT);
  });

  it('decodes a charset TextDecoder knows, and a unit cut short or out of range as U+FFFD', () => {
    expect(decode('text/plain; charset=iso-8859-1', Buffer.from([0x70, 0xe9]))).toBe('pé');
    expect(decode('application/json; charset=utf-32le', Buffer.concat([utf32('ab', false), Buffer.from([0, 0, 0x11, 0, 0x61])]))).toBe('ab\ufffd\ufffd');
  });

  it('has no decoder for a charset it cannot decode', () => {
    for (const type of [
      'application/json; charset=utf-7',
      'text/plain; charset=ebcdic-cp-us',
      'application/json; charset=nonsense',
      'application/json; charset=',
    ]) {
      expect(bodyDecoder(type)).toBeUndefined();
    }
  });
});
