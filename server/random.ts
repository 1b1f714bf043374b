// The emulator's one seeded random source: fault probabilities and latencies (faults/) and the order the
// generated tenant is built in (tenantData/). pure-rand's xoroshiro128+ and nothing else: no clock, no
// Math.random, so the same SEED replays the same faults and the same tenant on any machine.
// json-schema-faker draws the generated values with its own seeded generator; deriveSeed seeds it from SEED.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** True with probability p; certain outcomes (p ≤ 0 or p ≥ 1) draw nothing. */
  chance(p: number): boolean;
  /** An integer uniformly in [min, max]. */
  int(min: number, max: number): number;
  /** A lognormal sample with the given median and shape (sigma of the underlying normal). */
  lognormal(median: number, sigma: number): number;
  /** A copy of `items` in random order. */
  shuffle<T>(items: readonly T[]): T[];
}

export function createRandom(seed: number): Random {
  const rng: RandomGenerator = xoroshiro128plus(seed);
  const next = () => uniformFloat64(rng);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => p >= 1 || (p > 0 && next() < p),
    lognormal(median, sigma) {
      // Box-Muller: two uniforms give one standard normal; 1 - u keeps the log argument in (0, 1].
      const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * z);
    },
    shuffle(items) {
      // Fisher-Yates, from the end.
      const result = [...items];
      for (let i = result.length - 1; i > 0; i -= 1) {
        const j = int(0, i);
        [result[i], result[j]] = [result[j]!, result[i]!];
      }
      return result;
    },
  };
}

/**
 * An independent 32-bit seed for one stream (one collection, one batch) of a user seed. Hashing rather than
 * adding keeps seed 42 and seed 43 from producing shifted copies of one sequence.
 */
export function deriveSeed(seed: number, stream: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${stream}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
