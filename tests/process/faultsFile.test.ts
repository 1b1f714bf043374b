// FAULTS_FILE / --faults through the real entry point: a bad file stops the start with exit 2.
import { describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnEmulator, startEmulator, tempDir } from '../support/emulatorProcess.js';
import { PACKAGES } from '../support/graph.js';

async function faultsFile(content: string): Promise<string> {
  const file = path.join(await tempDir('faults-'), 'faults.json');
  await writeFile(file, content);
  return file;
}

describe('faults file at start', () => {
  it('exits 2 naming the bad field of an invalid file', async () => {
    const file = await faultsFile(JSON.stringify({ rules: [{ method: 'POST', status: 503, probability: 3 }] }));
    const proc = spawnEmulator(['--faults', file], { DATA_FILE: ':memory:' });
    expect(await proc.exited).toBe(2);
    expect(proc.stderr()).toBe(`error: Faults file '${file}': rules[0].probability must be <= 1.\n`);
    expect(proc.stdout()).toBe('');
  });

  it('exits 2 for a file that is not JSON, or is not there', async () => {
    const file = await faultsFile('{"rules": [');
    const broken = spawnEmulator([], { DATA_FILE: ':memory:', FAULTS_FILE: file });
    expect(await broken.exited).toBe(2);
    expect(broken.stderr()).toContain(`error: The faults file ${file} is not valid JSON: `);
    const missing = spawnEmulator(['--faults', '/nonexistent/faults.json'], { DATA_FILE: ':memory:' });
    expect(await missing.exited).toBe(2);
    expect(missing.stderr()).toMatch(/^error: Cannot read the faults file \/nonexistent\/faults.json: ENOENT/);
  });

  it('applies the rules and the throttling profile of a valid file', async () => {
    const settings = {
      rules: [{ method: 'POST', path: PACKAGES, status: 503, retryAfter: 2, after: 1, times: 1 }],
      throttle: { capacity: 100, refillPerSecond: 10 },
    };
    const emulator = await startEmulator(['--faults', await faultsFile(JSON.stringify(settings)), '--seed', '9'], { DATA_FILE: ':memory:' });
    const post = () =>
      fetch(`${emulator.url}${PACKAGES}`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: '{"displayName":"x"}',
      });
    try {
      const first = await post();
      expect(first.status).toBe(201);
      expect(first.headers.get('x-ms-resource-unit')).toBe('1');
      const second = await post();
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('2');
      expect(await second.json()).toMatchObject({ error: { code: 'ServiceUnavailable', innerError: { 'request-id': second.headers.get('request-id') } } });
      expect((await post()).status).toBe(201);
      const admin = await (await fetch(`${emulator.url}/_emulator/faults`)).json();
      expect(admin).toEqual({ rules: [{ ...settings.rules[0], matched: 3, fired: 1 }], throttle: settings.throttle });
    } finally {
      emulator.child.kill('SIGTERM');
    }
    expect(await emulator.exited).toBe(0);
  });
});

describe('faults set through the admin API', () => {
  it('are held in memory: a restart on the same data file starts again from the faults file, which is left as it was', async () => {
    const dir = await tempDir('faults-restart-');
    const fromFile = { rules: [{ name: 'from the file', method: 'POST', status: 503 }] };
    const file = path.join(dir, 'faults.json');
    await writeFile(file, JSON.stringify(fromFile));
    const env = { DATA_FILE: path.join(dir, 'db.json'), FAULTS_FILE: file };
    const rules = async (url: string) => (await fetch(`${url}/_emulator/faults`)).json();

    const first = await startEmulator([], env);
    try {
      const put = await fetch(`${first.url}/_emulator/faults`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rules: [{ name: 'from the API', status: 500 }], throttle: { capacity: 5, refillPerSecond: 1 } }),
      });
      expect(put.status).toBe(200);
      expect(await rules(first.url)).toEqual({
        rules: [{ name: 'from the API', status: 500, matched: 0, fired: 0 }],
        throttle: { capacity: 5, refillPerSecond: 1 },
      });
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);

    const second = await startEmulator([], env);
    try {
      expect(await rules(second.url)).toEqual({ rules: [{ ...fromFile.rules[0], matched: 0, fired: 0 }] });
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(fromFile);
  });
});
