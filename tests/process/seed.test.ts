import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateDataset } from '../../server/tenantData/generate.js';
import { PACKAGE_ROOT } from '../../server/paths.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { bundledSource, childEnv, removeBundles, tracked } from '../support/childProcess.js';
import { startEmulator } from '../support/emulatorProcess.js';
import { fences, section } from '../support/markdown.js';

const run = promisify(execFile);
/**
 * server/bin/seed.ts bundled, run on plain node: what `npm run seed` runs through tsx (the npm case below runs it
 * so), at a third of the CPU of each start.
 */
let SEED_COMMAND: string[];
const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';

async function seed(args: string[], env: Record<string, string> = {}) {
  try {
    const options = { cwd: PACKAGE_ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } };
    const { stdout, stderr } = await run(process.execPath, [...SEED_COMMAND, ...args], options);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run seed', () => {
  beforeAll(async () => {
    SEED_COMMAND = [await bundledSource('server/bin/seed.ts')];
  });
  afterAll(removeBundles);

  it('writes the generated tenant byte for byte, the same on every run, and the emulator serves it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
    const file = path.join(dir, 'big.json');
    try {
      const result = await seed(['--count', '300', '--seed', '7', '--reference-date', '2026-11-01', '--out', file]);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /^Wrote 300 access packages in 30 catalogs \(seed 7, reference date 2026-11-01T00:00:00\.000Z\) to .*big\.json in \d+\.\d s\.\n$/,
      );
      const written = await readFile(file, 'utf8');
      expect(written).toBe(serializeDataset(generateDataset({ seed: 7, accessPackages: 300, accessPackageCatalogs: 30, referenceDate: REFERENCE_DATE })));
      expect((await seed(['--count', '300', '--seed', '7', '--reference-date', REFERENCE_DATE])).stdout).toBe(written);

      // A file that already holds data is served as it is: FIXTURES only seeds a fresh store.
      const { url, child, exited } = await startEmulator([], { DATA_FILE: file, FIXTURES: 'paging' });
      try {
        const health = await fetch(`${url}/_emulator/health`);
        expect(health.headers.get('content-type')).toMatch(/^application\/json/);
        expect(await health.json()).toMatchObject({ status: 'ok', store: path.basename(file), records: { accessPackages: 300, accessPackageCatalogs: 30 } });
        expect(await (await fetch(`${url}/_emulator/export`)).text()).toBe(written);
        // The emulator holds the file: the seed command refuses to overwrite it.
        const refused = await seed(['--count', '5', '--out', file]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/^error: The data file .*big\.json is in use by another emulator process \(pid \d+\)/);
      } finally {
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
      expect(await readFile(file, 'utf8')).toBe(written);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints valid JSON through npm, as docs/data-and-persistence.md runs it (npm run -s, without --out)', async () => {
    const shown = fences(section('docs/data-and-persistence.md', 'A big tenant'))
      .flatMap((f) => f.body.split('\n'))
      .find((line) => /^npm run -s seed -- .*> \S+\.json\s*$/.test(line));
    expect(shown).toBeDefined();
    const command = shown!.slice(0, shown!.indexOf('>')).trim().split(/\s+/);
    expect(command.slice(0, 3)).toEqual(['npm', 'run', '-s']);
    const { stdout } = await run('npm', command.slice(1), { cwd: PACKAGE_ROOT, maxBuffer: 64 * 1024 * 1024, env: childEnv({}) });
    const count = Number(command[command.indexOf('--count') + 1]);
    expect((JSON.parse(stdout) as { accessPackages: unknown[] }).accessPackages).toHaveLength(count);
  });

  it('gives the same bytes under other time zones and locales', async () => {
    const expected = serializeDataset(generateDataset({ seed: 3, accessPackages: 40, accessPackageCatalogs: 4, referenceDate: REFERENCE_DATE }));
    const places = [
      { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      { TZ: 'America/Adak', LANG: 'ar_SA.UTF-8', LC_ALL: 'ar_SA.UTF-8' },
    ];
    const runs = await Promise.all(places.map((env) => seed(['--count', '40', '--seed', '3', '--reference-date', '2026-11-01'], env)));
    expect(runs.map((r) => ({ code: r.code, same: r.stdout === expected }))).toEqual(places.map(() => ({ code: 0, same: true })));
  });

  it('dates the tenant from the time of generation by default, and prints the date that reproduces the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
    const file = path.join(dir, 'now.json');
    try {
      const before = Date.now();
      const result = await seed(['--count', '40', '--seed', '3', '--out', file]);
      const after = Date.now();
      expect(result.code).toBe(0);
      const used = /reference date (\S+)\)/.exec(result.stderr)?.[1] ?? '';
      expect(Date.parse(used)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(used)).toBeLessThanOrEqual(after);
      const again = serializeDataset(generateDataset({ seed: 3, accessPackages: 40, accessPackageCatalogs: 4, referenceDate: used }));
      expect(await readFile(file, 'utf8')).toBe(again);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ends with one line and exit 3, no stack trace, when the reader of its standard output goes away (npm run -s seed | head)', async () => {
    // 2,000 packages are 4 MB, 60 times what the pipe holds; the text is written a megabyte at a time, each write
    // waiting for the pipe.
    const child = tracked(
      spawn(process.execPath, [...SEED_COMMAND, '--count', '2000', '--reference-date', '2026-11-01'], {
        cwd: PACKAGE_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // A reader that goes away after the first piece, as `npm run -s seed | head` does.
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number];
    expect({ code, stderr }).toEqual({ code: 3, stderr: 'error: Cannot write the tenant to standard output: the reader closed the pipe (EPIPE).\n' });
  });

  it('counts the built-in General catalog it always writes, also for --catalogs 0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
    const file = path.join(dir, 'general.json');
    try {
      const result = await seed(['--count', '5', '--catalogs', '0', '--reference-date', '2026-11-01', '--out', file]);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^Wrote 5 access packages in 1 catalog \(seed 42, reference date 2026-11-01T00:00:00\.000Z\) to /);
      const written = JSON.parse(await readFile(file, 'utf8')) as { accessPackageCatalogs: { displayName: string }[] };
      expect(written.accessPackageCatalogs.map((c) => c.displayName)).toEqual(['General']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['its journal', '.journal'],
    ['a journal retired by an unfinished compaction', '.journal.3'],
  ])('refuses (exit 1) to overwrite a data file while %s holds unsaved changes, and leaves both alone', async (_name, suffix) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
    const file = path.join(dir, 'db.json');
    const journalLine = '{"op":"del","c":"accessPackages","id":"x"}\n';
    try {
      await writeFile(file, '{"accessPackages": []}');
      await writeFile(`${file}${suffix}`, journalLine);
      const result = await seed(['--count', '5', '--out', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${file}${suffix} holds unsaved changes of an emulator data file`);
      expect(await readFile(file, 'utf8')).toBe('{"accessPackages": []}');
      expect(await readFile(`${file}${suffix}`, 'utf8')).toBe(journalLine);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each(['data/', 'data/.'])('refuses (exit 2) --out %s, a folder, and writes nothing', async (out) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
    try {
      const given = `${dir}/${out}`;
      const result = await seed(['--count', '5', '--out', given]);
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
      // Then the usage, as for every usage mistake.
      expect(result.stderr).toMatch(
        new RegExp(
          `^error: --out must name a file, not a folder; got '${given}'\\. Name the file in it, such as ${given.replace(/\/?$/, '/')}db\\.json\\.\n\nUsage: `,
        ),
      );
      // It wrote a file named data, where the folder data was meant.
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'a package.json',
      '{"name": "my-app", "version": "1.0.0"}\n',
      "is not an emulator data file: it has no \"dataFormat\" marker, and its keys ('name', 'version') are not the emulator's collections. It was left untouched; choose another --out.",
    ],
    ['notes that are not JSON', 'remember the milk\n', 'is not valid JSON ('],
  ])('refuses (exit 1) to overwrite %s, and leaves it as it was', async (_name, text, message) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
    const file = path.join(dir, 'package.json');
    try {
      await writeFile(file, text);
      const result = await seed(['--count', '5', '--out', file]);
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
      expect(result.stderr).toContain(`error: The data file ${file} ${message}`);
      expect(await readFile(file, 'utf8')).toBe(text);
      // A data file, an empty file or none is written over.
      await writeFile(file, '');
      expect((await seed(['--count', '5', '--out', file])).code).toBe(0);
      expect((await seed(['--count', '6', '--out', file])).code).toBe(0);
      expect((JSON.parse(await readFile(file, 'utf8')) as { accessPackages: unknown[] }).accessPackages).toHaveLength(6);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names --out, not DATA_FILE, when --out is a directory (exit 3)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
    try {
      const result = await seed(['--count', '1', '--out', dir]);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`error: The data file ${await realpath(dir)} is a directory (EISDIR); --out must name a file.\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--count', 'many'], "error: --count must be a whole number from 0 to 1000000; got 'many'."],
    [['--seed=1.5'], "error: --seed must be a whole number from 0 to 2147483647; got '1.5'."],
    [['--rows', '5'], "error: Unknown option '--rows'"],
    [
      ['--reference-date', '2026-11-01T10:00'],
      "error: --reference-date must be a date such as 2026-11-01 or a date-time with its offset such as 2026-11-01T09:30:00Z, from 1970 to 9999 in UTC; got '2026-11-01T10:00'.",
    ],
    [
      ['--reference-date', '9999-12-31T23:59:59-14:00'],
      "error: --reference-date must be a date such as 2026-11-01 or a date-time with its offset such as 2026-11-01T09:30:00Z, from 1970 to 9999 in UTC; got '9999-12-31T23:59:59-14:00'.",
    ],
    [['--out', ''], "error: --out must name a file; got ''."],
  ])('exits 2 with usage for %j', async (args, message) => {
    const result = await seed(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npm run seed -- --count N');
  });
});
