// The lock's socket itself (lock.ts takes it, lockGuard.ts keeps it): bound and listening, answering its holder's
// pid; told apart from another socket at the same path by its inode and change time; closed.
import { lstat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { StoreError } from './store.js';

export function listen(at: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      // A start that gave up waiting (this process was paused, or busy for 2 s) has closed its end: the reply then
      // fails with EPIPE or ECONNRESET, which unhandled would end this process, the lock's holder.
      socket.on('error', () => undefined);
      socket.end(`${process.pid}\n`);
    });
    server.once('error', reject);
    server.listen(at, () => {
      server.removeListener('error', reject);
      server.unref(); // the lock alone must not keep a process alive
      resolve(server);
    });
  });
}

/** Which socket is at `at`: its inode and change time, so that a socket put in its place is never taken for it. */
export type SocketId = { ino: bigint; ctimeNs: bigint };

export async function socketAt(at: string, lockPath: string): Promise<SocketId | undefined> {
  const stats = await lstat(at, { bigint: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (stats === undefined) return undefined;
  if (!stats.isSocket()) throw notALock(lockPath, kindOf(stats));
  return { ino: stats.ino, ctimeNs: stats.ctimeNs };
}

export const sameSocket = (a: SocketId | undefined, b: SocketId | undefined) =>
  a !== undefined && b !== undefined && a.ino === b.ino && a.ctimeNs === b.ctimeNs;

export const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export function kindOf(stats: { isSymbolicLink(): boolean; isDirectory(): boolean; isFile(): boolean }): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return stats.isDirectory() ? 'a directory' : stats.isFile() ? 'a regular file' : 'something other than a socket';
}

export function notALock(lockPath: string, kind: string): StoreError {
  return new StoreError(
    'locked',
    `${lockPath} is ${kind}, not an emulator's lock (a Unix socket); it was left alone. Move it away if nothing needs it, or give this emulator another DATA_FILE.`,
  );
}
