// Every shell example of the documentation (README.md, docs/*.md, bench/README.md), run as written against a real
// emulator started as on a fresh clone: the generated `small` tenant with seed 42, bearer auth, a data file.
//
// Conventions the pages follow:
// - A ```sh or ```bash block runs in bash (-e -o pipefail) in an empty working directory, with
//   `127.0.0.1:4000` and `localhost:4000` pointed at the test's emulator; it must exit 0. Before each block the
//   data is reset to the fresh tenant and the fault rules are cleared, so every block stands on its own.
// - A block that cannot run here (it starts an emulator, needs Docker, runs for minutes) is preceded by an HTML
//   comment `<!-- no-run: why -->`; the reason is required.
// - A ```json, ```http or ```text block right after a run block (nothing but blank lines between) is what the
//   block prints. json: the same sequence of JSON values, with the same keys. http: the status line, the headers
//   shown (others may come too) and the body, as JSON. text: the same lines. In every shown string a GUID stands
//   for any GUID, a timestamp for any timestamp, and `…` for any text.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { childEnv, tempDir } from '../support/childProcess.js';
import { type EmulatorProcess, startEmulator } from '../support/emulatorProcess.js';
import { type Fence, documentationPages, fences, readPage, section } from '../support/markdown.js';

const SHELL = new Set(['sh', 'bash']);
const OUTPUT = new Set(['json', 'http', 'text']);
const NO_RUN = /<!--\s*no-run:(.*?)-->\s*$/s;

interface Example {
  name: string;
  script: string;
  shown?: Fence;
}

function examplesOf(page: string): { run: Example[]; skipped: { name: string; reason: string }[] } {
  const blocks = fences(readPage(page));
  const run: Example[] = [];
  const skipped: { name: string; reason: string }[] = [];
  blocks.forEach((block, i) => {
    if (!SHELL.has(block.lang)) return;
    const name = `${page}:${block.line}`;
    const marker = NO_RUN.exec(block.before);
    if (marker) {
      skipped.push({ name, reason: marker[1]!.trim() });
      return;
    }
    const next = blocks[i + 1];
    const shown = next && OUTPUT.has(next.lang) && next.before.trim() === '' ? next : undefined;
    run.push({ name, script: block.body, shown });
  });
  return { run, skipped };
}

const pages = documentationPages();
const all = pages.map(examplesOf);
const examples = all.flatMap((p) => p.run);
const skipped = all.flatMap((p) => p.skipped);

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const TIMESTAMP = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z?';
const WILDCARDS = new RegExp(`(${GUID})|(${TIMESTAMP})|(…)`, 'g');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A shown string as a pattern: its GUIDs, timestamps and `…` stand for any. */
function likeShown(shown: string): RegExp {
  let source = '';
  let last = 0;
  for (const match of shown.matchAll(WILDCARDS)) {
    source += escapeRegExp(shown.slice(last, match.index));
    source += match[1] ? GUID : match[2] ? TIMESTAMP : '.*';
    last = match.index + match[0].length;
  }
  source += escapeRegExp(shown.slice(last));
  return new RegExp(`^${source}$`, 's');
}

/** Top-level JSON objects and arrays one after the other, as several curl calls print them. */
function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
    } else if (depth === 0 && !/\s/.test(c)) throw new Error(`not JSON at offset ${i}: ${text.slice(i, i + 60)}`);
  }
  if (depth !== 0) throw new Error(`unfinished JSON: ${text.slice(start, start + 60)}`);
  return values;
}

