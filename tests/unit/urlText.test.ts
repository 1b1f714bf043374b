// Percent-encoding of what a URL cannot hold as it is, for links that repeat what a client sent.
import { describe, expect, it } from '@jest/globals';
import { asUrlText } from '../../server/urlText.js';

describe('asUrlText', () => {
  it.each([
    ["startswith(displayName, 'a')", "startswith(displayName,%20'a')"],
    ['already%20encoded', 'already%20encoded'],
    ['a lone % sign', 'a%20lone%20%25%20sign'],
    ['tab\tand "quotes" <> [brackets] {braces} |^`\\', 'tab%09and%20%22quotes%22%20%3C%3E%20%5Bbrackets%5D%20%7Bbraces%7D%20%7C%5E%60%5C'],
    ['é and 😀', '%C3%A9%20and%20%F0%9F%98%80'],
    ['lone \ud800 surrogate', 'lone%20%EF%BF%BD%20surrogate'],
    ["$filter=id eq 'x'&$top=1", "$filter=id%20eq%20'x'&$top=1"],
  ])('%j -> %j', (text, expected) => {
    expect(asUrlText(text)).toBe(expected);
  });
});
