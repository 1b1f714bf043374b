// Every environment variable the project's tests read (more runs, a seed to replay, another browser) is named in
// the documentation, where a contributor looks for how to run a suite longer or replay a failure.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/childProcess.js';
import { documentationPages, readPage } from '../support/markdown.js';

/** Node's and the shell's own, which no page needs to explain. */
const SYSTEM = new Set(['PATH', 'HOME', 'TMPDIR', 'NODE_OPTIONS', 'NODE_ENV']);

function testFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const file = `${folder}/${entry.name}`;
    return entry.isDirectory() ? testFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe("the tests' environment variables", () => {
  it('are each named in the documentation', () => {
    const read = new Set(
      testFiles('tests').flatMap((file) =>
        [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)].map(
          (m) => m[1] ?? m[2]!,
        ),
      ),
    );
    const docs = documentationPages().map(readPage).join('\n');
    expect([...read].filter((name) => !SYSTEM.has(name) && !new RegExp(`\\b${name}\\b`).test(docs)).sort()).toEqual([]);
  });
});
