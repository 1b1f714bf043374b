// Percent-decoding of URL parts. decodeURIComponent throws on malformed input (`%zz`, a lone `%`); each
// caller decides what that means: a 400 naming the part, or showing the part as it was sent.

/** The decoded text, or undefined when `text` is not valid percent-encoding. Cheap when there is no `%`. */
export function percentDecoded(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The decoded text for messages and logs, or the text as sent when it does not decode. */
export function decodedForDisplay(text: string): string {
  return percentDecoded(text) ?? text;
}
