// Single-writer lock for a data file, held as a listening Unix socket at `<file>.lock`.
// Why a socket and not a pid file: the kernel closes the socket when the holder dies (kill -9, OOM,
// power loss), so a later start sees ECONNREFUSED and takes the lock over at once, with no staleness
// timeout and no pid-reuse guesswork (containers restart with the same pid). A live holder accepts the
// connection, which is how a second process learns the file is in use. Only a socket is ever removed
// from the lock path: anything else there (a file, a folder, a link) is someone's, and stops the start.
import { performance } from 'node:perf_hooks';
import { createConnection, type Server } from 'node:net';
import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { HeldLock } from './lockGuard.js';
import { closeServer, kindOf, listen, notALock, sameSocket, type SocketId, socketAt } from './lockSocket.js';
import { StoreError } from './store.js';

export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
  /**
   * Keep the lock while it is held (lockGuard.ts): a lock path removed from under the holder is bound again, and
   * `lost` is told when another process holds it meanwhile. A lock held for a moment (a seed, the TLS files) needs none.
   */
  guard(lost: (why: string) => void): void;
}

// sockaddr_un.sun_path is 108 bytes on Linux, counted in the path's UTF-8 bytes (a longer one is cut, silently,
// into another name); fall back to a relative path when the absolute one is longer. A takeover marker's path is
// never longer than the lock path (markerPath), so it fits wherever the lock does.
const MAX_SOCKET_PATH_BYTES = 100;

function fits(socket: string): boolean {
  return Buffer.byteLength(socket) <= MAX_SOCKET_PATH_BYTES;
}

function socketPath(socket: string, lockPath = socket): string {
  if (fits(socket)) return socket;
  const relative = path.relative(process.cwd(), socket);
  if (fits(relative)) return relative;
  throw new StoreError('io', `The lock path ${lockPath} is too long for a Unix socket; use a shorter DATA_FILE path.`);
}

/** What answered at a lock socket that holds no pid: a holder whose queue was full, or one that said nothing in time. */
const UNKNOWN = 'unknown';
const UNRESPONSIVE = 'unresponsive';

/**
 * Resolves with the holder's pid when a live process holds the socket, or undefined when nobody listens on it
 * (ECONNREFUSED, or it is gone). Any other refusal tells nothing of a holder: a lock of another user's emulator
 * that this user may not connect to (EACCES) is as alive as any, and taking it for dead would remove it from under
 * that emulator, and let a third start write the same data file beside it. Such a start is refused.
 */
function probe(at: string, lockPath: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(at);
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('end', () => resolve(reply.trim() || UNKNOWN));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(undefined);
      // EAGAIN: the holder's queue of connections is full, so it is alive.
      else if (err.code === 'EAGAIN') resolve(UNKNOWN);
      else
        reject(
          new StoreError(
            'locked',
            `Cannot tell whether the lock ${lockPath} is held: connecting to it failed (${err.code ?? err.message}), as it does for a lock of another user's emulator. Run this emulator as the user that owns the data, or give it its own DATA_FILE.`,
          ),
        );
    });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(UNRESPONSIVE);
    });
  });
}

/**
 * 'live' with the pid that answered; 'dead' with the socket nobody listens on (for good: a socket whose listener
 * died never answers again, a new listener is always a new socket); undefined when nothing is there or the
 * socket changed while it was being looked at.
 */
async function look(at: string, lockPath: string): Promise<{ live: string } | { dead: SocketId } | undefined> {
  const before = await socketAt(at, lockPath);
  if (before === undefined) return undefined;
  const holder = await probe(at, lockPath);
  if (holder !== undefined) return { live: holder };
  // A socket another start is binding right now exists a moment before it listens, and refuses a connection in
  // between: asked again a little later, it answers. Only a socket that stays silent is dead (a race of six
  // starts under load once saw two hold the lock when one took a socket being bound for a dead one).
  await pause(SETTLE_MS);
  const again = await probe(at, lockPath);
  if (again !== undefined) return { live: again };
  return sameSocket(before, await socketAt(at, lockPath)) ? { dead: before } : undefined;
}

/** How long a silent socket is given to start listening before it counts as dead (bind to listen takes microseconds). */
const SETTLE_MS = 25;

/**
 * Takeover marker `n` of the lock at `<file>.lock`: `<file>.lk<n>`, no longer than the lock path itself for n < 100, so
 * a lock path that fit at a first start also fits the marker its takeover after a crash claims. (A marker named by the
 * dead socket's inode, `<lock>.<inode>.<n>`, was up to 16 characters longer: a crash made such a data file unusable.)
 */
function markerPath(lockPath: string, n: number): string {
  return `${lockPath.slice(0, -'.lock'.length)}.lk${n}`;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What is at the lock path when it is not a socket: 'a regular file', 'a directory', …; undefined for a socket or nothing. */
async function foreignEntry(at: string): Promise<string | undefined> {
  const stats = await lstat(at).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (stats === undefined || stats.isSocket()) return undefined;
  return kindOf(stats);
}

function inUse(dataFile: string, holder: string): StoreError {
  const who =
    holder === UNRESPONSIVE
      ? 'another emulator process, which did not answer within 2 s (paused, or busy)'
      : holder === UNKNOWN
        ? 'another emulator process'
        : `another emulator process (pid ${holder})`;
  return new StoreError('locked', `The data file ${dataFile} is in use by ${who}. Stop it, or give this one its own DATA_FILE.`);
}

// How long a start waits for another one that is taking a dead holder's socket over right now.
const TAKEOVER_WAIT_MS = 5000;

/** Binds `at`, or resolves undefined when something is there already (EADDRINUSE). */
const bind = (at: string) =>
  listen(at).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    return undefined;
  });

