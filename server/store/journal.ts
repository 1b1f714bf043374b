// Append-only journal beside the snapshot: one JSON line per write (however many records it changes), appended
// and fdatasync'ed in batches (group commit), so a write costs one append plus a share of one fsync, whatever the
// number of stored records. Writes and barriers run one at a time, in the order they were asked.
//
// A compaction does not stop the writes while the snapshot is written: it rotates the journal (a short
// barrier: `db.json.journal` is renamed to `db.json.journal.<n>` and a fresh one takes its place), writes
// the snapshot while new writes go to the fresh file, then discards the retired files. Opening replays
// the retired files, oldest first, then the current one.
//
// A failed append or sync refuses the writes it held and every one waiting behind it, and the file is cut back
// to what was acknowledged before the refusals are answered; a failed rotation is undone, or finished later.
// The journal is not given up: the next write (or a timer) repairs it first, so writes resume by themselves
// once the disk takes them again.
//
// Every file of the journal is opened as ownFiles.ts opens the store's own: never through a link, and only a
// regular file with one name whose owner controls the data. The current file, and what of it is acknowledged, is
// journalCurrentFile.ts's.
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from './durableWrites.js';
import { giveFolderOwner } from './fileOwner.js';
import { type EntryCheck, type JournalLine, entryShapeProblem, entryWeight } from './journalLines.js';
import { openJournalFiles } from './journalFiles.js';
import { JournalCurrentFile } from './journalCurrentFile.js';
import { UnnamedJournal } from './journalName.js';
import { CREATE_APPEND, OwnFiles } from './ownFiles.js';
import { type StoreFs, describeFailure, nodeFs } from './storeFs.js';
import { StoreError } from './store.js';

type Task =
  | { kind: 'append'; line: string; weight: number; commit: () => void; resolve: () => void; reject: (err: unknown) => void }
  | { kind: 'barrier'; run: () => Promise<void>; resolve: () => void; reject: (err: unknown) => void };

/** How long a journal that could not be repaired waits before it tries again on its own. */
export const REPAIR_RETRY_MS = 1000;

export class Journal {
  private queue: Task[] = [];
  private running = false;
  /**
   * Set when the current file may hold bytes that were never acknowledged (a failed append or sync) or a
   * rotation stopped half-way: no write may follow until `repair` has put it right.
   */
  private damage: (() => Promise<void>) | undefined;
  /** The generation a rotation stopped half-way renamed the current file to, until its repair finishes it. */
  private halfRetired: number | undefined;
  private repairTimer: NodeJS.Timeout | undefined;
  /**
   * Set by close(): what is asked after it is refused. A write or rotation run behind a closed handle would
   * write to a closed descriptor, or rename the file that the next process to hold the lock is writing.
   */
  private closed = false;
  /** Why every write is refused for good (refuse()), if it is. */
  private refusal: string | undefined;
  private discarding: Promise<void> = Promise.resolve();
  /** A torn tail is still there (opened with `cutLater`): no append may follow it. */
  private torn = false;
  /** The open made the current file; `used` once anything was asked of it (close() says why). */
  private made = false;
  private used = false;
  private readonly current: JournalCurrentFile;
  /** Records in the entries appended to the current file: how much replay a restart would cost beyond the retired files. */
  entries = 0;
  /** Why the last write failed, without absolute paths; cleared once a write is durable again. */
  problem: string | undefined;

  private constructor(
    readonly file: string,
    handle: FileHandle,
    /** Retired files not yet covered by a durable snapshot, oldest first. */
    private retired: number[],
    durableBytes: number,
    private readonly fs: StoreFs,
    private readonly own: OwnFiles,
  ) {
    this.current = new JournalCurrentFile(file, handle, durableBytes, fs);
  }

  /**
   * Open the journal, its entries read (journalFiles.ts). A torn tail is cut off at once, or with `cutLater`, only
   * when the opener calls cutTornTail: a start refused after this (a stored dataset missing) must leave every file
   * as it was. `own` says whose files the journal's may be (ownFiles.ts); by default, its folder's owner's and this
   * process's user's.
   */
  static async open(
    file: string,
    check: EntryCheck = entryShapeProblem,
    fs: StoreFs = nodeFs,
    cutLater = false,
    own?: OwnFiles,
  ): Promise<{ journal: Journal; entries: JournalLine[] }> {
    const owners = own ?? (await OwnFiles.of(path.dirname(file)));
    const opened = await openJournalFiles(file, check, owners, fs, cutLater);
    const journal = new Journal(file, opened.handle, opened.retired, opened.validBytes, fs, owners);
    journal.made = opened.made;
    journal.torn = opened.torn;
    journal.entries = opened.currentWeight;
    return { journal, entries: opened.entries };
  }

