// A journal file removed or replaced while the journal is open: appends that went on into it would be where no
// restart reads them. What it acknowledged goes to a new file at the name; a file put there is never written into.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Journal } from '../../server/store/journal.js';
import { StoreError } from '../../server/store/store.js';
import { FailingFs } from '../support/failingFs.js';

const entry = (id: string) => ({ op: 'put' as const, c: 'accessPackages' as const, r: { id } as never });
const line = (id: string) => `${JSON.stringify(entry(id))}\n`;

async function opened(fs?: FailingFs) {
  const dir = await mkdtemp(path.join(tmpdir(), 'journal-name-'));
  const file = path.join(dir, 'db.json.journal');
  const { journal } = await Journal.open(file, undefined, fs);
  return { dir, file, journal };
}

describe('a journal file that lost its name', () => {
  it.each([
    ['removed', (file: string) => unlink(file)],
    ['moved away', (file: string) => rename(file, `${file}.moved`)],
  ])('%s: the next append puts what it acknowledged and itself into a new file at the name', async (_how, lose) => {
    const { dir, file, journal } = await opened();
    await journal.append(entry('a'));
    await lose(file);
    await journal.append(entry('b'));
    expect(await readFile(file, 'utf8')).toBe(`${line('a')}${line('b')}`);
    expect(journal.problem).toBeUndefined();
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('replaced by another file: appends are refused and that file is left as it was, until it is moved away', async () => {
    const { dir, file, journal } = await opened();
    await journal.append(entry('a'));
    await rename(file, `${file}.old`);
    await writeFile(file, 'not ours\n');
    const refused = await journal.append(entry('b')).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(StoreError);
    expect([(refused as StoreError).kind, (refused as StoreError).message]).toEqual([
      'io',
      expect.stringMatching(/^Repairing db\.json\.journal failed: EEXIST: /),
    ]);
    expect(await readFile(file, 'utf8')).toBe('not ours\n');
    await unlink(file);
    await journal.append(entry('c'));
    expect(await readFile(file, 'utf8')).toBe(`${line('a')}${line('c')}`);
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('removed, with a disk that refuses the new file: the write is refused after one try, then taken once it can be made', async () => {
    const fs = new FailingFs();
    const { dir, file, journal } = await opened(fs);
    await journal.append(entry('a'));
    await unlink(file);
    fs.failAlways('open', { code: 'EIO', match: /^db\.json\.journal$/ });
    const refused = await journal.append(entry('b')).catch((err: unknown) => err);
    expect([(refused as StoreError).kind, (refused as StoreError).message]).toEqual([
      'io',
      "Repairing db.json.journal failed: EIO: injected failure, open 'db.json.journal'",
    ]);
    // One try for the one write (two, at once, before).
    expect(fs.injected).toEqual(['open db.json.journal']);
    fs.heal();
    await journal.append(entry('c'));
    expect([await readFile(file, 'utf8'), journal.problem]).toEqual([`${line('a')}${line('c')}`, undefined]);
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('between writes, keepNamed gives it a new file at once', async () => {
    const { dir, file, journal } = await opened();
    await journal.append(entry('a'));
    await unlink(file);
    await journal.keepNamed();
    expect([await readFile(file, 'utf8'), journal.problem]).toEqual([line('a'), undefined]);
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('removed while a write waits for its sync: that write is refused and not kept, what came before is at the name', async () => {
    const fs = new FailingFs();
    const { dir, file, journal } = await opened(fs);
    await journal.append(entry('a'));
    fs.holding = true;
    const waiting = journal.append(entry('b')).catch((err: unknown) => err);
    while (fs.held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await unlink(file);
    fs.holding = false;
    fs.held.shift()!();
    const refused = await waiting;
    expect(refused).toBeInstanceOf(StoreError);
    expect([(refused as StoreError).kind, (refused as StoreError).message]).toEqual([
      'io',
      'Writing db.json.journal failed: db.json.journal was removed while the emulator ran',
    ]);
    // The refused entry went into the file that lost its name, which no restart reads; the new one holds only `a`.
    expect(await readFile(file, 'utf8')).toBe(line('a'));
    await journal.append(entry('c'));
    expect([await readFile(file, 'utf8'), journal.problem]).toEqual([`${line('a')}${line('c')}`, undefined]);
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('removed, and the disk full while its new file is written: the repair tried again writes that file afresh, not after the part written', async () => {
    const fs = new FailingFs();
    const { dir, file, journal } = await opened(fs);
    await journal.append(entry('a'));
    await unlink(file);
    // The new file takes half of what the old one acknowledged, then the disk refuses the rest once: that write is
    // refused, and the next one's repair writes the new file again.
    fs.failNext('append', { match: /^db\.json\.journal$/ });
    const refused = await journal.append(entry('b')).catch((err: unknown) => err);
    expect((refused as StoreError).message).toBe("Repairing db.json.journal failed: ENOSPC: injected failure, write 'db.json.journal'");
    expect(fs.injected).toEqual(['append db.json.journal']);
    await journal.append(entry('c'));
    expect([await readFile(file, 'utf8'), journal.problem]).toEqual([`${line('a')}${line('c')}`, undefined]);
    await journal.close();
    const { journal: reopened, entries } = await Journal.open(file);
    expect(entries).toEqual([entry('a'), entry('c')]);
    await reopened.close();
    await rm(dir, { recursive: true, force: true });
  });
});
