import { describe, expect, it, jest } from '@jest/globals';
import { constants } from 'node:buffer';
import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Journal, REPAIR_RETRY_MS } from '../../server/store/journal.js';
import type { JournalLine } from '../../server/store/journalLines.js';
import { JournalParser, parseJournal, retiredGenerations } from '../../server/store/journalFiles.js';
import { StoreError } from '../../server/store/store.js';
import { FailingFs } from '../support/failingFs.js';

const put = (id: string) => JSON.stringify({ op: 'put', c: 'accessPackages', r: { id } });

describe('parseJournal', () => {
  it.each([
    ['an empty journal', '', 0, 0],
    ['complete lines', `${put('a')}\n${put('b')}\n`, 2, -1],
    ['a torn last line with no newline', `${put('a')}\n{"op":"put","c":"acc`, 1, put('a').length + 1],
    ['a last line that is complete JSON but lacks its newline', `${put('a')}\n${put('b')}`, 1, put('a').length + 1],
    // What a power loss leaves where an append's blocks never reached the disk: NUL bytes, here with the newline.
    ['a last line of NUL bytes that a power loss left', `${put('a')}\n{"op":"put"\u0000\u0000\u0000\n`, 1, put('a').length + 1],
  ])('%s', (_name, text, count, validBytes) => {
    const parsed = parseJournal(text, 'j');
    expect(parsed.entries).toHaveLength(count);
    expect(parsed.validBytes).toBe(validBytes === -1 ? Buffer.byteLength(text) : validBytes);
  });

  it('refuses a damaged last line that ends with its newline: a complete write, not a torn one', () => {
    const text = `${put('a')}\n${put('b').replace('"op"', 'X"op"')}\n`;
    expect(() => parseJournal(text, '/data/db.json.journal')).toThrow(
      expect.objectContaining({ kind: 'corrupt', message: 'The journal /data/db.json.journal is damaged at line 2. It was left untouched.' }),
    );
  });

  it('refuses a damaged line in the middle, naming the file and line', () => {
    const text = `${put('a')}\nnot json\n${put('b')}\n`;
    // toThrow compares messages only: the kind is what the store's callers branch on.
    expect(() => parseJournal(text, '/data/db.json.journal')).toThrow(
      expect.objectContaining({ kind: 'corrupt', message: 'The journal /data/db.json.journal is damaged at line 2. It was left untouched.' }),
    );
  });
});

describe('a journal past the longest string V8 makes (512 MiB)', () => {
  it('opens, its entries replayed and a torn tail of 600 MiB of NUL bytes cut off, instead of failing to be read as one string', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-large-'));
    const file = path.join(dir, 'db.json.journal');
    const text = `${put('a')}\n${put('b')}\n`;
    await writeFile(file, text);
    // What a power loss can leave past the last append: zeros (here sparse, so the disk holds none of them).
    await truncate(file, 600 * 1024 ** 2);
    const { journal, entries } = await Journal.open(file);
    try {
      expect(entries).toEqual([JSON.parse(put('a')), JSON.parse(put('b'))]);
      expect((await stat(file)).size).toBe(Buffer.byteLength(text));
    } finally {
      await journal.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a complete line longer than any entry as damage, naming it, without keeping its bytes', () => {
    const parser = new JournalParser('/data/db.json.journal');
    parser.push(Buffer.from(`${put('a')}\n`));
    const mib = Buffer.alloc(1024 ** 2, 'x');
    for (let read = 0; read <= constants.MAX_STRING_LENGTH; read += mib.length) parser.push(mib);
    expect(() => parser.push(Buffer.from('\n'))).toThrow(
      expect.objectContaining({ kind: 'corrupt', message: 'The journal /data/db.json.journal is damaged at line 2. It was left untouched.' }),
    );
  });
});

