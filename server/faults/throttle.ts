// The throttling profile: a token bucket per client (within its tenant and app: FaultEngine.throttle), as
// Graph's identity services throttle. Each request takes a token; an empty bucket answers 429 with Retry-After,
// and a client that comes back before its Retry-After has passed is throttled again.
// Headers: https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits
import { performance } from 'node:perf_hooks';
import { ClientMemory } from './clientMemory.js';
import type { ThrottleProfile } from './ruleSchema.js';

/** Milliseconds since some fixed point; injectable so tests move time by hand. */
export type Clock = () => number;

/**
 * The monotonic clock (performance.now): buckets and Retry-After deadlines are only ever compared with each other,
 * and the wall clock jumps. Set back an hour (NTP correcting it, a laptop's resume, a time zone fixed by hand), it
 * took an hour of refill from every bucket, so a client was throttled for up to a day (the longest Retry-After), and
 * every pending Retry-After lasted an hour longer.
 */
export const systemClock: Clock = () => performance.now();

/** Graph sends x-ms-throttle-limit-percentage only once a client has used more than this share of its limit. */
const REPORT_USAGE_ABOVE = 0.8;
/** The longest Retry-After sent, in whole seconds (a day; the profile's bounds keep it under 1,000 s). */
const MAX_RETRY_AFTER_SECONDS = 86_400;
/** Buckets kept before idle, full ones are forgotten (a full bucket is the same as a new one): clientMemory.ts. */
export const SWEEP_ABOVE = 10_000;
/** Buckets kept at most (about 280 bytes each with a client-request-id key); past it a new client forgets the oldest client's. */
export const MAX_CLIENTS = 100_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
  blockedUntil: number;
}

export type ThrottleResult =
  | { throttled: false /** Share of the budget in use, 0..1. */; usage: number }
  | { throttled: true; retryAfterSeconds: number; usage: number };

export class TokenBuckets {
  private readonly buckets: ClientMemory<Bucket>;

  constructor(
    readonly profile: ThrottleProfile,
    private readonly clock: Clock = systemClock,
  ) {
    const { capacity, refillPerSecond } = profile;
    // Not blocked, and full again by now: the same as a new bucket.
    const full = (b: Bucket, now: number) => now >= b.blockedUntil && b.tokens + ((now - b.updatedAt) / 1000) * refillPerSecond >= capacity;
    this.buckets = new ClientMemory(SWEEP_ABOVE, MAX_CLIENTS, full);
  }

  /** Clients with a bucket (what SWEEP_ABOVE and MAX_CLIENTS bound). */
  get clients(): number {
    return this.buckets.size;
  }

  /** Forgets the buckets of the clients `drop` names: they start full again, as new clients do. */
  clearWhere(drop: (client: string) => boolean): void {
    for (const client of [...this.buckets.keys()]) if (drop(client)) this.buckets.delete(client);
  }

  take(client: string): ThrottleResult {
    const now = this.clock();
    const { capacity, refillPerSecond } = this.profile;
    const bucket = this.refilled(client, now);
    if (now < bucket.blockedUntil) {
      return { throttled: true, retryAfterSeconds: Math.ceil((bucket.blockedUntil - now) / 1000), usage: 1 };
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { throttled: false, usage: (capacity - bucket.tokens) / capacity };
    }
    // Whole seconds, as Graph sends; at least 1 so a client never retries immediately.
    const retryAfterSeconds = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)));
    bucket.blockedUntil = now + retryAfterSeconds * 1000;
    return { throttled: true, retryAfterSeconds, usage: 1 };
  }

  private refilled(client: string, now: number): Bucket {
    const { capacity, refillPerSecond } = this.profile;
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      bucket = { tokens: capacity, updatedAt: now, blockedUntil: 0 };
      this.buckets.set(client, bucket, now);
      return bucket;
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * refillPerSecond);
    bucket.updatedAt = now;
    return bucket;
  }
}

/** Graph's usage header value: a fraction from 0.8 up, present only above 80 % of the limit. */
export function usageHeader(usage: number): string | undefined {
  return usage > REPORT_USAGE_ABOVE ? usage.toFixed(2) : undefined;
}
