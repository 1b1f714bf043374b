// How large V8's young generation may grow when the data set is large.
// V8 doubles the young generation's two semi-spaces under allocation pressure up to 16 MB each; every page of
// them is touched as a request's garbage is allocated, so they are resident. With 100,000 records the read
// workloads took the process 25-35 MB above what 4 MB semi-spaces leave (bench/README.md, "Memory at 100,000
// records"), on top of the records. `--max-semi-space-size` is read only when the process starts, but the
// growth factor is read at every growth: after each collection a size at or over the cap sets the factor to 1
// (no more growth), and a size under it (V8 shrinks the young generation when the process idles) sets it back
// to V8's default, 2. The cap costs more frequent scavenges; with a small data set it would cost gets and
// creates their share of them for a few MB, so it applies, like the heap growth bound (heap.ts), from a data
// file of HEAP_BOUND_FROM_BYTES on. A process started with its own young-generation flags is left alone, and
// so is the host of the emulator used as a library.
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** Both semi-spaces together: 4 MB each. */
export const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;
/** V8's own growth factor, restored when the young generation is under the cap. */
const DEFAULT_GROWTH_FACTOR = 2;

const OWN_FLAG = /^--(?:max|min)[-_]semi[-_]space[-_]size\b|^--semi[-_]space[-_]growth[-_]factor\b/;

/** True when the command line or NODE_OPTIONS sets the young generation's size or growth. */
export function ownYoungGenerationFlag(execArgv: readonly string[], nodeOptions = ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => OWN_FLAG.test(arg));
}

/** The young generation's size now: both semi-spaces, as V8 reports its new space. */
export function youngGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

interface YoungGenerationCapOptions {
  capBytes?: number;
  execArgv?: readonly string[];
  nodeOptions?: string;
  /** The young generation's size (tests give their own). */
  sizeBytes?: () => number;
  /** Sets V8's growth factor (tests record it instead). */
  setGrowthFactor?: (factor: number) => void;
}

/**
 * Keeps the young generation at most `capBytes` from the next collection on, unless the process was started
 * with its own young-generation flags; answers a function that stops it (null when not applied).
 */
export function capYoungGeneration(options: YoungGenerationCapOptions = {}): (() => void) | null {
  const {
    capBytes = YOUNG_GENERATION_CAP_BYTES,
    execArgv = process.execArgv,
    nodeOptions = process.env['NODE_OPTIONS'] ?? '',
    sizeBytes = youngGenerationBytes,
    setGrowthFactor = (factor: number) => v8.setFlagsFromString(`--semi-space-growth-factor=${factor}`),
  } = options;
  if (ownYoungGenerationFlag(execArgv, nodeOptions)) return null;
  let factor = DEFAULT_GROWTH_FACTOR;
  const check = () => {
    const wanted = sizeBytes() >= capBytes ? 1 : DEFAULT_GROWTH_FACTOR;
    if (wanted === factor) return;
    factor = wanted;
    setGrowthFactor(wanted);
  };
  check();
  // A 'gc' entry arrives after each collection (delivered on the event loop, a few per second under load).
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    if (factor !== DEFAULT_GROWTH_FACTOR) setGrowthFactor(DEFAULT_GROWTH_FACTOR);
  };
}
