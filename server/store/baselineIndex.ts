// How the file store keeps its baselines: each one's records in a stored dataset (datasetFiles.ts), pinned while
// the baseline exists, and the list of every tenant's in `db.json.datasets/baselines.json` (name, time, record
// counts, dataset, and the tenant but for the default one's), rewritten whole and durably at every change, after
// the dataset and before the change is visible. A tenant's baselines go with the tenant.
import path from 'node:path';
import { COLLECTION_NAMES, perCollection } from '../collections.js';
import { type Baseline, BASELINE_NAME, type BaselinePersistence } from './baselines.js';
import type { DatasetFiles } from './datasetFiles.js';
import { ChangedVersion } from './changedElsewhere.js';
import { DurableJSONFile } from './durableJsonFile.js';
import { DEFAULT_TENANT_ID, STORED_TENANT_ID_RULE, isStoredTenantId } from '../tenantIds.js';
import type { DiskFailures, StoreFs } from './storeFs.js';
import { StoreError } from './store.js';

const DATASET_ID = /^[0-9a-f]{32}$/;

interface IndexEntry {
  name: string;
  createdDateTime: string;
  records: Record<string, number>;
  dataset: string;
  /** Absent for the default tenant's. */
  tenant?: string;
}

function entryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not an object';
  const entry = value as Partial<IndexEntry>;
  if (typeof entry.name !== 'string' || !BASELINE_NAME.test(entry.name)) return 'has no valid name';
  if (typeof entry.createdDateTime !== 'string' || Number.isNaN(Date.parse(entry.createdDateTime))) return 'has no valid createdDateTime';
  if (typeof entry.dataset !== 'string' || !DATASET_ID.test(entry.dataset)) return 'names no stored dataset';
  if (entry.tenant !== undefined && !isStoredTenantId(entry.tenant)) return `has a tenant that is not a tenant id (${STORED_TENANT_ID_RULE})`;
  const records = entry.records as Record<string, unknown> | undefined;
  // A collection added since the baseline was saved (resource requests) has no count there: it held none.
  const counted = (name: string) => records?.[name] === undefined || Number.isInteger(records[name]);
  if (typeof records !== 'object' || records === null || !COLLECTION_NAMES.every(counted) || Object.keys(records).length === 0) return 'has no record counts';
  return undefined;
}

/** Every tenant's baselines in the list's order, each with its tenant. */
type Lists = ReadonlyMap<string, readonly Baseline[]>;

function listText(lists: Lists): string {
  const entries = [...lists].flatMap(([tenant, list]) => list.map((b) => ({ ...b.info, dataset: b.id, ...(tenant === DEFAULT_TENANT_ID ? {} : { tenant }) })));
  return `${JSON.stringify({ baselines: entries })}\n`;
}

export class BaselineIndex {
  readonly location: string;
  private readonly file: DurableJSONFile<string>;
  /** Each tenant's list as it is on disk, to put back after a failed write. */
  private written: Lists = new Map();
  /** One rewrite at a time: each is every tenant's list with one tenant's changed. */
  private writing: Promise<unknown> = Promise.resolve();
  /** A version another program wrote, found at the last look: taken once a second look finds it the same. */
  private readonly changing = new ChangedVersion();

  constructor(
    private readonly files: DatasetFiles,
    fs: StoreFs,
    private readonly failures: DiskFailures,
    /** Told the name a write gave the index it found changed by another program (changedElsewhere.ts). */
    keptAside?: (file: string, aside: string) => void,
  ) {
    this.location = path.join(files.dir, 'baselines.json');
    this.file = new DurableJSONFile<string>(this.location, (text) => [text], undefined, undefined, fs, keptAside);
  }

  /** A tenant's baselines as read at start. */
  of(tenant: string): readonly Baseline[] {
    return this.written.get(tenant) ?? [];
  }

  /** The tenants that have baselines. */
  tenants(): string[] {
    return [...this.written.keys()];
  }

  /** The baselines, by tenant, whose records are the stored dataset `id`. */
  namedBy(id: string): { tenant: string; baseline: Baseline }[] {
    return [...this.written].flatMap(([tenant, list]) => list.filter((b) => b.id === id).map((baseline) => ({ tenant, baseline })));
  }

