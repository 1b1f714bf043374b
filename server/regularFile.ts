// Reading a file the emulator only reads at start (a stored dataset, a baseline list, a given certificate or key, a
// config, fixtures or faults file)
// without waiting on what is not a file: opened without blocking, so a pipe planted under its name cannot hold
// the start (and its signals) forever, and refused unless it is a regular file, as ENOTREG with the path, which
// fileAccessError (errors.ts) words as any other file the system refuses: one line, exit 3.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { isUtf8, notUtf8Reason } from './utf8Bytes.js';

/** A regular file, open for reading; a directory is EISDIR, a pipe, socket or device ENOTREG. */
export async function openRegularFile(file: string): Promise<FileHandle> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isFile()) return handle;
    const code = info.isDirectory() ? 'EISDIR' : 'ENOTREG';
    throw Object.assign(new Error(`${code}: not a regular file, open '${file}'`), { code, syscall: 'open', path: file });
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The whole of a regular file (openRegularFile's refusals as they are). */
export async function readRegularFile(file: string): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** A file a user saved in another encoding than UTF-8 (its reader says which, and where). */
export class NotUtf8Error extends Error {
  /** Where it stops being UTF-8: `the byte 0xE9 at offset 12 is no UTF-8 character`. */
  readonly reason: string;
  /** Whether it starts with a UTF-16 byte order mark (PowerShell 5's Out-File, Notepad's "Unicode"). */
  readonly utf16: boolean;
  constructor(file: string, bytes: Buffer) {
    const reason = notUtf8Reason(bytes);
    super(`${file} is not UTF-8: ${reason}`);
    this.reason = reason;
    this.utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  }
}

/**
 * readRegularFile for the settings read before anything is started (a config, fixtures or faults file), as UTF-8:
 * bytes that are not throw a NotUtf8Error, rather than be read with U+FFFD in their place.
 */
export function readRegularFileSync(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      const code = info.isDirectory() ? 'EISDIR' : 'ENOTREG';
      throw Object.assign(new Error(`${code}: not a regular file, open '${file}'`), { code, syscall: 'open', path: file });
    }
    const bytes = readFileSync(fd);
    if (!isUtf8(bytes)) throw new NotUtf8Error(file, bytes);
    return bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
