// A disk that fails on demand, for the store's write seam (server/store/storeFs.ts): the real file system,
// except that the next calls of an operation (on files whose name matches) fail with an errno, as a full or
// broken disk would. An append that fails writes part of its bytes first, as write(2) does on a full disk.
import { fdatasync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { type StoreFs, nodeFs } from '../../server/store/storeFs.js';

/** The journal's append and sync by descriptor; the handle methods of snapshots and stored datasets; the path calls. */
type FsOperation = 'append' | 'fdatasync' | 'writeFile' | 'sync' | 'truncate' | 'open' | 'rename' | 'rm' | 'mkdir';

interface Plan {
  code: string;
  /** Matching calls let through before the failures start. */
  skip: number;
  times: number;
  /** Only files whose name (not path) matches. */
  match: RegExp | undefined;
}

function fsError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected failure, ${syscall} '${file}'`), { code, syscall, path: file });
}

export class FailingFs implements StoreFs {
  private readonly plans = new Map<FsOperation, Plan>();
  private readonly files = new Map<number, string>();
  /** Descriptors whose next append throws: the first call wrote part of its bytes. */
  private readonly torn = new Set<number>();
  /** Every failure injected, as `operation name`. */
  readonly injected: string[] = [];
  /** Every file opened, in order: its name and the handle given (whose fd reads -1 once it is closed). */
  readonly opened: { name: string; handle: FileHandle }[] = [];
  /** Added before each fdatasync completes, to hold writes in flight. */
  syncDelayMs = 0;
  /** While true, each fdatasync waits in `held` until released: writes stay in flight for as long as a test needs. */
  holding = false;
  readonly held: (() => void)[] = [];

  /** Fail the next `times` calls of `op` (on files whose name matches `match`, after `skip` of them succeed) with `code`. */
  failNext(op: FsOperation, options: { code?: string; times?: number; match?: RegExp; skip?: number } = {}): this {
    this.plans.set(op, { code: options.code ?? 'ENOSPC', skip: options.skip ?? 0, times: options.times ?? 1, match: options.match });
    return this;
  }

  failAlways(op: FsOperation, options: { code?: string; match?: RegExp } = {}): this {
    return this.failNext(op, { ...options, times: Number.POSITIVE_INFINITY });
  }

  /** The disk takes writes again. */
  heal(): void {
    this.plans.clear();
  }

  private fails(op: FsOperation, file: string): NodeJS.ErrnoException | undefined {
    const plan = this.plans.get(op);
    if (plan === undefined || plan.times <= 0 || (plan.match !== undefined && !plan.match.test(path.basename(file)))) return undefined;
    if (plan.skip > 0) {
      plan.skip -= 1;
      return undefined;
    }
    plan.times -= 1;
    this.injected.push(`${op} ${path.basename(file)}`);
    return fsError(plan.code, op, file);
  }

  private check(op: FsOperation, file: string): void {
    const error = this.fails(op, file);
    if (error) throw error;
  }

  async open(file: string, flags: string | number, mode?: number): Promise<FileHandle> {
    this.check('open', file);
    const handle = await nodeFs.open(file, flags, mode);
    this.files.set(handle.fd, file);
    const methods: Partial<Record<FsOperation, (...args: never[]) => Promise<unknown>>> = {
      writeFile: handle.writeFile.bind(handle),
      sync: handle.sync.bind(handle),
      truncate: handle.truncate.bind(handle),
    };
    const given = new Proxy(handle, {
      get: (target, name, receiver) => {
        const real = methods[name as FsOperation];
        if (real !== undefined) {
          return async (...args: never[]) => {
            this.check(name as FsOperation, file);
            return real(...args);
          };
        }
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    this.opened.push({ name: path.basename(file), handle: given });
    return given;
  }

  async rename(from: string, to: string): Promise<void> {
    this.check('rename', from);
    await nodeFs.rename(from, to);
  }

  async rm(file: string, options: { force: boolean }): Promise<void> {
    this.check('rm', file);
    await nodeFs.rm(file, options);
  }

  async mkdir(dir: string, options: { recursive: true }): Promise<unknown> {
    this.check('mkdir', dir);
    return nodeFs.mkdir(dir, options);
  }

  rmdir(dir: string): Promise<void> {
    return nodeFs.rmdir(dir);
  }

  readdir(dir: string): Promise<string[]> {
    return nodeFs.readdir(dir);
  }

  writeSync(fd: number, bytes: Uint8Array, offset: number): number {
    const file = this.files.get(fd) ?? `fd ${fd}`;
    if (this.torn.delete(fd)) throw fsError('ENOSPC', 'write', file);
    const error = this.fails('append', file);
    if (error === undefined) return writeSync(fd, bytes, offset);
    const remaining = bytes.length - offset;
    if (remaining < 2) throw error;
    // A full disk takes part of a write, then refuses the rest.
    this.torn.add(fd);
    return writeSync(fd, bytes, offset, Math.floor(remaining / 2));
  }

  fdatasync(fd: number, callback: (err: NodeJS.ErrnoException | null) => void): void {
    const error = this.fails('fdatasync', this.files.get(fd) ?? `fd ${fd}`);
    const finish = () => (error ? callback(error) : fdatasync(fd, callback));
    if (this.holding) this.held.push(finish);
    else if (this.syncDelayMs > 0) setTimeout(finish, this.syncDelayMs);
    else finish();
  }

  /** The syncs held so far complete, and later ones are no longer held. */
  release(): void {
    this.holding = false;
    this.releaseHeld();
  }

  /** The syncs held so far complete; later ones are held still. */
  releaseHeld(): void {
    for (const sync of this.held.splice(0)) sync();
  }
}
