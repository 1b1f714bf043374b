// Command line of `npm run bench`: a preset (full, --quick, --smoke) and single settings over it.
import { parseArgs } from 'node:util';
import type { SoakOptions } from './soak.js';
import { COUNTED_WORKLOADS, WORKLOADS, type Workload } from './workloads.js';

export interface BenchOptions {
  /** Records stored before each scale step; the first size is also where every workload is compared. */
  sizes: number[];
  durationS: number;
  warmupS: number;
  /** A B C rounds per workload; each server is measured once per round. */
  rounds: number;
  /**
   * Fresh emulator-journal and emulator-nojournal pairs for the journal's cost, each measured for one round of create
   * and get: two identical processes can differ by 10-15 % for their whole life, so the median is over several pairs.
   */
  journalPairs: number;
  connections: number;
  /** Cold starts per server and size; the median is reported. */
  startupRepeats: number;
  /** New tenants whose first request the tenants workload times, one after the other. */
  newTenants: number;
  /** How often a starting server is asked whether it is healthy: the resolution of the start-up times, and what the asking costs the machine. */
  healthPollMs: number;
  /** The HTTP workloads to measure (default: all of them). */
  workloads: Workload[];
  /** Time `npm run seed` writing the largest size's packages (the `seed` workload; default: yes). */
  seed: boolean;
  /** The largest size's records in 100 tenants: start-up, create and get, new tenants (the `tenants` workload; default: yes). */
  tenants: boolean;
  /** Run the emulator from the build (dist/) or from the TypeScript sources. */
  emulator: 'dist' | 'source';
  out: string;
  /** Instead of the workloads: one long mixed load, sampled as it goes. */
  soak?: SoakOptions;
  /** Instead of the workloads: a get's and a create's instructions on each server, counted under valgrind (instructions.ts; `workloads` says which). */
  instructions: boolean;
}

/** Not an HTTP workload: the time `npm run seed` takes to generate and write a tenant. */
const SEED = 'seed';
/** Its own servers and measurements (bench/tenants.ts): the largest size's records in 100 tenants. */
const TENANTS = 'tenants';
const SPECIAL = [SEED, TENANTS];

const PRESETS = {
  full: {
    sizes: [100, 10_000, 100_000],
    durationS: 5,
    warmupS: 1,
    rounds: 3,
    journalPairs: 5,
    connections: 10,
    startupRepeats: 7,
    healthPollMs: 5,
    newTenants: 200,
  },
  quick: {
    sizes: [100, 10_000, 100_000],
    durationS: 2,
    warmupS: 0.5,
    rounds: 1,
    journalPairs: 1,
    connections: 10,
    startupRepeats: 1,
    healthPollMs: 5,
    newTenants: 200,
  },
  // Checks the harness and measures nothing: the shortest slices autocannon can time (one of its 50 ms samples, see
  // load.ts), start-ups asked after less often, since each refused ask costs the parent about a millisecond of
  // CPU beside a server that is starting, some twenty starts a run, and a tenth of the new tenants.
  smoke: { sizes: [50, 500], durationS: 0.05, warmupS: 0.05, rounds: 1, journalPairs: 1, connections: 4, startupRepeats: 1, healthPollMs: 25, newTenants: 20 },
} as const;

export const USAGE = `Usage: npm run bench -- [--quick | --smoke] [options]
       npm run bench -- --soak 30m [--sample 1m] [--sizes 100] [--connections 8]
       npm run bench -- --instructions [--workloads get,create] [--sizes 100]

  --quick               one 2 s round per server and workload (about 3 minutes)
  --smoke               tiny sizes and 0.05 s runs: checks the harness, measures nothing
  --sizes 100,10000     stored records per scale step (the first is where all workloads run)
  --workloads create,get  only these workloads (${[...WORKLOADS, ...SPECIAL].join(', ')}; seed times npm run seed,
                        tenants the largest size's records in 100 tenants)
  --duration S          seconds per measurement        --warmup S      seconds of warm-up per server
  --rounds N            alternating rounds             --connections N concurrent connections
  --journal-pairs N     fresh journal on/off emulator pairs for the journal's cost (default 5; --quick 1)
  --startup-repeats N   cold starts per server and size, and runs of npm run seed
  --emulator dist|source  run the built emulator (default) or its TypeScript sources
  --out FILE            where the JSON report goes (default bench/results/latest.json, or soak.json)
  --soak DURATION       a mixed load for that long (90s, 30m, 1h) instead of the workloads: throughput,
                        latency, RSS and data files per sample; starts from the first of --sizes (default 100)
  --sample DURATION     time between two soak samples (default 1m)
  --instructions        instead of the workloads: the instructions of one get by id and of one create (--workloads
                        get or create for one) on bare Express and on the emulator, journal on and off, each counted
                        under valgrind's callgrind at the first of --sizes (default 100); about 12 minutes`;

