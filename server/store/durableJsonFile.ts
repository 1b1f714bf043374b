// A lowdb adapter that makes every snapshot durable: lowdb's own JSONFile (steno) writes a temp file and
// renames it but never fsyncs, so after a power loss the renamed file can be empty. Here: write the temp
// file, fsync it, rename over the target, fsync the directory. A reader never sees a half-written file.
// The text comes as an iterable of pieces and goes out about a megabyte at a time, each write awaited: a
// large snapshot never exists as one string, and the event loop serves requests between the pieces instead
// of stalling for the whole serialisation. The temporary file has a random name and is created, never
// opened: a file or a symbolic link planted beside the data under a guessed name is never written through.
// It takes the mode of the file it replaces (a 0600 data file stays 0600), and its owner and group (fileOwner.ts),
// set before any byte is written.
import type { Adapter } from 'lowdb';
import { type FileHandle, stat } from 'node:fs/promises';
import { openRegularFile } from '../regularFile.js';
import path from 'node:path';
import { type FileVersion, currentVersion, keepAside, sameVersion, versionOf } from './changedElsewhere.js';
import { type Owner, giveFolderOwner, giveOwner } from './fileOwner.js';
import { createExclusive, removeStrayTemporaryFiles, syncDirectory, temporaryPath } from './durableWrites.js';
import { NEW_FILE_MODE, type StoreFs, nodeFs } from './storeFs.js';
import { StoreError } from './store.js';

/** About 1 MB: a few milliseconds of JSON.stringify between two chances for the event loop. */
export const WRITE_CHUNK_CHARS = 1 << 20;
/** Read a megabyte at a time when the layout can be parsed in pieces. */
const READ_CHUNK_BYTES = 1 << 20;

/** A parser fed a file's bytes in order; push() answers false and end() undefined for text it does not read. */
export interface PieceParser {
  push(piece: Buffer): boolean;
  end(): unknown;
}

/** What readContent found: no file, a file of blanks only (an empty one), or a JSON value. */
type FileContent = { found: 'none' } | { found: 'blank' } | { found: 'json'; value: unknown };

const isBlank = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
const startsWithByteOrderMark = (bytes: Buffer) => bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

export class DurableJSONFile<T> implements Adapter<T> {
  constructor(
    private readonly file: string,
    private readonly serialize: (data: T) => Iterable<string>,
    /** Throws a SyntaxError for a file that is not valid JSON. */
    private readonly parse: (bytes: Buffer) => unknown = (bytes) => JSON.parse(bytes.toString('utf8')),
    /**
     * Tried first, on the file read a megabyte at a time: the whole file as one Buffer lives outside the
     * heap until a full collection frees it (35 MB of RSS after start-up at 100,000 records). When it does
     * not read the file, `parse` gets the whole file and names the problem.
     */
    private readonly pieces?: () => PieceParser,
    /** The disk the writes go through (a failing one in tests). */
    private readonly fs: StoreFs = nodeFs,
    /** Told the name a write gave the file it found changed by another program (changedElsewhere.ts). */
    private readonly keptAside: (file: string, aside: string) => void = () => undefined,
  ) {}

  /**
   * The version of the file this object last read or wrote: null when it found none, undefined before it looked. A
   * write that finds another one there keeps it under a name of its own before replacing it.
   */
  private known: FileVersion | null | undefined;

  /**
   * Whether the last read() found the layout the piece parser reads (the one `serialize` writes), rather than
   * text in another layout (hand-written, pretty-printed) that went through `parse`.
   */
  readInOwnLayout = false;

  /**
   * lowdb's read: null when the file does not exist or holds only blanks. A file holding the JSON `null` reads as
   * null too, which lowdb takes for no file: the store's own reads go through readContent, which tells them apart.
   */
  async read(): Promise<T | null> {
    const content = await this.readContent();
    return content.found === 'json' ? (content.value as T) : null;
  }

