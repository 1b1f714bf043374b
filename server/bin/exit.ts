// The one catch of every command: the emulator's own errors end the process with their class's exit
// code and one line on stderr; anything else is a bug and keeps its stack trace.
import { EmulatorError } from '../errors.js';

/** Exit codes: 1 the data or the listener, 2 a setting or usage (EmulatorError subclasses say which). */
export function exitOnKnownError(err: unknown, usage?: string): never {
  if (err instanceof EmulatorError) {
    process.stderr.write(`error: ${err.message}\n${err.exitCode === 2 && usage ? `\n${usage}\n` : ''}`);
    process.exit(err.exitCode);
  }
  // A port in use is the machine's state, not a bug: one line, like a bad data file.
  if ((err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE') {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(1);
  }
  throw err;
}
