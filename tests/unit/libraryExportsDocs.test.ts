// Every value the package's entry points export is named in the documentation a library user reads: an export
// nobody is told about is one nobody can rely on.
import { describe, expect, it } from '@jest/globals';
import * as library from 'graph-accesspackages-emulator';
import * as jestEntry from '../../server/jest/index.js';
import { readPage } from '../support/markdown.js';

const pages = ['README.md', 'docs/test-suites.md', 'docs/ci.md'].map(readPage).join('\n');

describe('the library documentation', () => {
  it.each([
    ['graph-accesspackages-emulator', Object.keys(library)],
    ['graph-accesspackages-emulator/jest', Object.keys(jestEntry)],
  ])('names every export of %s', (_entry, names) => {
    expect(names.filter((name) => !pages.includes(`\`${name}`))).toEqual([]);
  });
});
