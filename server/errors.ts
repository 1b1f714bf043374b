// The emulator's own failures, one class per source. Each carries the exit code a command line ends with
// when it meets one, so every entry point has a single catch (bin/exit.ts); the HTTP side maps them all to
// Graph's envelope in one place (graphErrors.ts, toGraphError).
import { types } from 'node:util';

export abstract class EmulatorError extends Error {
  /** What a command line exits with when this error stops it. */
  abstract readonly exitCode: number;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A setting (flag, environment variable, config file, faults file) that cannot be used. */
export class ConfigError extends EmulatorError {
  readonly exitCode = 2;
}

/** A fault rule or throttling profile that does not follow fixtures/faults.schema.json. */
export class FaultRuleError extends EmulatorError {
  readonly exitCode = 2;
}

/** A record that does not follow its resource schema (a request body, a fixtures file, a reset body). */
export class ValidationError extends EmulatorError {
  readonly exitCode = 1;
}

/** A fixtures file or reset body the emulator cannot load. */
export class FixtureError extends EmulatorError {
  readonly exitCode = 1;
}

export type StoreErrorKind = 'conflict' | 'corrupt' | 'locked' | 'io' | 'quota' | 'full' | 'gone';

/**
 * The data file: a duplicate id, a damaged file, a second process, the disk, a limit of what is kept (baselines),
 * the tenant limit, or a dropped tenant.
 */
export class StoreError extends EmulatorError {
  readonly exitCode = 1;

  constructor(
    readonly kind: StoreErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A command-line usage mistake (an unknown flag, a bad count). */
export class UsageError extends EmulatorError {
  readonly exitCode = 2;
}

/**
 * A file or folder the emulator needs that the system will not let it use, or that it cannot trust: no
 * permission, a read-only or full disk, a directory where the data file belongs, a certificate folder
 * someone else owns. Its own exit code: the data is fine, the machine's files need fixing.
 */
export class FileAccessError extends EmulatorError {
  readonly exitCode = 3;
}

/** The system's error codes a user can act on, in words. */
const CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted: an immutable file, or a right this user lacks',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  EIO: 'the device reported an input/output error',
  EPIPE: 'the reader closed the pipe',
  EBUSY: 'the file is busy',
  ENXIO: 'no such device',
  // Not the system's: regularFile.ts's, for a pipe, a socket or a device where a file is read.
  ENOTREG: 'it is not a regular file (a pipe, a socket or a device)',
};

/**
 * A failed system call on a file (an error with a `code` such as EACCES, and the path it failed on) as one
 * FileAccessError: `<subject>: <cause> (<code>[, at <path>])`. Undefined for anything else.
 */
export function fileAccessError(err: unknown, subject: string): FileAccessError | undefined {
  // isNativeError: a system error made in another realm (a vm context, as jest runs modules in) is one too.
  if (err instanceof EmulatorError || !(err instanceof Error || types.isNativeError(err))) return undefined;
  const { code, path, address } = err as NodeJS.ErrnoException & { address?: string };
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined;
  const at = path ?? address;
  const cause = CAUSES[code] ?? err.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
  return new FileAccessError(`${subject}: ${cause} (${code}${at === undefined ? '' : `, at ${at}`}).`);
}

/**
 * Whether a body reader failed in zlib: a body that is not the gzip, deflate or br data its Content-Encoding names
 * (zlib's errors, which body-parser passes on, carry a numeric errno; its own carry a `type` instead).
 */
export function isDecompressionError(err: unknown): boolean {
  return typeof (err as { errno?: unknown } | null)?.errno === 'number';
}