  /**
   * The list written again when the file was removed or replaced since the store read or wrote it (datasetsWatch.ts),
   * in turn with the other rewrites; a version another program made is kept aside by the write, and told.
   */
  keepWritten(): Promise<void> {
    const run = this.writing.then(async () => {
      const change = await this.file.changedOnDisk();
      if (change?.how !== 'changed') this.changing.clear();
      if (change?.how !== 'removed' && change?.how !== 'changed') return;
      if (change.how === 'changed') {
        if (change.found !== null && !this.changing.settled(change.found)) return;
        this.changing.clear();
      }
      await this.failures.attempt(`Writing ${path.basename(this.location)}`, async () => {
        // Its folder may have gone with it.
        await this.files.folderKept();
        await this.file.write(listText(this.written));
      });
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** How one tenant's changes are made durable; `check` throws once the tenant is being dropped. */
  forTenant(tenant: string, check: () => void): BaselinePersistence {
    return {
      saved: (baseline, text, next, replaced) => this.saved(tenant, check, baseline, text, next, replaced),
      removed: (baseline, next) => this.removed(tenant, check, baseline, next),
    };
  }

  /**
   * A dropped tenant's baselines go: the list without them, then their datasets. When the list cannot be written,
   * they are gone from memory all the same, and the next start leaves out those of a tenant that does not exist.
   */
  async forget(tenant: string): Promise<void> {
    if (!this.written.has(tenant)) return;
    try {
      // The baselines unpinned are those the list held when its rewrite ran: a save or a delete queued before it
      // has changed them by then (read before, a deleted one was unpinned twice, which let its dataset go while a
      // journal line still named it).
      const unpin = (before: readonly Baseline[]) => {
        for (const baseline of before) this.files.unpin(baseline.id!);
      };
      await this.failures.attempt(`Deleting the baselines of tenant '${tenant}'`, () => this.write(tenant, [], () => undefined, unpin));
    } catch {
      const rest = new Map(this.written);
      rest.delete(tenant);
      this.written = rest;
    }
  }

  private async saved(
    tenant: string,
    check: () => void,
    baseline: Baseline,
    text: string,
    next: readonly Baseline[],
    replaced: Baseline | undefined,
  ): Promise<void> {
    const doing = `Saving the baseline '${baseline.info.name}'`;
    baseline.id = await this.failures.attempt(doing, () => this.files.store(baseline.dataset!, text));
    const id = baseline.id;
    try {
      await this.failures.attempt(doing, () => this.write(tenant, next, check, () => replaced !== undefined && this.files.unpin(replaced.id!)));
    } catch (err) {
      this.files.unpin(id);
      throw err;
    }
  }

  private async removed(tenant: string, check: () => void, baseline: Baseline, next: readonly Baseline[]): Promise<void> {
    await this.failures.attempt(`Deleting the baseline '${baseline.info.name}'`, () => this.write(tenant, next, check, () => this.files.unpin(baseline.id!)));
    await this.files.collect().catch(() => undefined);
  }

  /** The baselines saved, by tenant, their records not read yet; a damaged index stops the start, naming the file. */
  async read(): Promise<Lists> {
    const content = await this.file.readContent();
    if (content.found === 'none') return this.written;
    const where = (detail: string) => new StoreError('corrupt', `The baseline list ${this.location} ${detail}. It was left untouched.`);
    // The list is written whole and durably, never empty, and without baselines as `{"baselines":[]}`: an empty
    // file or `null` is damage. Taken for "no baselines", it unpinned every baseline's dataset, deleted at start.
    if (content.found === 'blank') throw where('is empty');
    const raw = content.value;
    const list = typeof raw === 'object' && raw !== null ? (raw as { baselines?: unknown }).baselines : undefined;
    if (!Array.isArray(list)) throw where("has no 'baselines' array");
    const lists = new Map<string, Baseline[]>();
    for (const [i, value] of list.entries()) {
      const problem = entryProblem(value);
      if (problem !== undefined) throw where(`is damaged: baselines[${i}] ${problem}`);
      const entry = value as IndexEntry;
      const tenant = entry.tenant ?? DEFAULT_TENANT_ID;
      const of = lists.get(tenant) ?? [];
      if (of.some((b) => b.info.name === entry.name)) throw where(`is damaged: baselines[${i}] repeats the name '${entry.name}'`);
      of.push({
        info: { name: entry.name, createdDateTime: entry.createdDateTime, records: perCollection((name) => entry.records[name] ?? 0) },
        dataset: undefined,
        id: entry.dataset,
      });
      lists.set(tenant, of);
      this.files.pin(entry.dataset);
    }
    this.written = lists;
    return lists;
  }

  /**
   * Rewrite the list with `tenant`'s baselines as `list` (none: the tenant leaves it), once `check` lets it; then,
   * in turn with the other rewrites, `written` with the tenant's list as it was before: what a change unpins is
   * decided there, never from a list another rewrite has since changed.
   */
  private write(tenant: string, list: readonly Baseline[], check: () => void, written: (before: readonly Baseline[]) => void): Promise<void> {
    const run = this.writing.then(async () => {
      check();
      const before = this.written.get(tenant) ?? [];
      const next = new Map(this.written);
      if (list.length === 0) next.delete(tenant);
      else next.set(tenant, list);
      try {
        await this.file.write(listText(next));
      } catch (err) {
        // A failure after the rename (the folder's sync) may have left the refused list in place, which a restart
        // would read: put the one before back, if the disk lets us.
        await this.file.write(listText(this.written)).catch(() => undefined);
        throw err;
      }
      this.written = next;
      written(before);
    });
    this.writing = run.catch(() => undefined);
    return run;
  }
}
