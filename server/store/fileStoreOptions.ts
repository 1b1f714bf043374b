// What the file store is given besides its data file: how often it compacts, the disk it writes through, and whom it
// tells of what happened to its files while it ran (another program's edit kept aside, a stored dataset whose records
// are gone, its lock taken), for the log (emulator.ts).
import type { DatasetsTold } from './datasetsWatch.js';
import type { StoreFs } from './storeFs.js';

/** Which of the store's files another program changed: the data file, the baselines' index, or a stored dataset. */
export type ChangedFileKind = 'data file' | 'baselines' | 'stored dataset';

export interface FileStoreOptions {
  /** Journal entries tolerated before a compaction is considered. */
  compactMinEntries?: number;
  /** The disk the store writes through (a test's failing one); Node's own by default. */
  fs?: StoreFs;
  /**
   * Told when the store found the data file, the baselines' index beside it (`baselines.json`) or a stored dataset
   * changed by another program, kept that version as `aside`, and wrote its own in its place.
   */
  onChangedElsewhere?: (file: string, aside: string, kind: ChangedFileKind) => void;
  /** Told when a stored dataset was removed or changed while no baseline held its records in memory (datasetsWatch.ts). */
  onDatasetLost?: DatasetsTold['lost'];
  /**
   * Told once, when another process bound the data file's lock (`lockFile`) while this store held it (lockGuard.ts):
   * `why` says so, and that this store writes nothing more.
   */
  onLockLost?: (lockFile: string, why: string) => void;
}

/** What the stored datasets' watch tells, through the options. */
export function datasetsTold(options: FileStoreOptions): DatasetsTold {
  return {
    keptAside: (file, aside) => options.onChangedElsewhere?.(file, aside, 'stored dataset'),
    lost: (file, baselines, aside) => options.onDatasetLost?.(file, baselines, aside),
  };
}
