// The pending Retry-Afters of injected 429s (faults/retryAfter.ts): a client that comes back early is refused for
// the time left, and the ledger stays bounded however many clients earn one.
import { describe, expect, it } from '@jest/globals';
import { MAX_PENDING, RetryAfterLedger, SWEEP_ABOVE } from '../../server/faults/retryAfter.js';

function ledgerAt(start = 1_000_000) {
  let now = start;
  return { ledger: new RetryAfterLedger(() => now), advance: (ms: number) => (now += ms) };
}

describe('RetryAfterLedger', () => {
  it('answers the whole seconds left until they pass, then forgets the client; not to the batch that earned it', () => {
    const { ledger, advance } = ledgerAt();
    const batch = {};
    ledger.note('a', 10, batch);
    advance(2_500);
    expect(ledger.remaining('a')).toBe(8);
    expect(ledger.remaining('a', batch)).toBeUndefined();
    expect(ledger.remaining('a', {})).toBe(8);
    advance(7_500);
    expect(ledger.remaining('a')).toBeUndefined();
    expect(ledger.empty).toBe(true);
    ledger.note('b', 0);
    expect(ledger.empty).toBe(true);
  });

  it(`forgets expired clients past ${SWEEP_ABOVE}, and keeps at most ${MAX_PENDING}, the oldest forgotten first`, () => {
    const { ledger, advance } = ledgerAt();
    ledger.note('short', 1);
    for (let i = 1; i < SWEEP_ABOVE; i += 1) ledger.note(`client-${i}`, 86_400);
    advance(2_000);
    // Past the bound, a new client first forgets the expired ones: 'short' alone.
    ledger.note('next', 86_400);
    expect(ledger.size).toBe(SWEEP_ABOVE);
    expect(ledger.remaining('client-1')).toBe(86_398);
    for (let i = SWEEP_ABOVE; ledger.size < MAX_PENDING; i += 1) ledger.note(`client-${i}`, 86_400);
    // At the most: a client noted again forgets nothing; each new client forgets the oldest.
    ledger.note('client-9', 86_400);
    expect(ledger.remaining('client-1')).toBe(86_398);
    ledger.note('one-more', 86_400);
    ledger.note('two-more', 86_400);
    expect(ledger.size).toBe(MAX_PENDING);
    expect(ledger.remaining('client-1')).toBeUndefined();
    expect(ledger.remaining('client-2')).toBeUndefined();
    expect(ledger.remaining('client-3')).toBe(86_398);
    expect(ledger.remaining('two-more')).toBe(86_400);
  });
});
