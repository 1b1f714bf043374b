// The file store on a real temporary file: durability across reopen, refusals, crash artefacts.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import type { AccessPackage } from '../../server/store/records.js';
import { StoreError } from '../../server/store/store.js';
import { datasetOf } from '../../server/store/records.js';
import { AUTH, PACKAGES } from '../support/graph.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';
import { closeJournalHandle, kill, stopAndUnlock } from '../support/killedStore.js';

function pkg(id: string, displayName = `Package ${id}`): AccessPackage {
  return {
    id,
    catalogId: null,
    createdBy: null,
    createdDateTime: '2025-01-01T00:00:00.0000000Z',
    description: null,
    displayName,
    isHidden: false,
    isRoleScopesVisible: false,
    modifiedBy: null,
    modifiedDateTime: '2025-01-01T00:00:00.0000000Z',
  };
}

/** A GUID named by `name`: records the journal replays must follow their schema, whose ids are GUIDs. */
function guid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await tempDir('filestore-');
  file = path.join(dir, 'db.json');
});

const open: FileStore[] = [];
/** What a kill leaves (tests/support/killedStore.ts), and the store no longer closed after the test. */
async function crash(store: FileStore): Promise<void> {
  await kill(store);
  open.splice(open.indexOf(store), 1);
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
});
async function openStore(options?: Parameters<typeof FileStore.open>[1]): Promise<FileStore> {
  const store = await FileStore.open(file, options);
  open.push(store);
  return store;
}

