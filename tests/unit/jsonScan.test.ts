// The request journal's scans of JSON that may be cut or broken, and of the URLs in an answer: the same matches as
// the patterns they replace, for any text, in one pass where those took time quadratic in the text.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { urlsWithoutSecrets } from '../../server/http/journalAnswer.js';
import { leaves, otherFields, replaceStringFields } from '../../server/http/jsonScan.js';

// A backslash takes any character after it (the `s` flag), a line terminator included; a value cut at the text's
// end may end in a lone backslash (a body cut inside an escape).
const STRING_FIELD = /("((?:[^"\\]|\\.)*)"\s*:\s*)"((?:[^"\\]|\\.)*(?:\\(?=$))?)("|$)/gs;
const OTHER_FIELD = /"((?:[^"\\]|\\.)*)"\s*:\s*(?=[-\d[{tfn])/gs;
const LEAF = /"((?:[^"\\]|\\.)*)"|-?\d[\d.eE+-]*/gs;
const URL_QUERY = /(https?:\/\/[^\s"<>?#]*\?)([^\s"<>#]*)/gi;

/** Texts of the characters these scans care about: quotes, escapes, colons, spaces, line ends, digits, brackets. */
const text = (chars: string[], maxLength = 40) => fc.array(fc.constantFrom(...chars), { maxLength }).map((c) => c.join(''));
const JSONISH = ['"', '\\', ':', ' ', '\n', 'a', '1', '-', '{', '[', 't', 'n', 'e', '.', ','];
const URLISH = ['h', 't', 'p', 's', ':', '/', '?', '#', '=', '&', ' ', '"', 'H', 'T', 'P', 'x'];
/**
 * Texts made of pieces of JSON, so that names, colons and values meet more often than among single characters, with
 * every line terminator (a backslash before one is no escape for `.`), a tab, and the digits at each end of 0–9.
 */
const JSON_PIECES = [
  '"',
  '\\',
  '"a"',
  '"b": ',
  ':',
  ': "',
  '\\"',
  '" "',
  '0',
  '9',
  '-1',
  '{',
  '}',
  '[',
  'true',
  'null',
  ',',
  '\r',
  '\n',
  '\u2028',
  '\u2029',
  '\t',
  'e',
  '.',
];
const jsonPieces = text(JSON_PIECES, 24);

/** A replacement that shows every argument it was given, so that two scans agree only if every argument does. */
const shown = (...parts: string[]) => `<${parts.join('|')}>`;

describe('replaceStringFields', () => {
  it('replaces the fields the pattern replaced, with the same arguments', () => {
    fc.assert(
      fc.property(text(JSONISH), (t) => {
        expect(replaceStringFields(t, (f, h, n, v, c) => shown(f, h, n, v, c))).toBe(t.replace(STRING_FIELD, (f, h, n, v, c) => shown(f, h, n, v, c)));
      }),
      { numRuns: 5000 },
    );
  });

  it('replaces the same fields in texts made of pieces of JSON and every line terminator', () => {
    fc.assert(
      fc.property(jsonPieces, (t) => {
        expect(replaceStringFields(t, (f, h, n, v, c) => shown(f, h, n, v, c))).toBe(t.replace(STRING_FIELD, (f, h, n, v, c) => shown(f, h, n, v, c)));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['{"password": "x", "a": 1}', '{<"password": "x"|"password": |password|x|">, "a": 1}'],
    ['{"client_secret":"cut here', '{<"client_secret":"cut here|"client_secret":|client_secret|cut here|>'],
    ['{"password":"cut in an escape\\', '{<"password":"cut in an escape\\|"password":|password|cut in an escape\\|>'],
    ['{"a\\"b": "v\\"w"}', '{<"a\\"b": "v\\"w"|"a\\"b": |a\\"b|v\\"w|">}'],
  ])('reads %j', (t, expected) => {
    expect(replaceStringFields(t, (f, h, n, v, c) => shown(f, h, n, v, c))).toBe(expected);
  });

  it('reads a megabyte of a string that never closes in one pass (the pattern took minutes)', () => {
    const broken = `{"a": 1, ${'"\\'.repeat(512 * 1024)}`;
    expect(replaceStringFields(broken, () => 'x')).toBe(broken);
  });
});

describe('otherFields and leaves', () => {
  it('find the fields and leaves the patterns found', () => {
    fc.assert(
      fc.property(text(JSONISH), (t) => {
        expect(otherFields(t)).toEqual([...t.matchAll(OTHER_FIELD)].map((m) => ({ index: m.index, name: m[1], value: m.index + m[0].length })));
        expect(leaves(t)).toEqual([...t.matchAll(LEAF)].map((m) => (m[1] === undefined ? { number: m[0] } : { string: m[1] })));
      }),
      { numRuns: 5000 },
    );
  });

  it('find the same fields and leaves in texts made of pieces of JSON and every line terminator', () => {
    fc.assert(
      fc.property(jsonPieces, (t) => {
        expect(otherFields(t)).toEqual([...t.matchAll(OTHER_FIELD)].map((m) => ({ index: m.index, name: m[1], value: m.index + m[0].length })));
        expect(leaves(t)).toEqual([...t.matchAll(LEAF)].map((m) => (m[1] === undefined ? { number: m[0] } : { string: m[1] })));
      }),
      { numRuns: 3000 },
    );
  });

  it.each(['"a":1": 2', '{"a": [1]x": {}}', '"a":1 "b":2', '"a": "b": 3'])(
    'find in %j the fields the pattern found, where a quote after a value opens no field',
    (t) => {
      expect(otherFields(t)).toEqual([...t.matchAll(OTHER_FIELD)].map((m) => ({ index: m.index, name: m[1], value: m.index + m[0].length })));
    },
  );

  it.each([
    ['\\n', '\n'],
    ['\\r', '\r'],
    ['U+2028', '\u2028'],
    ['U+2029', '\u2029'],
  ])('read a backslash before %s as an escape, so the string goes on to its closing quote', (_name, terminator) => {
    const t = `{"a": "x\\${terminator}", "b": "y"}`;
    expect(replaceStringFields(t, (f, h, n, v, c) => shown(f, h, n, v, c))).toBe(t.replace(STRING_FIELD, (f, h, n, v, c) => shown(f, h, n, v, c)));
    expect(leaves(t)).toEqual([...t.matchAll(LEAF)].map((m) => (m[1] === undefined ? { number: m[0] } : { string: m[1] })));
    expect(replaceStringFields(t, () => '<>')).toBe('{<>, <>}');
  });

  it('read a megabyte of quotes and escapes in one pass', () => {
    const broken = `{"a": [${'"\\'.repeat(512 * 1024)}`;
    expect(otherFields(broken)).toEqual([{ index: 1, name: 'a', value: 6 }]);
    expect(leaves(broken.slice(6))).toEqual([]);
  });
});

describe('urlsWithoutSecrets', () => {
  it('takes out the same secrets as the pattern it replaces', () => {
    const before = (t: string) =>
      t.includes('?')
        ? t.replace(URL_QUERY, (_u, head: string, query: string) => `${head}${urlsWithoutSecrets(`http://x?${query}`).slice('http://x?'.length)}`)
        : t;
    fc.assert(
      fc.property(
        fc.oneof(
          text(URLISH),
          text(URLISH).map((t) => `${t}?access_token=1&a=2${t}`),
        ),
        (t) => {
          expect(urlsWithoutSecrets(t)).toBe(before(t));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads a megabyte of URLs that start inside one another in one pass', () => {
    const many = `${'HTTP://'.repeat(150_000)}\tHTTP://x?access_token=secret`;
    expect(urlsWithoutSecrets(many)).toBe(`${'HTTP://'.repeat(150_000)}\tHTTP://x?access_token=REDACTED`);
  });
});
