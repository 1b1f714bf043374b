// Every regular expression written in server/ is checked for time that grows faster than its input (recheck, a
// ReDoS checker: https://makenowjust-labs.github.io/recheck/): a pattern run over what a request sends must be
// linear in it. Five, run only over what the emulator itself or its configuration wrote, are allowed, each with its
// reason; any other pattern that recheck finds vulnerable fails here, naming its file, line and an attack string.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { ROOT } from '../support/childProcess.js';

/** Patterns recheck calls polynomial, and why none of them meets what a request sends. */
const ALLOWED = new Map([
  ["server/errors.ts /, \\w+ '.*'$/", "a system error's own message (Node's, naming a file of the configuration)"],
  ['server/listener.ts /\\/+$/', 'BASE_URL, from the configuration'],
  ['server/settingValues.ts /\\/+$/', 'BASE_URL, from the configuration'],
  ['server/metadata/xmlTree.ts /([\\w:.-]+)="([^"]*)"/g', 'the CSDL document the emulator ships'],
  [
    'server/odata/filterTokens.ts /-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[LlMmDdFf]?(?![\\w.])/y',
    'sticky: tried once at a token start, where it fails or takes its run, linear in the $filter text',
  ],
]);

function serverFiles(dir: string): string[] {
  return ts.sys.readDirectory(path.join(ROOT, dir), ['.ts']).map((file) => path.relative(ROOT, file));
}

function regexLiterals(file: string): { line: number; literal: string }[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { line: number; literal: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      found.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, literal: node.getText() });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the regular expressions of server/', () => {
  it('take time linear in their input, but the five run only over what the emulator or its configuration wrote', () => {
    const vulnerable: string[] = [];
    // A pattern written in several places (about one in five) is analysed once: recheck's answer depends only on it.
    const results = new Map<string, ReturnType<typeof checkSync>>();
    let checked = 0;
    for (const file of serverFiles('server')) {
      for (const { line, literal } of regexLiterals(file)) {
        const slash = literal.lastIndexOf('/');
        // g and y change where a search starts, not how a match is tried: recheck takes the pattern without them.
        const source = literal.slice(1, slash);
        const flags = literal.slice(slash + 1).replace(/[gy]/g, '');
        const key = `${flags}/${source}`;
        const result = results.get(key) ?? checkSync(source, flags, { timeout: 10_000 });
        results.set(key, result);
        checked += 1;
        if (result.status === 'safe' || ALLOWED.has(`${file} ${literal}`)) continue;
        const attack = result.status === 'vulnerable' ? ` (${result.complexity.summary}; attack ${result.attack.pattern})` : ` (${result.status})`;
        vulnerable.push(`${file}:${line} ${literal}${attack}`);
      }
    }
    expect(vulnerable).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  }, 120_000);
});
