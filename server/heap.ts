// How far the emulator's heap may grow between full garbage collections.
// On a machine with a few GB of memory V8 lets the old generation grow to up to four times what was live
// after the last full collection before it collects again. For a server whose live data is its records and
// whose garbage is short-lived answers, that headroom is resident memory and little else: with 100,000
// records the benchmark's read workloads doubled the process's resident memory before the first full
// collection brought the heap back to what was live (bench/README.md). Bounding growth to 40 % over what is
// live keeps the process near its live size, at the price of more frequent (incremental, mostly concurrent)
// full collections on a large heap. No upper limit is set: a bigger data set only grows the heap accordingly.
// The bound applies only from a data file of HEAP_BOUND_FROM_BYTES on: with a small data set the headroom
// is a few tens of MB, and the extra full collections cost write throughput (paired runs at 100 records,
// bench/README.md). A data set that starts small and grows while the emulator runs (a long test run that
// keeps what it creates) gets the same bound once the old generation holds HEAP_BOUND_FROM_LIVE_BYTES: the
// 30-minute soak, which starts from 100 records, grew 42 % more in resident memory than its records explain
// without it. Only the command line applies it; as a library the emulator leaves its host's V8 alone.
import { statSync } from 'node:fs';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MEMORY_LOCATION } from './store/openStore.js';

const HEAP_GROWING_PERCENT = 40;
/** About 45,000 records in the data file format. */
export const HEAP_BOUND_FROM_BYTES = 16 * 1024 * 1024;
/** Old-generation bytes in use from which a data set that grew while running gets the bound (about as many records). */
const HEAP_BOUND_FROM_LIVE_BYTES = 48 * 1024 * 1024;
const HEAP_WATCH_INTERVAL_MS = 10_000;

function ownFlag(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
}

function applyBound(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** True from a data file of HEAP_BOUND_FROM_BYTES on: the size from which the command line tunes V8 for the data (here and youngGeneration.ts). */
export function largeDataFile(dataFileBytes: number): boolean {
  return dataFileBytes >= HEAP_BOUND_FROM_BYTES;
}

/**
 * Apply the bound for a data file of `dataFileBytes` (0 when there is none), unless the process was started
 * with its own `--heap-growing-percent`; true when applied.
 */
export function boundHeapGrowth(dataFileBytes: number, execArgv: readonly string[] = process.execArgv): boolean {
  if (!largeDataFile(dataFileBytes)) return false;
  if (ownFlag(execArgv)) return false;
  // One of the V8 settings read at every collection rather than fixed when the heap is set up, so it takes
  // effect at run time (unlike --max-old-space-size or --max-semi-space-size).
  applyBound();
  // V8 applies the factor when it next sets the heap's limit, after a full collection; until then the limit
  // set at start-up holds, and a 100,000-record data file would be read in under it (more resident memory).
  // One collection now, of the few MB the modules left (a few milliseconds), sets the bounded limit before any
  // data is read. `gc` is exposed to new contexts only, so this one stays out of the emulator's own.
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return true;
}

/**
 * The size of the data file the emulator is about to read; 0 for `:memory:`, a file not there yet, or one that
 * cannot be looked at (opening the store then says why, in one line).
 */
export function dataFileBytes(dataFile: string): number {
  if (dataFile === MEMORY_LOCATION) return 0;
  try {
    return statSync(dataFile, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}

/** The old generation's bytes in use (live records and not yet collected garbage). */
function oldGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ?? 0;
}

/**
 * Apply the bound once the old generation holds `fromBytes` (checked every `intervalMs` by an unref'd timer,
 * which stops then), unless the process was started with its own `--heap-growing-percent`. Answers a function
 * that stops the watch. The bound takes effect at the next full collection.
 */
export function boundHeapGrowthWhenLarge(
  options: { execArgv?: readonly string[]; usedBytes?: () => number; fromBytes?: number; intervalMs?: number; onApplied?: () => void } = {},
): () => void {
  const { execArgv = process.execArgv, usedBytes = oldGenerationBytes, fromBytes = HEAP_BOUND_FROM_LIVE_BYTES, intervalMs = HEAP_WATCH_INTERVAL_MS } = options;
  if (ownFlag(execArgv)) return () => undefined;
  const timer = setInterval(() => {
    if (usedBytes() < fromBytes) return;
    clearInterval(timer);
    applyBound();
    options.onApplied?.();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