/** Hold the lock of the data file at `dataFile`, its real path (dataFilePath.ts): the path names the lock. */
export async function acquireLock(dataFile: string): Promise<FileLock> {
  const lockPath = `${path.resolve(dataFile)}.lock`;
  const at = socketPath(lockPath);
  const foreign = await foreignEntry(at);
  if (foreign !== undefined) throw notALock(lockPath, foreign);
  // The monotonic clock, as for every wait: the wall clock may be set back meanwhile.
  const deadline = performance.now() + TAKEOVER_WAIT_MS;
  for (;;) {
    // Binding creates the socket file or fails: of the starts that find the path free, exactly one wins.
    const bound = await bind(at);
    const attempt: Attempt = bound === undefined ? await takeOver(at, lockPath) : { held: bound };
    if ('held' in attempt) {
      const server = attempt.held;
      await removeDeadMarkers(at, lockPath);
      return new HeldLock(lockPath, at, server, await socketAt(at, lockPath));
    }
    if ('holder' in attempt) throw inUse(dataFile, attempt.holder);
    // Another start is taking a dead holder's socket over (it holds the lock in a moment), or the socket changed
    // while this one looked at it: look again.
    if (performance.now() > deadline) throw inUse(dataFile, 'takingOver' in attempt ? attempt.takingOver : UNKNOWN);
    await pause('takingOver' in attempt ? 10 : 0);
  }
}

type Attempt = { held: Server } | { holder: string } | { takingOver: string } | { again: true };

/**
 * Takes the lock path over when the socket there is dead.
 *
 * Why no two starts can both hold the lock, whatever the interleaving: the only sockets ever removed from the
 * lock path are a holder's own (its release) and a dead one, D, removed by a start that holds a takeover marker.
 * A marker is itself a socket, `<file>.lk<n>` (markerPath), bound like the lock (bind is exclusive); its holder
 * checks that D is still at the lock path, removes it and binds the lock path afresh (losing, harmlessly, to a start
 * that finds the path free). A start that finds marker n bound by a live process waits; only when marker n's owner
 * died (a crash mid-takeover) does it try marker n + 1. A marker's path is freed only by its owner's release, or by
 * removeDeadMarkers once its owner died, which only a live holder of the lock runs: by then D is gone from the lock
 * path, so a start that gets a marker freed that way finds D gone when it checks. So while D is at the lock path, one
 * start at a time holds a marker: D is removed once, and a live holder's socket never by anyone else.
 */
async function takeOver(at: string, lockPath: string): Promise<Attempt> {
  const found = await look(at, lockPath);
  if (found === undefined) return { again: true };
  if ('live' in found) return { holder: found.live };
  const { dead } = found;
  for (let n = 0; ; n++) {
    const markerAt = socketPath(markerPath(lockPath, n), lockPath);
    const marker = await bind(markerAt);
    if (marker === undefined) {
      const owner = await look(markerAt, path.resolve(markerAt));
      if (owner === undefined) return { again: true }; // released or replaced meanwhile
      if ('live' in owner) return { takingOver: owner.live };
      continue; // its owner died mid-takeover: the next marker
    }
    try {
      // Looked at again, probe included: a socket bound in its place within the same clock tick can reuse its
      // inode and change time, but it answers; only the dead one goes.
      const current = await look(at, lockPath);
      if (current === undefined || !('dead' in current) || !sameSocket(dead, current.dead)) return { again: true }; // taken over before us
      const removed = await unlink(at).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return false; // removed by a takeover that got there first: look again
          throw err;
        },
      );
      if (!removed) return { again: true };
      const server = await bind(at); // undefined: a start that found the path free bound it first
      return server === undefined ? { again: true } : { held: server };
    } finally {
      await closeServer(marker); // removes the marker's path: libuv unlinks a listening socket's path on close
    }
  }
}

/**
 * Removes the markers that crashed takeovers left, `<file>.lk<n>` and, from earlier versions, `<lock>.<inode>.<n>`:
 * dead sockets only, looked at as the lock path is. Run by the holder only, so by one process at a time.
 */
async function removeDeadMarkers(at: string, lockPath: string): Promise<void> {
  const folder = path.dirname(at);
  const lockName = path.basename(at);
  const markerPrefix = path.basename(markerPath(at, 0)).slice(0, -1);
  const isMarker = (name: string) =>
    (name.startsWith(markerPrefix) && /^\d+$/.test(name.slice(markerPrefix.length))) ||
    (name.startsWith(`${lockName}.`) && /^[0-9a-z]+\.\d+$/.test(name.slice(lockName.length + 1)));
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!isMarker(name)) continue;
    const entry = path.join(folder, name);
    const found = await look(entry, lockPath).catch(() => undefined);
    if (found !== undefined && 'dead' in found) await unlink(entry).catch(() => undefined);
  }
}
