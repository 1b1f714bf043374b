// The file store's baselines on disk (db.json.datasets/): a damaged list stops the start, naming the file and the
// entry and leaving it as it was; a stored dataset that went missing is named when it is needed; and the folder
// goes at shutdown only when nothing in it is still needed.
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import { nodeFs } from '../../server/store/storeFs.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { countsOf } from '../support/counts.js';
import { tempDir } from '../support/emulatorProcess.js';
import { expectGraphError } from '../support/graph.js';
import { kill } from '../support/killedStore.js';

const small = (seed: number) => generateDataset({ seed, accessPackages: 5, accessPackageCatalogs: 2, referenceDate: '2026-11-01T00:00:00.000Z' });

const opened: FileStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** A data file with the baseline 'mine' saved and the store closed: its file and its baseline list's entry. */
async function savedBaseline(prefix: string) {
  const file = path.join(await tempDir(prefix), 'db.json');
  const store = await FileStore.open(file);
  await store.replaceAll(small(1));
  await store.saveBaseline('mine');
  await store.close();
  const listFile = `${file}.datasets/baselines.json`;
  const [own] = JSON.parse(await readFile(listFile, 'utf8')).baselines as Record<string, unknown>[];
  return { file, listFile, own: own! };
}

describe('a damaged baseline list', () => {
  it.each([
    ['no list', () => ({}), "has no 'baselines' array"],
    ['an entry that is no object', () => ({ baselines: [7] }), 'is damaged: baselines[0] is not an object'],
    ['a name outside the rule', (own: object) => ({ baselines: [{ ...own, name: '../x' }] }), 'is damaged: baselines[0] has no valid name'],
    ['no name', (own: object) => ({ baselines: [{ ...own, name: undefined }] }), 'is damaged: baselines[0] has no valid name'],
    [
      'a time that is no date',
      (own: object) => ({ baselines: [{ ...own, createdDateTime: 'yesterday' }] }),
      'is damaged: baselines[0] has no valid createdDateTime',
    ],
    ['a time that is no text', (own: object) => ({ baselines: [{ ...own, createdDateTime: 1 }] }), 'is damaged: baselines[0] has no valid createdDateTime'],
    [
      'a dataset that is no id',
      (own: object) => ({ baselines: [{ ...own, dataset: `x${'0'.repeat(32)}` }] }),
      'is damaged: baselines[0] names no stored dataset',
    ],
    ['a dataset id too long', (own: object) => ({ baselines: [{ ...own, dataset: '0'.repeat(33) }] }), 'is damaged: baselines[0] names no stored dataset'],
    ['a dataset id cut short', (own: object) => ({ baselines: [{ ...own, dataset: '0'.repeat(31) }] }), 'is damaged: baselines[0] names no stored dataset'],
    ['no dataset', (own: object) => ({ baselines: [{ ...own, dataset: 7 }] }), 'is damaged: baselines[0] names no stored dataset'],
    [
      'a dataset id inside a list',
      (own: object) => ({ baselines: [{ ...own, dataset: ['0'.repeat(32)] }] }),
      'is damaged: baselines[0] names no stored dataset',
    ],
    [
      'a tenant that is no tenant id',
      (own: object) => ({ baselines: [{ ...own, tenant: 'Has Space' }] }),
      'is damaged: baselines[0] has a tenant that is not a tenant id',
    ],
    ['no record counts', (own: object) => ({ baselines: [{ ...own, records: null }] }), 'is damaged: baselines[0] has no record counts'],
    ['counts that are text', (own: object) => ({ baselines: [{ ...own, records: 'counts' }] }), 'is damaged: baselines[0] has no record counts'],
    [
      'a count that is no whole number',
      (own: { records: object }) => ({ baselines: [{ ...own, records: { ...own.records, accessPackages: 1.5 } }] }),
      'is damaged: baselines[0] has no record counts',
    ],
    [
      'a name twice in one tenant',
      (own: object) => ({ baselines: [own, { ...own, createdDateTime: '2026-11-02T00:00:00.000Z' }] }),
      "is damaged: baselines[1] repeats the name 'mine'",
    ],
  ])('with %s stops the start, naming the file and the entry, and is left as it was', async (_case, damage, problem) => {
    const { file, listFile, own } = await savedBaseline('baseline-list-');
    const text = JSON.stringify(damage(own as never));
    await writeFile(listFile, text);
    await expect(FileStore.open(file)).rejects.toMatchObject({
      kind: 'corrupt',
      message: expect.stringContaining(`The baseline list ${listFile} ${problem}`),
    });
    await expect(FileStore.open(file)).rejects.toThrow('It was left untouched.');
    expect(await readFile(listFile, 'utf8')).toBe(text);
  });

  it('written before resource requests were kept (no count of them) opens, the count read as 0, and restores', async () => {
    const { file, listFile, own } = await savedBaseline('baseline-list-older-');
    const { accessPackageResourceRequests: _none, ...records } = own['records'] as Record<string, number>;
    await writeFile(listFile, JSON.stringify({ baselines: [{ ...own, records }] }));
    const store = await FileStore.open(file);
    opened.push(store);
    const [listed] = store.listBaselines();
    expect(listed?.records).toEqual({ ...records, accessPackageResourceRequests: 0 });
    await store.replaceAll(small(2));
    expect((await store.restoreBaseline('mine'))?.name).toBe('mine');
    expect(store.snapshot()).toEqual(small(1));
  });

  it('with an empty object of counts stops the start', async () => {
    const { file, listFile, own } = await savedBaseline('baseline-list-no-counts-');
    await writeFile(listFile, JSON.stringify({ baselines: [{ ...own, records: {} }] }));
    await expect(FileStore.open(file)).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringContaining('has no record counts') });
  });

  it.each([
    ['empty', '', 'is empty'],
    ['blank', '\n', 'is empty'],
    ['null', 'null', "has no 'baselines' array"],
    ['null with a newline', 'null\n', "has no 'baselines' array"],
  ])('that is %s stops the start and keeps every stored dataset, so the list can be put back', async (_case, text, problem) => {
    const { file, listFile, own } = await savedBaseline('baseline-list-empty-');
    const saved = await readFile(listFile, 'utf8');
    const dataset = path.join(`${file}.datasets`, `${own['dataset']}.json`);
    const records = await readFile(dataset, 'utf8');
    await writeFile(listFile, text);
    await expect(FileStore.open(file)).rejects.toMatchObject({
      kind: 'corrupt',
      message: `The baseline list ${listFile} ${problem}. It was left untouched.`,
    });
    expect(await readFile(listFile, 'utf8')).toBe(text);
    expect(await readFile(dataset, 'utf8')).toBe(records);
    // The list put back, the baseline is there again with its records.
    await writeFile(listFile, saved);
    const store = await FileStore.open(file);
    opened.push(store);
    await store.replaceAll(small(2));
    expect((await store.restoreBaseline('mine'))?.name).toBe('mine');
    expect(store.snapshot()).toEqual(small(1));
  });

  it('takes the same name in two tenants', async () => {
    const { file, listFile, own } = await savedBaseline('baseline-list-tenants-');
    await writeFile(listFile, JSON.stringify({ baselines: [own, { ...own, tenant: 'contoso' }] }));
    const store = await FileStore.open(file);
    opened.push(store);
    expect(store.listBaselines().map((b) => b.name)).toEqual(['mine']);
  });
});

