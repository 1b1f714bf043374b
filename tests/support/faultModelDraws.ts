// The fault model's random draws (docs/faults.md): each tenant (its id lower-cased) draws from sequences of its own,
// one for the rules' probabilities and latencies and one for the latency range of an X-Emulator-Fault header, each
// started from the seed alone (whatever the tenant is called), and started again by a PUT or DELETE of the faults
// (of every tenant, or with ?tenant= of that one), never by a POST. The model predicts which draw each request
// takes: a probability strictly between 0 and 1 draws once per eligible match (past `after`, its `every`-th, `times`
// left), in the rules' order; then each rule that fired draws its latency (a range once, a lognormal twice).
import { sampleLatency } from '../../server/faults/effects.js';
import type { Latency } from '../../server/faults/ruleSchema.js';
import { type FaultStream, TenantRandoms } from '../../server/faults/tenantRandoms.js';
import type { Random } from '../../server/random.js';

export type { FaultStream, Latency };

/** How many draws the model predicted in all (what the runs covered). */
export const DRAWN = { count: 0 };

/** Each tenant's sequences, by stream and tenant, made on their first draw. */
export class Draws {
  private readonly streams = new Map<string, Random>();

  constructor(readonly seed: number) {}

  private of(tenant: string, stream: FaultStream): Random {
    const key = `${stream}\u0000${tenant}`;
    let random = this.streams.get(key);
    if (random === undefined) {
      // A sequence at its start: the same for every tenant, from the seed alone.
      random = new TenantRandoms(this.seed).of('any', stream);
      this.streams.set(key, random);
    }
    return random;
  }

  /** Whether a rule's eligible match fires: certain probabilities (0, 1) take no draw. */
  fires(tenant: string, probability: number | undefined): boolean {
    const p = probability ?? 1;
    if (p >= 1) return true;
    if (p <= 0) return false;
    DRAWN.count += 1;
    return this.of(tenant, 'rules').next() < p;
  }

  /** A fired rule's (or the header's) delay, in ms: a fixed one takes no draw. */
  latency(tenant: string, stream: FaultStream, latency: Latency | undefined): number {
    if (latency === undefined || typeof latency === 'number') return latency ?? 0;
    DRAWN.count += 1;
    return sampleLatency(latency, this.of(tenant, stream));
  }

  /** A PUT or DELETE of the faults: every tenant's sequences (or one tenant's) start again. */
  restart(tenant?: string): void {
    for (const key of [...this.streams.keys()]) if (tenant === undefined || key.endsWith(`\u0000${tenant}`)) this.streams.delete(key);
  }
}
