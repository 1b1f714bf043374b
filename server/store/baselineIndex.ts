// The file store's list of baselines, `db.json.datasets/baselines.json`: each one's name, time, record counts and
// the stored dataset that holds its records (datasetFiles.ts). Rewritten whole and durably at every change.
import path from 'node:path';
import { COLLECTION_NAMES, perCollection } from '../collections.js';
import { type Baseline, BASELINE_NAME } from './baselines.js';
import { DurableJSONFile } from './durableJsonFile.js';
import type { StoreFs } from './storeFs.js';
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

export class BaselineIndex {
  readonly location: string;
  private readonly file: DurableJSONFile<string>;

  constructor(dir: string, fs: StoreFs) {
    this.location = path.join(dir, 'baselines.json');
    this.file = new DurableJSONFile<string>(this.location, (text) => [text], undefined, undefined, fs);
  }

  /** The baselines saved, their records not read yet; a damaged index stops the start, naming the file. */
  async read(): Promise<Baseline[]> {
    const raw = (await this.file.read()) as unknown;
    if (raw === null) return [];
    const list = (raw as { baselines?: unknown }).baselines;
    const where = (detail: string) => new StoreError('corrupt', `The baseline list ${this.location} ${detail}. It was left untouched.`);
    if (!Array.isArray(list)) throw where("has no 'baselines' array");
    return list.map((value, i) => {
      const problem = entryProblem(value);
      if (problem !== undefined) throw where(`is damaged: baselines[${i}] ${problem}`);
      const entry = value as IndexEntry;
      return {
        info: { name: entry.name, createdDateTime: entry.createdDateTime, records: perCollection((name) => entry.records[name]!) },
        dataset: undefined,
        id: entry.dataset,
      };
    });
  }

  write(baselines: readonly Baseline[]): Promise<void> {
    const entries = baselines.map((b) => ({ ...b.info, dataset: b.id }));
    return this.file.write(`${JSON.stringify({ baselines: entries })}\n`);
  }
}