describe('a stored dataset that is a pipe or a folder', () => {
  it.each(['pipe', 'folder'])('stops the start as a missing one does (a %s), rather than a 500 at the restore', async (kind) => {
    const { file, listFile, own } = await savedBaseline(`baseline-dataset-${kind}-`);
    const dataset = path.join(`${file}.datasets`, `${own['dataset']}.json`);
    await rm(dataset);
    if (kind === 'folder') await mkdir(dataset);
    else execFileSync('mkfifo', [dataset]);
    await expect(FileStore.open(file)).rejects.toMatchObject({
      kind: 'corrupt',
      message: `The baseline 'mine' in ${listFile} names a stored dataset that is missing (or is no regular file).`,
    });
  });
});

describe('a stored dataset whose content was changed', () => {
  // Its name is the start of the SHA-256 of what was written: `{}` (or any other text) under it is damage.
  it("stops the start when a journal's reset names it, leaving every file as it was", async () => {
    const file = path.join(await tempDir('dataset-changed-reset-'), 'db.json');
    const store = await FileStore.open(file);
    await store.replaceAll(small(1));
    await kill(store);
    const journal = await readFile(`${file}.journal`, 'utf8');
    const id = (JSON.parse(journal.split('\n')[0]!) as { ds: string }).ds;
    const dataset = path.join(`${file}.datasets`, `${id}.json`);
    await writeFile(dataset, '{}');
    await expect(FileStore.open(file)).rejects.toMatchObject({
      kind: 'corrupt',
      message: `The stored dataset ${id}.json in ${file}.datasets is damaged: its content is not the one its name was made from (the start of its SHA-256). It was left untouched.`,
    });
    expect(await readFile(`${file}.journal`, 'utf8')).toBe(journal);
    expect(await readFile(dataset, 'utf8')).toBe('{}');
    expect(await readdir(path.dirname(file))).toEqual(['db.json.datasets', 'db.json.journal']);
  });

  it("answers a baseline's restore with a 500 and leaves the data as it was", async () => {
    const { file, own } = await savedBaseline('dataset-changed-baseline-');
    const dataset = path.join(`${file}.datasets`, `${own['dataset']}.json`);
    const records = await readFile(dataset, 'utf8');
    // One record fewer, still a dataset in the data file's format.
    const lines = records.split('\n');
    lines.splice(
      lines.findIndex((l) => l.startsWith('{"id"')),
      1,
    );
    await writeFile(dataset, lines.join('\n'));
    const store = await FileStore.open(file);
    opened.push(store);
    await store.replaceAll(small(2));
    // What the emulator reports to its operator, kept here rather than printed in the middle of the test run.
    const reported: unknown[] = [];
    const res = await request(createApp({ store, onUnexpectedError: (err) => reported.push(err) })).post('/_emulator/snapshots/mine/restore');
    expectGraphError(res, 500, 'UnknownError');
    expect(store.snapshot()).toEqual(small(2));
    expect(reported).toEqual([expect.objectContaining({ message: expect.stringContaining('is damaged') })]);
  });
});

