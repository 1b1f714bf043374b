// The data file's lock (server/store/lock.ts) under a race: many processes start in the same millisecond against
// the socket a crashed holder left, and exactly one of them holds the lock each time; markers that a takeover
// cut short by a crash leaves are recovered.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { link, lstat, readdir } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import path from 'node:path';
import { acquireLock } from '../../server/store/lock.js';
import { StoreError } from '../../server/store/store.js';
import { bundledSource, childEnv, removeBundles, tempDir, tracked } from '../support/childProcess.js';

/** Leaves a socket nobody listens on at `at`, as a holder killed with kill -9 does. */
async function deadSocket(at: string): Promise<void> {
  const live = `${at}.live`;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(live, resolve));
  await link(live, at);
  await new Promise<void>((resolve) => server.close(() => resolve())); // unlinks `live`, the socket stays at `at`
  expect((await lstat(at)).isSocket()).toBe(true);
}

/** The pid the process listening at `at` answers with. */
function holderPid(at: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = '';
    createConnection(at)
      .setEncoding('utf8')
      .on('data', (chunk) => (reply += chunk))
      .on('end', () => resolve(reply.trim()))
      .on('error', reject);
  });
}

/** A process that takes the lock when told `go <wall-clock ms>` (spinning until then) and lets go of it on `release`. */
interface Racer {
  child: ChildProcessWithoutNullStreams;
  send(line: string): void;
  next(): Promise<string>;
}

/** `lock`: server/store/lock.ts bundled, run on plain node. */
function racer(file: string, lock: string): Racer {
  const script = `
    const { acquireLock } = await import(${JSON.stringify(lock)});
    const { createInterface } = await import('node:readline');
    let lock;
    console.log('ready');
    for await (const line of createInterface({ input: process.stdin })) {
      const [command, at] = line.split(' ');
      if (command === 'go') {
        while (Date.now() < Number(at));
        try {
          lock = await acquireLock(${JSON.stringify(file)});
          console.log('held');
        } catch (err) {
          console.log(err.kind === 'locked' ? 'refused' : 'failed ' + err.message);
        }
      } else {
        await lock?.release();
        lock = undefined;
        console.log('released');
      }
    }`;
  const child = tracked(spawn(process.execPath, ['--input-type=module', '-e', script], { env: childEnv({}) }));
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      const wake = waiting.shift();
      if (wake) wake(line);
      else lines.push(line);
    }
  });
  return {
    child,
    send: (line) => child.stdin.write(`${line}\n`),
    next: () => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((resolve) => waiting.push(resolve))),
  };
}

describe('the lock under a race', () => {
  const RACERS = 6;
  const ROUNDS = 20;
  let dir: string;
  let racers: Racer[];
  beforeAll(async () => {
    dir = tempDir('lockrace-');
    const lock = await bundledSource('server/store/lock.ts');
    racers = Array.from({ length: RACERS }, () => racer(path.join(dir, 'db.json'), lock));
    expect(await Promise.all(racers.map((r) => r.next()))).toEqual(Array(RACERS).fill('ready'));
  }, 60000);
  afterAll(async () => {
    const left = (racers ?? []).filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    const exits = left.map((r) => new Promise((resolve) => r.child.once('exit', resolve)));
    for (const r of left) r.child.kill('SIGKILL');
    await Promise.all(exits);
    removeBundles();
  });

  it(`lets exactly one of ${RACERS} processes started in the same millisecond take over a dead holder's socket, ${ROUNDS} times`, async () => {
    const lockPath = path.join(dir, 'db.json.lock');
    for (let round = 0; round < ROUNDS; round += 1) {
      await deadSocket(lockPath);
      const at = Date.now() + 100;
      for (const r of racers) r.send(`go ${at}`);
      const outcomes = await Promise.all(racers.map((r) => r.next()));
      expect({ round, outcomes: [...outcomes].sort() }).toEqual({ round, outcomes: ['held', ...Array(RACERS - 1).fill('refused')] });
      // The one that holds it is the one that answers at the lock path.
      expect(await holderPid(lockPath)).toBe(String(racers[outcomes.indexOf('held')]!.child.pid));
      for (const r of racers) r.send('release');
      expect(await Promise.all(racers.map((r) => r.next()))).toEqual(Array(RACERS).fill('released'));
      // Released, the lock path is free again and no takeover marker is left behind.
      expect(await readdir(dir)).toEqual([]);
    }
  }, 120000);
});

describe('a takeover cut short by a crash', () => {
  it("leaves a marker that the next start gets past and removes, as it does an earlier version's", async () => {
    const dir = tempDir('lockmarker-');
    const lockPath = path.join(dir, 'db.json.lock');
    await deadSocket(lockPath);
    const { ino } = await lstat(lockPath);
    // The marker a start that died while taking the dead socket over left behind, and one an earlier version left.
    await deadSocket(path.join(dir, 'db.json.lk0'));
    await deadSocket(`${lockPath}.${ino.toString(36)}.0`);
    const lock = await acquireLock(path.join(dir, 'db.json'));
    expect(await holderPid(lockPath)).toBe(String(process.pid));
    expect(await readdir(dir)).toEqual(['db.json.lock']);
    const refusal = await acquireLock(path.join(dir, 'db.json')).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(StoreError);
    expect(refusal).toMatchObject({ kind: 'locked', message: expect.stringContaining(`(pid ${process.pid})`) });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('a lock path whose UTF-8 bytes do not fit a socket address', () => {
  it('is refused at the first start, though it has fewer than 100 characters, and nothing is made', async () => {
    const dir = tempDir('lk-');
    // Two bytes a character: 100 characters (whatever the length of TMPDIR), over 100 bytes, from here and from
    // the working folder.
    const file = path.join(dir, 'ж'.repeat(100 - '.lock'.length - dir.length - 1));
    expect(`${file}.lock`).toHaveLength(100);
    expect(Buffer.byteLength(path.relative(process.cwd(), `${file}.lock`))).toBeGreaterThan(100);
    const refusal = await acquireLock(file).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(StoreError);
    expect(refusal).toMatchObject({ kind: 'io', message: `The lock path ${file}.lock is too long for a Unix socket; use a shorter DATA_FILE path.` });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('a lock path of the longest length a start accepts', () => {
  it('is taken over after a crash, its marker no longer than the lock path', async () => {
    const dir = tempDir('lk-');
    // 100 characters: the socket path limit (lock.ts) a first start checks.
    const file = path.join(dir, 'k'.repeat(100 - '.lock'.length - dir.length - 1));
    const lockPath = `${file}.lock`;
    expect(lockPath).toHaveLength(100);
    // The first start takes it; its holder crashes, leaving the socket behind.
    await deadSocket(lockPath);
    const lock = await acquireLock(file);
    expect(await holderPid(lockPath)).toBe(String(process.pid));
    expect(await readdir(dir)).toEqual([path.basename(lockPath)]);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });
});
