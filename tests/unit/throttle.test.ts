import { describe, expect, it } from '@jest/globals';
import { TokenBuckets, usageHeader } from '../../server/faults/throttle.js';

function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('token bucket per client', () => {
  it('lets a burst of `capacity` through, then answers with the seconds until a token is back', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ capacity: 3, refillPerSecond: 0.5 }, clock.now);
    expect([1, 2, 3].map(() => buckets.take('a').throttled)).toEqual([false, false, false]);
    expect(buckets.take('a')).toEqual({ throttled: true, retryAfterSeconds: 2, usage: 1 });
    expect(buckets.take('b').throttled).toBe(false);
  });

  it('refills at the configured rate', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 2 }, clock.now);
    buckets.take('a');
    buckets.take('a');
    clock.advance(499);
    expect(buckets.take('a')).toMatchObject({ throttled: true, retryAfterSeconds: 1 });
    clock.advance(1000);
    expect(buckets.take('a')).toMatchObject({ throttled: false });
    expect(buckets.take('a')).toMatchObject({ throttled: false });
    expect(buckets.take('a')).toMatchObject({ throttled: true });
  });

  it('throttles a client that retries before its Retry-After has passed, even if a token came back', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 4 }, clock.now);
    buckets.take('a');
    expect(buckets.take('a')).toEqual({ throttled: true, retryAfterSeconds: 1, usage: 1 });
    clock.advance(600); // a token is back after 250 ms, but Retry-After said 1 s
    expect(buckets.take('a')).toEqual({ throttled: true, retryAfterSeconds: 1, usage: 1 });
    clock.advance(400);
    expect(buckets.take('a')).toEqual({ throttled: false, usage: 1 });
  });

  it('never refills past capacity', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 10 }, clock.now);
    buckets.take('a');
    clock.advance(60_000);
    expect([1, 2, 3].map(() => buckets.take('a').throttled)).toEqual([false, false, true]);
  });

  it.each<[number, string | undefined]>([
    [0.5, undefined],
    [0.8, undefined],
    [0.85, '0.85'],
    [1, '1.00'],
  ])('reports usage %p as %p', (usage, header) => {
    expect(usageHeader(usage)).toBe(header);
  });
});