describe('a stored dataset gone missing', () => {
  it('stops the start and leaves the journal as it was, its torn tail included', async () => {
    const { file, listFile, own } = await savedBaseline('baseline-dataset-torn-');
    await rm(path.join(`${file}.datasets`, `${own['dataset']}.json`));
    const journal = `${file}.journal`;
    await writeFile(journal, '{"op":"put","c":"accessPac', { flag: 'a' });
    const before = await readFile(journal);
    await expect(FileStore.open(file)).rejects.toMatchObject({
      kind: 'corrupt',
      message: `The baseline 'mine' in ${listFile} names a stored dataset that is missing (or is no regular file).`,
    });
    expect(await readFile(journal)).toEqual(before);
  });

  it('cuts a torn tail off once the start goes on, so the next append starts a line of its own', async () => {
    const { file } = await savedBaseline('baseline-torn-ok-');
    const journal = `${file}.journal`;
    const whole = await readFile(journal, 'utf8').catch(() => '');
    await writeFile(journal, `${whole}{"op":"put","c":"accessPac`);
    const store = await FileStore.open(file);
    opened.push(store);
    expect(await readFile(journal, 'utf8')).toBe(whole);
    await request(createApp({ store }))
      .post('/beta/identityGovernance/entitlementManagement/accessPackages')
      .set('Authorization', 'Bearer t')
      .send({ displayName: 'After' })
      .expect(201);
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    const reopened = await FileStore.open(file);
    opened.push(reopened);
    expect(reopened.list('accessPackages').map((p) => p.displayName)).toContain('After');
  });

  it("stops the start before a gone tenant's baselines are dropped from the list: the list is left as it was", async () => {
    const { file, listFile, own } = await savedBaseline('baseline-dataset-gone-tenant-');
    const text = JSON.stringify({ baselines: [own, { ...own, tenant: 'contoso' }] });
    await writeFile(listFile, text);
    await rm(path.join(`${file}.datasets`, `${own['dataset']}.json`));
    await expect(FileStore.open(file)).rejects.toMatchObject({
      kind: 'corrupt',
      message: `The baseline 'mine' in ${listFile} names a stored dataset that is missing (or is no regular file).`,
    });
    expect(await readFile(listFile, 'utf8')).toBe(text);
  });

  it("is no reason to stop when only a tenant that no longer exists named it: that tenant's baselines go", async () => {
    const { file, listFile, own } = await savedBaseline('baseline-dataset-only-gone-');
    const store = await FileStore.open(file);
    await store.saveBaseline('mine');
    await store.close();
    const [kept] = JSON.parse(await readFile(listFile, 'utf8')).baselines as Record<string, unknown>[];
    const lost = { ...own, name: 'lost', tenant: 'contoso', dataset: 'f'.repeat(32) };
    await writeFile(listFile, JSON.stringify({ baselines: [kept, lost] }));
    const reopened = await FileStore.open(file);
    opened.push(reopened);
    expect(reopened.listBaselines().map((b) => b.name)).toEqual(['mine']);
    expect(JSON.parse(await readFile(listFile, 'utf8'))).toEqual({ baselines: [kept] });
  });

  it('stops the start, naming the baseline whose records it held', async () => {
    const { file, listFile, own } = await savedBaseline('baseline-dataset-');
    await rm(path.join(`${file}.datasets`, `${own['dataset']}.json`));
    await expect(FileStore.open(file)).rejects.toMatchObject({
      kind: 'corrupt',
      message: `The baseline 'mine' in ${listFile} names a stored dataset that is missing (or is no regular file).`,
    });
  });

  it('while the store runs, is named when its baseline is restored, and the data stays as it was', async () => {
    const { file, own } = await savedBaseline('baseline-dataset-');
    const store = await FileStore.open(file);
    opened.push(store);
    await store.replaceAll(small(2));
    await rm(path.join(`${file}.datasets`, `${own['dataset']}.json`));
    await expect(store.restoreBaseline('mine')).rejects.toMatchObject({
      kind: 'corrupt',
      message: `The stored dataset ${own['dataset']}.json in ${file}.datasets is missing.`,
    });
    expect(store.snapshot()).toEqual(small(2));
    // Over HTTP: a 500 in Graph's envelope, the detail in the log, the data still as it was.
    const unexpected: unknown[] = [];
    const app = createApp({ store, onUnexpectedError: (err: unknown) => unexpected.push(err) });
    expectGraphError(await request(app).post('/_emulator/snapshots/mine/restore'), 500, 'UnknownError', 'An internal server error occurred.');
    expect(unexpected).toEqual([expect.objectContaining({ message: expect.stringContaining('is missing.') })]);
    expect(store.snapshot()).toEqual(small(2));
  });
});

