// The one catch of every command: the emulator's own errors end the process with their class's exit
// code and one line on stderr; anything else is a bug and keeps its stack trace.
import { EmulatorError, fileAccessError } from '../errors.js';

/**
 * Exit codes: 1 the data or the listener, 2 a setting or usage, 3 a file or folder the system will not let
 * the emulator use (EmulatorError subclasses say which).
 */
export function exitOnKnownError(err: unknown, usage?: string): never {
  // A file the system refused at start-up (a certificate, a key, the data folder): one line naming it, as
  // the data file's own refusals are, rather than a stack trace.
  const known =
    err instanceof EmulatorError ? err : typeof (err as NodeJS.ErrnoException | null)?.path === 'string' ? fileAccessError(err, 'Cannot start') : undefined;
  if (known !== undefined) {
    process.stderr.write(`error: ${known.message}\n${known.exitCode === 2 && usage ? `\n${usage}\n` : ''}`);
    process.exit(known.exitCode);
  }
  // A port in use is the machine's state, not a bug: one line, like a bad data file.
  if ((err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE') {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(1);
  }
  throw err;
}