  /**
   * What the file holds: nothing (no file), only blanks, or a JSON value, whatever it is (`null` included: a file
   * the emulator never writes, which its caller refuses rather than takes for a missing one and overwrites).
   * A StoreError('corrupt') naming the file when it does not parse.
   */
  async readContent(): Promise<FileContent> {
    const inPieces = this.pieces === undefined ? undefined : await this.readInPieces(this.pieces());
    this.readInOwnLayout = inPieces !== undefined;
    if (inPieces !== undefined) return { found: 'json', value: inPieces };
    let bytes: Buffer;
    try {
      bytes = await this.readWhole();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.known = null;
        return { found: 'none' };
      }
      throw err;
    }
    // A byte order mark is ignored, as in every JSON file a user writes (jsonFile.ts): an empty file saved by Notepad
    // or PowerShell's UTF8 encoding (a mark and a line break) holds no data, as an empty file does.
    if (bytes.subarray(startsWithByteOrderMark(bytes) ? 3 : 0).every(isBlank)) return { found: 'blank' };
    try {
      return { found: 'json', value: this.parse(bytes) };
    } catch (err) {
      throw new StoreError('corrupt', `The data file ${this.file} is not valid JSON (${(err as Error).message}). It was left untouched.`);
    }
  }

  /** The file's bytes, and as `known` the version they are of: the open file's, not a second look by name. */
  private async readWhole(): Promise<Buffer> {
    const handle = await openRegularFile(this.file);
    try {
      this.known = versionOf(await handle.stat());
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  private async readInPieces(parser: PieceParser): Promise<unknown> {
    let handle: FileHandle | undefined;
    try {
      handle = await openRegularFile(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      this.known = versionOf(await handle.stat());
      // One buffer for every piece: the parser copies what it keeps.
      const piece = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      for (;;) {
        const { bytesRead } = await handle.read(piece, 0, piece.length, null);
        if (bytesRead === 0) return parser.end();
        if (!parser.push(piece.subarray(0, bytesRead))) return undefined;
      }
    } finally {
      await handle.close();
    }
  }

  /** removeStrayTemporaryFiles for this file: call it holding the file's lock, before the first write. */
  removeStrayTemporaryFiles(): Promise<string[]> {
    return removeStrayTemporaryFiles(this.file, this.fs);
  }

  async write(data: T): Promise<void> {
    const kept = await ownerAndMode(this.file);
    const temp = temporaryPath(this.file);
    // Created with the file's mode (the umask can only narrow it), then set exactly: never wider on the way.
    const handle = await createExclusive(temp, this.fs, kept?.mode ?? NEW_FILE_MODE);
    try {
      // The replaced file's owner, or for a first one its folder's (fileOwner.ts).
      if (kept !== undefined) {
        await giveOwner(handle, kept);
        await handle.chmod(kept.mode);
      } else {
        await giveFolderOwner(handle, this.file);
      }
      let piece = '';
      for (const text of this.serialize(data)) {
        piece += text;
        if (piece.length >= WRITE_CHUNK_CHARS) {
          // writeFile on a handle writes from the current position, all of it (write(2) may write less).
          await handle.writeFile(piece, 'utf8');
          piece = '';
        }
      }
      await handle.writeFile(piece, 'utf8');
      await handle.sync();
      const written = versionOf(await handle.stat());
      await handle.close();
      await this.keepChangedVersion();
      await this.fs.rename(temp, this.file);
      this.known = written;
    } catch (err) {
      await handle.close().catch(() => undefined);
      // The old file stays as it was; the temporary one goes (a failed removal leaves only a stray temp file).
      await this.fs.rm(temp, { force: true }).catch(() => undefined);
      throw err;
    }
    await syncDirectory(path.dirname(this.file), this.fs);
  }

  /**
   * How the file at the name differs from the version this object last read or wrote: `removed`, `changed` (replaced,
   * written in place), `made` where it knew of none, with the version found; undefined when it does not, or before it
   * looked.
   */
  async changedOnDisk(): Promise<{ how: 'removed' | 'changed' | 'made'; found: FileVersion | null } | undefined> {
    if (this.known === undefined) return undefined;
    const found = await currentVersion(this.file);
    if (sameVersion(found, this.known)) return undefined;
    return { how: found === null ? 'removed' : this.known === null ? 'made' : 'changed', found };
  }

  /** A file another program put in place of the one this object knows is kept under a name of its own. */
  private async keepChangedVersion(): Promise<void> {
    if (this.known === undefined) return;
    const now = await currentVersion(this.file);
    if (now === null || sameVersion(now, this.known)) return;
    this.keptAside(this.file, await keepAside(this.file));
  }
}

interface OwnerAndMode extends Owner {
  mode: number;
}

/** The owner, group and permission bits of `file`, or undefined when there is none yet. */
async function ownerAndMode(file: string): Promise<OwnerAndMode | undefined> {
  try {
    const { uid, gid, mode } = await stat(file);
    return { uid, gid, mode: mode & 0o777 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
