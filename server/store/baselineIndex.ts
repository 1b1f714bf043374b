// How the file store keeps its baselines: each one's records in a stored dataset (datasetFiles.ts), pinned while
// the baseline exists, and their list in `db.json.datasets/baselines.json` (name, time, record counts, dataset),
// rewritten whole and durably at every change, after the dataset and before the change is visible.
import path from 'node:path';
import { COLLECTION_NAMES, perCollection } from '../collections.js';
import { type Baseline, BASELINE_NAME, type BaselinePersistence } from './baselines.js';
import type { DatasetFiles } from './datasetFiles.js';
import { DurableJSONFile } from './durableJsonFile.js';
import type { DiskFailures, StoreFs } from './storeFs.js';
import { StoreError } from './types.js';

const DATASET_ID = /^[0-9a-f]{32}$/;

interface IndexEntry {
  name: string;
  createdDateTime: string;
  records: Record<string, number>;
  dataset: string;
}

function entryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not an object';
  const entry = value as Partial<IndexEntry>;
  if (typeof entry.name !== 'string' || !BASELINE_NAME.test(entry.name)) return 'has no valid name';
  if (typeof entry.createdDateTime !== 'string' || Number.isNaN(Date.parse(entry.createdDateTime))) return 'has no valid createdDateTime';
  if (typeof entry.dataset !== 'string' || !DATASET_ID.test(entry.dataset)) return 'names no stored dataset';
  const records = entry.records as Record<string, unknown> | undefined;
  if (typeof records !== 'object' || records === null || COLLECTION_NAMES.some((name) => !Number.isInteger(records[name]))) return 'has no record counts';
  return undefined;
}

export class BaselineIndex implements BaselinePersistence {
  readonly location: string;
  private readonly file: DurableJSONFile<string>;
  /** The list as it is on disk, to put back after a failed write. */
  private written: readonly Baseline[] = [];

  constructor(
    private readonly files: DatasetFiles,
    fs: StoreFs,
    private readonly failures: DiskFailures,
  ) {
    this.location = path.join(files.dir, 'baselines.json');
    this.file = new DurableJSONFile<string>(this.location, (text) => [text], undefined, undefined, fs);
  }

  async saved(baseline: Baseline, text: string, next: readonly Baseline[], replaced: Baseline | undefined): Promise<void> {
    const doing = `Saving the baseline '${baseline.info.name}'`;
    baseline.id = await this.failures.attempt(doing, () => this.files.store(baseline.dataset!, text));
    try {
      await this.failures.attempt(doing, () => this.write(next));
    } catch (err) {
      this.files.unpin(baseline.id);
      throw err;
    }
    if (replaced !== undefined) this.files.unpin(replaced.id!);
  }

  async removed(baseline: Baseline, next: readonly Baseline[]): Promise<void> {
    await this.failures.attempt(`Deleting the baseline '${baseline.info.name}'`, () => this.write(next));
    this.files.unpin(baseline.id!);
    await this.files.collect().catch(() => undefined);
  }

  /** The baselines saved, their records not read yet; a damaged index stops the start, naming the file. */
  async read(): Promise<Baseline[]> {
    const raw = (await this.file.read()) as unknown;
    if (raw === null) return [];
    const list = (raw as { baselines?: unknown }).baselines;
    const where = (detail: string) => new StoreError('corrupt', `The baseline list ${this.location} ${detail}. It was left untouched.`);
    if (!Array.isArray(list)) throw where("has no 'baselines' array");
    this.written = list.map((value, i) => {
      const problem = entryProblem(value);
      if (problem !== undefined) throw where(`is damaged: baselines[${i}] ${problem}`);
      const entry = value as IndexEntry;
      return {
        info: { name: entry.name, createdDateTime: entry.createdDateTime, records: perCollection((name) => entry.records[name]!) },
        dataset: undefined,
        id: entry.dataset,
      };
    });
    for (const baseline of this.written) this.files.pin(baseline.id!);
    return [...this.written];
  }

  private async write(baselines: readonly Baseline[]): Promise<void> {
    const text = (list: readonly Baseline[]) => `${JSON.stringify({ baselines: list.map((b) => ({ ...b.info, dataset: b.id })) })}\n`;
    try {
      await this.file.write(text(baselines));
    } catch (err) {
      // A failure after the rename (the folder's sync) may have left the refused list in place, which a restart
      // would read: put the one before back, if the disk lets us.
      await this.file.write(text(this.written)).catch(() => undefined);
      throw err;
    }
    this.written = baselines;
  }
}
