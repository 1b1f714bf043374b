import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Journal, parseJournal, retiredGenerations } from '../../server/store/journal.js';
import { StoreError } from '../../server/store/types.js';

const put = (id: string) => JSON.stringify({ op: 'put', c: 'accessPackages', r: { id } });

describe('parseJournal', () => {
  it.each([
    ['an empty journal', '', 0, 0],
    ['complete lines', `${put('a')}\n${put('b')}\n`, 2, -1],
    ['a torn last line with no newline', `${put('a')}\n{"op":"put","c":"acc`, 1, put('a').length + 1],
    ['a last line that is complete JSON but lacks its newline', `${put('a')}\n${put('b')}`, 1, put('a').length + 1],
  ])('%s', (_name, text, count, validBytes) => {
    const parsed = parseJournal(text, 'j');
    expect(parsed.entries).toHaveLength(count);
    expect(parsed.validBytes).toBe(validBytes === -1 ? Buffer.byteLength(text) : validBytes);
  });

  it('refuses a damaged line in the middle, naming the file and line', () => {
    const text = `${put('a')}\nnot json\n${put('b')}\n`;
    expect(() => parseJournal(text, '/data/db.json.journal')).toThrow(
      new StoreError('corrupt', 'The journal /data/db.json.journal is damaged at line 2. It was left untouched.'),
    );
  });
});

describe('Journal group commit', () => {
  const entry = (id: string) => ({ op: 'put' as const, c: 'accessPackages' as const, r: { id } as never });

  async function fresh() {
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-'));
    const file = path.join(dir, 'db.json.journal');
    return { file, ...(await Journal.open(file)) };
  }

  it('acknowledges concurrent appends in the order they were asked, each one written by then', async () => {
    const { file, journal } = await fresh();
    const acknowledged: string[] = [];
    const onDisk: boolean[] = [];
    const appends = Array.from({ length: 200 }, (_, i) =>
      journal.append(entry(`r${i}`)).then(async () => {
        acknowledged.push(`r${i}`);
        onDisk.push((await readFile(file, 'utf8')).includes(`"r${i}"`));
      }),
    );
    await Promise.all(appends);
    expect(acknowledged).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}`));
    expect(onDisk.every(Boolean)).toBe(true);
    expect(journal.entries).toBe(200);
    await journal.close();
    const reopened = await Journal.open(file);
    expect(reopened.entries.map((e) => (e.op === 'put' ? e.r.id : e.op === 'del' ? e.id : e.t))).toEqual(acknowledged);
    await reopened.journal.close();
  });

  it('runs a barrier after every earlier append is acknowledged and before any later one is written', async () => {
    const { file, journal } = await fresh();
    const before = Array.from({ length: 50 }, (_, i) => journal.append(entry(`before${i}`)));
    let seen = '';
    const barrier = journal.barrier(async () => {
      seen = await readFile(file, 'utf8');
    });
    const after = Array.from({ length: 50 }, (_, i) => journal.append(entry(`after${i}`)));
    await Promise.all([...before, barrier, ...after]);
    expect(seen.trim().split('\n')).toHaveLength(50);
    expect(seen).not.toContain('after');
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(100);
    await journal.close();
  });

  it('after a failed write or sync, rejects what is pending and refuses what comes after', async () => {
    const { journal } = await fresh();
    await journal.append(entry('ok'));
    // Pull the file out from under it: the next write or fdatasync fails with EBADF.
    await (journal as unknown as { handle: { close(): Promise<void> } }).handle.close();
    const pending = Array.from({ length: 5 }, (_, i) => journal.append(entry(`lost${i}`)));
    const results = await Promise.allSettled(pending);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof StoreError && r.reason.kind === 'io')).toBe(true);
    await expect(journal.append(entry('later'))).rejects.toThrow(/can no longer be written/);
  });
});

describe('Journal rotation', () => {
  const entry = (id: string) => ({ op: 'put' as const, c: 'accessPackages' as const, r: { id } as never });
  const ids = (entries: { op: string; r?: { id: string }; id?: string }[]) => entries.map((e) => e.r?.id ?? e.id);

  async function fresh() {
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-'));
    const file = path.join(dir, 'db.json.journal');
    return { dir, file, ...(await Journal.open(file)) };
  }

  it('retires the current file after the writes asked before it, and goes on in a fresh one', async () => {
    const { dir, file, journal } = await fresh();
    const before = Array.from({ length: 20 }, (_, i) => journal.append(entry(`old${i}`)));
    const rotated = journal.rotate();
    const after = Array.from({ length: 5 }, (_, i) => journal.append(entry(`new${i}`)));
    await Promise.all([...before, ...after]);
    expect(await rotated).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['db.json.journal', 'db.json.journal.1']);
    expect(parseJournal(await readFile(`${file}.1`, 'utf8'), 'x').entries).toHaveLength(20);
    expect(ids(parseJournal(await readFile(file, 'utf8'), 'x').entries)).toEqual(['new0', 'new1', 'new2', 'new3', 'new4']);
    expect(journal.entries).toBe(5);
    expect(journal.pending).toBe(true);
    await journal.close();
  });

  it('replays retired files oldest first (by number, not by name), then the current one', async () => {
    const { dir, file, journal } = await fresh();
    await journal.close();
    await writeFile(`${file}.10`, `${JSON.stringify(entry('third'))}\n`);
    await writeFile(`${file}.9`, `${JSON.stringify(entry('second'))}\n`);
    await writeFile(`${file}.2`, `${JSON.stringify(entry('first'))}\n`);
    await writeFile(file, `${JSON.stringify(entry('fourth'))}\n`);
    // Not a retired journal: another name that merely starts the same way.
    await writeFile(path.join(dir, 'db.json.journal.bak'), 'not a journal');
    expect(await retiredGenerations(file)).toEqual([2, 9, 10]);
    const reopened = await Journal.open(file);
    expect(ids(reopened.entries)).toEqual(['first', 'second', 'third', 'fourth']);
    // The next rotation numbers after the newest retired file.
    expect(await reopened.journal.rotate()).toBe(11);
    await reopened.journal.close();
  });

  it('after a failed rotation, refuses the writes waiting behind it and every later one', async () => {
    const { file, journal } = await fresh();
    await journal.append(entry('before'));
    // Pull the file away: the rename that retires it fails.
    await rm(file);
    const rotation = journal.rotate();
    const waiting = journal.append(entry('waiting'));
    await expect(rotation).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(waiting).rejects.toThrow(/can no longer be written/);
    await expect(journal.append(entry('later'))).rejects.toThrow(/can no longer be written/);
    await (journal as unknown as { handle: { close(): Promise<void> } }).handle.close();
  });

  it('discards retired files up to a generation, oldest first, and keeps newer ones', async () => {
    const { dir, journal } = await fresh();
    await journal.append(entry('a'));
    const first = await journal.rotate();
    await journal.append(entry('b'));
    const second = await journal.rotate();
    expect((await readdir(dir)).sort()).toEqual(['db.json.journal', 'db.json.journal.1', 'db.json.journal.2']);
    await journal.discardRetired(first);
    expect((await readdir(dir)).sort()).toEqual(['db.json.journal', 'db.json.journal.2']);
    await journal.discardRetired(second);
    expect(await readdir(dir)).toEqual(['db.json.journal']);
    expect(journal.pending).toBe(false);
    await journal.close();
  });
});
