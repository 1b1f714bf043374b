// Whether bytes a user sent or saved are UTF-8, and where they stop being so. Node's decoder puts U+FFFD in place of
// any byte that is no UTF-8 character, so a body or a file saved in another encoding (Windows-1252, Latin-1) would be
// kept with its accented letters replaced for good. JSON is UTF-8 (RFC 8259 §8.1,
// https://www.rfc-editor.org/rfc/rfc8259#section-8.1): such bytes are refused, naming where they are.
import { isUtf8 } from 'node:buffer';

export { isUtf8 };

/** The offset of the first byte that starts no UTF-8 character (bytes.length when they all do). */
export function firstNonUtf8Offset(bytes: Uint8Array): number {
  // Walked one sequence at a time (a refusal's message, a journal entry's query shown): each sequence checked by
  // isUtf8 itself, which knows the overlong forms and the surrogates.
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || at + length > bytes.length || !isUtf8(bytes.subarray(at, at + length))) return at;
    at += length;
  }
  return at;
}

/** What a file that is no UTF-8 most likely is, for the messages that refuse one. */
export const IN_ANOTHER_ENCODING = 'saved in another encoding, such as Windows-1252';

/** Why `bytes` (which isUtf8 refused) are not UTF-8, for a message: `the byte 0xE9 at offset 12 is no UTF-8 character`. */
export function notUtf8Reason(bytes: Uint8Array): string {
  const at = firstNonUtf8Offset(bytes);
  const byte = at < bytes.length ? bytes[at]!.toString(16).toUpperCase().padStart(2, '0') : '';
  return `the byte 0x${byte} at offset ${at} is no UTF-8 character`;
}
