// The process logger: pino JSON lines for machines (CI, docker logs), pino-pretty for people at a terminal.
import { performance } from 'node:perf_hooks';
import { type DestinationStream, type Logger, pino } from 'pino';
import { createRequire } from 'node:module';
import type { Config } from './config.js';
import { isoMillis } from './isoMillis.js';
import { StdoutPipe } from './stdoutPipe.js';

export type { Logger } from 'pino';

interface LoggerOptions {
  level: Config['logLevel'];
  format: Config['logFormat'];
  /** Where lines go (default stdout); `isTTY` on it decides the `auto` format. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Whether the log writes JSON lines to `destination` (pino-pretty only for `pretty`, or `auto` at a terminal). */
export function writesJson(format: Config['logFormat'], destination: { isTTY?: boolean } = process.stdout): boolean {
  return !(format === 'pretty' || (format === 'auto' && destination.isTTY === true));
}

/**
 * Fields a person at a terminal is not shown: the process's, and those a request's message already says
 * (`GET /beta/…?$top=1 200 3ms`), which pino-pretty would each print again on a line of its own, five lines of
 * every request's eight. A `$batch`'s items keep theirs (only top-level keys are named); JSON lines keep them all.
 */
const PRETTY_IGNORED = 'pid,hostname,method,path,query,status,durationMs';

export function createLogger({ level, format, destination = process.stdout }: LoggerOptions): Logger {
  const pretty = !writesJson(format, destination);
  const stream: DestinationStream = pretty
    ? loadPinoPretty()({ destination, colorize: destination.isTTY === true, ignore: PRETTY_IGNORED, translateTime: 'SYS:HH:MM:ss.l', sync: true })
    : destination === process.stdout
      ? // Nothing is ever written at `silent` (the default under a test runner): no buffer, no flush timer.
        level === 'silent'
        ? pino.destination({ dest: 1, sync: true })
        : bufferedStdout()
      : (destination as DestinationStream);
  const logger = pino(
    {
      level,
      // Level names rather than numbers: log shippers and people read the same word.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: isoTime,
    },
    stream,
  );
  ownLoggers.add(logger);
  return logger;
}

/** Loggers made by createLogger: lineWriter knows how they shape a line. */
const ownLoggers = new WeakSet<Logger>();

type LineLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * For a logger made by createLogger, a function that writes one line exactly as `logger[level](fields, msg)`
 * would (level name, time, the logger's bindings, the fields, msg) in one JSON.stringify of the fields rather than
 * pino's serialisation key by key: the request log writes a line per request (bench/README.md has what it saved).
 * The caller checks the level first. Undefined for any other logger (a library user's, a child), which the
 * caller then logs through as usual.
 */
export function lineWriter(logger: Logger): ((level: LineLevel, fields: object, msg: string) => void) | undefined {
  if (!ownLoggers.has(logger)) return undefined;
  const own = logger as unknown as Record<symbol, unknown>;
  const { streamSym, chindingsSym } = pino.symbols;
  return (level, fields, msg) => {
    const text = JSON.stringify(fields);
    const inner = text.length > 2 ? `,${text.slice(1, -1)}` : '';
    (own[streamSym] as DestinationStream).write(`{"level":"${level}"${isoTime()}${own[chindingsSym] as string}${inner},"msg":${JSON.stringify(msg)}}\n`);
  };
}

/** The longest a line waits in the buffer when traffic is light. */
const LOG_FLUSH_MS = 200;
/** Characters gathered before they are written (lines of about 300 characters: a dozen lines a write). */
export const LOG_BATCH_CHARS = 4096;

/**
 * pino's destination for stdout: lines gathered in an array and handed to sonic-boom (pino's own file writer,
 * synchronous as pino's default destination is) LOG_BATCH_CHARS at a time. A write per line cost a large share
 * of the server's CPU per request under load, and so did sonic-boom's own buffer (`minLength`): it measures the
 * UTF-8 length of its whole growing buffer again for every line, and copies it into a Buffer once written (paired
 * runs in bench/README.md). Asynchronous writes cost more than either. When traffic is light, a timer writes what
 * is gathered within LOG_FLUSH_MS; at exit (a signal's graceful stop, process.exit, an uncaught error) the rest is
 * written synchronously; only a kill -9 loses what is gathered. One per process: every stdout logger shares it.
 * https://getpino.io/#/docs/asynchronous
 */
export class LineBatch implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;

  constructor(
    private readonly sink: { write(text: string): unknown; flush?(cb: (err?: Error | null) => void): void; flushSync(): void },
    private readonly batchChars = LOG_BATCH_CHARS,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.batchChars) this.drain();
  }

  /** What pino's logger.flush(cb) and the timer call: everything gathered is handed on, what waits written, then cb. */
  flush(cb?: (err?: Error | null) => void): void {
    this.drain();
    if (this.sink.flush) this.sink.flush(cb ?? (() => undefined));
    else cb?.();
  }

  flushSync(): void {
    this.drain();
    this.sink.flushSync();
  }

  private drain(): void {
    if (this.chars === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sink.write(text);
  }
}

let stdoutBatch: LineBatch | undefined;
let stdoutPipe: StdoutPipe | undefined;

function bufferedStdout(): DestinationStream {
  if (stdoutBatch === undefined) {
    const pipe = new StdoutPipe();
    const batch = new LineBatch({
      write: (text) => pipe.write(text),
      flush: (cb) => {
        pipe.drain();
        cb();
      },
      flushSync: () => pipe.drain(),
    });
    stdoutPipe = pipe;
    setInterval(() => batch.flush(), LOG_FLUSH_MS).unref();
    process.once('exit', () => batch.flushSync());
    stdoutBatch = batch;
  }
  return stdoutBatch;
}

/** pino's isoTime, the same text, with the date and time of day made once per second (isoMillis.ts). */
export function isoTime(now = Date.now()): string {
  return `,"time":"${isoMillis(now)}Z"`;
}

/** pino-pretty only for a terminal: loading it costs start-up time that JSON logging never needs. */
function loadPinoPretty(): typeof import('pino-pretty').PinoPretty {
  return (createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')).PinoPretty;
}

/**
 * A line of the command line's own (`SIGTERM: finishing…`) to stdout. While the JSON log writes there, it goes
 * behind the log's lines, through the same queue, so it never lands inside one that a slow reader left half written.
 */
export function writeStdoutLine(line: string): void {
  if (stdoutPipe === undefined || stdoutBatch === undefined) {
    process.stdout.write(`${line}\n`);
    return;
  }
  stdoutBatch.flush();
  stdoutPipe.write(`${line}\n`);
}

/** How long a stop waits for a stdout reader that has stopped reading to take the log's backlog. */
const EXIT_BACKLOG_WAIT_MS = 2_000;

/**
 * Resolves once the log lines waiting for stdout's reader are written, or after `limitMs`: a stop gives a reader
 * that paused (a harness between two reads) that long to take them, then the process ends and they are lost.
 */
export async function stdoutBacklogWritten(limitMs = EXIT_BACKLOG_WAIT_MS): Promise<void> {
  const pipe = stdoutPipe;
  if (pipe === undefined) return;
  stdoutBatch?.flush();
  // The monotonic clock: a wall clock set back during the wait would have held the stop for as long.
  const deadline = performance.now() + limitMs;
  while (pipe.waiting > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    pipe.drain();
  }
}
