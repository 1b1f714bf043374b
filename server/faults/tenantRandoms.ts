// The random sources of a fault engine's draws: one per tenant and stream, so that test workers in tenants of their
// own each replay their faults exactly however their requests interleave. Every tenant's starts from the seed alone,
// so that a test file replays the same whichever worker (and tenant) runs it, once it installs its faults.
import { createRandom, deriveSeed, type Random } from '../random.js';

/** Random sources kept at most (two per tenant at most); past it the first one made is forgotten (docs/faults.md). */
export const MAX_FAULT_STREAMS = 10_000;

/**
 * What a tenant's random source draws for: the rules' probabilities and latencies, or the latency range of an
 * X-Emulator-Fault header (a source of its own, so that a header leaves the rules' sequence where it was).
 */
export type FaultStream = 'rules' | 'header';

const STREAMS: readonly FaultStream[] = ['rules', 'header'];

/**
 * A random source of a seed's faults. The generator is seeded through a hash of the seed: seeded with SEED as it is,
 * xoroshiro128+'s first draw is the seed's bitwise complement, nearly 1 for every seed a person picks, so the first
 * probability after a start or a PUT never fired and the first {min, max} latency was always its max.
 */
function faultRandom(seed: number, stream: FaultStream): Random {
  return createRandom(deriveSeed(seed, stream === 'rules' ? 'faults' : 'faults:header'));
}

export class TenantRandoms {
  /** By stream and lower-cased tenant id, made on their first draw. */
  private readonly randoms = new Map<string, Random>();

  constructor(private readonly seed: number) {}

  /** The random source of `tenant`'s draws for `stream` (its id lower-cased, as requests carry it). */
  of(tenant: string, stream: FaultStream): Random {
    const key = `${stream}\u0000${tenant}`;
    let random = this.randoms.get(key);
    if (random === undefined) {
      // A token may name any tenant (faults come before the tenant's store is looked up): the map is bounded.
      if (this.randoms.size >= MAX_FAULT_STREAMS) this.randoms.delete(this.randoms.keys().next().value as string);
      random = faultRandom(this.seed, stream);
      this.randoms.set(key, random);
    }
    return random;
  }

  /** One tenant's sequences start again. */
  restart(tenant: string): void {
    for (const stream of STREAMS) this.randoms.delete(`${stream}\u0000${tenant}`);
  }

  /** Every tenant's sequences start again. */
  clear(): void {
    this.randoms.clear();
  }
}
