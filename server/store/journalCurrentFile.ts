// The journal's current file (journal.ts): its descriptor, the identity its name must still lead to, and the length
// every acknowledged write lies within; and the file that is to replace it (a rotation's fresh file, or the copy a
// file that lost its name is put into) until that one is durable. What is written where, and cut back to what:
// journal.ts decides when, in its queue.
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from './durableWrites.js';
import { giveFolderOwner } from './fileOwner.js';
import { type FileId, type UnnamedJournal, fileIdOf, readAcknowledged, unnamedJournal } from './journalName.js';
import { CREATE_APPEND } from './ownFiles.js';
import { NEW_FILE_MODE, type StoreFs } from './storeFs.js';

/** write(2) may write less than asked (a full disk, a signal): go on until all of it is written. */
function writeAll(fs: StoreFs, fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset);
}

export class JournalCurrentFile {
  /** The current file's device and inode: what the journal's name must still lead to for an append to count. */
  private fileId: FileId;
  /** The file to replace the current one, opened and not durable yet: a repair goes on in it, close() closes it. */
  unsettledNext: FileHandle | undefined;

  constructor(
    readonly file: string,
    private handle: FileHandle,
    /** The length of the current file that every acknowledged write lies within: what a repair truncates back to. */
    private durableBytes: number,
    private readonly fs: StoreFs,
  ) {
    this.fileId = fileIdOf(handle);
  }

  /**
   * Appends `bytes` and syncs them; they count once the journal's name still leads to this file. The append only
   * copies into the page cache: done synchronously it costs a few µs and saves a thread-pool round trip per batch;
   * the sync, which waits for the disk, stays off the loop.
   */
  async appendDurably(bytes: Buffer): Promise<void> {
    writeAll(this.fs, this.handle.fd, bytes);
    await this.datasync(this.handle.fd);
    const unnamed = this.unnamed();
    if (unnamed !== undefined) throw unnamed;
    this.durableBytes += bytes.length;
  }

  /** Why the journal's name no longer leads to this file, if it does not (journalName.ts). */
  unnamed(): UnnamedJournal | undefined {
    return unnamedJournal(this.file, this.fileId);
  }

  /** Truncate the current file back to what was acknowledged: a refused entry must never be replayed. */
  async truncateToDurable(): Promise<void> {
    await this.handle.truncate(this.durableBytes);
    await this.datasync(this.handle.fd);
  }

  /**
   * Put what the current file acknowledged into a new file at the journal's name (never into a file someone put
   * there: it is made exclusively), and go on in it. The old one is no longer read by any restart.
   */
  async reinstate(): Promise<void> {
    const acknowledged = await readAcknowledged(this.handle, this.durableBytes, this.file);
    // Made here, exclusively and never through a link, so no owner's check is needed; the system's refusal quotes
    // the name only (the health answer names no folder).
    this.unsettledNext ??= await this.fs.open(this.file, CREATE_APPEND | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), NEW_FILE_MODE);
    const fresh = this.unsettledNext;
    // A repair tried before may have written part of it.
    await fresh.truncate(0);
    writeAll(this.fs, fresh.fd, acknowledged);
    await this.datasync(fresh.fd);
    await giveFolderOwner(fresh, this.file);
    await syncDirectory(path.dirname(this.file), this.fs);
    this.unsettledNext = undefined;
    await this.replaceWith(fresh, this.durableBytes);
  }

  /** Goes on in `fresh`, an empty file at the journal's name (a rotation's); the old one's writes were all synced. */
  startFresh(fresh: FileHandle): Promise<void> {
    return this.replaceWith(fresh, 0);
  }

  /** Closes the current file, and a next one no repair made durable (it holds nothing acknowledged). */
  async close(): Promise<void> {
    try {
      await this.handle.close();
    } finally {
      // Node would close it when collected, with a warning. The next start reads whatever is there.
      const unsettled = this.unsettledNext;
      this.unsettledNext = undefined;
      await unsettled?.close().catch(() => undefined);
    }
  }

  private async replaceWith(fresh: FileHandle, durableBytes: number): Promise<void> {
    const old = this.handle;
    this.handle = fresh;
    this.fileId = fileIdOf(fresh);
    this.durableBytes = durableBytes;
    // Everything in it was synced: a failed close loses nothing.
    await old.close().catch(() => undefined);
  }

  private datasync(fd: number): Promise<void> {
    return new Promise<void>((resolve, reject) => this.fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }
}
