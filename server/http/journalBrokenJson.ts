// The request journal's reading of a body that is JSON cut (at the journal's 16 KiB) or broken, where a parser
// cannot walk it: a secret field's value that is a number, a list or an object found by its brackets and redacted
// whole (journalSecrets.ts redacts the string values). Linear in the text: its fields and leaves found in one pass
// (jsonScan.ts), and one scan per value.
import { REDACTED } from './journalAnswer.js';
import { leaves, otherFields } from './jsonScan.js';

/** A JSON string's text (between its quotes) decoded; '' when it is not one (a string cut inside an escape). */
export function decodedJsonText(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return '';
  }
}

/** A scalar that is no string, at the start of a text. */
const SCALAR = /^(?:-?\d[\d.eE+-]*|true|false|null)/;

/** Where the value starting at `at` ends: a scalar's last character, or its matching bracket (the text's end if cut). */
function valueEnd(text: string, at: number): number {
  const first = text[at];
  if (first !== '[' && first !== '{') return at + (SCALAR.exec(text.slice(at, at + 64))?.[0].length ?? 0);
  let depth = 0;
  for (let i = at; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      for (i += 1; i < text.length && text[i] !== '"'; i += 1) if (text[i] === '\\') i += 1;
    } else if (c === '[' || c === '{') depth += 1;
    else if ((c === ']' || c === '}') && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * JSON cut or broken: each field whose name `secret` picks (its JSON text, escapes kept) and whose value is no
 * string (a number, a list, an object) gets "REDACTED" for its value, whole; `take` gets each string (decoded) and
 * number in it, which the answer may repeat.
 */
export function otherValuesRedacted(text: string, secret: (name: string) => boolean, take: (leaf: string) => void): string {
  let kept = '';
  let from = 0;
  for (const field of otherFields(text)) {
    if (field.index < from || !secret(field.name)) continue;
    const start = field.value;
    const end = valueEnd(text, start);
    // A string or a number inside the value: what the answer might repeat.
    for (const leaf of leaves(text.slice(start, end))) take(leaf.string === undefined ? leaf.number! : decodedJsonText(leaf.string) || leaf.string);
    kept += `${text.slice(from, start)}"${REDACTED}"`;
    from = end;
  }
  return from === 0 ? text : kept + text.slice(from);
}