describe('the datasets folder at shutdown', () => {
  it('goes when nothing in it is needed any more, and stays with a baseline in it', async () => {
    const dir = await tempDir('baseline-folder-');
    const file = path.join(dir, 'db.json');
    const store = await FileStore.open(file);
    await store.replaceAll(small(1));
    await store.close();
    // The reset's dataset is in the snapshot now: nothing is left to keep.
    expect(await readdir(dir)).not.toContain('db.json.datasets');

    const again = await FileStore.open(file);
    await again.saveBaseline('kept');
    await again.replaceAll(small(3));
    await again.close();
    const kept = await readdir(`${file}.datasets`);
    // The list and the one dataset, whichever its digest sorts before or after.
    expect(kept.filter((name) => name !== 'baselines.json')).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.json$/)]);
    expect(kept).toContain('baselines.json');

    // Reopened, the dataset found in the folder is the baseline's: restored from it, and still kept after.
    const third = await FileStore.open(file);
    opened.push(third);
    expect((await third.restoreBaseline('kept'))?.records).toEqual(countsOf(small(1)));
    expect(third.snapshot()).toEqual(small(1));
  });
});

describe('a reset to records already stored', () => {
  it('names the stored dataset again without writing it again', async () => {
    const file = path.join(await tempDir('dataset-once-'), 'db.json');
    const store = await FileStore.open(file);
    opened.push(store);
    await store.replaceAll(small(1));
    const [name] = (await readdir(`${file}.datasets`)).filter((entry) => entry !== 'baselines.json');
    const first = await stat(path.join(`${file}.datasets`, name!));
    // The same records in another object: the same stored dataset, its file as it was (a write replaces the file).
    await store.replaceAll(small(1));
    expect(await readdir(`${file}.datasets`)).toEqual([name]);
    expect((await stat(path.join(`${file}.datasets`, name!))).ino).toBe(first.ino);
    expect(store.snapshot()).toEqual(small(1));
  });
});

/**
 * A file system whose next rewrite of the baseline list, once `hold()` is called, waits at its rename until
 * `release()`, as on a slow disk; `held` resolves when it has reached there.
 */
function heldListRewrite() {
  let hold: Promise<void> | undefined;
  let reached = () => {};
  const held = new Promise<void>((resolve) => {
    reached = resolve;
  });
  let release = () => {};
  const fs = {
    ...nodeFs,
    rename: async (from: string, to: string) => {
      if (hold !== undefined && to.endsWith('baselines.json')) {
        const wait = hold;
        hold = undefined;
        reached();
        await wait;
      }
      return nodeFs.rename(from, to);
    },
  };
  const holdNext = () => {
    hold = new Promise<void>((resolve) => {
      release = resolve;
    });
  };
  return { fs, held, hold: holdNext, release: () => release() };
}