describe('a journal read in pieces', () => {
  it('replays lines whose 3- and 4-byte characters a piece boundary (64 KiB, 1 MiB, 2 MiB) splits, with CRLF line ends', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-pieces-'));
    const file = path.join(dir, 'db.json.journal');
    const lines: string[] = [];
    let bytes = 0;
    const add = (line: string) => {
      lines.push(line);
      bytes += Buffer.byteLength(line);
    };
    const split: number[] = [];
    for (const [n, [char, boundary, before]] of (
      [
        ['☃', 64 * 1024, 1],
        ['𝄞', 1024 ** 2, 2],
        ['𝄞', 2 * 1024 ** 2, 3],
      ] as const
    ).entries()) {
      while (boundary - bytes > 20_000)
        add(`${JSON.stringify({ op: 'put', c: 'accessPackages', r: { id: `f${lines.length}`, displayName: 'é'.repeat(5000) } })}\r\n`);
      const head = `{"op":"put","c":"accessPackages","r":{"id":"s${n}","displayName":"`;
      // The character starts `before` bytes ahead of the boundary, so the boundary falls inside it.
      add(`${head}${'x'.repeat(boundary - before - bytes - Buffer.byteLength(head))}${char}"}}\r\n`);
      split.push(boundary);
    }
    const text = Buffer.from(lines.join(''));
    for (const boundary of split) expect(text[boundary]! & 0xc0).toBe(0x80); // a continuation byte: the character is cut there
    await writeFile(file, text);
    const { journal, entries } = await Journal.open(file);
    try {
      expect(entries).toEqual(lines.map((line) => JSON.parse(line) as unknown));
    } finally {
      await journal.close();
      await rm(dir, { recursive: true, force: true });
    }
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
    expect(reopened.entries.map((e) => (e.op === 'put' ? e.r.id : undefined))).toEqual(acknowledged);
    await reopened.journal.close();
  });

  it('counts a reset as the records it puts in place (at least one) and any other entry as one, before and after a restart', async () => {
    const { file, journal } = await fresh();
    const reset = (n: number) => ({ op: 'reset' as const, ds: 'a'.repeat(32), n });
    await journal.append(reset(5));
    expect(journal.entries).toBe(5);
    await journal.append(reset(0));
    await journal.append(entry('one'));
    // The store compacts once the journal outweighs the snapshot: a reset of many records weighs as much.
    expect(journal.entries).toBe(7);
    await journal.close();
    const reopened = await Journal.open(file);
    expect(reopened.journal.entries).toBe(7);
    await reopened.journal.close();
  });

  it("makes a new journal's name durable before it takes a write: a folder that cannot be synced fails the open, with nothing left open", async () => {
    const fs = new FailingFs();
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-'));
    const file = path.join(dir, 'db.json.journal');
    const folder = new RegExp(`^${path.basename(dir)}$`);
    fs.failNext('sync', { match: folder, code: 'EIO' });
    await expect(Journal.open(file, undefined, fs)).rejects.toMatchObject({ code: 'EIO', syscall: 'sync' });
    expect(fs.injected).toEqual([`sync ${path.basename(dir)}`]);
    const handles = fs.opened.map((o) => o.handle);
    expect(handles.map((h) => h.fd)).toEqual(handles.map(() => -1));
    // ... and no file: it did not exist before the open.
    expect(await readdir(dir)).toEqual([]);
    // A journal that exists already was made durable when it was made: its folder is not synced again.
    await writeFile(file, '');
    fs.failNext('sync', { match: folder, code: 'EIO' });
    const { journal } = await Journal.open(file, undefined, fs);
    expect(fs.injected).toHaveLength(1);
    await journal.close();
  });

  it('cuts a torn tail off on open, even one with nothing before it, so the next acknowledged append is whole', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-'));
    const file = path.join(dir, 'db.json.journal');
    await writeFile(file, '{"op":"put","c":"acc');
    const { journal, entries } = await Journal.open(file);
    expect(entries).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe('');
    await journal.append(entry('after-the-crash'));
    await journal.close();
    // Glued to the torn bytes, the append would make one damaged last line, dropped as torn on the next open.
    const reopened = await Journal.open(file);
    expect(reopened.entries).toEqual([entry('after-the-crash')]);
    expect(await readFile(file, 'utf8')).toBe(`${put('after-the-crash')}\n`);
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

  it.each([
    ['a torn append (part of the batch written)', 'append'],
    ['a failed sync (the batch in the page cache)', 'fdatasync'],
  ] as const)('after %s, refuses the batch and what waits behind it, cuts the file back, and takes the next write', async (_name, op) => {
    const fs = new FailingFs();
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-'));
    const file = path.join(dir, 'db.json.journal');
    const { journal } = await Journal.open(file, undefined, fs);
    await journal.append(entry('kept'));
    const committed: string[] = [];
    fs.failNext(op);
    const refused = Array.from({ length: 5 }, (_, i) => journal.append(entry(`refused${i}`), () => committed.push(`refused${i}`)));
    const results = await Promise.allSettled(refused);
    expect(results.map((r) => r.status === 'rejected' && r.reason instanceof StoreError && r.reason.kind)).toEqual(Array(5).fill('io'));
    expect(committed).toEqual([]);
    expect(journal.problem).toMatch(/^Writing db\.json\.journal failed: ENOSPC/);
    expect(await readFile(file, 'utf8')).toBe(`${put('kept')}\n`);
    await journal.append(entry('after'), () => committed.push('after'));
    expect(committed).toEqual(['after']);
    expect(journal.problem).toBeUndefined();
    await journal.close();
    const reopened = await Journal.open(file);
    expect(reopened.entries.map((e: JournalLine) => (e.op === 'put' ? e.r.id : undefined))).toEqual(['kept', 'after']);
    await reopened.journal.close();
  });

  it('when even the cut fails, refuses writes until a later one (or the timer) repairs the file first', async () => {
    const fs = new FailingFs();
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-'));
    const file = path.join(dir, 'db.json.journal');
    const { journal } = await Journal.open(file, undefined, fs);
    fs.failNext('fdatasync').failNext('truncate', { code: 'EIO' });
    await expect(journal.append(entry('refused'))).rejects.toMatchObject({ kind: 'io' });
    // The refused line is still in the file: no write may follow it until it is gone.
    expect(await readFile(file, 'utf8')).toContain('refused');
    expect(journal.problem).toMatch(/^Repairing db\.json\.journal failed: EIO/);
    await journal.append(entry('next'));
    expect(await readFile(file, 'utf8')).toBe(`${put('next')}\n`);
    await journal.close();
  });

  it('tries the cut again on its own after REPAIR_RETRY_MS, with no write asked', async () => {
    const fs = new FailingFs();
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'journal-')), 'db.json.journal');
    const { journal } = await Journal.open(file, undefined, fs);
    await journal.append(entry('kept'));
    // The retry's timer runs on jest's clock, moved on by REPAIR_RETRY_MS; the file I/O and its callbacks stay real.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      fs.failNext('fdatasync').failNext('truncate', { code: 'EIO' });
      await expect(journal.append(entry('refused'))).rejects.toMatchObject({ kind: 'io' });
      expect(await readFile(file, 'utf8')).toContain('refused');
      jest.advanceTimersByTime(REPAIR_RETRY_MS);
      let text = await readFile(file, 'utf8');
      for (let i = 0; i < 1000 && text.includes('refused'); i++) {
        await new Promise((resolve) => setImmediate(resolve));
        text = await readFile(file, 'utf8');
      }
      expect(text).toBe(`${put('kept')}\n`);
    } finally {
      jest.useRealTimers();
    }
    await journal.close();
  });
});

