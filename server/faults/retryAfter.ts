// An injected 429 is remembered per client and request: coming back before its Retry-After has passed
// earns another 429 with the time still left, as Graph does and Dev Proxy's RetryAfterPlugin simulates.
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling
import { ClientMemory } from './clientMemory.js';
import type { Clock } from './throttle.js';

/** Entries kept before expired ones are forgotten (clientMemory.ts). */
export const SWEEP_ABOVE = 10_000;
/** Entries kept at most (about 420 bytes each with a client-request-id key); past it a new one forgets the oldest. */
export const MAX_PENDING = 100_000;

interface Pending {
  until: number;
  /** The $batch whose item earned the 429: its other items are not retries of it. */
  batch: object | undefined;
}

export class RetryAfterLedger {
  private readonly until = new ClientMemory<Pending>(SWEEP_ABOVE, MAX_PENDING, (pending, now) => pending.until <= now);

  constructor(private readonly clock: Clock) {}

  note(key: string, seconds: number, batch?: object): void {
    if (seconds <= 0) return;
    const now = this.clock();
    this.until.set(key, { until: now + seconds * 1000, batch }, now);
  }

  /** Clients with a Retry-After kept (what SWEEP_ABOVE and MAX_PENDING bound). */
  get size(): number {
    return this.until.size;
  }

  /** True while no client has a Retry-After pending: callers may skip building a key. */
  get empty(): boolean {
    return this.until.size === 0;
  }

  /** Whole seconds the client must still wait; undefined when it may come back, or asks in the same batch. */
  remaining(key: string, batch?: object): number | undefined {
    const pending = this.until.get(key);
    if (pending === undefined || (batch !== undefined && pending.batch === batch)) return undefined;
    const left = pending.until - this.clock();
    if (left > 0) return Math.ceil(left / 1000);
    this.until.delete(key);
    return undefined;
  }

  clear(): void {
    this.until.clear();
  }

  /** Forgets the keys `drop` picks (one tenant's, when its faults are replaced or cleared). */
  clearWhere(drop: (key: string) => boolean): void {
    for (const key of this.until.keys()) if (drop(key)) this.until.delete(key);
  }
}
