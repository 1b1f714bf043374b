// SIGKILL at random moments while clients write at once, several rounds on the same data folder. Each client writes
// its own records one request at a time (creates, PATCHes, package and catalog deletes with their cascades, moves,
// $batch, and in a tenant of its own resets, baselines and the tenant's drop), and a resetter keeps compactions
// running. After each kill the restart must succeed and show every acknowledged write, the write in flight whole or
// not at all (each $batch item on its own), links that all hold, and pages that list each package once.
// KILL_ROUNDS and KILL_SEED choose how many kills and which writes and moments (the seed is in every failure);
// `KILL_ROUNDS=300 npm test -- tests/process/randomKills.test.ts` hunts longer.
import { describe, expect, it } from '@jest/globals';
import { watch } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRandom } from '../../server/random.js';
import { expectStatus, call } from '../support/crashClient.js';
import { Pager, Resetter, pagedOnce } from '../support/crashChecks.js';
import { mergeRecords, workerRecords } from '../support/crashView.js';
import { Worker } from '../support/crashWorker.js';
import { type EmulatorProcess, spawnEmulator, startEmulator, tempDir } from '../support/emulatorProcess.js';

const ROUNDS = Number(process.env['KILL_ROUNDS'] ?? 6);
const SEED = Number(process.env['KILL_SEED'] ?? 20261206);
/** Steps a client takes at most in one round: the kill comes long before. */
const STEP_LIMIT = 100_000;
/**
 * The kill comes after this many writes of the round are acknowledged (all clients together), then this many ms
 * more, each drawn in between: counted in writes, not time, as the first writes after a start are slow (the
 * emulator compiles its schemas, generates the reset's set) and a time alone would mostly kill them.
 */
const KILL_AFTER_WRITES = [0, 150] as const;
const KILL_AFTER_MS = [0, 20] as const;
/** A start killed before it is done is killed this long after its spawn. */
const KILL_START_AFTER_MS = [0, 250] as const;
/** A clean stop is cut by SIGKILL this long after its SIGTERM (unless it is over by then). */
const KILL_STOP_AFTER_MS = [0, 150] as const;
/** At most this long to reach the writes: a round that does not still ends. */
const ROUND_LIMIT_MS = 3_000;
/** KILL_VERBOSE=1 prints each round: what was acknowledged, what was in flight, how many journals were retired. */
const VERBOSE = process.env['KILL_VERBOSE'] !== undefined;

