// The one catch of every command: the emulator's own errors end the process with their class's exit
// code and one line on stderr; anything else is a bug and keeps its stack trace.
import { EmulatorError, fileAccessError } from '../errors.js';

/**
 * Exit codes: 1 the data or the listener, 2 a setting or usage, 3 a file or folder the system will not let
 * the emulator use (EmulatorError subclasses say which).
 */
/**
 * A message as one line a terminal shows as text: a line break, a tab, an escape or another control character (C0,
 * DEL, C1), and a bidirectional override, all of which a file's bytes quoted in a JSON parser's message can hold,
 * written as `\n`, `\u001b`, …
 */
export function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function exitOnKnownError(err: unknown, usage?: string): never {
  // A file the system refused at start-up (a certificate, a key, the data folder): one line naming it, as
  // the data file's own refusals are, rather than a stack trace.
  const known =
    err instanceof EmulatorError ? err : typeof (err as NodeJS.ErrnoException | null)?.path === 'string' ? fileAccessError(err, 'Cannot start') : undefined;
  if (known !== undefined) {
    process.stderr.write(`error: ${oneLine(known.message)}\n${known.exitCode === 2 && usage ? `\n${usage}\n` : ''}`);
    process.exit(known.exitCode);
  }
  const listening = listenFailure(err);
  if (listening !== undefined) {
    process.stderr.write(`error: ${oneLine(listening.message)}\n`);
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
  if (code === 'EADDRINUSE') return { message: (err as Error).message, exitCode: 1 };
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
