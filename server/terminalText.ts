// Text that reaches a terminal (a start-up refusal on stderr, a log line on stdout) written so that it shows as
// text: a line break, an escape or another control character (C0, DEL, C1: `\u009b` is an 8-bit CSI), and a
// bidirectional mark, override or isolate (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), any of which a file's bytes or a client's request can hold, become escapes
// (`\n`, `\u001b`), so one line stays one line and nothing it quotes moves the cursor, retitles the window or
// reorders what is shown.

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this is for.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const EVERY_CONTROL = new RegExp(CONTROLS.source, 'g');

function escapeOf(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control character and bidirectional formatting character written as an escape. */
export function escapedControls(text: string): string {
  // One test first: nearly every text holds none, and then costs no copy.
  return CONTROLS.test(text) ? text.replace(EVERY_CONTROL, escapeOf) : text;
}