/** Where `actual` differs from what the page shows, as paths with both values. */
function differences(actual: unknown, shown: unknown, at = '$'): string[] {
  if (typeof shown === 'string')
    return typeof actual === 'string' && likeShown(shown).test(actual) ? [] : [`${at}: shown ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual) || actual.length !== shown.length) return [`${at}: shown ${shown.length} items, got ${JSON.stringify(actual)}`];
    return shown.flatMap((item, i) => differences(actual[i], item, `${at}[${i}]`));
  }
  if (shown !== null && typeof shown === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: shown an object, got ${JSON.stringify(actual)}`];
    const keys = (o: object) => Object.keys(o).sort().join(',');
    if (keys(actual) !== keys(shown)) return [`${at}: shown keys ${keys(shown)}, got ${keys(actual)}`];
    return Object.entries(shown).flatMap(([key, value]) => differences((actual as Record<string, unknown>)[key], value, `${at}.${key}`));
  }
  return actual === shown ? [] : [`${at}: shown ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
}

function jsonDifferences(actual: string, shown: string): string[] {
  const got = jsonValues(actual);
  const expected = jsonValues(shown);
  if (got.length !== expected.length) return [`shown ${expected.length} JSON values, got ${got.length}: ${actual}`];
  return expected.flatMap((value, i) => differences(got[i], value, `value ${i + 1}`));
}

function textDifferences(actual: string, shown: string): string[] {
  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trimEnd()
      .split('\n');
  const [got, expected] = [lines(actual), lines(shown)];
  if (got.length !== expected.length) return [`shown ${expected.length} lines, got ${got.length}: ${actual}`];
  return expected.flatMap((line, i) => (likeShown(line).test(got[i]!) ? [] : [`line ${i + 1}: shown ${line}, got ${got[i]}`]));
}

function httpDifferences(actual: string, shown: string): string[] {
  const split = (text: string) => {
    const normal = text.replaceAll('\r\n', '\n');
    const end = normal.indexOf('\n\n');
    return end === -1 ? { head: normal.trimEnd(), body: '' } : { head: normal.slice(0, end), body: normal.slice(end + 2) };
  };
  const got = split(actual);
  const expected = split(shown);
  const [gotStatus, ...gotHeaders] = got.head.split('\n');
  const [shownStatus, ...shownHeaders] = expected.head.split('\n');
  const found: string[] = [];
  if (!likeShown(shownStatus!).test(gotStatus!)) found.push(`status: shown ${shownStatus}, got ${gotStatus}`);
  const headerMap = new Map(gotHeaders.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  for (const line of shownHeaders) {
    const name = line.slice(0, line.indexOf(':'));
    const value = headerMap.get(name.toLowerCase());
    if (value === undefined || !likeShown(line.slice(line.indexOf(':') + 1).trim()).test(value)) found.push(`header: shown ${line}, got ${value ?? 'none'}`);
  }
  if (expected.body.trim() !== '') found.push(...jsonDifferences(got.body, expected.body));
  return found;
}

function outputDifferences(stdout: string, shown: Fence): string[] {
  if (shown.lang === 'json') return jsonDifferences(stdout, shown.body);
  if (shown.lang === 'http') return httpDifferences(stdout, shown.body);
  return textDifferences(stdout, shown.body);
}

const LOCAL_4000 = /\b(?:127\.0\.0\.1|localhost):4000\b/g;

describe('the shell examples of the documentation', () => {
  let emulator: EmulatorProcess;
  let origin: string;
  beforeAll(async () => {
    emulator = await startEmulator([], { FIXTURES: 'small', SEED: '42', AUTH: 'bearer', DATA_FILE: path.join(tempDir(), 'db.json') });
    origin = emulator.url.replace(/^https?:\/\//, '');
  });
  afterAll(async () => {
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
  });

  it('are there to run, and every one that does not run says why', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    expect(skipped.filter(({ reason }) => reason.length < 10)).toEqual([]);
  });

  it('keep the two newcomer commands in the README quick start', () => {
    const quickStart = section('README.md', 'Quick start');
    expect(quickStart).toContain('npm ci && npm start');
    expect(quickStart).toMatch(/^npm test\b/m);
    expect(quickStart).toContain('docs/');
  });

  it.each(examples.map((example) => [example.name, example] as const))('%s', async (_name, example) => {
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
    const script = example.script.replace(LOCAL_4000, origin);
    const result = await promisify(execFile)('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: tempDir('docs-example-'),
      env: childEnv({}),
      encoding: 'utf8',
      timeout: 10_000,
    }).catch((err: { code: number; stdout: string; stderr: string }) => err);
    expect({ exit: 'code' in result ? result.code : 0, stderr: 'code' in result ? result.stderr : '' }).toEqual({ exit: 0, stderr: '' });
    if (example.shown) expect(outputDifferences(result.stdout, { ...example.shown, body: example.shown.body.replace(LOCAL_4000, origin) })).toEqual([]);
  });
});
