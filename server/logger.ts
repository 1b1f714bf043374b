// The process logger: pino JSON lines for machines (CI, docker logs), pino-pretty for people at a terminal.
import { type DestinationStream, type Logger, pino } from 'pino';
import { createRequire } from 'node:module';
import type { Config } from './config.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: Config['logLevel'];
  format: Config['logFormat'];
  /** Where lines go (default stdout); `isTTY` on it decides the `auto` format. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createLogger({ level, format, destination = process.stdout }: LoggerOptions): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && destination.isTTY === true);
  const stream: DestinationStream = pretty
    ? loadPinoPretty()({ destination, colorize: destination.isTTY === true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l', sync: true })
    : destination === process.stdout
      ? // Nothing is ever written at `silent` (the default under a test runner): no buffer, no flush timer.
        level === 'silent'
        ? pino.destination({ dest: 1, sync: true })
        : bufferedStdout()
      : (destination as DestinationStream);
  return pino(
    {
      level,
      // Level names rather than numbers: log shippers and people read the same word.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: isoTime,
    },
    stream,
  );
}

/** The longest a line waits in the buffer when traffic is light. */
export const LOG_FLUSH_MS = 200;

/**
 * Lines to fd 1, 4 KB at a time, written synchronously as pino's default destination is. A write per line
 * cost a large share of the server's CPU per request under load. Asynchronous writes cost more than they
 * save here: while one is in flight sonic-boom measures its whole growing buffer again for every line
 * (figures from paired runs in bench/README.md). When traffic is light, sonic-boom's periodic flush writes
 * what is buffered within LOG_FLUSH_MS; on exit pino writes the rest (a kill -9 loses at most that buffer).
 * https://getpino.io/#/docs/asynchronous
 */
function bufferedStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: LOG_FLUSH_MS });
}

let timeMs = -1;
let timeField = '';

/** pino's isoTime, formatted once per millisecond: a busy server writes many lines within one. */
function isoTime(): string {
  const now = Date.now();
  if (now !== timeMs) {
    timeMs = now;
    timeField = `,"time":"${new Date(now).toISOString()}"`;
  }
  return timeField;
}

/** pino-pretty only for a terminal: loading it costs start-up time that JSON logging never needs. */
function loadPinoPretty(): typeof import('pino-pretty').PinoPretty {
  return (createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')).PinoPretty;
}