describe('a tenant dropped while it is added again', () => {
  it('is added again only once its drop is over: without the dropped baselines, and a data file that opens', async () => {
    const file = path.join(await tempDir('drop-race-'), 'db.json');
    // The baseline list's rewrite when the tenant's baselines are forgotten waits until the test lets it go.
    const { fs, held, hold, release } = heldListRewrite();
    const store = await FileStore.open(file, { fs });
    opened.push(store);
    const app = createApp({ store });
    await request(app).post('/_emulator/reset?tenant=z1').send({ fixtures: 'empty' }).expect(200);
    await request(app).put('/_emulator/snapshots/old?tenant=z1').expect(201);
    hold();
    const dropped = request(app)
      .delete('/_emulator/tenants/z1')
      .then((res) => res);
    await held;
    let resetAnswered = false;
    const reset = request(app)
      .post('/_emulator/reset?tenant=z1')
      .send({ fixtures: 'empty' })
      .then((res) => {
        resetAnswered = true;
        return res;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resetAnswered).toBe(false);
    release();
    expect((await dropped).status).toBe(204);
    expect((await reset).status).toBe(200);
    const listed = await request(app).get('/_emulator/snapshots?tenant=z1').expect(200);
    expect(listed.body.value).toEqual([]);
    await request(app).put('/_emulator/snapshots/new?tenant=z1').expect(201);
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    const reopened = await FileStore.open(file);
    opened.push(reopened);
    const names = (
      await request(createApp({ store: reopened }))
        .get('/_emulator/snapshots?tenant=z1')
        .expect(200)
    ).body.value.map((b: { name: string }) => b.name);
    expect(names).toEqual(['new']);
  });
});

describe('a baseline deleted while its tenant is dropped', () => {
  it("keeps the stored dataset a journal line still names: the data file opens after a crash, the tenant's baselines gone", async () => {
    const file = path.join(await tempDir('drop-delete-race-'), 'db.json');
    // The baseline list's rewrite for the delete waits until the test lets it go, as on a slow disk, so that the
    // drop's rewrite is queued behind it.
    const { fs, held, hold, release } = heldListRewrite();
    const store = await FileStore.open(file, { fs });
    const app = createApp({ store });
    const record = { id: '8c2a1f54-7f3e-4d0b-9a51-2f0c6f1e4b7a', displayName: 'only in this baseline' };
    await request(app).post('/_emulator/reset?tenant=ra').send([record]).expect(200);
    // A record made after the reset: the baseline's dataset is its own, which no reset line names but the restore's.
    const token = (await request(app).post('/_emulator/token').send({ tid: 'ra' }).expect(200)).body.access_token as string;
    await request(app)
      .post('/beta/identityGovernance/entitlementManagement/accessPackages')
      .set('Authorization', `Bearer ${token}`)
      .send({ displayName: 'made after the reset' })
      .expect(201);
    await request(app).put('/_emulator/snapshots/b?tenant=ra').expect(201);
    // The restore's journal line names the baseline's dataset until the journal is compacted.
    await request(app).post('/_emulator/snapshots/b/restore?tenant=ra').expect(200);
    await request(app).post('/_emulator/reset?tenant=ra').send({ fixtures: 'empty' }).expect(200);
    hold();
    const deleted = request(app)
      .delete('/_emulator/snapshots/b?tenant=ra')
      .then((res) => res);
    await held;
    const dropped = request(app)
      .delete('/_emulator/tenants/ra')
      .then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const [deleteAnswer, dropAnswer] = await Promise.all([deleted, dropped]);
    expect([deleteAnswer.status, dropAnswer.status]).toEqual([204, 204]);
    const journal = await readFile(`${file}.journal`, 'utf8');
    const named = [...journal.matchAll(/"ds":"([0-9a-f]{32})"/g)].map((m) => `${m[1]}.json`);
    expect(named.length).toBeGreaterThan(0);
    const kept = await readdir(`${file}.datasets`);
    for (const dataset of named) expect(kept).toContain(dataset);
    await kill(store);
    const reopened = await FileStore.open(file);
    opened.push(reopened);
    const again = createApp({ store: reopened });
    const tenants = (await request(again).get('/_emulator/tenants').expect(200)).body.value.map((t: { id: string }) => t.id);
    expect(tenants).not.toContain('ra');
    const list = JSON.parse(await readFile(`${file}.datasets/baselines.json`, 'utf8')) as { baselines: { tenant?: string }[] };
    expect(list.baselines.filter((b) => b.tenant === 'ra')).toEqual([]);
  });
});
