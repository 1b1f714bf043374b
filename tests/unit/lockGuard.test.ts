// A lock removed from under its holder: bound again when nobody took it, and the holder told when another process
// did, whose socket the holder's release then leaves in place.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireLock } from '../../server/store/lock.js';
import type { HeldLock } from '../../server/store/lockGuard.js';
import { socketAt } from '../../server/store/lockSocket.js';

async function lockedFile(): Promise<{ file: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lock-guard-'));
  return { file: path.join(dir, 'db.json'), done: () => rm(dir, { recursive: true, force: true }) };
}

describe('a guarded lock', () => {
  it('is bound again once removed, and a second holder is then refused', async () => {
    const { file, done } = await lockedFile();
    const lock = (await acquireLock(file)) as HeldLock;
    const lost: string[] = [];
    lock.guard((why) => lost.push(why));
    await unlink(lock.path);
    await lock.check();
    expect(await socketAt(lock.path, lock.path)).toBeDefined();
    await expect(acquireLock(file)).rejects.toThrow(`The data file ${file} is in use by another emulator process (pid ${process.pid}).`);
    expect(lost).toEqual([]);
    await lock.release();
    expect(await socketAt(lock.path, lock.path)).toBeUndefined();
    await done();
  });

  it('tells its holder when another process bound the path first, and its release leaves that socket alone', async () => {
    const { file, done } = await lockedFile();
    const lock = (await acquireLock(file)) as HeldLock;
    const lost: string[] = [];
    lock.guard((why) => lost.push(why));
    await unlink(lock.path);
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(lock.path, resolve));
    const theirs = await socketAt(lock.path, lock.path);
    await lock.check();
    expect(lost).toEqual([
      'The lock of the data file was taken from this emulator (db.json.lock was removed, and another process bound it): another process may be using the data file, so this one writes nothing more. Stop both, then start one.',
    ]);
    await lock.release();
    expect(await socketAt(lock.path, lock.path)).toEqual(theirs);
    await new Promise<void>((resolve) => other.close(() => resolve()));
    await done();
  });
});
