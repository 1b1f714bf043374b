import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateDataset } from '../../server/tenantData/generate.js';
import { PACKAGE_ROOT } from '../../server/paths.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { startEmulator } from '../support/emulatorProcess.js';

const run = promisify(execFile);
const SEED_COMMAND = ['--import', 'tsx', 'server/bin/seed.ts'];

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
  it('writes the generated tenant byte for byte, the same on every run, and the emulator serves it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
    const file = path.join(dir, 'big.json');
    try {
      const result = await seed(['--count', '300', '--seed', '7', '--out', file]);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^Wrote 300 access packages in 30 catalogs \(seed 7\) to .*big\.json in \d+\.\d s\.\n$/);
      const written = await readFile(file, 'utf8');
      expect(written).toBe(serializeDataset(generateDataset({ seed: 7, accessPackages: 300, accessPackageCatalogs: 30 })));
      expect((await seed(['--count', '300', '--seed', '7'])).stdout).toBe(written);

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

  it('gives the same bytes under another time zone and locale', async () => {
    const elsewhere = await seed(['--count', '40', '--seed', '3'], { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toBe(serializeDataset(generateDataset({ seed: 3, accessPackages: 40, accessPackageCatalogs: 4 })));
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

  it.each([
    [['--count', 'many'], "error: --count must be a whole number from 0 to 1000000; got 'many'."],
    [['--seed=1.5'], "error: --seed must be a whole number from 0 to 2147483647; got '1.5'."],
    [['--rows', '5'], "error: Unknown option '--rows'"],
  ])('exits 2 with usage for %j', async (args, message) => {
    const result = await seed(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npm run seed -- --count N');
  });
});
