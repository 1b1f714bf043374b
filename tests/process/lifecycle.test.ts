// The real entry point as a child process: start, serve, stop on signals, and guard its data file.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, said, spawnEmulator, startEmulator, tempDir } from '../support/emulatorProcess.js';
import { CLI_MAIN, spawnProcess, tracked } from '../support/childProcess.js';
import { PACKAGES } from '../support/graph.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { generateDataset } from '../../server/tenantData/generate.js';

async function create(url: string, displayName: string): Promise<{ id: string }> {
  const res = await fetch(`${url}${PACKAGES}`, {
    method: 'POST',
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

/**
 * A preload (for `node --require`) that sends `signal` to its own process the first time it opens a file `when`
 * accepts: the same moment of the start on every run, unlike a signal sent after a delay.
 */
async function signalOnOpen(dir: string, signal: NodeJS.Signals, when: 'bundle' | 'data'): Promise<string> {
  const preload = path.join(dir, `${signal}On${when}.cjs`);
  await writeFile(
    preload,
    `const fs = require('node:fs');
let sent = false;
const send = () => { sent = true; process.kill(process.pid, '${signal}'); };
${
  when === 'bundle'
    ? `// As the entry starts reading the bundle (its first file access): as early as the entry can be reached.
const read = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  if (!sent && String(file).endsWith('cli.cjs')) send();
  return read.call(this, file, ...rest);
};
require('node:module').syncBuiltinESMExports();`
    : `// As the store opens the data file to read it, once the start holds its lock.
const open = fs.promises.open;
fs.promises.open = function (file, ...rest) {
  if (!sent && String(file).endsWith('db.json') && fs.existsSync(process.env.DATA_FILE + '.lock')) send();
  return open.call(this, file, ...rest);
};`
}
`,
  );
  return preload;
}

describe('the emulator process', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('serves health, creates, and on SIGTERM flushes the data file and exits 0', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    const emulator = await startEmulator([], { DATA_FILE: file });
    const health = await fetch(`${emulator.url}/_emulator/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: path.basename(file) });
    const created = await create(emulator.url, 'Survives shutdown');
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
    expect(emulator.stdout()).toContain('stopped: data flushed');
    const data = JSON.parse(await readFile(file, 'utf8'));
    expect(data.accessPackages).toEqual([expect.objectContaining({ id: created.id, displayName: 'Survives shutdown' })]);
    expect(await readFile(`${file}.journal`, 'utf8')).toBe('');
  });

  it('refuses a second process on the same data file with a clear message', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    const first = await startEmulator([], { DATA_FILE: file });
    const second = spawnEmulator([], { DATA_FILE: file });
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`The data file ${file} is in use by another emulator process (pid ${first.child.pid})`);
    // The first one is unharmed.
    expect((await fetch(`${first.url}/_emulator/health`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('a second start while the holder is paused gives up after 2 s, saying so, and the holder, resumed, serves on', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const first = await startEmulator([], { DATA_FILE: file });
    // Ctrl-Z, docker pause: the second start's connection waits in the holder's queue, and the holder answers it
    // once resumed, after the second start has closed its end.
    first.child.kill('SIGSTOP');
    const second = spawnEmulator([], { DATA_FILE: file });
    expect(await second.exited).toBe(1);
    first.child.kill('SIGCONT');
    expect(second.stderr()).toBe(
      `error: The data file ${file} is in use by another emulator process, which did not answer within 2 s (paused, or busy). Stop it, or give this one its own DATA_FILE.\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await create(first.url, 'after the pause')).toMatchObject({ id: expect.any(String) });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toBe('');
  });

  const canDropRoot = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
  (canDropRoot ? it : it.skip)(
    `another user, who may not connect to the lock, is refused and leaves it to its holder${canDropRoot ? '' : ' (skipped: needs root and setpriv to run as nobody)'}`,
    async () => {
      // A folder every user may write: the lock socket (mode 0755 under umask 022) refuses other users' connections.
      // Made in /tmp, which every user may enter (the suite's scratch folder, TMPDIR, is this user's alone).
      const dir = await mkdtemp('/tmp/emulator-shared-');
      await chmod(dir, 0o777);
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const file = path.join(dir, 'db.json');
      const first = await startEmulator([], { DATA_FILE: file });
      const other = spawnProcess('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...CLI_MAIN], {
        PORT: '0',
        DATA_FILE: file,
      });
      expect(await other.exited).toEqual({ code: 1, signal: null });
      expect(other.stderr()).toBe(
        `error: Cannot tell whether the lock ${file}.lock is held: connecting to it failed (EACCES), as it does for a lock of another user's emulator. Run this emulator as the user that owns the data, or give it its own DATA_FILE.\n`,
      );
      // The lock is still the holder's: a third start is refused, and no write of the first is lost.
      expect((await lstat(`${file}.lock`)).isSocket()).toBe(true);
      const third = spawnEmulator([], { DATA_FILE: file });
      expect(await third.exited).toBe(1);
      expect(third.stderr()).toContain(`is in use by another emulator process (pid ${first.child.pid})`);
      const created = await create(first.url, 'kept');
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(JSON.parse(await readFile(file, 'utf8')).accessPackages).toEqual([expect.objectContaining({ id: created.id })]);
    },
  );

  it('takes over at once from a holder killed with SIGKILL, with every acknowledged record', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    const first = await startEmulator([], { DATA_FILE: file });
    const acked = await Promise.all(['one', 'two', 'three'].map((name) => create(first.url, name)));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const started = Date.now();
    const second = await startEmulator([], { DATA_FILE: file });
    expect(Date.now() - started).toBeLessThan(15_000);
    const health = (await (await fetch(`${second.url}/_emulator/health`)).json()) as { records: { accessPackages: number } };
    expect(health.records.accessPackages).toBe(3);
    for (const { id } of acked) {
      const body = JSON.parse(await readFile(file, 'utf8')) as { accessPackages: { id: string }[] };
      expect(body.accessPackages.map((r) => r.id)).toContain(id);
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('exits non-zero on a data file that does not parse, naming it and leaving it untouched', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    await writeFile(file, '{"accessPackages": [ {"id": ');
    const proc = spawnEmulator([], { DATA_FILE: file });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain(`The data file ${file} is not valid JSON`);
    expect(await readFile(file, 'utf8')).toBe('{"accessPackages": [ {"id": ');
  });

  it('exits 2 with a message for a bad setting, and prints help', async () => {
    const bad = spawnEmulator(['--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toBe("error: --port must be a whole number from 0 to 65535; got 'eighty'.\n");
    const help = spawnEmulator(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('DATA_FILE');
  });

  it('npm start forwards SIGTERM to the emulator, which flushes before exiting', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    const npm = tracked(
      spawn('npm', ['start', '--silent'], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', PORT: '0', FIXTURES: 'empty', DATA_FILE: file } }),
    );
    let out = '';
    npm.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise((resolve) => npm.on('exit', (code, signal) => resolve({ code, signal })));
    const url = await new Promise<string>((resolve) => {
      npm.stdout.on('data', () => {
        const match = /listening on (\S+)\/beta/.exec(out);
        if (match) resolve(match[1]!);
      });
    });
    const created = await create(url, 'via npm start');
    npm.kill('SIGTERM');
    // npm reports the script's own exit: node caught the signal and exited 0, nothing was killed.
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(out).toContain('stopped: data flushed');
    const data = JSON.parse(await readFile(file, 'utf8'));
    expect(data.accessPackages.map((r: { id: string }) => r.id)).toEqual([created.id]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s during start-up, as the data file is read, stops the start: the data file is closed, nothing listens, exit 0',
    async (signal) => {
      const dir = await tempDir();
      const file = path.join(dir, 'db.json');
      const written = serializeDataset(generateDataset({ seed: 3, accessPackages: 50, accessPackageCatalogs: 5, referenceDate: '2026-11-01T00:00:00Z' }));
      await writeFile(file, written);
      const preload = await signalOnOpen(dir, signal, 'data');
      const proc = spawnProcess(process.execPath, ['--require', preload, ...CLI_MAIN], { PORT: '0', FIXTURES: 'empty', DATA_FILE: file });
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(said(proc.stdout())).toEqual([`${signal} during start-up: stopping before serving`, 'stopped before serving']);
      expect(proc.stderr()).toBe('');
      // The lock is released and the data is as it was, byte for byte.
      expect(existsSync(`${file}.lock`)).toBe(false);
      expect(await readFile(file, 'utf8')).toBe(written);
    },
  );

  it('a SIGTERM at the first thing the entry does, before the command line is loaded, still stops the start with exit 0', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    const preload = await signalOnOpen(dir, 'SIGTERM', 'bundle');
    const proc = spawnProcess(process.execPath, ['--require', preload, ...CLI_MAIN], { PORT: '0', DATA_FILE: file });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.stderr()).toBe('');
    // Noted while the bundle loads, the signal is taken over with the command line's own handlers: the start stops
    // before serving, or, when it is handed on only once the emulator listens, the emulator stops as usual.
    expect(said(proc.stdout()).join('\n')).toMatch(
      /^(SIGTERM during start-up: stopping before serving\nstopped before serving|Graph accessPackages emulator listening on .*\nSIGTERM: finishing in-flight requests and flushing data\nstopped: data flushed)$/,
    );
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('a SIGUSR1 as the entry starts, before the command line is loaded, opens no inspector either: noted, said, and the emulator serves', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    // Node's default for it opens an inspector on 127.0.0.1:9229.
    const preload = await signalOnOpen(dir, 'SIGUSR1', 'bundle');
    const proc = spawnProcess(process.execPath, ['--require', preload, ...CLI_MAIN], { PORT: '0', DATA_FILE: file });
    try {
      const [, url] = await proc.waitFor(/listening on (\S+)\/beta/);
      expect(said(proc.stdout()).slice(0, 2)).toEqual([
        'SIGUSR1: ignored; the emulator opens no inspector on a signal (run it with node --inspect to debug it)',
        expect.stringMatching(/^Graph accessPackages emulator listening on http:\/\/127\.0\.0\.1:\d+\/beta /),
      ]);
      expect(await create(url!, 'served on')).toMatchObject({ displayName: 'served on' });
    } finally {
      // Stopped whatever failed above: a failed expectation must not leave an emulator (and an inspector) running.
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    // Node writes "Debugger listening on ws://…" here when it opens one.
    expect(proc.stderr()).toBe('');
  });
});
