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
      ? // Buffered, asynchronous writes to fd 1: a synchronous write per request line cost about a tenth of
        // the server's CPU under load. pino flushes the buffer when the process exits.
        pino.destination({ dest: 1, sync: false })
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
