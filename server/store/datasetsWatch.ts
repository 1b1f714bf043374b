// The files of `db.json.datasets/` kept where a restart reads them, as filesWatch.ts keeps the data file: the
// baselines' index and the stored datasets can be removed or replaced from under a running emulator (a clean-up of
// the data folder), and a restart then lost the baselines, or refused a list naming a dataset that is gone. At each
// look of the files' watch (every FILES_CHECK_MS):
// - the index removed or replaced is written again from the list in memory (baselineIndex.ts keepWritten), a version
//   another program made kept aside first;
// - a stored dataset removed, or changed so that its content no longer hashes to its name (an edit; a `touch` is no
//   change), is written again, from the records of a baseline that holds them in memory; a changed one only once two
//   looks in a row find the same version, so that a file still being written (an editor that empties it, then writes
//   it) is not kept aside half-written and its writer's bytes lost under the rename. A version another program
//   made is kept aside first, and told. When no baseline holds them in memory (a baseline read back at start and not
//   restored since, or only a journal's reset names the file), nothing can write them again: the snapshot is written
//   (a compaction), so that no journal line needs the file any more, the file is no longer taken for the records
//   (the next reset to them writes it anew), and this is told, once, with the baselines that named it: their restore
//   answers 500 (and, for a removed file, the next start refuses the list) until they are deleted or saved again.
// The folder itself, removed whole, is made again by the first file written into it (datasetFiles.ts folderKept).
// A stat of each file per look; a file is read whole only when its version changed.
import { lstat } from 'node:fs/promises';
import { ChangedVersion, type FileVersion, keepAside, sameVersion, versionOf } from './changedElsewhere.js';
import type { BaselineIndex } from './baselineIndex.js';
import type { DatasetFiles } from './datasetFiles.js';
import type { Dataset } from './records.js';

/** What the watch tells its store's owner (the log). */
export interface DatasetsTold {
  /** A stored dataset another program changed was kept as `aside`, and its records written in its place. */
  keptAside(file: string, aside: string): void;
  /**
   * A stored dataset removed or changed whose records are in no baseline in memory: `baselines` (by tenant) named it,
   * and `aside` is the version found, when there was one.
   */
  lost(file: string, baselines: { tenant: string; name: string }[], aside: string | undefined): void;
}

export class DatasetsWatch {
  /** The version of each stored dataset's file as last seen whole. */
  private readonly seen = new Map<string, FileVersion>();
  /** The version of a changed dataset already kept aside, while its records are not written again yet. */
  private readonly keptAs = new Map<string, { version: FileVersion; aside: string }>();
  /** Each dataset's changed version found at the last look, taken once a second look finds it the same. */
  private readonly changing = new Map<string, ChangedVersion>();
  /** A compaction failed: tried again at the next look. */
  private compactionDue = false;

  constructor(
    private readonly files: DatasetFiles,
    private readonly index: BaselineIndex,
    /** Write the snapshot (a compaction): no journal line then names a stored dataset. */
    private readonly compact: () => Promise<void>,
    private readonly tell: DatasetsTold,
  ) {}

  /** One look at the index and at every stored dataset; failures are tried again at the next look. */
  async look(): Promise<void> {
    const kept = new Set(this.files.kept());
    for (const id of this.seen.keys()) if (!kept.has(id)) this.seen.delete(id);
    for (const id of this.keptAs.keys()) if (!kept.has(id)) this.keptAs.delete(id);
    for (const id of this.changing.keys()) if (!kept.has(id)) this.changing.delete(id);
    for (const id of kept) await this.lookAt(id).catch(() => undefined);
    // After the datasets: a list written again names files that are there.
    await this.index.keepWritten().catch(() => undefined);
    if (this.compactionDue) {
      this.compactionDue = false;
      await this.compact().catch(() => (this.compactionDue = true));
    }
  }

  private async lookAt(id: string): Promise<void> {
    const file = this.files.fileOf(id);
    const found = await lstat(file).then(versionOf, () => undefined);
    const before = this.seen.get(id);
    if (found !== undefined && (before === undefined || sameVersion(found, before))) {
      this.seen.set(id, found);
      this.changing.delete(id);
      return;
    }
    // Changed: still the records its name was made from (a `touch`, a copy of the same text) is no change.
    if (
      found !== undefined &&
      (await this.files.read(id).then(
        () => true,
        () => false,
      ))
    ) {
      this.seen.set(id, found);
      this.changing.delete(id);
      return;
    }
    if (found !== undefined && !this.settled(id, found)) return;
    const aside = found === undefined ? undefined : await this.keptAside(id, file, found);
    const named = this.index.namedBy(id);
    const records: Dataset | undefined = named.find(({ baseline }) => baseline.dataset !== undefined)?.baseline.dataset;
    if (records !== undefined) {
      // A failure throws: the file is still missing or changed at the next look, which tries again.
      if (!(await this.files.writeAgain(id, records))) return;
      this.seen.delete(id);
      this.keptAs.delete(id);
      if (aside !== undefined) this.tell.keptAside(file, aside);
      return;
    }
    this.keptAs.delete(id);
    this.files.forget(id);
    this.compactionDue = true;
    this.tell.lost(
      file,
      named.map(({ tenant, baseline }) => ({ tenant, name: baseline.info.name })),
      aside,
    );
  }

  /** Whether the last look found this same changed version: one no program is writing any more. */
  private settled(id: string, found: FileVersion): boolean {
    const changing = this.changing.get(id) ?? new ChangedVersion();
    this.changing.set(id, changing);
    return changing.settled(found);
  }

  /** The version found copied aside once, however many looks it takes to write the records again. */
  private async keptAside(id: string, file: string, found: FileVersion): Promise<string> {
    const kept = this.keptAs.get(id);
    if (kept !== undefined && sameVersion(kept.version, found)) return kept.aside;
    const aside = await keepAside(file);
    this.keptAs.set(id, { version: found, aside });
    return aside;
  }
}