  /** Cuts the torn tail the open left (the next acknowledged append must start a line of its own). */
  async cutTornTail(): Promise<void> {
    if (!this.torn) return;
    await this.current.truncateToDurable();
    this.torn = false;
  }

  /** True when a restart would replay anything. */
  get pending(): boolean {
    return this.entries > 0 || this.retired.length > 0;
  }

  /**
   * The retired files not yet covered by a snapshot, oldest first: with the one a rotation stopped half-way renamed
   * (the current file, under its retired name until a repair opens the fresh one), where the writes it took are.
   */
  get retiredGenerations(): readonly number[] {
    return this.halfRetired === undefined ? this.retired : [...this.retired, this.halfRetired];
  }

  /** The newest retired generation, 0 when there is none. */
  get newestRetired(): number {
    return this.retired.at(-1) ?? 0;
  }

  /**
   * Append `entry` and resolve once it is durable. `commit` runs right after the sync that made it durable,
   * in the order the appends were asked and before any later one is acknowledged: the store applies the change
   * to memory there, so that nothing is visible before it is on disk. A refused append rejects with
   * StoreError('io') and never commits.
   */
  append(entry: JournalLine, commit: () => void = () => undefined): Promise<void> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'append', line: `${JSON.stringify(entry)}\n`, weight: entryWeight(entry), commit, resolve, reject }),
    );
  }

  /** Run `task` once every write asked before it is durable, and before any asked after it. */
  barrier(run: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'barrier', run, resolve, reject }));
  }

  /**
   * Retire the current file once every write asked before is durable, and go on in a fresh one. Resolves with
   * the generation retired: a snapshot of the state taken after this covers it and every older one. A failed
   * rotation leaves the journal as it was (the file renamed back), or, when even that fails, damaged until a
   * repair finishes the rotation.
   */
  async rotate(): Promise<number> {
    let generation = 0;
    this.used = true;
    await this.barrier(async () => {
      generation = this.newestRetired + 1;
      const retiredName = `${this.file}.${generation}`;
      try {
        await this.fs.rename(this.file, retiredName);
      } catch (err) {
        // Nothing changed: writes go on in the current file.
        throw this.failed(`Retiring ${path.basename(this.file)}`, err);
      }
      let fresh: FileHandle | undefined;
      try {
        fresh = await this.openFresh();
        await giveFolderOwner(fresh, this.file);
        // The rename and the new name are durable before anything written to the fresh file is acknowledged.
        await syncDirectory(path.dirname(this.file), this.fs);
      } catch (err) {
        const failure = this.failed(`Starting a fresh ${path.basename(this.file)}`, err);
        if (fresh === undefined && (await this.renamed(retiredName, this.file))) throw failure;
        // The old file is retired under its new name: writes wait until the fresh one is durable.
        this.halfRetired = generation;
        this.current.unsettledNext = fresh;
        this.damage = async () => {
          this.current.unsettledNext ??= await this.openFresh();
          await syncDirectory(path.dirname(this.file), this.fs);
          const opened = this.current.unsettledNext;
          this.current.unsettledNext = undefined;
          await this.switchTo(opened, generation);
        };
        throw failure;
      }
      await this.switchTo(fresh, generation);
      // Retired and going on in the fresh file: a failure of an earlier try is over, and health no longer names it.
      this.problem = undefined;
    });
    return generation;
  }

  /**
   * Remove the retired files up to `generation`, once a durable snapshot covers them. Oldest first, each
   * removal synced, one call after the other: whatever a crash leaves is a run of the newest retired files,
   * which replays correctly over that snapshot (an older file alone could bring back values a newer changed).
   */
  discardRetired(generation: number): Promise<void> {
    const run = this.discarding.then(async () => {
      while (this.retired.length > 0 && this.retired[0]! <= generation) {
        await this.fs.rm(`${this.file}.${this.retired[0]}`, { force: true });
        await syncDirectory(path.dirname(this.file), this.fs);
        this.retired.shift();
      }
    });
    this.discarding = run.catch(() => undefined);
    return run;
  }

  /**
   * Between writes: a file that lost its name (journalName.ts) gets a new one now rather than at the next write, which a
   * crash might never see. Run as a barrier, so never inside a rotation.
   */
  keepNamed(): Promise<void> {
    // The drain looks before it runs any task.
    return this.barrier(async () => undefined).catch(() => undefined);
  }

  /**
   * Refuse every write from now on, and those queued, with `why`: the files may be another process's now. What is
   * being synced still lands; the file is left as it is.
   */
  refuse(why: string): void {
    this.refusal = why;
    this.problem = why;
    this.closed = true;
    clearTimeout(this.repairTimer);
    this.refuseAll(new StoreError('io', why));
  }

  /**
   * Close the files, once what is queued is settled. With `discardUnused`, a current file this open made and
   * nothing was asked of goes too: a start refused after the open (a bad fixtures file) leaves the files as they
   * were, which is without a journal for a data file that had none.
   */
  async close(discardUnused = false): Promise<void> {
    clearTimeout(this.repairTimer);
    // Waits for what is queued; a journal that cannot be repaired has refused it already.
    const queued = this.barrier(async () => undefined).catch(() => undefined);
    this.closed = true;
    await queued;
    await this.current.close();
    if (discardUnused && this.made && !this.used) {
      // Best effort: an empty journal left behind is harmless.
      await this.fs
        .rm(this.file, { force: true })
        .then(() => syncDirectory(path.dirname(this.file), this.fs))
        .catch(() => undefined);
    }
  }

  /** The fresh file of a rotation, opened as the journal's own (a link planted meanwhile is refused). */
  private async openFresh(): Promise<FileHandle> {
    return (await this.own.open(this.file, CREATE_APPEND, 'journal', this.fs))!;
  }

  private async renamed(from: string, to: string): Promise<boolean> {
    try {
      await this.fs.rename(from, to);
      return true;
    } catch {
      return false;
    }
  }

  private async switchTo(fresh: FileHandle, generation: number): Promise<void> {
    this.retired.push(generation);
    this.halfRetired = undefined;
    this.entries = 0;
    await this.current.startFresh(fresh);
  }

  private failed(doing: string, err: unknown): StoreError {
    // The journal's files are named without their folder (a refusal of the open of a rotation's fresh file names it
    // whole), as health shows the problem without a token.
    this.problem = describeFailure(doing, err)
      .split(`${path.dirname(this.file)}${path.sep}`)
      .join('');
    return new StoreError('io', this.problem);
  }

  private enqueue(task: Task): void {
    if (task.kind === 'append') this.used = true;
    if (this.closed) return task.reject(new StoreError('io', this.refusal ?? `${path.basename(this.file)} is closed.`));
    this.queue.push(task);
    if (!this.running) void this.drain();
  }

  /** Put the file right if it needs it; on failure, try again later on a timer (or at the next write). */
  private async repaired(): Promise<boolean> {
    if (this.damage === undefined) return true;
    try {
      await this.damage();
      this.damage = undefined;
      return true;
    } catch (err) {
      this.failed(`Repairing ${path.basename(this.file)}`, err);
      this.repairTimer ??= setTimeout(() => {
        this.repairTimer = undefined;
        // An empty barrier: the drain repairs before it runs it.
        this.barrier(async () => undefined).catch(() => undefined);
      }, REPAIR_RETRY_MS).unref();
      return false;
    }
  }

  /** When the current file lost its name, mark it for reinstate() and say so; true when it did. */
  private markUnnamed(): boolean {
    const unnamed = this.current.unnamed();
    if (unnamed === undefined) return false;
    this.failed(`Writing ${path.basename(this.file)}`, unnamed);
    this.damage = () => this.current.reinstate();
    return true;
  }

  /** Reject everything that waits: writes checked against a state that included the refused ones must not follow them. */
  private refuseAll(error: StoreError): void {
    for (const t of this.queue.splice(0)) t.reject(error);
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      // A file that lost its name since the last look gets a new one before anything more goes into it: marked
      // here, repaired (once) below with any other damage.
      if (this.damage === undefined) this.markUnnamed();
      if (this.damage !== undefined) {
        if (!(await this.repaired())) {
          this.refuseAll(new StoreError('io', this.problem ?? `${path.basename(this.file)} cannot be written.`));
          break;
        }
        // Put right later (a timer, the files' look, a compaction's retry): the journal takes writes again.
        this.problem = undefined;
      }
      const head = this.queue[0]!;
      if (head.kind === 'barrier') {
        this.queue.shift();
        await head.run().then(head.resolve, head.reject);
        continue;
      }
      let n = 0;
      while (n < this.queue.length && this.queue[n]!.kind === 'append') n += 1;
      const batch = this.queue.splice(0, n) as Extract<Task, { kind: 'append' }>[];
      const bytes = Buffer.from(batch.map((t) => t.line).join(''), 'utf8');
      try {
        await this.current.appendDurably(bytes);
      } catch (err) {
        const error = this.failed(`Writing ${path.basename(this.file)}`, err);
        // Part of the batch may be in the file, or in a page cache that a failed sync left in an unknown
        // state: cut it off before anyone hears of the refusal, so that a restart cannot replay it. A file that
        // lost its name holds the batch where no restart reads it: what it acknowledged goes to a new file.
        this.damage = err instanceof UnnamedJournal ? () => this.current.reinstate() : () => this.current.truncateToDurable();
        await this.repaired();
        for (const t of batch) t.reject(error);
        this.refuseAll(error);
        continue;
      }
      this.problem = undefined;
      for (const t of batch) {
        this.entries += t.weight;
        t.commit();
        t.resolve();
      }
    }
    this.running = false;
  }
}
