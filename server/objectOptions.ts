// createApp's options that are objects of this process rather than settings: each checked for the shape the app
// uses when the app is made, so `logger: console`, `journal: 'x'` or `onUnexpectedError: 5` is a ConfigError
// naming the option at the call, never a TypeError in the middle of a request (an uncaught one kills the process).
import { ConfigError } from './errors.js';
import { FaultEngine } from './faults/engine.js';
import { RequestJournal } from './http/requestJournal.js';
import { SigningKey } from './identity/signingKey.js';
import type { Store } from './store/store.js';

/** What the request log and startEmulator call on a logger: pino's. */
const LOGGER_METHODS = ['isLevelEnabled', 'error', 'warn', 'info', 'debug', 'flush'] as const;

/** How a refused value is named in a message: `got 5.`, `got a string.` */
export function shownValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A pino logger (or a child of one): `level` and the methods the app calls. */
export function checkLogger(value: unknown, name = 'logger'): void {
  const logger = value as Record<string, unknown> | null;
  const fits =
    typeof logger === 'object' && logger !== null && typeof logger['level'] === 'string' && LOGGER_METHODS.every((m) => typeof logger[m] === 'function');
  if (!fits) throw new ConfigError(`${name} must be a pino logger (level, ${LOGGER_METHODS.join(', ')}); got ${shownValue(value)}.`);
}

/** Throws a ConfigError naming the first object option that the app could not use. */
export function checkObjectOptions(given: Readonly<Record<string, unknown>>): void {
  const store = given['store'] as Partial<Store> | undefined;
  if (typeof store !== 'object' || store === null || typeof store.list !== 'function' || store.tenants === undefined) {
    throw new ConfigError('store must be a Store, such as new MemoryStore().');
  }
  const { signingKey, boundHost, faults, onUnexpectedError, logger, journal } = given;
  // Not exported: startEmulator passes the key beside its data file; createApp's own default is the key mintToken uses.
  if (signingKey !== undefined && !(signingKey instanceof SigningKey)) {
    throw new ConfigError(
      `signingKey is startEmulator's own option (the key beside its data file); leave it out for the key mintToken uses; got ${shownValue(signingKey)}.`,
    );
  }
  if (boundHost !== undefined && (typeof boundHost !== 'string' || boundHost.trim() === '')) {
    throw new ConfigError(`boundHost must be the address or name the server listens on, a non-empty string; got ${shownValue(boundHost)}.`);
  }
  if (faults !== undefined && !(faults instanceof FaultEngine)) {
    throw new ConfigError('faults must be a FaultEngine: new FaultEngine({ rules, throttle, seed }).');
  }
  if (onUnexpectedError !== undefined && typeof onUnexpectedError !== 'function') {
    throw new ConfigError(`onUnexpectedError must be a function (err, req); got ${shownValue(onUnexpectedError)}.`);
  }
  if (logger !== undefined) checkLogger(logger);
  if (journal !== undefined && journal !== null && !(journal instanceof RequestJournal)) {
    throw new ConfigError(`journal must be a RequestJournal, or null for none; got ${shownValue(journal)}.`);
  }
}
