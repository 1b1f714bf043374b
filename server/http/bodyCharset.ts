// The text of a body the emulator never read (journalCapture.ts keeps its start for the request journal), decoded
// with the charset its Content-Type names, so that the journal's secret check (journalSecrets.ts) reads the names
// as they were sent: a password in UTF-16 decoded as UTF-8 is `p\u0000a\u0000…`, which no check recognises.
// A byte order mark names the encoding whatever the label says, as the Encoding Standard's decode does
// (https://encoding.spec.whatwg.org/#decode); JSON without a charset or a mark has its encoding told by the
// zeros among its first bytes (RFC 4627, section 3: https://www.rfc-editor.org/rfc/rfc4627#section-3). UTF-32,
// which body-parser reads and TextDecoder does not, is decoded here; any other charset TextDecoder does not know
// (UTF-7, EBCDIC, …) gets no decoder: its bytes are no text the check could read.
import { parse as parseContentType } from 'content-type';

/** A body's bytes as text. */
export type BodyDecoder = (bytes: Buffer) => string;

/**
 * The charset a Content-Type names, in lower case, read by the parser body-parser uses (`content-type`), so that a
 * quoted value or another parameter holding `charset=` is read as it reads it; undefined when it names none or the
 * header does not parse.
 */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || contentType === '') return undefined;
  try {
    return parseContentType(contentType).parameters['charset']?.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The encoding a byte order mark names, and the mark's length; undefined when there is none. */
function byteOrderMark(bytes: Buffer, utf32: boolean): [string, number] | undefined {
  const [a, b, c, d] = bytes;
  // A UTF-32LE mark starts as UTF-16LE's does: taken as one only where UTF-32 may be meant.
  if (utf32 && a === 0xff && b === 0xfe && c === 0 && d === 0) return ['utf-32le', 4];
  if (utf32 && a === 0 && b === 0 && c === 0xfe && d === 0xff) return ['utf-32be', 4];
  if (a === 0xef && b === 0xbb && c === 0xbf) return ['utf-8', 3];
  if (a === 0xff && b === 0xfe) return ['utf-16le', 2];
  if (a === 0xfe && b === 0xff) return ['utf-16be', 2];
  return undefined;
}

/** The encoding the zeros among the first four bytes of JSON tell (RFC 4627, section 3); `fallback` when none. */
function sniffed(bytes: Buffer, fallback: string): string {
  const zero = [0, 1, 2, 3].map((i) => i < bytes.length && bytes[i] === 0);
  if (bytes.length >= 4 && zero[0] && zero[1] && zero[2]) return 'utf-32be';
  if (bytes.length >= 4 && zero[1] && zero[2] && zero[3]) return 'utf-32le';
  if (bytes.length >= 2 && zero[0]) return 'utf-16be';
  if (bytes.length >= 2 && zero[1]) return 'utf-16le';
  return fallback;
}

/** UTF-32 as text: a unit that is no code point, and a last unit cut short, as U+FFFD. */
function utf32(bytes: Buffer, bigEndian: boolean): string {
  const points: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const point = i + 4 > bytes.length ? -1 : bigEndian ? bytes.readUInt32BE(i) : bytes.readUInt32LE(i);
    points.push(point < 0 || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff) ? 0xfffd : point);
  }
  let text = '';
  // In slices: String.fromCodePoint takes its code points as arguments.
  for (let i = 0; i < points.length; i += 4096) text += String.fromCodePoint(...points.slice(i, i + 4096));
  return text;
}

function decoded(bytes: Buffer, encoding: string): string {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return utf32(bytes, encoding === 'utf-32be');
  return new TextDecoder(encoding).decode(bytes);
}

/** Whether TextDecoder knows a label (it throws a RangeError for one it does not). */
function known(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** How the bytes of a body with this Content-Type become text; undefined when its charset cannot be decoded. */
export function bodyDecoder(contentType: string | undefined): BodyDecoder | undefined {
  const charset = charsetOf(contentType);
  const utf32Family = charset === undefined || /^utf-?32/.test(charset);
  let fallback: string;
  if (charset === undefined) fallback = 'utf-8';
  else if (/^utf-?32(?:le)?$/.test(charset)) fallback = 'utf-32le';
  else if (/^utf-?32be$/.test(charset)) fallback = 'utf-32be';
  else if (known(charset)) fallback = charset;
  else return undefined;
  // Only a label that leaves the byte order open has it told by the bytes.
  const open = charset === undefined || charset === 'utf-16' || charset === 'utf-32';
  return (bytes) => {
    const mark = byteOrderMark(bytes, utf32Family);
    if (mark !== undefined) return decoded(bytes.subarray(mark[1]), mark[0]);
    return decoded(bytes, open ? sniffed(bytes, fallback) : fallback);
  };
}
