import { describe, expect, it, jest } from '@jest/globals';
import { MAX_CLIENTS, SWEEP_ABOVE, TokenBuckets, usageHeader } from '../../server/faults/throttle.js';

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

  it('counts Retry-After from a partly refilled bucket: the time until the missing part of a token is back', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ capacity: 3, refillPerSecond: 0.25 }, clock.now);
    for (let i = 0; i < 3; i += 1) buckets.take('a');
    clock.advance(2000); // half a token back: the other half takes 2 s more (a whole token would take 4)
    expect(buckets.take('a')).toEqual({ throttled: true, retryAfterSeconds: 2, usage: 1 });
    clock.advance(500); // still blocked: what is left of the 2 s, rounded up
    expect(buckets.take('a')).toEqual({ throttled: true, retryAfterSeconds: 2, usage: 1 });
  });

  it(`forgets idle full buckets once more than ${SWEEP_ABOVE} clients have one, keeping the blocked and the partly used`, () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 2 }, clock.now);
    buckets.take('blocked');
    expect(buckets.take('blocked')).toEqual({ throttled: true, retryAfterSeconds: 1, usage: 1 });
    for (let i = 0; i < SWEEP_ABOVE - 2; i += 1) buckets.take(`client-${i}`);
    clock.advance(100);
    buckets.take('partly-used');
    // At the bound, but no bucket is full yet: a new client is added and nothing is forgotten.
    expect(buckets.clients).toBe(SWEEP_ABOVE);
    buckets.take('early');
    expect(buckets.clients).toBe(SWEEP_ABOVE + 1);
    // Half a second later most buckets are full again, the same as new ones; the walk that found none full was a
    // new client ago, so the next one waits until as many new clients as it kept have come.
    // 'blocked' is full too, but its Retry-After has not passed; 'partly-used' and 'early' have 0.8 of a token.
    clock.advance(400);
    buckets.take('late');
    expect(buckets.clients).toBe(SWEEP_ABOVE + 2);
    for (let i = 0; i < SWEEP_ABOVE - 2; i += 1) buckets.take(`later-${i}`);
    expect(buckets.clients).toBe(2 * SWEEP_ABOVE);
    buckets.take('last');
    // Kept: blocked, partly-used and early, then late, the later ones and last, which each spent their one token.
    expect(buckets.clients).toBe(3 + 1 + (SWEEP_ABOVE - 2) + 1);
    // What was kept is as it was: still blocked, and short of a token where a new bucket would have a whole one.
    expect(buckets.take('blocked')).toEqual({ throttled: true, retryAfterSeconds: 1, usage: 1 });
    expect(buckets.take('partly-used')).toEqual({ throttled: true, retryAfterSeconds: 1, usage: 1 });
    expect(buckets.take('client-0')).toEqual({ throttled: false, usage: 1 });
  });

  it(`keeps at most ${MAX_CLIENTS} buckets, a new client forgetting the oldest one when none is full`, () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 0.001 }, clock.now);
    buckets.take('first');
    buckets.take('first');
    expect(buckets.take('first').throttled).toBe(true);
    for (let i = 1; i < MAX_CLIENTS; i += 1) buckets.take(`client-${i}`);
    expect(buckets.clients).toBe(MAX_CLIENTS);
    buckets.take('one-more');
    expect(buckets.clients).toBe(MAX_CLIENTS);
    // The oldest, 'first', was forgotten: it starts again with a full bucket (and its return forgets client-1);
    // client-2 kept its bucket, one token spent.
    expect(buckets.take('first')).toEqual({ throttled: false, usage: 0.5 });
    expect(buckets.take('client-2')).toEqual({ throttled: false, usage: 1 });
    expect(buckets.take('client-1')).toEqual({ throttled: false, usage: 0.5 });
  });

  it('refills with the real clock when none is given', async () => {
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 1000 });
    expect(buckets.take('a')).toEqual({ throttled: false, usage: 1 });
    // A token is back after 1 ms.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(buckets.take('a')).toEqual({ throttled: false, usage: 1 });
  });

  it('keeps its buckets when the wall clock is set back an hour (NTP, a resume): the real clock it reads is monotonic', async () => {
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 1000 });
    expect(buckets.take('a')).toEqual({ throttled: false, usage: 1 });
    const wall = Date.now();
    const setBack = jest.spyOn(Date, 'now').mockImplementation(() => wall - 3_600_000);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Read off the wall clock, the hour back would have been taken from the bucket: a 429 for 3,601 s.
      expect(buckets.take('a')).toEqual({ throttled: false, usage: 1 });
    } finally {
      setBack.mockRestore();
    }
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
