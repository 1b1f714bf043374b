// The one catch of every command: the emulator's own errors end the process with their class's exit
// code and one line on stderr (what it quotes of a file written as text: terminalText.ts); anything else is a bug and
// keeps its stack trace.
import { EmulatorError, fileAccessError } from '../errors.js';
import { escapedControls } from '../terminalText.js';

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
    process.stderr.write(`error: ${escapedControls(known.message)}\n${known.exitCode === 2 && usage ? `\n${usage}\n` : ''}`);
    process.exit(known.exitCode);
  }
  const listening = listenFailure(err);
  if (listening !== undefined) {
    process.stderr.write(`error: ${escapedControls(listening.message)}\n`);
    process.exit(listening.exitCode);
  }
  throw err;
}

/**
 * Why the listener could not be opened, in one line with its exit code; undefined for any other error. Each is
 * the machine's state or a setting, not a bug: a port in use (1, like a held data file), a HOST that names no
 * address of this machine (2, a bad setting), a port the system keeps for root (3, the system refusing).
 */
function listenFailure(err: unknown): { message: string; exitCode: number } | undefined {
  const { code, syscall, address, port, hostname } = (err ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  const where = `${address ?? hostname ?? ''}${port === undefined ? '' : `:${port}`}`;
  if (code === 'EADDRINUSE')
    return {
      message: `Cannot listen on ${where}: the port is in use (EADDRINUSE), by another emulator or another program: stop it, or use another PORT (0 picks a free one).`,
      exitCode: 1,
    };
  if (syscall === 'listen' && code === 'EACCES')
    return {
      message: `Cannot listen on ${where}: permission denied (EACCES): a port below 1024 needs root; use PORT=4000 or another above 1023.`,
      exitCode: 3,
    };
  if (code === 'EADDRNOTAVAIL') return { message: `Cannot listen on ${where}: HOST is no address of this machine (EADDRNOTAVAIL).`, exitCode: 2 };
  // A link-local IPv6 address without its zone (fe80::1), IPv6 on a machine without it.
  if (syscall === 'listen' && (code === 'EINVAL' || code === 'EAFNOSUPPORT'))
    return { message: `Cannot listen on ${where}: HOST is no address this machine can listen on (${code}).`, exitCode: 2 };
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && syscall === 'getaddrinfo')
    return { message: `Cannot listen: the HOST name '${hostname}' does not resolve (${code}).`, exitCode: 2 };
  return undefined;
}
