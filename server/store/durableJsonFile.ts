// A lowdb adapter that makes every snapshot durable: lowdb's own JSONFile (steno) writes a temp file and
// renames it but never fsyncs, so after a power loss the renamed file can be empty. Here: write the temp
// file, fsync it, rename over the target, fsync the directory. A reader never sees a half-written file.
// The text comes as an iterable of pieces and goes out about a megabyte at a time, each write awaited: a
// large snapshot never exists as one string, and the event loop serves requests between the pieces instead
// of stalling for the whole serialisation.
import type { Adapter } from 'lowdb';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from './types.js';

/** About 1 MB: a few milliseconds of JSON.stringify between two chances for the event loop. */
const WRITE_CHUNK_CHARS = 1 << 20;

const isBlank = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

export class DurableJSONFile<T> implements Adapter<T> {
  constructor(
    private readonly file: string,
    private readonly serialize: (data: T) => Iterable<string>,
    /** Throws a SyntaxError for a file that is not valid JSON. */
    private readonly parse: (bytes: Buffer) => unknown = (bytes) => JSON.parse(bytes.toString('utf8')),
  ) {}

  /** null when the file does not exist; a StoreError('corrupt') naming the file when it does not parse. */
  async read(): Promise<T | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (bytes.every(isBlank)) return null;
    try {
      return this.parse(bytes) as T;
    } catch (err) {
      throw new StoreError('corrupt', `The data file ${this.file} is not valid JSON (${(err as Error).message}). It was left untouched.`);
    }
  }

  async write(data: T): Promise<void> {
    const temp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.tmp`);
    const handle = await open(temp, 'w');
    try {
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
    } catch (err) {
      await handle.close();
      await rm(temp, { force: true });
      throw err;
    }
    await handle.close();
    await rename(temp, this.file);
    await syncDirectory(path.dirname(this.file));
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
