// The file store refuses what is not its own and touches nothing else: a JSON file that is not a data file,
// a hard-linked file, a foreign entry at the lock path, journal lines of the wrong shape, files that merely
// look like retired journals, a link or another user's file as a journal; it follows symbolic links to the data
// file itself and plants nothing predictable.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chown, link, lstat, mkdir, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { COLLECTION_NAMES } from '../../server/collections.js';
import { FileAccessError } from '../../server/errors.js';
import { DATA_FORMAT, serializeDataset } from '../../server/store/dataFileFormat.js';
import { createExclusive, temporaryPath } from '../../server/store/durableWrites.js';
import { FileStore } from '../../server/store/fileStore.js';
import { nodeFs } from '../../server/store/storeFs.js';
import { StoreError } from '../../server/store/store.js';
import { datasetOf } from '../../server/store/records.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { accessPackage } from '../support/accessPackages.js';
import { tempDir } from '../support/emulatorProcess.js';
import { kill } from '../support/killedStore.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await tempDir('datafile-');
  file = path.join(dir, 'db.json');
});

const opened: FileStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});
async function open(at = file): Promise<FileStore> {
  const store = await FileStore.open(at);
  opened.push(store);
  return store;
}
async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((s) => s.close()));
}
async function refusal(at = file): Promise<StoreError> {
  const error = await FileStore.open(at).then(
    (store) => {
      opened.push(store);
      return undefined;
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

const line = (entry: object) => `${JSON.stringify(entry)}\n`;

const twin = accessPackage({ displayName: 'One of two' });

describe('the data file is the emulator’s own', () => {
  it('is written with its format marker as the first key', async () => {
    const store = await open();
    const record = accessPackage({ displayName: 'Marked' });
    await store.create('accessPackages', record);
    await closeAll();
    const text = await readFile(file, 'utf8');
    expect(text.startsWith(`{\n"dataFormat": "${DATA_FORMAT}",\n"accessPackages": [\n${JSON.stringify(record)}\n],\n`)).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ dataFormat: 'graph-accesspackages-emulator/1', accessPackages: [record] });
  });

  it.each([
    [
      'a package.json',
      { name: 'app', version: '1.0.0', scripts: { test: 'jest' } },
      /no "dataFormat" marker, and its keys \('name', 'version', 'scripts'\) are not the emulator's collections/,
    ],
    ['a JSON array', [{ id: 'x' }], /the top level must be a JSON object/],
    // Only a missing or empty file holds no data: `null` is a value, not the absence of one.
    ['null', null, /: the top level must be a JSON object\. It/],
    ['a JSON string', 'hello', /: the top level must be a JSON object\. It/],
    ['a JSON number', 0, /: the top level must be a JSON object\. It/],
    ['an empty object', {}, /no "dataFormat" marker and none of the emulator's collections/],
    [
      'collections with another key beside them',
      { accessPackages: [], settings: {} },
      /keys \('accessPackages', 'settings'\) are not the emulator's collections/,
    ],
    [
      'a file of another format version',
      { dataFormat: 'graph-accesspackages-emulator/2', accessPackages: [] },
      /"dataFormat" is "graph-accesspackages-emulator\/2"; this emulator reads 'graph-accesspackages-emulator\/1'/,
    ],
    ['a marked file with a foreign key', { dataFormat: DATA_FORMAT, accessPackages: [], name: 'x' }, /unknown top-level key 'name'/],
    // Other tenants came with the marker: an unmarked file with them was not written by the emulator.
    ['other tenants without the marker', { accessPackages: [], tenants: {} }, /keys \('accessPackages', 'tenants'\) are not the emulator's collections/],
    ['a tenant with a foreign key', { dataFormat: DATA_FORMAT, accessPackages: [], tenants: { one: { notes: [] } } }, /unknown key 'notes' in tenants\.one/],
    [
      'a hand-written file with two records sharing an id',
      { dataFormat: DATA_FORMAT, accessPackages: [accessPackage(), twin, { ...twin, displayName: 'Twin' }] },
      new RegExp(`: accessPackages\\[2\\] repeats the id '${twin.id}' of accessPackages\\[1\\]\\. It`),
    ],
    // Hand-written (not the layout the emulator writes): every record is checked against its schema.
    [
      'a hand-written record of the wrong types',
      { dataFormat: DATA_FORMAT, accessPackages: [accessPackage(), { ...accessPackage(), isHidden: 'yes' }] },
      /accessPackages\[1\] does not follow the accessPackage schema: accessPackages\[1\]\.isHidden must be boolean/,
    ],
    [
      'a hand-written record whose id is in upper case',
      { dataFormat: DATA_FORMAT, accessPackages: [accessPackage({ id: '8C2A1F54-7F3E-4D0B-9A51-2F0C6F1E4B7A' })] },
      /: accessPackages\[0\]: property 'id' is '8C2A1F54-7F3E-4D0B-9A51-2F0C6F1E4B7A', not in lower case: Graph's ids are lower case \('8c2a1f54-7f3e-4d0b-9a51-2f0c6f1e4b7a'\)\. It/,
    ],
    [
      "a hand-written tenant's package in no catalog there is",
      { dataFormat: DATA_FORMAT, accessPackages: [], tenants: { one: { accessPackages: [accessPackage({ catalogId: twin.id })] } } },
      new RegExp(`: tenants\\.one\\.accessPackages\\[0\\]: property 'catalogId' names '${twin.id}', which is no record of accessPackageCatalogs\\. It`),
    ],
    [
      "a hand-written tenant's record with a property its type does not have",
      { dataFormat: DATA_FORMAT, accessPackages: [], tenants: { one: { accessPackages: [{ ...accessPackage(), x: [[[1]]] }] } } },
      /tenants\.one\.accessPackages\[0\] does not follow the accessPackage schema: .*'x'/,
    ],
  ])('refuses %s, naming the file, and leaves it byte for byte as it was', async (_name, content, reason) => {
    const text = `${JSON.stringify(content, null, 2)}\n`;
    await writeFile(file, text);
    const error = await refusal();
    expect(error.kind).toBe('corrupt');
    expect(error.message).toMatch(new RegExp(`^The data file ${file} is not an emulator data file: `));
    expect(error.message).toMatch(reason);
    expect(error.message).toMatch(/It was left untouched\.$/);
    expect(await readFile(file, 'utf8')).toBe(text);
    // No journal, no temporary file, and the lock is gone again.
    expect(await readdir(dir)).toEqual(['db.json']);
  });

  it.each([
    ['the default tenant', '', ''],
    ['another tenant', 'worker-1', 'tenants.worker-1.'],
  ])('refuses a record line repeated in a file of its own layout, in %s, and leaves the file as it was', async (_name, tenant, at) => {
    const record = accessPackage({ displayName: 'Copied line' });
    const dataset = datasetOf({ accessPackages: [accessPackage(), record] });
    const text = serializeDataset(tenant === '' ? dataset : { ...datasetOf({}), tenants: { [tenant]: dataset } });
    const copied = text.replace(`${JSON.stringify(record)}\n`, `${JSON.stringify(record)},\n${JSON.stringify(record)}\n`);
    expect(copied).not.toBe(text);
    await writeFile(file, copied);
    const error = await refusal();
    expect(error.kind).toBe('corrupt');
    expect(error.message).toBe(
      `The data file ${file} is not an emulator data file: ${at}accessPackages[2] repeats the id '${record.id}' of ${at}accessPackages[1]. It was left untouched.`,
    );
    expect(await readFile(file, 'utf8')).toBe(copied);
    expect(await readdir(dir)).toEqual(['db.json']);
  });

  it.each([
    ['an empty file', ''],
    ['a file of blanks', ' \n'],
    // Saved empty by Notepad or PowerShell's UTF8 encoding: the byte order mark is ignored, as in any JSON file.
    ['a byte order mark alone', '\ufeff'],
    ['a byte order mark and a line break', '\ufeff\r\n'],
  ])('takes %s for a fresh one, to be seeded: it holds no data to lose', async (_name, text) => {
    await writeFile(file, text);
    const store = await open();
    expect(store.fresh).toBe(true);
    expect(store.count('accessPackages')).toBe(0);
  });

  it('loads a hand-written, pretty-printed file whose records follow their schemas', async () => {
    const record = accessPackage({ displayName: 'Written by hand' });
    await writeFile(file, `${JSON.stringify({ dataFormat: DATA_FORMAT, accessPackages: [record], accessPackageCatalogs: [] }, null, 2)}\n`);
    const store = await open();
    expect(store.list('accessPackages')).toEqual([record]);
  });

  it.each([
    [
      'a collection copied in before its own, in the layout the emulator writes',
      'accessPackages',
      (own: string, record: string) => own.replace('"accessPackages": [\n', `"accessPackages": [\n${record}\n],\n"accessPackages": [\n`),
    ],
    [
      'a property written twice in a record of a pretty-printed file',
      'displayName',
      (_own: string, record: string) =>
        `${JSON.stringify({ dataFormat: DATA_FORMAT, accessPackageCatalogs: [] }, null, 2).slice(0, -2)},\n  "accessPackages": [${record.replace('"displayName":', '"displayName":"first","displayName":')}]\n}\n`,
    ],
  ])('refuses %s, naming it, and leaves the file as it was', async (_case, name, edit) => {
    const kept = accessPackage({ displayName: 'Kept' });
    const copied = accessPackage({ displayName: 'Only in the first block' });
    const own = serializeDataset(datasetOf({ accessPackages: [kept], accessPackageCatalogs: [] }));
    const text = edit(own, JSON.stringify(copied));
    await writeFile(file, text);
    const refused = await FileStore.open(file).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as Error).message).toBe(
      `The data file ${file} is not valid JSON (the name '${name}' is written twice in one object; only the last would count). It was left untouched.`,
    );
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it.each([
    ['in the layout the emulator writes', (record: object) => serializeDataset(datasetOf({ accessPackages: [record as never], accessPackageCatalogs: [] }))],
    ['pretty-printed', (record: object) => `${JSON.stringify({ dataFormat: DATA_FORMAT, accessPackages: [record], accessPackageCatalogs: [] }, null, 2)}\n`],
  ])('refuses a file %s saved in Windows-1252, naming where, rather than serve U+FFFD for its é and write it back so', async (_layout, written) => {
    const text = written(accessPackage({ displayName: 'Café' }));
    const bytes = Buffer.from(text, 'latin1');
    await writeFile(file, bytes);
    const error = await refusal();
    expect(error.kind).toBe('corrupt');
    expect(error.message).toBe(
      `The data file ${file} is not valid JSON (it is not UTF-8: the byte 0xE9 at offset ${text.indexOf('é')} is no UTF-8 character (saved in another encoding, such as Windows-1252); save it as UTF-8). It was left untouched.`,
    );
    expect(await readFile(file)).toEqual(bytes);
    // The same file as UTF-8 opens, its é whole.
    await writeFile(file, text);
    const store = await open();
    expect(store.list('accessPackages').map((r) => r.displayName)).toEqual(['Café']);
  });

  it('loads a file written before the marker (the collections only), and marks it at its next snapshot', async () => {
    const record = accessPackage({ displayName: 'From an earlier version' });
    const legacy = serializeDataset(datasetOf({ accessPackages: [record], accessPackageCatalogs: [] })).replace(`"dataFormat": "${DATA_FORMAT}",\n`, '');
    expect(legacy.startsWith('{\n"accessPackages": [\n')).toBe(true);
    await writeFile(file, legacy);
    const store = await open();
    expect(store.list('accessPackages')).toEqual([record]);
    await store.create('accessPackages', accessPackage({ displayName: 'New' }));
    await closeAll();
    const marked = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(marked)).toEqual(['dataFormat', ...COLLECTION_NAMES]);
    expect(marked['accessPackages']).toEqual([record, expect.objectContaining({ displayName: 'New' })]);
  });
});

describe('links', () => {
  it('follows a symbolic link to its target: the target holds the data, lock and journal; the link stays a link', async () => {
    const targetDir = path.join(dir, 'real');
    await mkdir(targetDir);
    const target = path.join(targetDir, 'data.json');
    const linkPath = path.join(dir, 'db.json');
    await symlink(path.relative(dir, target), linkPath);
    const store = await open(linkPath);
    expect(store.location).toBe(target);
    const record = accessPackage({ displayName: 'Through the link' });
    await store.create('accessPackages', record);
    // The write is in the target's journal (the snapshot comes at the close), and nothing beside the link.
    expect((await readdir(targetDir)).sort()).toEqual(['data.json.journal', 'data.json.lock']);
    expect((await readdir(dir)).sort()).toEqual(['db.json', 'real']);
    // The target by its own name is the same data file: held.
    expect((await refusal(target)).message).toMatch(new RegExp(`The data file ${target} is in use by another emulator process \\(pid ${process.pid}\\)`));
    await closeAll();
    expect((await lstat(linkPath)).isSymbolicLink()).toBe(true);
    expect(await readlink(linkPath)).toBe(path.join('real', 'data.json'));
    expect(JSON.parse(await readFile(target, 'utf8')).accessPackages).toEqual([record]);
  });

  it('a link held open refuses a second open through the target, and the other way round', async () => {
    const target = path.join(dir, 'target.json');
    const linkPath = path.join(dir, 'link.json');
    await symlink(target, linkPath);
    await open(target);
    expect((await refusal(linkPath)).kind).toBe('locked');
    await closeAll();
    await open(linkPath);
    expect((await refusal(target)).kind).toBe('locked');
  });

  it('creates the missing target of a dangling link, through a chain of links', async () => {
    const target = path.join(dir, 'made', 'db.json');
    await symlink(path.join(dir, 'second-link'), path.join(dir, 'first-link'));
    await symlink(target, path.join(dir, 'second-link'));
    const store = await open(path.join(dir, 'first-link'));
    await store.create('accessPackages', accessPackage());
    await closeAll();
    expect((await stat(target)).isFile()).toBe(true);
    expect((await lstat(path.join(dir, 'first-link'))).isSymbolicLink()).toBe(true);
  });

  it('refuses a data file with a second hard link, whose names a snapshot would split into diverging copies', async () => {
    const store = await open();
    await store.create('accessPackages', accessPackage());
    await closeAll();
    const other = path.join(dir, 'other.json');
    await link(file, other);
    const before = await readFile(file, 'utf8');
    for (const name of [file, other]) {
      const error = await refusal(name);
      expect(error.kind).toBe('locked');
      expect(error.message).toBe(
        `The data file ${name} has 2 hard links; the emulator replaces the file at every snapshot, so its other names would diverge from it. Give the emulator a file of its own (cp, not ln), or a symbolic link.`,
      );
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('temporary files', () => {
  it('never writes through a link planted at the name the snapshot’s temporary file used to have', async () => {
    const victim = path.join(dir, 'victim.txt');
    await writeFile(victim, 'keep me');
    const planted = path.join(dir, `.db.json.${process.pid}.tmp`);
    await symlink(victim, planted);
    const store = await open();
    await store.create('accessPackages', accessPackage());
    await closeAll();
    expect(await readFile(victim, 'utf8')).toBe('keep me');
    expect(await readlink(planted)).toBe(victim);
    expect(JSON.parse(await readFile(file, 'utf8')).accessPackages).toHaveLength(1);
  });

  it('takes a new random name beside the file each time, and creates it only where nothing is', async () => {
    const names = new Set(Array.from({ length: 50 }, () => temporaryPath(file)));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(new RegExp(`^${dir}/\\.db\\.json\\.[0-9a-f]{16}\\.tmp$`));
    const taken = path.join(dir, 'taken');
    await writeFile(taken, 'x');
    await expect(createExclusive(taken)).rejects.toMatchObject({ code: 'EEXIST' });
    const linked = path.join(dir, 'linked');
    await symlink(path.join(dir, 'nowhere'), linked);
    await expect(createExclusive(linked)).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(readdir(dir)).resolves.not.toContain('nowhere');
  });
});

/** A Unix socket left at `at` by a process killed while it listened: what a crashed holder leaves. */
async function staleSocket(at: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(at)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  await new Promise((resolve) => child.on('exit', resolve));
  expect((await lstat(at)).isSocket()).toBe(true);
}

describe('the lock', () => {
  it.each([
    ['a regular file', async (at: string) => writeFile(at, 'my notes'), 'a regular file'],
    ['a directory', async (at: string) => mkdir(at), 'a directory'],
    ['a symbolic link', async (at: string) => symlink(path.join(dir, 'elsewhere'), at), 'a symbolic link'],
  ])('leaves %s at the lock path alone and refuses to start', async (_name, make, kind) => {
    const lockPath = `${file}.lock`;
    await make(lockPath);
    const before = await lstat(lockPath);
    const error = await refusal();
    expect(error.kind).toBe('locked');
    expect(error.message).toBe(
      `${lockPath} is ${kind}, not an emulator's lock (a Unix socket); it was left alone. Move it away if nothing needs it, or give this emulator another DATA_FILE.`,
    );
    const after = await lstat(lockPath);
    expect({ ino: after.ino, mode: after.mode, size: after.size }).toEqual({ ino: before.ino, mode: before.mode, size: before.size });
    if (kind === 'a regular file') expect(await readFile(lockPath, 'utf8')).toBe('my notes');
  });

  it('takes over a socket left by a holder that died', async () => {
    await staleSocket(`${file}.lock`);
    const store = await open();
    expect(store.count('accessPackages')).toBe(0);
  });
});

describe('journal entries', () => {
  const record = accessPackage({ displayName: 'Good' });
  const good = line({ op: 'put', c: 'accessPackages', r: record });

  it.each([
    ['a JSON array', [1, 2], 'not a JSON object'],
    ['null', null, 'not a JSON object'],
    ['an unknown operation', { op: 'tenant', t: 'contoso', d: {} }, `'op' is "tenant", not 'put', 'del', 'reset', 'drop'`],
    ['a collection that is a property of every object', { op: 'put', c: '__proto__', r: { id: record.id } }, `'c' is "__proto__", not one of accessPackages`],
    ['a field no entry has', { op: 'del', c: 'accessPackages', id: record.id, extra: 1 }, "unknown field 'extra' in a 'del'"],
    ['a delete of a numeric id', { op: 'del', c: 'accessPackages', id: 7 }, "'id' is 7, not a string"],
    ['a put without a record', { op: 'put', c: 'accessPackages', r: 'x' }, `'r' is "x", not a record`],
    ['a tenant that is not a string', { op: 'del', c: 'accessPackages', id: record.id, t: 5 }, "'t' (the tenant) is 5, not a tenant id"],
    ['a tenant in upper case', { op: 'put', c: 'accessPackages', r: record, t: 'Contoso' }, `'t' (the tenant) is "Contoso", not a tenant id (1 to 128`],
    [
      "the default tenant's id as a tenant",
      { op: 'reset', t: DEFAULT_TENANT_ID, ds: 'a'.repeat(32), n: 1 },
      `'t' (the tenant) is "${DEFAULT_TENANT_ID}", not a tenant id`,
    ],
    ['a drop without its tenant', { op: 'drop' }, "'t' (the tenant) is undefined, not a tenant id"],
    ['a drop with a collection', { op: 'drop', t: 'contoso', c: 'accessPackages' }, "unknown field 'c' in a 'drop'"],
    ['a reset naming no stored dataset', { op: 'reset', ds: '../db.json', n: 1 }, `'ds' is "../db.json", not a stored dataset's name`],
    ['a reset moving its dates by a fraction', { op: 'reset', ds: 'a'.repeat(32), shift: 0.5, n: 1 }, "'shift' is 0.5, not a whole number of milliseconds"],
    ['a reset without its record count', { op: 'reset', ds: 'a'.repeat(32) }, "'n' is undefined, not a record count"],
    ['a reset with a collection', { op: 'reset', ds: 'a'.repeat(32), n: 1, c: 'accessPackages' }, "unknown field 'c' in a 'reset'"],
    [
      'a record against its schema',
      { op: 'put', c: 'accessPackages', r: { ...record, isHidden: 'yes' } },
      'the accessPackage record does not follow its schema: r.isHidden must be boolean',
    ],
    [
      'a record with a property of no type',
      { op: 'put', c: 'accessPackageCatalogs', r: { id: record.id, colour: 'red' } },
      "the accessPackageCatalog record does not follow its schema: r: unknown field 'colour'",
    ],
    ['a batch of no changes', { op: 'batch', changes: [] }, "'changes' is [], not a list of changes"],
    [
      'a batch whose change names a tenant of its own',
      { op: 'batch', changes: [{ op: 'del', c: 'accessPackages', id: record.id, t: 'contoso' }] },
      "changes[0]: unknown field 't' in a 'del'",
    ],
    ['a batch holding a reset', { op: 'batch', changes: [{ op: 'reset', ds: 'a'.repeat(32), n: 1 }] }, `changes[0]: 'op' is "reset", not 'put', 'del'`],
    [
      'a batch whose record breaks its schema',
      {
        op: 'batch',
        changes: [
          { op: 'del', c: 'accessPackages', id: record.id },
          { op: 'put', c: 'accessPackages', r: { ...record, isHidden: 'yes' } },
        ],
      },
      'changes[1]: the accessPackage record does not follow its schema: r.isHidden must be boolean',
    ],
  ])('refuses %s, in the middle or last, naming the file and the line; nothing is touched', async (_name, entry, problem) => {
    const data = serializeDataset(datasetOf({ accessPackages: [], accessPackageCatalogs: [] }));
    await writeFile(file, data);
    for (const [text, lineNo] of [
      [good + line(entry as object) + good, 2],
      [good + good + line(entry as object), 3],
    ] as const) {
      await writeFile(`${file}.journal`, text);
      const error = await refusal();
      expect(error.kind).toBe('corrupt');
      expect(error.message).toMatch(new RegExp(`^The journal ${file}\\.journal holds at line ${lineNo} an entry this emulator does not read \\(`));
      expect(error.message).toContain(problem);
      // A newer emulator's entry reads like damage: the message says both, and not to remove what may be acknowledged.
      expect(error.message).toMatch(
        /\): written by a newer version of the emulator, or damaged\. It was left untouched: the version that wrote it replays it, and removing the journal would lose acknowledged writes\.$/,
      );
      expect(error.stack).not.toContain('TypeError');
      expect(await readFile(`${file}.journal`, 'utf8')).toBe(text);
      expect(await readFile(file, 'utf8')).toBe(data);
    }
  });

  it('names the retired file a bad entry is in', async () => {
    await writeFile(`${file}.journal.1`, good + line({ op: 'put', c: 'accessPackages', r: { id: 1 } }));
    const error = await refusal();
    expect(error.message).toBe(
      `The journal ${file}.journal.1 holds at line 2 an entry this emulator does not read ('r.id' is 1, not a string): written by a newer version of the emulator, or damaged. It was left untouched: the version that wrote it replays it, and removing the journal would lose acknowledged writes.`,
    );
  });

  it('replays entries of every collection as the emulator writes them, with or without a tenant, and a drop', async () => {
    const dataset = generateDataset({ seed: 5, accessPackages: 30, accessPackageCatalogs: 3, referenceDate: '2026-11-01T00:00:00Z' });
    let text = '';
    for (const c of COLLECTION_NAMES)
      for (const [i, r] of dataset[c].entries()) text += line(i % 2 === 0 ? { op: 'put', c, r } : { op: 'put', c, r, t: 'contoso' });
    text += line({ op: 'put', c: 'accessPackages', r: record, t: 'dropped.one' }) + line({ op: 'drop', t: 'dropped.one' });
    await writeFile(`${file}.journal`, text);
    const store = await open();
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'contoso']);
    const contoso = store.tenants.get('contoso')!;
    for (const c of COLLECTION_NAMES) {
      expect(store.list(c)).toEqual(dataset[c].filter((_r, i) => i % 2 === 0));
      expect(contoso.list(c)).toEqual(dataset[c].filter((_r, i) => i % 2 === 1));
    }
  });

  it('replays a batch whole, in its order, for its tenant', async () => {
    const [gone, moved] = [accessPackage({ displayName: 'Gone' }), accessPackage({ displayName: 'Moved' })];
    const batch = (t?: string) => ({
      op: 'batch',
      ...(t === undefined ? {} : { t }),
      changes: [
        { op: 'del', c: 'accessPackages', id: gone.id },
        { op: 'put', c: 'accessPackages', r: moved },
        { op: 'put', c: 'accessPackages', r: { ...moved, displayName: 'Moved twice' } },
      ],
    });
    const earlier = (t?: string) => [gone, record].map((r) => line({ op: 'put', c: 'accessPackages', r, ...(t === undefined ? {} : { t }) })).join('');
    await writeFile(`${file}.journal`, earlier() + earlier('contoso') + line(batch()) + line(batch('contoso')));
    const store = await open();
    for (const tenant of [store, store.tenants.get('contoso')!])
      expect(tenant.list('accessPackages').map((p) => p.displayName)).toEqual(['Good', 'Moved twice']);
  });

  it('leaves a last line that is complete JSON of the wrong shape but lacks its newline as a torn tail', async () => {
    await writeFile(`${file}.journal`, `${good}{"op":"put","c":"accessPackages"}`);
    const store = await open();
    expect(store.list('accessPackages')).toEqual([record]);
  });
});

describe('retired journals', () => {
  it('replays and removes only the generations the emulator writes; dated copies and backups are left as they are', async () => {
    const kept = accessPackage({ displayName: 'Retired generation' });
    const stray = accessPackage({ displayName: 'From a copy' });
    await writeFile(file, serializeDataset(datasetOf({ accessPackages: [], accessPackageCatalogs: [] })));
    await writeFile(`${file}.journal.1`, line({ op: 'put', c: 'accessPackages', r: kept }));
    const strays = ['20261201', 'bak', '01', '1234567', '1.old'];
    for (const suffix of strays) await writeFile(`${file}.journal.${suffix}`, line({ op: 'put', c: 'accessPackages', r: stray }));
    const store = await open();
    expect(store.list('accessPackages')).toEqual([kept]);
    await closeAll();
    expect((await readdir(dir)).sort()).toEqual(['db.json', 'db.json.journal', ...strays.map((s) => `db.json.journal.${s}`)].sort());
    for (const suffix of strays) expect(await readFile(`${file}.journal.${suffix}`, 'utf8')).toBe(line({ op: 'put', c: 'accessPackages', r: stray }));
  });
});

describe('the journal’s files are the emulator’s own', () => {
  const isRoot = process.getuid?.() === 0;
  const planted = (what: string, at: string, fact: string, never: string) =>
    `The ${what} ${at} ${fact}; the emulator writes its ${what} only into a file of its own, ${never}. It was left untouched.`;
  const victimText = 'precious, no newline';
  async function victim(): Promise<string> {
    const at = path.join(dir, 'victim.txt');
    await writeFile(at, victimText);
    return at;
  }
  async function withData(): Promise<void> {
    await writeFile(file, serializeDataset(datasetOf({ accessPackages: [], accessPackageCatalogs: [] })));
  }

  it('refuses a symbolic link as the journal, and never empties or appends to the file it points to', async () => {
    await withData();
    const target = await victim();
    await symlink(target, `${file}.journal`);
    const error = await refusal();
    expect(error.kind).toBe('locked');
    expect(error.message).toBe(planted('journal', `${file}.journal`, 'is a symbolic link', 'never through a link'));
    expect(await readFile(target, 'utf8')).toBe(victimText);
    expect(await readlink(`${file}.journal`)).toBe(target);
    expect((await readdir(dir)).sort()).toEqual(['db.json', 'db.json.journal', 'victim.txt']);
  });

  it('refuses a symbolic link as a retired journal: neither replayed nor removed', async () => {
    await withData();
    const target = path.join(dir, 'victim.txt');
    await writeFile(target, line({ op: 'put', c: 'accessPackages', r: accessPackage({ displayName: 'Not the emulator’s' }) }));
    await symlink(target, `${file}.journal.1`);
    const error = await refusal();
    expect(error.kind).toBe('locked');
    expect(error.message).toBe(planted('retired journal', `${file}.journal.1`, 'is a symbolic link', 'never through a link'));
    expect((await lstat(`${file}.journal.1`)).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['db.json', 'db.json.journal.1', 'victim.txt']);
  });

  it('refuses a journal with a second hard link, whose other name would be cut back and appended to', async () => {
    await withData();
    const target = await victim();
    await link(target, `${file}.journal`);
    const error = await refusal();
    expect(error.kind).toBe('locked');
    expect(error.message).toBe(planted('journal', `${file}.journal`, 'has 2 hard links', 'never into a file with other names (cp, not ln)'));
    expect(await readFile(target, 'utf8')).toBe(victimText);
  });

  (isRoot ? it : it.skip)('refuses a journal of a user who owns neither the data file nor its folder (chown needs root)', async () => {
    await withData();
    await writeFile(`${file}.journal`, '');
    await chown(`${file}.journal`, 54321, 54321);
    const error = await refusal();
    expect(error.kind).toBe('locked');
    expect(error.message).toBe(
      planted(
        'journal',
        `${file}.journal`,
        'belongs to uid 54321, who owns neither the data file nor its folder and does not run the emulator',
        'never into another user’s file',
      ),
    );
    // The data file's owner is trusted: a journal of theirs is theirs to give the emulator.
    await chown(file, 54321, 54321);
    const store = await open();
    await store.create('accessPackages', accessPackage());
    await closeAll();
  });

  it('names the journal, not the data file, when a folder is where the journal belongs (exit 3)', async () => {
    await withData();
    await mkdir(`${file}.journal`);
    const error = await FileStore.open(file).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as FileAccessError).exitCode).toBe(3);
    expect((error as Error).message).toBe(`Cannot open the journal ${file}.journal: it is a directory (EISDIR, at ${file}.journal).`);
  });

  it('refuses a symbolic link as the folder of stored datasets, and removes nothing in the folder it points to', async () => {
    await withData();
    const elsewhere = path.join(dir, 'elsewhere');
    await mkdir(elsewhere);
    const unpinned = path.join(elsewhere, `${'a'.repeat(32)}.json`);
    await writeFile(unpinned, '{}');
    await symlink(elsewhere, `${file}.datasets`);
    const error = await refusal();
    expect(error.kind).toBe('locked');
    expect(error.message).toBe(
      `The folder of stored datasets ${file}.datasets is a symbolic link; the emulator writes files only into a folder of its own, never through a link. It was left untouched.`,
    );
    expect(await readdir(elsewhere)).toEqual([path.basename(unpinned)]);
  });

  it('leaves no journal behind when a start on a fresh file is refused after the open, and none it made for a refused open', async () => {
    const store = await FileStore.open(file);
    expect(store.fresh).toBe(true);
    await store.close();
    expect(await readdir(dir)).toEqual([]);
    // A data file whose baseline names a dataset that is missing: refused after the journal was opened.
    await withData();
    await mkdir(`${file}.datasets`);
    const baseline = {
      name: 'gone',
      createdDateTime: '2026-11-01T00:00:00.000Z',
      records: Object.fromEntries(COLLECTION_NAMES.map((n) => [n, 0])),
      dataset: 'b'.repeat(32),
    };
    await writeFile(path.join(`${file}.datasets`, 'baselines.json'), JSON.stringify({ baselines: [baseline] }));
    expect((await refusal()).kind).toBe('corrupt');
    expect((await readdir(dir)).sort()).toEqual(['db.json', 'db.json.datasets']);
  });

  it('leaves no folder it made for a data file when the start is refused, and keeps folders that hold anything', async () => {
    // Closed without a write (a refused start after the open: a bad fixtures file): a/ and a/b/ go, dir stays.
    const nested = path.join(dir, 'a', 'b', 'db.json');
    const store = await FileStore.open(nested);
    expect(store.fresh).toBe(true);
    await store.close();
    expect(await readdir(dir)).toEqual([]);
    // Refused at the open (a disk that cannot sync the folder, so the new journal's name): the made folder goes.
    await mkdir(path.join(dir, 'kept'));
    await writeFile(path.join(dir, 'kept', 'note.txt'), 'mine');
    const eio = Object.assign(new Error('EIO: i/o error, open'), { code: 'EIO', syscall: 'open' });
    const failingFolderSync = {
      ...nodeFs,
      open: (f: string, flags: string | number, mode?: number) => (flags === 'r' ? Promise.reject(eio) : nodeFs.open(f, flags, mode)),
    };
    await expect(FileStore.open(path.join(dir, 'kept', 'new', 'db.json'), { fs: failingFolderSync })).rejects.toMatchObject({
      message: expect.stringContaining('EIO'),
    });
    expect(await readdir(path.join(dir, 'kept'))).toEqual(['note.txt']);
    // A store that took a write keeps its folder and its file.
    const used = await FileStore.open(nested);
    opened.push(used);
    await used.create('accessPackages', accessPackage());
    await used.close();
    expect((await readdir(path.join(dir, 'a', 'b'))).sort()).toEqual(['db.json', 'db.json.journal']);
  });
});

describe('temporary files of the stored datasets', () => {
  it('removes at start those a crash left mid-write (datasets and the baseline list), nothing else, and the folder at stop once it is empty', async () => {
    const folder = `${file}.datasets`;
    await mkdir(folder);
    const strays = [`.${'c'.repeat(32)}.json.0123456789abcdef.tmp`, '.baselines.json.fedcba9876543210.tmp'];
    for (const name of strays) await writeFile(path.join(folder, name), '{"half":');
    const store = await open();
    expect(await readdir(folder)).toEqual([]);
    await store.create('accessPackages', accessPackage());
    await closeAll();
    expect((await readdir(dir)).sort()).toEqual(['db.json', 'db.json.journal']);
    // Names the emulator does not write are someone else's: left, and the folder with them.
    const others = [`.${'c'.repeat(32)}.json.0123456789ABCDEF.tmp`, '.notes.json.0123456789abcdef.tmp', 'notes.txt'];
    await mkdir(folder);
    for (const name of others) await writeFile(path.join(folder, name), 'mine');
    await open();
    await closeAll();
    expect((await readdir(folder)).sort()).toEqual([...others].sort());
  });
});

describe('a stored dataset that is not a regular file', () => {
  it('stops the start at once with exit 3 naming it, never waiting on a pipe', async () => {
    const store = await FileStore.open(file);
    await store.replaceAll(datasetOf({ accessPackages: [accessPackage({ displayName: 'kept' })], accessPackageCatalogs: [] }));
    await kill(store);
    // The journal's reset entry names the dataset; a pipe planted under its name would block a plain read.
    const [name] = (await readdir(`${file}.datasets`)).filter((n) => /^[0-9a-f]{32}\.json$/.test(n));
    const dataset = path.join(`${file}.datasets`, name!);
    await rm(dataset);
    await new Promise<void>((resolve, reject) =>
      spawn('mkfifo', [dataset]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo ${code}`)))),
    );
    const error = await FileStore.open(file).then(
      (opened) => {
        opened.close();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as FileAccessError).exitCode).toBe(3);
    expect((error as Error).message).toContain(`it is not a regular file (a pipe, a socket or a device) (ENOTREG, at ${dataset})`);
  });
});
