// The command line's own stdout and stderr, which outlive whoever reads them: `npm start | tee log` where Ctrl-C
// ends tee first (EPIPE), a terminal or ssh session gone (EIO), `> /dev/full` (ENOSPC). Node emits such a failed
// write as an 'error' event on the stream, which, unhandled, ends the process with a stack trace: no final
// snapshot, the lock left behind. Output nobody can read is lost, nothing else.

import { hostname } from 'node:os';
import { isoTime, writeStdoutLine } from '../logger.js';
import { escapedControls } from '../terminalText.js';
import { WRITE_CHUNK_CHARS } from '../store/durableJsonFile.js';

let ignoring = false;

/** From here on, a failed write to stdout or stderr is dropped: the emulator goes on, and stops as it would. */
export function ignoreOutputErrors(): void {
  if (ignoring) return;
  ignoring = true;
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
}

/** Whether the command line's own lines are written as JSON records (sayAsJson). */
let json = false;

/**
 * While the log writes JSON lines to stdout (LOG_FORMAT=json, or auto without a terminal: CI, `docker logs`), the
 * command line's own lines are JSON records too, at `info` with pino's fields, so that every line of stdout parses
 * (`jq`, a log shipper); at a terminal they stay plain text beside pino-pretty's.
 */
export function sayAsJson(on: boolean): void {
  json = on;
}

/**
 * One line to stdout (lost if nobody reads it any more), behind the log's lines (logger.ts). What it quotes (the
 * data file's path, a folder named with a line break or a terminal escape) is written with its controls as escapes,
 * as the log's lines and the refusals on stderr are (terminalText.ts): one line stays one line.
 */
export function say(line: string, fields: Record<string, string> = {}): void {
  if (!json) return writeStdoutLine(escapedControls(line));
  let inner = '';
  for (const [name, value] of Object.entries(fields)) inner += `,${JSON.stringify(name)}:${JSON.stringify(escapedControls(value))}`;
  writeStdoutLine(
    `{"level":"info"${isoTime()},"pid":${process.pid},"hostname":${JSON.stringify(hostname())}${inner},"msg":${JSON.stringify(escapedControls(line))}}`,
  );
}

/**
 * Text of any length to a stream, about a megabyte at a time, each write awaited: a generated tenant of more than
 * about 250,000 packages is more text than one JavaScript string can hold, and a reader that is slow only slows
 * the writer. A failed write (a reader gone from the pipe, a full disk behind `>`) rejects with its error, which
 * the stream then no longer emits as an unhandled 'error' event.
 */
export async function writePieces(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  // The write's callback carries the error; the event, which may come after it, has nothing left to say.
  stream.on('error', () => undefined);
  const write = (text: string) => new Promise<void>((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= WRITE_CHUNK_CHARS) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') await write(chunk);
}
