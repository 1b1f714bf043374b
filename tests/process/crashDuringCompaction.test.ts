// A compaction writes the snapshot while creates go on into a fresh journal. Killed with SIGKILL while it
// does, the process must come back with every create it acknowledged, from the snapshot and the journals.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, tempDir } from '../support/emulatorProcess.js';
import { PACKAGES } from '../support/graph.js';

/** A compaction starts once the journal holds this many entries (the file store's default threshold). */
const COMPACTION_THRESHOLD = 10_000;
/**
 * Packages put in place by one reset first: a reset's journal entry counts the records it puts in place, so the
 * creates that follow cross the threshold after a couple of hundred rather than ten thousand.
 */
const RESET_PACKAGES = 9_800;
const RETIRED_JOURNAL = /^db\.json\.journal\.\d+$/;
/** Creates made at most: room for three compactions, should the kill miss the first. */
const MAX_CREATES = 3 * COMPACTION_THRESHOLD;
const CLIENTS = 16;

describe('SIGKILL during a compaction', () => {
  it('loses no acknowledged create, and a restart replays the retired and the fresh journal', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    const first = await startEmulator([], { DATA_FILE: file });
    const reset = await fetch(`${first.url}/_emulator/reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Array.from({ length: RESET_PACKAGES }, (_, i) => ({ id: randomUUID(), displayName: `Reset package ${i}` }))),
    });
    expect([reset.status, ((await reset.json()) as { records: { accessPackages: number } }).records.accessPackages]).toEqual([200, RESET_PACKAGES]);
    expect((await readdir(dir)).filter((name) => RETIRED_JOURNAL.test(name))).toEqual([]);
    const acknowledged: string[] = [];
    let killedDuringCompaction = false;
    let stop = false;

    // The moment a retired journal appears, the snapshot is being written: kill then. The folder's events say so
    // at once; the listing every millisecond is the fallback. A compaction can still end between two looks on a
    // loaded machine: the creates go on to the next one, and a run that sees none ends (and fails) rather than hangs.
    const kill = () => {
      if (stop) return;
      first.child.kill('SIGKILL');
      killedDuringCompaction = true;
      stop = true;
    };
    const events = watch(dir, (_event, name) => {
      if (name !== null && RETIRED_JOURNAL.test(name)) kill();
    });
    const watcher = async () => {
      while (!stop) {
        if ((await readdir(dir)).some((name) => RETIRED_JOURNAL.test(name))) kill();
        await sleep(1);
      }
    };
    let clientsLeft = CLIENTS;
    const client = async (n: number) => {
      for (let i = 0; !stop && acknowledged.length < MAX_CREATES; i += 1) {
        try {
          const res = await fetch(`${first.url}${PACKAGES}`, {
            method: 'POST',
            headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
            body: JSON.stringify({ displayName: `client ${n} create ${i}` }),
          });
          if (res.status !== 201) throw new Error(`create answered ${res.status}`);
          acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          // The connection broke under the kill: that create was never acknowledged.
          stop = true;
        }
      }
      clientsLeft -= 1;
      if (clientsLeft === 0) stop = true;
    };
    await Promise.all([watcher(), ...Array.from({ length: CLIENTS }, (_, n) => client(n))]);
    events.close();
    stop = true;
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(killedDuringCompaction).toBe(true);
    // The creates, not the reset, crossed the threshold: the compaction started after some of them.
    expect(acknowledged.length).toBeGreaterThan(0);

    const second = await startEmulator([], { DATA_FILE: file });
    const exported = (await (await fetch(`${second.url}/_emulator/export`)).json()) as { accessPackages: { id: string }[] };
    const stored = new Set(exported.accessPackages.map((r) => r.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // Besides the reset's packages and the acknowledged creates, at most one create per client was on disk but not
    // yet answered when the kill came.
    const unanswered = exported.accessPackages.length - RESET_PACKAGES - acknowledged.length;
    expect(unanswered).toBeGreaterThanOrEqual(0);
    expect(unanswered).toBeLessThanOrEqual(CLIENTS);
    // The restart compacted everything into the snapshot: no retired journal is left.
    expect((await readdir(dir)).filter((name) => RETIRED_JOURNAL.test(name))).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
