// A lowdb adapter that makes every snapshot durable: lowdb's own JSONFile (steno) writes a temp file and
// renames it but never fsyncs, so after a power loss the renamed file can be empty. Here: write the temp
// file, fsync it, rename over the target, fsync the directory. A reader never sees a half-written file.
import type { Adapter } from 'lowdb';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from './types.js';

export class DurableJSONFile<T> implements Adapter<T> {
  constructor(
    private readonly file: string,
    private readonly serialize: (data: T) => string,
  ) {}

  /** null when the file does not exist; a StoreError('corrupt') naming the file when it does not parse. */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new StoreError('corrupt', `The data file ${this.file} is not valid JSON (${(err as Error).message}). It was left untouched.`);
    }
  }

  async write(data: T): Promise<void> {
    const temp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(this.serialize(data), 'utf8');
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
