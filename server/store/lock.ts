// Single-writer lock for a data file, held as a listening Unix socket at `<file>.lock`.
// Why a socket and not a pid file: the kernel closes the socket when the holder dies (kill -9, OOM,
// power loss), so a later start sees ECONNREFUSED and takes the lock over at once, with no staleness
// timeout and no pid-reuse guesswork (containers restart with the same pid). A live holder accepts the
// connection, which is how a second process learns the file is in use.
import { createConnection, createServer, type Server } from 'node:net';
import { unlink } from 'node:fs/promises';
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

export async function acquireLock(dataFile: string): Promise<FileLock> {
  const lockPath = `${path.resolve(dataFile)}.lock`;
  const at = socketPath(lockPath);
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
    // Left behind by a holder that died: nobody listens on it any more.
    await unlink(at).catch(() => undefined);
    server = await listen(at);
  }
  return {
    path: lockPath,
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
