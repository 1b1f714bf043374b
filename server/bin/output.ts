// The command line's own stdout and stderr, which outlive whoever reads them: `npm start | tee log` where Ctrl-C
// ends tee first (EPIPE), a terminal or ssh session gone (EIO), `> /dev/full` (ENOSPC). Node emits such a failed
// write as an 'error' event on the stream, which, unhandled, ends the process with a stack trace: no final
// snapshot, the lock left behind. Output nobody can read is lost, nothing else.

import { writeStdoutLine } from '../logger.js';

let ignoring = false;

/** From here on, a failed write to stdout or stderr is dropped: the emulator goes on, and stops as it would. */
export function ignoreOutputErrors(): void {
  if (ignoring) return;
  ignoring = true;
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
}

/** One line to stdout (lost if nobody reads it any more), behind the log's lines (logger.ts). */
export function say(line: string): void {
  writeStdoutLine(line);
}