/** Seconds in `90s`, `30m`, `1h` or a plain number of seconds. */
function duration(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(raw.trim());
  const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's'] : Number.NaN;
  if (!(seconds > 0)) throw new Error(`--${name} takes a duration such as 90s, 30m or 1h; got '${raw}'.`);
  return seconds;
}

function positive(name: string, raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new Error(`--${name} must be a positive ${integer ? 'whole ' : ''}number; got '${raw}'.`);
  return value;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      smoke: { type: 'boolean' },
      sizes: { type: 'string' },
      workloads: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      'journal-pairs': { type: 'string' },
      connections: { type: 'string' },
      'startup-repeats': { type: 'string' },
      emulator: { type: 'string' },
      out: { type: 'string' },
      soak: { type: 'string' },
      sample: { type: 'string' },
      instructions: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const preset = values.smoke ? PRESETS.smoke : values.quick ? PRESETS.quick : PRESETS.full;
  const soakS = duration('soak', values.soak);
  const sampleS = duration('sample', values.sample);
  if (sampleS !== undefined && soakS === undefined) throw new Error('--sample goes with --soak.');
  const instructions = values.instructions === true;
  if (instructions && soakS !== undefined) throw new Error('--instructions and --soak are two different runs: give one of them.');
  const sizes = values.sizes?.split(',').map((s) => positive('sizes', s.trim(), true)!) ?? (soakS === undefined && !instructions ? [...preset.sizes] : [100]);
  const named = values.workloads?.split(',').map((w) => w.trim()) ?? (instructions ? [...COUNTED_WORKLOADS] : [...WORKLOADS, ...SPECIAL]);
  const unknown = named.find((w) => !SPECIAL.includes(w) && !(WORKLOADS as readonly string[]).includes(w));
  if (unknown !== undefined) throw new Error(`--workloads takes ${[...WORKLOADS, ...SPECIAL].join(', ')}; got '${unknown}'.`);
  const uncounted = instructions && values.workloads !== undefined ? named.find((w) => !(COUNTED_WORKLOADS as readonly string[]).includes(w)) : undefined;
  if (uncounted !== undefined) throw new Error(`--instructions counts ${COUNTED_WORKLOADS.join(' and ')}; got '${uncounted}'.`);
  if (values.emulator !== undefined && values.emulator !== 'dist' && values.emulator !== 'source')
    throw new Error(`--emulator must be dist or source; got '${values.emulator}'.`);
  return {
    sizes,
    durationS: positive('duration', values.duration, false) ?? preset.durationS,
    warmupS: positive('warmup', values.warmup, false) ?? preset.warmupS,
    rounds: positive('rounds', values.rounds, true) ?? preset.rounds,
    journalPairs: positive('journal-pairs', values['journal-pairs'], true) ?? preset.journalPairs,
    connections: positive('connections', values.connections, true) ?? (soakS === undefined ? preset.connections : 8),
    startupRepeats: positive('startup-repeats', values['startup-repeats'], true) ?? preset.startupRepeats,
    healthPollMs: preset.healthPollMs,
    newTenants: preset.newTenants,
    workloads: named.filter((w) => !SPECIAL.includes(w)) as Workload[],
    seed: named.includes(SEED),
    tenants: named.includes(TENANTS),
    emulator: values.emulator ?? 'dist',
    out: values.out ?? (soakS !== undefined ? 'bench/results/soak.json' : instructions ? 'bench/results/instructions.json' : 'bench/results/latest.json'),
    instructions,
    ...(soakS === undefined ? {} : { soak: { durationS: soakS, sampleS: sampleS ?? Math.min(60, soakS) } }),
  };
}
