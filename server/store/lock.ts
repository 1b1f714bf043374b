// Single-writer lock for a data file, held as a listening Unix socket at `<file>.lock`.
// Why a socket and not a pid file: the kernel closes the socket when the holder dies (kill -9, OOM,
// power loss), so a later start sees ECONNREFUSED and takes the lock over at once, with no staleness
// timeout and no pid-reuse guesswork (containers restart with the same pid). A live holder accepts the
// connection, which is how a second process learns the file is in use. Only a socket is ever removed
// from the lock path: anything else there (a file, a folder, a link) is someone's, and stops the start.
import { createConnection, createServer, type Server } from 'node:net';
import { lstat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from './types.js';

export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
}

// sockaddr_un.sun_path is 108 bytes on Linux; fall back to a relative path when the absolute one is longer.
const MAX_SOCKET_PATH = 100;

function socketPath(lockPath: string): string {
  if (lockPath.length <= MAX_SOCKET_PATH) return lockPath;
  const relative = path.relative(process.cwd(), lockPath);
  if (relative.length <= MAX_SOCKET_PATH) return relative;
  throw new StoreError('io', `The lock path ${lockPath} is too long for a Unix socket; use a shorter DATA_FILE path.`);
}

function listen(at: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end(`${process.pid}\n`));
    server.once('error', reject);
    server.listen(at, () => {
      server.removeListener('error', reject);
      server.unref(); // the lock alone must not keep a process alive
      resolve(server);
    });
  });
}

/** Resolves with the holder's pid when a live process holds the socket, or undefined when nobody answers. */
function probe(at: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(at);
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('end', () => resolve(reply.trim() || 'unknown'));
    socket.on('error', () => resolve(undefined));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve('unresponsive');
    });
  });
}

/** What is at the lock path when it is not a socket: 'a regular file', 'a directory', …; undefined for a socket or nothing. */
async function foreignEntry(at: string): Promise<string | undefined> {
  const stats = await lstat(at).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (stats === undefined || stats.isSocket()) return undefined;
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return stats.isDirectory() ? 'a directory' : stats.isFile() ? 'a regular file' : 'something other than a socket';
}

function notALock(lockPath: string, kind: string): StoreError {
  return new StoreError(
    'locked',
    `${lockPath} is ${kind}, not an emulator's lock (a Unix socket); it was left alone. Move it away if nothing needs it, or give this emulator another DATA_FILE.`,
  );
}

/** Hold the lock of the data file at `dataFile`, its real path (dataFilePath.ts): the path names the lock. */
export async function acquireLock(dataFile: string): Promise<FileLock> {
  const lockPath = `${path.resolve(dataFile)}.lock`;
  const at = socketPath(lockPath);
  const foreign = await foreignEntry(at);
  if (foreign !== undefined) throw notALock(lockPath, foreign);
  let server: Server;
  try {
    server = await listen(at);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    const holder = await probe(at);
    if (holder !== undefined) {
      throw new StoreError(
        'locked',
        `The data file ${dataFile} is in use by another emulator process (pid ${holder}). Stop it, or give this one its own DATA_FILE.`,
      );
    }
    // Left behind by a holder that died: nobody listens on it any more. Looked at again just before: only a
    // socket is removed, never what may have taken its place.
    const replaced = await foreignEntry(at);
    if (replaced !== undefined) throw notALock(lockPath, replaced);
    await unlink(at).catch(() => undefined);
    server = await listen(at);
  }
  return {
    path: lockPath,
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
