// The files a restart reads, kept while the store runs: the snapshot and the journal are written where a restart
// finds them, but a file can be removed or replaced from under a running emulator (a clean-up of the data folder, a
// copy put back over it). A crash then loses what that file held, though each write was acknowledged once it was on
// disk. So every FILES_CHECK_MS the store looks: a journal no longer at its name gets a new file holding what it
// acknowledged (journal.ts keepNamed; a write finds it at once, refused once and repaired), and a snapshot removed
// or replaced is written again from memory, which holds everything (a replaced one once two looks in a row find the
// same version: one still being written is not taken half-written); the stored datasets and the baselines' index
// beside them are looked at in the same look (datasetsWatch.ts). A stat of each, every half second.
import { lstat } from 'node:fs/promises';
import { ChangedVersion, type FileVersion, sameVersion, versionOf } from './changedElsewhere.js';
import type { Journal } from './journal.js';

export const FILES_CHECK_MS = 500;

/**
 * The file at `file` as written (changedElsewhere.ts): another file, or the same one written in place
 * (`cp other.json db.json`), differs. The name itself, not what a link there leads to.
 */
async function idOf(file: string): Promise<FileVersion | undefined> {
  return lstat(file).then(versionOf, () => undefined);
}

export class FilesWatch {
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> = Promise.resolve();
  /** The snapshot last written or read; undefined while there is none (a store that has written none yet). */
  private snapshot: FileVersion | undefined;
  /** Another version found in place of the snapshot, taken once a second look finds it the same. */
  private readonly changing = new ChangedVersion();
  /** A snapshot is being written: its rename is not a replacement. */
  private writing = 0;

  constructor(
    private readonly location: string,
    private readonly journal: Journal,
    /** Write the snapshot again (a compaction). */
    private readonly rewrite: () => Promise<void>,
    /** The other files looked at in the same look (datasetsWatch.ts). */
    private readonly others: () => Promise<void> = async () => undefined,
  ) {}

  async start(): Promise<void> {
    this.snapshot = await idOf(this.location);
    this.timer = setInterval(() => void this.check(), FILES_CHECK_MS).unref();
  }

  /** Look now (after the look under way, if any). */
  check(): Promise<void> {
    this.looking = this.looking.then(() => this.look()).catch(() => undefined);
    return this.looking;
  }

  /** No more looks; resolves once the one under way is over. */
  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.looking;
  }

  /** Wraps the writing of a snapshot: the file then at the data file's name is the one to keep. */
  async writingSnapshot(write: () => Promise<void>): Promise<void> {
    this.writing += 1;
    try {
      await write();
      this.snapshot = await idOf(this.location);
    } finally {
      this.writing -= 1;
    }
  }

  private async look(): Promise<void> {
    await this.journal.keepNamed();
    await this.keepSnapshot();
    await this.others();
  }

  private async keepSnapshot(): Promise<void> {
    if (this.snapshot === undefined || this.writing > 0) return;
    const found = await idOf(this.location);
    if (found !== undefined && sameVersion(found, this.snapshot)) {
      this.changing.clear();
      return;
    }
    // A file replaced in place is taken once no one writes it any more; a removed one at once, as nothing is lost.
    if (found !== undefined && !this.changing.settled(found)) return;
    this.changing.clear();
    // A failure is tried again at the next look: the snapshot is still not the one written.
    await this.rewrite().catch(() => undefined);
  }
}