describe('FileStore', () => {
  it('is fresh on a missing file and keeps created records across a reopen', async () => {
    const first = await openStore();
    expect(first.fresh).toBe(true);
    const res = await request(createApp({ store: first }))
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'Durable' });
    expect(res.status).toBe(201);
    // Acknowledged means on disk: the journal holds it before any snapshot is written.
    expect(await readFile(`${file}.journal`, 'utf8')).toContain(res.body.id);
    await first.close();
    open.length = 0;

    const second = await openStore();
    expect(second.fresh).toBe(false);
    expect(second.get('accessPackages', res.body.id)).toMatchObject({ displayName: 'Durable', id: res.body.id });
    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    expect(snapshot.accessPackages.map((r: AccessPackage) => r.id)).toEqual([res.body.id]);
  });

  it('replays the journal after a crash (no close), then compacts it into the snapshot', async () => {
    const crashed = await openStore();
    await crashed.create('accessPackages', pkg(guid('a')));
    await crashed.create('accessPackages', pkg(guid('b')));
    await crashed.update('accessPackages', pkg(guid('a'), 'renamed'));
    await crashed.remove('accessPackages', guid('b'));
    // Simulate the process dying: release only the lock, never close the store.
    await stopAndUnlock(crashed);
    open.length = 0;

    const reopened = await openStore();
    expect(reopened.list('accessPackages')).toEqual([pkg(guid('a'), 'renamed')]);
    expect(await readFile(`${file}.journal`, 'utf8')).toBe('');
    expect(JSON.parse(await readFile(file, 'utf8')).accessPackages).toEqual([pkg(guid('a'), 'renamed')]);
    // What the dead process's exit would have done: its journal descriptor closes.
    await closeJournalHandle(crashed);
  });

  it('drops a torn last journal line from a crash mid-append and keeps the rest', async () => {
    const store = await openStore();
    await store.create('accessPackages', pkg(guid('kept')));
    await crash(store);
    await appendFile(`${file}.journal`, '{"op":"put","c":"accessPackages","r":{"id":"tor');
    const reopened = await openStore();
    expect(reopened.list('accessPackages').map((r) => r.id)).toEqual([guid('kept')]);
  });

  it('coalesces concurrent writes and loses none', async () => {
    const store = await openStore();
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.create('accessPackages', pkg(guid(`id-${i}`)))));
    await store.close();
    open.length = 0;
    const reopened = await openStore();
    expect(reopened.count('accessPackages')).toBe(200);
  });

  it('compacts once the journal outgrows the data, and the result reopens identically', async () => {
    const store = await openStore({ compactMinEntries: 10 });
    for (let i = 0; i < 25; i += 1) await store.create('accessPackages', pkg(guid(`c-${i}`)));
    await store.create('accessPackages', pkg(guid('last')));
    // A compaction the last writes started goes on in the background; while it rotates the journal, the file is
    // briefly under its retired name (journal.ts). Read it once that has settled.
    await (store as unknown as { compactions: { settled(): Promise<void> } }).compactions.settled();
    const journal = await readFile(`${file}.journal`, 'utf8');
    expect(journal.split('\n').filter(Boolean).length).toBeLessThan(26);
    const before = store.snapshot();
    await store.close();
    open.length = 0;
    expect((await openStore()).snapshot()).toEqual(before);
  });

  it('goes on acknowledging writes while a compaction writes the snapshot, and a crash then loses none', async () => {
    const store = await openStore({ compactMinEntries: 10 });
    for (let i = 0; i < 10; i += 1) await store.create('accessPackages', pkg(guid(`before-${i}`)));
    // The tenth write crossed the threshold: the compaction runs in the background while these go on.
    const compactions = (store as unknown as { compactions: { running: boolean } }).compactions;
    const compacting = () => compactions.running;
    expect(compacting()).toBe(true);
    const ackedWhileCompacting = await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.create('accessPackages', pkg(guid(`during-${i}`))).then(compacting)),
    );
    expect(ackedWhileCompacting).toContain(true);
    // Killed here: the compaction under way finishes (as the files a killed one leaves would be read), nothing after it.
    await stopAndUnlock(store);
    open.length = 0;

    const reopened = await openStore();
    expect(reopened.count('accessPackages')).toBe(40);
    expect(reopened.get('accessPackages', guid('during-29'))).toEqual(pkg(guid('during-29')));
    await closeJournalHandle(store);
  });

  it('replays a retired journal left by a crash before its removal, then the current one, to the latest values', async () => {
    // What a crash leaves between a compaction's snapshot and the removal of the journal it retired: the
    // snapshot already holds the retired entries, and the fresh journal holds what came after.
    await writeFile(
      file,
      `{\n"accessPackages": [\n${JSON.stringify(pkg(guid('a'), 'a2'))},\n${JSON.stringify(pkg(guid('b'), 'b1'))}\n],\n"accessPackageCatalogs": []\n}\n`,
    );
    const line = (entry: object) => `${JSON.stringify(entry)}\n`;
    await writeFile(
      `${file}.journal.1`,
      line({ op: 'put', c: 'accessPackages', r: pkg(guid('a'), 'a1') }) +
        line({ op: 'put', c: 'accessPackages', r: pkg(guid('a'), 'a2') }) +
        line({ op: 'put', c: 'accessPackages', r: pkg(guid('b'), 'b1') }),
    );
    await writeFile(
      `${file}.journal`,
      line({ op: 'put', c: 'accessPackages', r: pkg(guid('a'), 'a3') }) + line({ op: 'del', c: 'accessPackages', id: guid('b') }),
    );
    const store = await openStore();
    expect(store.list('accessPackages')).toEqual([pkg(guid('a'), 'a3')]);
    // Opening compacted everything into the snapshot and removed both journals' entries.
    expect((await readdir(dir)).sort()).toEqual(['db.json', 'db.json.journal', 'db.json.lock']);
    expect(await readFile(`${file}.journal`, 'utf8')).toBe('');
    expect(JSON.parse(await readFile(file, 'utf8')).accessPackages).toEqual([pkg(guid('a'), 'a3')]);
  });

  it('replaceAll swaps the whole state durably: one journal entry naming a stored dataset, replayed after a crash', async () => {
    const store = await openStore();
    await store.create('accessPackages', pkg(guid('old')));
    await store.replaceAll(datasetOf({ accessPackages: [pkg(guid('new'))], accessPackageCatalogs: [] }));
    expect(store.list('accessPackages').map((r) => r.id)).toEqual([guid('new')]);
    const entries = (await readFile(`${file}.journal`, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries.at(-1)).toEqual({ op: 'reset', ds: expect.stringMatching(/^[0-9a-f]{32}$/), n: 1 });
    expect(JSON.parse(await readFile(path.join(`${file}.datasets`, `${entries.at(-1).ds}.json`), 'utf8')).accessPackages).toEqual([pkg(guid('new'))]);
    await crash(store);

    const reopened = await openStore();
    expect(reopened.list('accessPackages')).toEqual([pkg(guid('new'))]);
    expect(JSON.parse(await readFile(file, 'utf8')).accessPackages).toEqual([pkg(guid('new'))]);
    // Compacted into the snapshot: the stored dataset is no longer needed.
    expect(await readdir(`${file}.datasets`)).toEqual([]);
  });

  it('writes a dataset put back again and again once, and moves its dates when asked', async () => {
    const store = await openStore();
    const fixtures = datasetOf({ accessPackages: [pkg(guid('fixture'))], accessPackageCatalogs: [] });
    for (let i = 0; i < 5; i += 1) {
      await store.create('accessPackages', pkg(guid(`scratch-${i}`)));
      await store.replaceAll(fixtures, i * 60_000);
    }
    expect(await readdir(`${file}.datasets`)).toHaveLength(1);
    expect(store.get('accessPackages', guid('fixture'))?.createdDateTime).toBe('2025-01-01T00:04:00.0000000Z');
    expect(fixtures.accessPackages[0]!.createdDateTime).toBe('2025-01-01T00:00:00.0000000Z');
    await crash(store);
    expect((await openStore()).list('accessPackages')).toEqual([
      { ...pkg(guid('fixture')), createdDateTime: '2025-01-01T00:04:00.0000000Z', modifiedDateTime: '2025-01-01T00:04:00.0000000Z' },
    ]);
  });

  it('holds writes asked during a reset until the reset is on disk, so a crash replays them over the new data', async () => {
    const store = await openStore();
    await store.create('accessPackages', pkg(guid('old')));
    const reset = store.replaceAll(datasetOf({ accessPackages: [pkg(guid('fixture'))], accessPackageCatalogs: [] }));
    const created = store.create('accessPackages', pkg(guid('after-reset'))).then(async () => (await readFile(`${file}.journal`, 'utf8')).trim().split('\n'));
    const [, journalWhenAcknowledged] = await Promise.all([reset, created]);
    expect(journalWhenAcknowledged.map((line) => JSON.parse(line).op)).toEqual(['put', 'reset', 'put']);
    expect(store.list('accessPackages').map((r) => r.id)).toEqual([guid('fixture'), guid('after-reset')]);
    await crash(store);
    expect((await openStore()).list('accessPackages').map((r) => r.id)).toEqual([guid('fixture'), guid('after-reset')]);
  });

  describe('while a write waits for its sync', () => {
    async function slowStore() {
      const fs = new FailingFs();
      fs.syncDelayMs = 30;
      return openStore({ fs });
    }

    it('readers see the data of before until it is durable, then the write at once', async () => {
      const store = await slowStore();
      const created = store.create('accessPackages', pkg(guid('slow')));
      await sleep(10);
      expect(store.get('accessPackages', guid('slow'))).toBeUndefined();
      expect(store.count('accessPackages')).toBe(0);
      await created;
      expect(store.get('accessPackages', guid('slow'))).toEqual(pkg(guid('slow')));
      expect(await readFile(`${file}.journal`, 'utf8')).toContain(guid('slow'));
    });

    it('a second create of the same id is a conflict, an update finds the record, a second delete does not', async () => {
      const store = await slowStore();
      const first = store.create('accessPackages', pkg(guid('same'), 'first'));
      await expect(store.create('accessPackages', pkg(guid('same'), 'second'))).rejects.toMatchObject({ kind: 'conflict' });
      const updated = store.update('accessPackages', pkg(guid('same'), 'updated'));
      await Promise.all([first, updated]);
      expect(await updated).toBe(true);
      expect(store.get('accessPackages', guid('same'))?.displayName).toBe('updated');
      const removed = store.remove('accessPackages', guid('same'));
      expect(await store.remove('accessPackages', guid('same'))).toBe(false);
      expect(await store.update('accessPackages', pkg(guid('same'), 'too late'))).toBe(false);
      expect(await removed).toBe(true);
      expect(store.get('accessPackages', guid('same'))).toBeUndefined();
    });
  });

  it('rejects a duplicate id with a conflict and keeps the first record', async () => {
    const store = await openStore();
    await store.create('accessPackages', pkg(guid('dup'), 'first'));
    await expect(store.create('accessPackages', pkg(guid('dup'), 'second'))).rejects.toMatchObject({ kind: 'conflict' });
    expect(store.get('accessPackages', guid('dup'))?.displayName).toBe('first');
  });

  it.each([
    ['not JSON', '{"accessPackages": [', /is not valid JSON/],
    ['the wrong shape', '{"accessPackages": {"id": 1}}', /'accessPackages' must be an array/],
    ['records without ids', '{"accessPackages": [{"displayName": "x"}]}', /accessPackages\[0\] must be an object with a string id/],
  ])('refuses a data file that is %s, names it, and leaves it untouched', async (_name, content, reason) => {
    await writeFile(file, content);
    const error = await FileStore.open(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('corrupt');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(reason);
    expect(await readFile(file, 'utf8')).toBe(content);
    // The refusal released the lock: fixing the file lets the next open succeed.
    await writeFile(file, '{"accessPackages": []}');
    expect((await openStore()).count('accessPackages')).toBe(0);
  });

  it('refuses a second open of the same file while the first holds it', async () => {
    await openStore();
    const error = await FileStore.open(file).catch((err: unknown) => err);
    expect(error).toMatchObject({ kind: 'locked' });
    expect((error as Error).message).toMatch(new RegExp(`The data file .*db\\.json is in use by another emulator process \\(pid ${process.pid}\\)`));
  });

  it('leaves no temporary files behind after snapshots', async () => {
    const store = await openStore();
    await store.create('accessPackages', pkg(guid('x')));
    await store.close();
    open.length = 0;
    expect((await readdir(dir)).sort()).toEqual(['db.json', 'db.json.journal']);
  });
});
