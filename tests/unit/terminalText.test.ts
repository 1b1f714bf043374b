// What reaches a terminal is shown as text: every control character and bidirectional formatting character is
// written as an escape, and a text without one is returned as it is.
import { describe, expect, it } from '@jest/globals';
import { escapedControls } from '../../server/terminalText.js';

describe('escapedControls', () => {
  it('writes line breaks, tabs, C0, DEL, C1 and bidi characters as escapes', () => {
    expect(escapedControls('a\nb\rc\td\u0000e\u001bf\u007fg\u0085h\u009bi\u061cj\u200ek\u200fl\u2028m\u2029n\u202ao\u202ep\u2066q\u2069r')).toBe(
      'a\\nb\\rc\\td\\u0000e\\u001bf\\u007fg\\u0085h\\u009bi\\u061cj\\u200ek\\u200fl\\u2028m\\u2029n\\u202ao\\u202ep\\u2066q\\u2069r',
    );
  });

  it('keeps every other character, and returns a text without any as it is', () => {
    const text = 'Sales – Ünïcødé 😀 \u00a0\u00ff\u2030\u206a';
    expect(escapedControls(text)).toBe(text);
    expect(escapedControls('')).toBe('');
  });
});
