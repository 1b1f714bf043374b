// Files removed or replaced from under a running emulator: its lock (taken for a stale one), its journal, its data
// file (a clean-up of the data folder, a copy put back over it), the baselines' index and stored datasets beside it.
// Each acknowledged write and saved baseline must still be there after a kill -9 and a restart, and a second start
// must still be refused.
import { describe, expect, it } from '@jest/globals';
import { copyFileSync, existsSync, lstatSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type EmulatorProcess, spawnEmulator, startEmulator, stdoutRecords, tempDir } from '../support/emulatorProcess.js';
import { PACKAGES } from '../support/graph.js';

async function create(url: string, displayName: string): Promise<void> {
  const res = await fetch(`${url}${PACKAGES}`, {
    method: 'POST',
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  expect([res.status, ((await res.json()) as { displayName: string }).displayName]).toEqual([201, displayName]);
}

/** The packages a restart after a kill -9 finds. */
async function afterKill(emulator: EmulatorProcess, file: string): Promise<string[]> {
  emulator.child.kill('SIGKILL');
  expect(await emulator.exited).toBe('SIGKILL');
  const next = await startEmulator([], { DATA_FILE: file });
  const exported = (await (await fetch(`${next.url}/_emulator/export`)).json()) as { accessPackages: { displayName: string }[] };
  next.child.kill('SIGTERM');
  expect(await next.exited).toBe(0);
  return exported.accessPackages.map((p) => p.displayName).sort();
}

/** Until `done` holds, for at most 20 s: what follows checks the outcome, whatever the wait came to. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i += 1) await sleep(10);
}

/** The file's identity as written: another file, or the same one written in place, differs. */
const identity = (file: string) => {
  const { ino, size, mtimeMs } = lstatSync(file);
  return `${ino}/${size}/${mtimeMs}`;
};

describe('files removed or replaced under a running emulator', () => {
  it('a lock removed from under its holder is bound again: a second start is refused, and no write is lost', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const first = await startEmulator([], { DATA_FILE: file });
    await create(first.url, 'Before the lock was removed');
    unlinkSync(`${file}.lock`);
    await until(() => existsSync(`${file}.lock`));

    const second = spawnEmulator([], { DATA_FILE: file });
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`The data file ${file} is in use by another emulator process (pid ${first.child.pid})`);
    await create(first.url, 'After the second start');
    expect(await afterKill(first, file)).toEqual(['After the second start', 'Before the lock was removed']);
  });

  it('a journal removed while the emulator runs: its acknowledged writes and the next ones are written again where a restart reads them', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const first = await startEmulator([], { DATA_FILE: file });
    await create(first.url, 'In the removed journal');
    unlinkSync(`${file}.journal`);
    await create(first.url, 'After the removal');
    expect(await afterKill(first, file)).toEqual(['After the removal', 'In the removed journal']);
  });

  it.each([
    ['removed', (file: string) => unlinkSync(file)],
    [
      'overwritten in place with an empty data file',
      (file: string) => {
        writeFileSync(`${file}.other`, '{"dataFormat": "graph-accesspackages-emulator/1"}');
        copyFileSync(`${file}.other`, file);
        unlinkSync(`${file}.other`);
      },
    ],
  ])('a data file %s while the emulator runs is written again from memory', async (_how, replace) => {
    const file = path.join(await tempDir(), 'db.json');
    // A data file written while no emulator ran, as a stop writes one.
    const inSnapshot = { id: '6f0b2c1e-5a4d-4e3b-9c8a-1d2e3f4a5b6c', displayName: 'In the snapshot' };
    writeFileSync(file, JSON.stringify({ dataFormat: 'graph-accesspackages-emulator/1', accessPackages: [inSnapshot] }));
    const second = await startEmulator([], { DATA_FILE: file });
    await create(second.url, 'In the journal');
    const written = identity(file);
    replace(file);
    const replaced = existsSync(file) ? identity(file) : undefined;
    await until(() => existsSync(file) && identity(file) !== written && identity(file) !== replaced);
    expect(await afterKill(second, file)).toEqual(['In the journal', 'In the snapshot']);
  });

  it("the baselines' index and every stored dataset removed while the emulator runs: a restart after a kill -9 lists and restores the baseline", async () => {
    const file = path.join(await tempDir(), 'db.json');
    const first = await startEmulator([], { DATA_FILE: file });
    await create(first.url, 'In the baseline');
    expect((await fetch(`${first.url}/_emulator/snapshots/clean`, { method: 'PUT' })).status).toBe(201);
    await create(first.url, 'After the baseline');
    const datasets = `${file}.datasets`;
    // The baseline's records, and the empty fixtures the fresh data file was reset to, which only a journal line names.
    const baseline = `${JSON.parse(readFileSync(path.join(datasets, 'baselines.json'), 'utf8')).baselines[0].dataset}.json`;
    const removed = readdirSync(datasets);
    expect(removed).toHaveLength(3);
    expect(existsSync(file)).toBe(false);
    for (const name of removed) rmSync(path.join(datasets, name));
    // The index and the baseline's dataset written again from memory; the fixtures' replaced by a snapshot.
    const written = [path.join(datasets, 'baselines.json'), path.join(datasets, baseline), file];
    // ... and the journal the snapshot retired removed: until then a restart replays its reset, which names the file.
    await until(() => written.every((name) => existsSync(name)) && !existsSync(`${file}.journal.1`));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const next = await startEmulator([], { DATA_FILE: file });
    const listed = (await (await fetch(`${next.url}/_emulator/snapshots`)).json()) as { value: { name: string }[] };
    expect(listed.value.map((b) => b.name)).toEqual(['clean']);
    const restored = await fetch(`${next.url}/_emulator/snapshots/clean/restore`, { method: 'POST' });
    expect([restored.status, ((await restored.json()) as { name: string }).name]).toEqual([200, 'clean']);
    const exported = (await (await fetch(`${next.url}/_emulator/export`)).json()) as { accessPackages: { displayName: string }[] };
    expect(exported.accessPackages.map((p) => p.displayName)).toEqual(['In the baseline']);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });

  it('a lock another process bound after its removal: one warning in the log naming the lock file, writes refused, exit 1 at stop', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const first = await startEmulator([], { DATA_FILE: file, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' });
    const lock = `${file}.lock`;
    // Another process's socket at the lock's path, bound as soon as the holder's is removed.
    const other = createServer();
    await new Promise<void>((resolve, reject) => {
      other.once('error', reject);
      unlinkSync(lock);
      other.listen(lock, resolve);
    });
    const warned = () => stdoutRecords(first.stdout()).filter((record) => record['level'] === 'warn');
    await until(() => warned().length > 0);
    // Looked at again and again, the lock is told of once.
    await sleep(1_200);
    const refused = await fetch(`${first.url}${PACKAGES}`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({ displayName: 'Refused' }),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('serviceNotAvailable');
    const why =
      'The lock of the data file was taken from this emulator (db.json.lock was removed, and another process bound it): another process may be using the data file, so this one writes nothing more. Stop both, then start one.';
    expect(warned()).toEqual([
      expect.objectContaining({
        lockFile: lock,
        msg: `${why} The lock is ${lock}: from now on every write answers 503 serviceNotAvailable, health says degraded, no snapshot of db.json is written, and the stop exits 1.`,
      }),
    ]);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(1);
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });
});
