// What a file store's open reads under the data file's lock before it serves (fileStore.ts wires the store up
// around it): the snapshot, checked whole; the stored datasets and the baselines' list beside it; the journal's
// entries, every one checked before any is applied; then their replay over the snapshot, and the baselines checked
// against what the replay left. A refusal here leaves every file as it was.
import { Low } from 'lowdb';
import path from 'node:path';
import { COLLECTION_NAMES } from '../collections.js';
import { BaselineIndex } from './baselineIndex.js';
import { Collections, normaliseDataset } from './collections.js';
import { checkDataset, recordsProblem } from './dataFileCheck.js';
import { type DataFile, RecordLines, datasetLines, parseDataset } from './dataFileFormat.js';
import { DatasetFiles } from './datasetFiles.js';
import { DurableJSONFile } from './durableJsonFile.js';
import type { FileStoreOptions } from './fileStoreOptions.js';
import { Journal } from './journal.js';
import { type JournalLine, journalLineProblem } from './journalLines.js';
import { OwnFiles } from './ownFiles.js';
import { type Dataset, emptyDataset } from './records.js';
import { StoreError } from './store.js';
import { DiskFailures, nodeFs } from './storeFs.js';
import type { TenantSet } from './tenants.js';

/** Records in a dataset, or in a data file: every tenant's. */
export function recordCount(data: Partial<DataFile>): number {
  const count = (dataset: Partial<Dataset>) => COLLECTION_NAMES.reduce((sum, name) => sum + (dataset[name]?.length ?? 0), 0);
  return Object.values(data.tenants ?? {}).reduce((sum, tenant) => sum + count(tenant), count(data));
}

/** The files of the data file at `location`, read and checked; the journal is opened last, its torn tail kept (cutTornTail). */
export async function readDataFiles(location: string, options: FileStoreOptions) {
  const fs = options.fs ?? nodeFs;
  const told = options.onChangedElsewhere;
  const adapter = new DurableJSONFile<DataFile>(
    location,
    datasetLines,
    parseDataset,
    () => new RecordLines(),
    fs,
    (file, aside) => told?.(file, aside, 'data file'),
  );
  // Under the lock: a snapshot's temporary file that a crash left (hundreds of MB at 100,000 records) goes.
  await adapter.removeStrayTemporaryFiles();
  // Only a missing or empty file holds no data; any JSON value, `null` included, must be a data file.
  const content = await adapter.readContent();
  const raw = content.found === 'json' ? (content.value as DataFile) : null;
  const problem =
    content.found !== 'json'
      ? undefined
      : (checkDataset(content.value) ?? (adapter.readInOwnLayout ? undefined : recordsProblem(content.value as Record<string, unknown>)));
  if (problem) throw new StoreError('corrupt', `The data file ${location} is not an emulator data file: ${problem}. It was left untouched.`);
  const db = new Low<DataFile>(adapter, emptyDataset());
  const state = new Collections(raw === null ? emptyDataset() : normaliseDataset(raw));
  // Whose files the journal and the stored datasets may be: those of whoever already controls the data.
  const own = await OwnFiles.of(path.dirname(location), location);
  const files = await DatasetFiles.open(`${location}.datasets`, fs, own);
  const failures = new DiskFailures();
  const index = new BaselineIndex(files, fs, failures, (file, aside) => told?.(file, aside, 'baselines'));
  await index.read();
  // Every entry's shape and record are checked before any is applied: a bad one stops the start, data untouched.
  const { journal, entries } = await Journal.open(`${location}.journal`, journalLineProblem, fs, true, own);
  return { raw, db, state, files, failures, index, journal, entries };
}

/**
 * Apply the journals' entries over the snapshot, every tenant's; the stored datasets their resets name are read
 * once each and stay pinned (returned) until compacted.
 */
export async function replay(entries: readonly JournalLine[], tenants: TenantSet, files: DatasetFiles): Promise<string[]> {
  // A journal of resets to the same fixtures names one dataset many times (every tenant added with them): read it once.
  const read = new Map<string, Dataset>();
  for (const entry of entries) {
    if (entry.op !== 'reset' || read.has(entry.ds)) continue;
    read.set(entry.ds, await files.read(entry.ds));
    files.pin(entry.ds);
  }
  for (const entry of entries) tenants.replay(entry, (id) => read.get(id)!);
  return [...read.keys()];
}

/**
 * The tenants whose baselines outlived them (a crash between a tenant's drop and the list's rewrite), for the
 * opener to forget once every check has passed; a StoreError('corrupt') when another tenant's baseline names a
 * stored dataset that is missing.
 */
export function baselinesOfGoneTenants(index: BaselineIndex, tenants: TenantSet, files: DatasetFiles): string[] {
  const gone = index.tenants().filter((tenant) => tenants.get(tenant) === undefined);
  const missing = index
    .tenants()
    .filter((tenant) => !gone.includes(tenant))
    .flatMap((tenant) => index.of(tenant))
    .find((b) => !files.has(b.id!));
  if (missing)
    throw new StoreError('corrupt', `The baseline '${missing.info.name}' in ${index.location} names a stored dataset that is missing (or is no regular file).`);
  return gone;
}
