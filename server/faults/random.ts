// The one seeded random source behind fault probabilities and latencies: the same SEED and the same
// request sequence give the same faults, so a failing CI run replays exactly.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An integer uniformly in [min, max]. */
  uniform(min: number, max: number): number;
  /** A lognormal sample with the given median and shape (sigma of the underlying normal). */
  lognormal(median: number, sigma: number): number;
}

export function createRandom(seed: number): Random {
  const rng: RandomGenerator = xoroshiro128plus(seed);
  const next = () => uniformFloat64(rng);
  return {
    next,
    chance: (p) => p >= 1 || (p > 0 && next() < p),
    uniform: (min, max) => min + Math.floor(next() * (max - min + 1)),
    lognormal(median, sigma) {
      // Box-Muller: two uniforms give one standard normal; 1 - u keeps the log argument in (0, 1].
      const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * z);
    },
  };
}