describe('Journal rotation', () => {
  const entry = (id: string) => ({ op: 'put' as const, c: 'accessPackages' as const, r: { id } as never });
  const ids = (entries: { op: string; r?: { id: string }; id?: string }[]) => entries.map((e) => e.r?.id ?? e.id);

  async function freshOn(fs?: FailingFs) {
    const dir = await mkdtemp(path.join(tmpdir(), 'journal-'));
    const file = path.join(dir, 'db.json.journal');
    return { dir, file, ...(await Journal.open(file, undefined, fs)) };
  }
  const fresh = () => freshOn();

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

  it('after a rotation whose rename fails, goes on in the same file', async () => {
    const fs = new FailingFs();
    const { dir, file, journal } = await freshOn(fs);
    await journal.append(entry('before'));
    fs.failNext('rename');
    const rotation = journal.rotate();
    const waiting = journal.append(entry('waiting'));
    await expect(rotation).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/^Retiring db\.json\.journal failed: ENOSPC/) });
    await waiting;
    expect(await readdir(dir)).toEqual(['db.json.journal']);
    expect(ids(parseJournal(await readFile(file, 'utf8'), 'x').entries)).toEqual(['before', 'waiting']);
    await journal.close();
  });

  it('after a rotation whose fresh file cannot be opened, renames the old one back', async () => {
    const fs = new FailingFs();
    const { dir, file, journal } = await freshOn(fs);
    await journal.append(entry('before'));
    fs.failNext('open', { match: /^db\.json\.journal$/ });
    await expect(journal.rotate()).rejects.toMatchObject({ kind: 'io' });
    await journal.append(entry('after'));
    expect(await readdir(dir)).toEqual(['db.json.journal']);
    expect(ids(parseJournal(await readFile(file, 'utf8'), 'x').entries)).toEqual(['before', 'after']);
    expect(journal.pending).toBe(true);
    // Nothing was retired: the file's entries still count, and no generation was used.
    expect(journal.entries).toBe(2);
    expect(journal.newestRetired).toBe(0);
    await journal.close();
  });

  it('after a rotation whose folder sync fails, holds writes until a repair has made the fresh file durable', async () => {
    const fs = new FailingFs();
    const { dir, file, journal } = await freshOn(fs);
    await journal.append(entry('before'));
    fs.failNext('sync', { code: 'EIO', times: 2 });
    const rotation = journal.rotate();
    const waiting = journal.append(entry('waiting'));
    await expect(rotation).rejects.toMatchObject({ kind: 'io' });
    // The first repair fails as well: what waited is refused.
    await expect(waiting).rejects.toMatchObject({ kind: 'io' });
    await journal.append(entry('later'));
    expect((await readdir(dir)).sort()).toEqual(['db.json.journal', 'db.json.journal.1']);
    expect(ids(parseJournal(await readFile(`${file}.1`, 'utf8'), 'x').entries)).toEqual(['before']);
    expect(ids(parseJournal(await readFile(file, 'utf8'), 'x').entries)).toEqual(['later']);
    await journal.close();
    const reopened = await Journal.open(file);
    expect(ids(reopened.entries)).toEqual(['before', 'later']);
    await reopened.journal.close();
  });

  it('closed while a rotation waits for its repair: the fresh file it opened is closed too, and a restart finds every acknowledged entry', async () => {
    const fs = new FailingFs();
    const { file, journal } = await freshOn(fs);
    await journal.append(entry('before'));
    fs.failAlways('sync', { code: 'EIO' });
    await expect(journal.rotate()).rejects.toMatchObject({ kind: 'io' });
    await expect(journal.append(entry('refused'))).rejects.toMatchObject({ kind: 'io' });
    await journal.close();
    // Every file it opened is closed (a closed handle's fd is -1): the first journal file, the folder for each sync,
    // and the rotation's fresh file, which never became durable.
    const handles = fs.opened.map((o) => o.handle);
    expect(handles.length).toBeGreaterThanOrEqual(3);
    expect(handles.map((h) => h.fd)).toEqual(handles.map(() => -1));
    fs.heal();
    const reopened = await Journal.open(file);
    expect(ids(reopened.entries)).toEqual(['before']);
    await reopened.journal.close();
  });

  it('refuses what is asked once it is closing, touching no file; what was asked before still lands', async () => {
    const fs = new FailingFs();
    const { dir, file, journal } = await freshOn(fs);
    // The second waits in the queue behind the first's sync when close() is asked.
    const before = [journal.append(entry('before')), journal.append(entry('queued'))];
    const closing = journal.close();
    // A late compaction's rotation would rename the file the next holder of the lock writes, and open one nobody closes.
    const openedBefore = fs.opened.length;
    await expect(journal.rotate()).rejects.toEqual(expect.objectContaining({ kind: 'io', message: 'db.json.journal is closed.' }));
    await expect(journal.append(entry('late'))).rejects.toMatchObject({ kind: 'io', message: 'db.json.journal is closed.' });
    await Promise.all(before);
    await closing;
    expect(fs.opened.slice(openedBefore)).toEqual([]);
    expect(await readdir(dir)).toEqual(['db.json.journal']);
    const reopened = await Journal.open(file);
    expect(ids(reopened.entries)).toEqual(['before', 'queued']);
    await reopened.journal.close();
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

  it('discards a retired file that is gone already (removed before a crash let the journal forget it)', async () => {
    const { dir, file, journal } = await fresh();
    await journal.append(entry('a'));
    const first = await journal.rotate();
    await rm(`${file}.${first}`);
    await journal.discardRetired(first);
    expect(await readdir(dir)).toEqual(['db.json.journal']);
    expect(journal.pending).toBe(false);
    await journal.close();
  });
});