describe('SIGKILL at random moments under concurrent writes', () => {
  it(
    `loses no acknowledged write and applies none in half, over ${ROUNDS} kills (seed ${SEED})`,
    async () => {
      const random = createRandom(SEED);
      const file = path.join(await tempDir('random-kills-'), 'db.json');
      let emulator: EmulatorProcess = await startEmulator([], { DATA_FILE: file });
      let journalEvents = 0;
      const events = watch(path.dirname(file), (_event, name) => {
        if (name !== null && /\.journal\.\d+$/.test(name)) journalEvents += 1;
      });

      // Three clients share the default tenant, each under its own prefix; three have a tenant each.
      const shared = ['s1-', 's2-', 's3-'].map((prefix) => ({ prefix, records: workerRecords(prefix, 3) }));
      expectStatus(await call(`${emulator.url}/_emulator/reset`, 'POST', mergeRecords(...shared.map((s) => s.records))), [200], 'shared reset');
      const workers = shared.map((s) => new Worker('', s.prefix, false, random, s.records));
      for (const tenant of ['own-1', 'own-2', 'own-3']) {
        const records = workerRecords(`${tenant}-`, 3);
        expectStatus(await call(`${emulator.url}/_emulator/reset?tenant=${tenant}`, 'POST', records), [200], `reset of ${tenant}`);
        workers.push(new Worker(tenant, `${tenant}-`, true, random, records));
      }
      const resetter = new Resetter('resets');
      await resetter.prepare(emulator.url);

      const settle = async (what: string) => {
        const context = `seed ${SEED}, ${what}`;
        for (const w of workers) await w.settle(emulator.url).catch((err: Error) => Promise.reject(new Error(`${context}: ${err.message}`)));
        await resetter.settle(emulator.url).catch((err: Error) => Promise.reject(new Error(`${context}: ${err.message}`)));
        for (const tenant of ['', ...workers.filter((w) => w.state.exists && w.tenant !== '').map((w) => w.tenant)]) await pagedOnce(emulator.url, tenant, 3);
      };

      for (let round = 1; round <= ROUNDS; round += 1) {
        const [afterWrites, afterMs] = [random.int(...KILL_AFTER_WRITES), random.int(...KILL_AFTER_MS)];
        const killAfter = `${afterWrites} writes and ${afterMs} ms`;
        const acknowledged = () => workers.reduce((sum, w) => sum + w.acknowledged, resetter.resets);
        const target = acknowledged() + afterWrites;
        const pager = new Pager(random.chance(0.5) ? '$top=4' : '$top=4&$orderby=displayName desc');
        await pager.begin(emulator.url);
        const writes = Promise.all([...workers.map((w) => w.run(emulator.url, STEP_LIMIT)), resetter.run(emulator.url, STEP_LIMIT, random)]);
        for (const started = Date.now(); acknowledged() < target && Date.now() - started < ROUND_LIMIT_MS; ) await sleep(1);
        await sleep(afterMs);
        // One time in four the kill cuts a clean stop short: SIGTERM first, then SIGKILL while it flushes.
        const stopping = random.chance(0.25) ? random.int(...KILL_STOP_AFTER_MS) : undefined;
        if (stopping !== undefined) {
          emulator.child.kill('SIGTERM');
          await Promise.race([emulator.exited, sleep(stopping)]);
        }
        emulator.child.kill('SIGKILL');
        const exit = await emulator.exited;
        if (exit !== 'SIGKILL' && !(stopping !== undefined && exit === 0))
          throw new Error(`seed ${SEED}, round ${round}: the emulator ended with ${exit}: ${emulator.stderr()}`);
        await writes;
        if (VERBOSE) {
          const inFlight = workers.filter((w) => w.inFlight).map((w) => `${w.prefix}${w.inFlight!.label}`);
          const acknowledged = workers.map((w) => w.acknowledged).join(',');
          process.stdout.write(
            `round ${round} after ${killAfter}: acknowledged ${acknowledged}, resets ${resetter.resets}, journal file events ${journalEvents}; in flight: ${inFlight.join(' | ')}\n`,
          );
        }
        // One time in four the next start is killed too, while it replays the journals and writes the snapshot.
        if (random.chance(0.25)) {
          const starting = spawnEmulator([], { DATA_FILE: file });
          await sleep(random.int(...KILL_START_AFTER_MS));
          starting.child.kill('SIGKILL');
          const exit = await starting.exited;
          if (exit !== 'SIGKILL') throw new Error(`seed ${SEED}, round ${round}: a start killed while starting ended with ${exit}: ${starting.stderr()}`);
        }
        // The start must take its own files back, whatever moment the kill came at.
        emulator = await startEmulator([], { DATA_FILE: file }).catch((err: Error) =>
          Promise.reject(new Error(`seed ${SEED}, round ${round}: the restart failed: ${err.message}`)),
        );
        await settle(`round ${round} (killed after ${killAfter})`);
        await pager.finish(emulator.url).catch((err: Error) => Promise.reject(new Error(`seed ${SEED}, round ${round}: ${err.message}`)));
      }
      if (VERBOSE) {
        const total = new Map<string, [number, number]>();
        for (const [kind, c] of workers.flatMap((w) => [...w.tally])) {
          const [a, f] = total.get(kind) ?? [0, 0];
          total.set(kind, [a + c.acknowledged, f + c.inFlight]);
        }
        const lines = [...total].sort().map(([kind, [a, f]]) => `  ${kind}: ${a} acknowledged, ${f} in flight at a kill`);
        process.stdout.write(`steps:\n${lines.join('\n')}\n  restores and resets of the big sets: ${resetter.resets}\n`);
      }
      // Something was written and acknowledged, by every client.
      expect(workers.map((w) => w.acknowledged > 0)).toEqual(workers.map(() => true));
      expect(resetter.resets).toBeGreaterThan(0);

      // A clean stop writes it all into the snapshot, which the next start reads back the same.
      emulator.child.kill('SIGTERM');
      expect(await emulator.exited).toBe(0);
      emulator = await startEmulator([], { DATA_FILE: file });
      await settle('after a clean stop');
      emulator.child.kill('SIGTERM');
      expect(await emulator.exited).toBe(0);
      events.close();
      // Nothing the kills interrupted is left behind: no retired journal, temporary file or lock marker, and of the
      // stored datasets only those the baselines name.
      expect((await readdir(path.dirname(file))).filter((name) => !['db.json', 'db.json.journal', 'db.json.datasets'].includes(name))).toEqual([]);
      const index = JSON.parse(await readFile(`${file}.datasets/baselines.json`, 'utf8')) as { baselines: { dataset: string }[] };
      const named = new Set(index.baselines.map((b) => `${b.dataset}.json`));
      expect((await readdir(`${file}.datasets`)).filter((name) => name !== 'baselines.json' && !named.has(name))).toEqual([]);
    },
    60_000 + ROUNDS * 5_000,
  );
});
