// A compressed or non-UTF-8 body's text, for the checks made before body-parser parses it (jsonDepth.ts). It must be
// the text body-parser's decoder (iconv-lite) reads, or a body could nest deeper than the check saw: so the UTF-16
// and UTF-32 byte order is read as iconv-lite reads it where a body is JSON, and a charset it names otherwise
// (utf-7) is refused. The charsets: https://learn.microsoft.com/graph/errors (415); which ones, chosen.

/** The unsupported-charset error body-parser itself raises, answered as the other 415s (jsonBody.ts). */
function unsupported(charset: string): Error {
  return Object.assign(new Error(charset), { type: 'charset.unsupported' });
}

/**
 * Without a byte order mark, the order in which the first character is ASCII: a JSON text starts with one (white
 * space, a bracket, a quote, a digit or a letter of true, false, null), read in either order iconv-lite may choose.
 */
function bigEndian(buf: Buffer, width: 2 | 4): boolean {
  if (buf.length < width) return false;
  const little = width === 2 ? buf.readUInt16LE(0) : buf.readUInt32LE(0);
  const big = width === 2 ? buf.readUInt16BE(0) : buf.readUInt32BE(0);
  if (big === 0xfeff) return true;
  if (little === 0xfeff) return false;
  return little > 0x7f && big <= 0x7f;
}

/** UTF-32, which TextDecoder does not read: each 4 bytes a code point, one past Unicode read as U+FFFD. */
function utf32(buf: Buffer, big: boolean): string {
  const parts: string[] = [];
  const points: number[] = [];
  let start = 0;
  if (buf.length >= 4 && (big ? buf.readUInt32BE(0) : buf.readUInt32LE(0)) === 0xfeff) start = 4;
  for (let at = start; at + 4 <= buf.length; at += 4) {
    const point = big ? buf.readUInt32BE(at) : buf.readUInt32LE(at);
    points.push(point > 0x10ffff ? 0xfffd : point);
    if (points.length === 8192) parts.push(String.fromCodePoint(...points.splice(0)));
  }
  parts.push(String.fromCodePoint(...points));
  return parts.join('');
}

/** The body's text in its charset, which body-parser has checked begins `utf-`. */
export function decodedBody(buf: Buffer, charset: string): string {
  // iconv-lite's own spelling of a name: letters and digits only (`utf-16_be` is utf16be).
  switch (charset.toLowerCase().replace(/[^0-9a-z]/g, '')) {
    case 'utf8':
      return new TextDecoder('utf-8').decode(buf);
    case 'utf16le':
      return new TextDecoder('utf-16le').decode(buf);
    case 'utf16be':
      return new TextDecoder('utf-16be').decode(buf);
    case 'utf16':
      return new TextDecoder(bigEndian(buf, 2) ? 'utf-16be' : 'utf-16le').decode(buf);
    case 'utf32le':
      return utf32(buf, false);
    case 'utf32be':
      return utf32(buf, true);
    case 'utf32':
      return utf32(buf, bigEndian(buf, 4));
    default:
      throw unsupported(charset);
  }
}
