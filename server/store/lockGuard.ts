// Keeping the lock while a store holds it. The lock is a socket file (lock.ts), and a file can be removed from under
// its holder (`rm data/db.json.lock` taken for a stale lock, a clean-up of old files): a start that then finds the
// path free binds it, and two processes write the same journal and snapshot, each losing the other's acknowledged
// writes. So the holder looks at the path every LOCK_CHECK_MS and binds it again as soon as it is gone. When another
// process got there first, the holder is told (`lost`): it must write nothing more.
// Why a timer and not the folder's events: the journal beside the lock is appended to at every write, and each
// append would wake the event loop once more.
import type { Server } from 'node:net';
import { basename } from 'node:path';
import type { FileLock } from './lock.js';
import { type SocketId, closeServer, listen, sameSocket, socketAt } from './lockSocket.js';
import { StoreError } from './store.js';

/** How often a guarded lock's path is looked at: a stat, costing nothing next to the writes. */
export const LOCK_CHECK_MS = 500;

export class HeldLock implements FileLock {
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> = Promise.resolve();
  private lost: ((why: string) => void) | undefined;
  private gone = false;
  private released = false;
  /**
   * Sockets whose path was removed, kept open and never closed: libuv unlinks a listening socket's path when it
   * closes, whatever socket is there by then (the one bound again, or another process's). The system closes them
   * at exit; nobody can connect to them meanwhile.
   */
  private readonly unlinked: Server[] = [];

  constructor(
    readonly path: string,
    /** The socket's address: the lock path, or a shorter relative form of it (lock.ts). */
    private readonly at: string,
    private server: Server,
    private id: SocketId | undefined,
  ) {}

  guard(lost: (why: string) => void): void {
    this.lost = lost;
    this.timer = setInterval(() => this.check(), LOCK_CHECK_MS).unref();
  }

  /** Look at the lock path now (after the look under way, if any); resolves once done. */
  check(): Promise<void> {
    this.looking = this.looking.then(() => this.look()).catch(() => undefined);
    return this.looking;
  }

  async release(): Promise<void> {
    this.released = true;
    clearInterval(this.timer);
    await this.looking;
    // A lock another process holds now is left to it: closing would remove its socket.
    if (!this.gone) await closeServer(this.server);
  }

  private async look(): Promise<void> {
    if (this.released || this.gone) return;
    let found: SocketId | undefined;
    try {
      found = await socketAt(this.at, this.path);
    } catch (err) {
      // Something other than a socket was put there; any other failure (the folder unreadable) is looked at again.
      if (err instanceof StoreError) this.lose(`something else than its socket was put at ${basename(this.path)}`);
      return;
    }
    if (sameSocket(found, this.id)) return;
    if (found !== undefined) return this.lose(`${basename(this.path)} was removed, and another process bound it`);
    let server: Server;
    try {
      server = await listen(this.at);
    } catch (err) {
      // Bound by another start meanwhile: the next look finds its socket. The folder gone: tried again later.
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') return this.look();
      return;
    }
    this.unlinked.push(this.server);
    this.server = server;
    this.id = await socketAt(this.at, this.path).catch(() => undefined);
  }

  private lose(why: string): void {
    this.gone = true;
    clearInterval(this.timer);
    this.lost?.(
      `The lock of the data file was taken from this emulator (${why}): another process may be using the data file, so this one writes nothing more. Stop both, then start one.`,
    );
  }
}
