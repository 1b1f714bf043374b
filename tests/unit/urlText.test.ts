// Percent-encoding of what a URL cannot hold as it is, for links that repeat what a client sent (asUrlText), and
// the escapes of unreserved characters undone, for routing (unreservedDecoded).
import { expect, it } from '@jest/globals';
import { asUrlText, unreservedDecoded } from '../../server/urlText.js';

const cases: [typeof asUrlText, string, string][] = [
  [asUrlText, "startswith(displayName, 'a')", "startswith(displayName,%20'a')"],
  [asUrlText, 'already%20encoded', 'already%20encoded'],
  [asUrlText, 'a lone % sign', 'a%20lone%20%25%20sign'],
  [asUrlText, 'tab\tand "quotes" <> [brackets] {braces} |^`\\', 'tab%09and%20%22quotes%22%20%3C%3E%20%5Bbrackets%5D%20%7Bbraces%7D%20%7C%5E%60%5C'],
  [asUrlText, 'é and 😀', '%C3%A9%20and%20%F0%9F%98%80'],
  [asUrlText, 'lone \ud800 surrogate', 'lone%20%EF%BF%BD%20surrogate'],
  [asUrlText, "$filter=id eq 'x'&$top=1", "$filter=id%20eq%20'x'&$top=1"],
  [unreservedDecoded, '%69dentity', 'identity'],
  [unreservedDecoded, '%41%5A%61%7a%30%39%2D%2e%5F%7E', 'AZaz09-._~'],
  [unreservedDecoded, '%2F%2f%20%27%25%24%28', '%2F%2f%20%27%25%24%28'],
  [unreservedDecoded, '%%341', '%41'],
  [unreservedDecoded, 'no escapes', 'no escapes'],
];

it.each(cases)('%p(%j) is %j', (change, text, expected) => {
  expect(change(text)).toBe(expected);
});
