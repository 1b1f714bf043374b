// Whole datasets stored once beside the data file (`db.json.datasets/<hash>.json`, in the data file's format),
// so that a reset is one short journal entry naming one of them instead of every record again: resetting to
// the same fixtures a thousand times writes their records once. Named by a hash of their text, so an entry
// always means the same records, and a file is never rewritten in place.
//
// A file is kept while something holds a pin on it: a journal entry not yet covered by a snapshot, a baseline,
// the state's last reset. collect() removes the others; a file written but never referenced (a crash between
// the file and its journal entry) goes at the next collect, and one whose removal a crash undid, too.
import { type Hash, createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { normaliseDataset } from './collections.js';
import { RecordLines, parseDataset, serializeDataset } from './dataFileFormat.js';
import { DurableJSONFile, type PieceParser } from './durableJsonFile.js';
import { removeTemporaryFilesIn, syncDirectory } from './durableWrites.js';
import { giveFolderOwner } from './fileOwner.js';
import { OwnFiles } from './ownFiles.js';
import { NEW_FOLDER_MODE, type StoreFs } from './storeFs.js';
import type { Dataset } from './records.js';
import { StoreError } from './store.js';

const NAME = /^([0-9a-f]{32})\.json$/;

/** A dataset's id: the start of the SHA-256 of its text, the name of its file. */
function idOf(hash: Hash): string {
  return hash.digest('hex').slice(0, 32);
}
/** `parser`, with every piece it is given added to `hash` as well. */
function hashedPieces(parser: PieceParser, hash: Hash): PieceParser {
  return {
    push(piece) {
      hash.update(piece);
      return parser.push(piece);
    },
    end: () => parser.end(),
  };
}

/** The files written in the folder, each through a temporary file of its own (durableJsonFile.ts). */
const WRITTEN = '[0-9a-f]{32}\\.json|baselines\\.json';

export class DatasetFiles {
  private readonly pins = new Map<string, number>();
  /** Files known to be durable in the folder. */
  private readonly onDisk = new Set<string>();
  /** The id of datasets already hashed: the same object (a cached fixture set, a baseline) is hashed once. */
  private readonly ids = new WeakMap<Dataset, string>();
  /** Writes under way, by id: two resets to the same new dataset write it once. */
  private readonly writing = new Map<string, Promise<void>>();
  /** Removals under way, by id: a store of the same dataset meanwhile waits for it, then writes the file again. */
  private readonly removing = new Map<string, Promise<void>>();
  private collecting: Promise<void> = Promise.resolve();
  /** The folder made and its name synced in the data file's folder, once per process. */
  private folder: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    private readonly fs: StoreFs,
  ) {}

  /**
   * The folder's stored datasets, once it is known to be the store's own (`own`, ownFiles.ts; by default its
   * parent's owner's or this process's user's). Call it holding the data file's lock: the temporary files a
   * crash left mid-write (as large as the dataset) go first, so that the folder can go once nothing else is in it.
   */
  static async open(dir: string, fs: StoreFs, own?: OwnFiles): Promise<DatasetFiles> {
    await (own ?? (await OwnFiles.of(path.dirname(dir)))).checkFolder(dir, 'folder of stored datasets');
    await removeTemporaryFilesIn(dir, WRITTEN, fs);
    const files = new DatasetFiles(dir, fs);
    let names: string[] = [];
    try {
      names = await fs.readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const name of names) {
      const id = NAME.exec(name)?.[1];
      // Only a regular file counts: a pipe or a folder under a dataset's name is as good as missing, and a start
      // whose baselines name one is refused as for a missing one, not answered with a 500 at the restore.
      if (id !== undefined && (await lstat(path.join(dir, name)).catch(() => undefined))?.isFile()) files.onDisk.add(id);
    }
    return files;
  }

  /** The dataset's id, its file durable by the time this resolves; pinned once for the caller. */
  async store(dataset: Dataset, text?: string): Promise<string> {
    let id = this.ids.get(dataset);
    let serialized = text;
    if (id === undefined) {
      serialized ??= serializeDataset(dataset);
      id = idOf(createHash('sha256').update(serialized));
      this.ids.set(dataset, id);
    }
    // Pinned before it is written: a collect meanwhile must not take the file away from under its entry.
    this.pin(id);
    try {
      await this.written(id, dataset, serialized);
    } catch (err) {
      this.unpin(id);
      throw err;
    }
    return id;
  }

  private async written(id: string, dataset: Dataset, text: string | undefined): Promise<void> {
    await this.removing.get(id)?.catch(() => undefined);
    if (this.onDisk.has(id)) return;
    let write = this.writing.get(id);
    if (write === undefined) {
      write = (async () => {
        await this.madeFolder();
        const file = new DurableJSONFile<string>(this.fileOf(id), (t) => [t], undefined, undefined, this.fs);
        await file.write(text ?? serializeDataset(dataset));
        this.onDisk.add(id);
      })().finally(() => this.writing.delete(id));
      this.writing.set(id, write);
    }
    await write;
  }

  /** The folder made again when it was removed since it was made (a clean-up of the data folder). */
  async folderKept(): Promise<void> {
    if (this.folder !== undefined && (await lstat(this.dir).catch(() => undefined)) === undefined) this.folder = undefined;
    await this.madeFolder();
  }

  private madeFolder(): Promise<void> {
    this.folder ??= (async () => {
      await this.fs.mkdir(this.dir, { recursive: true, mode: NEW_FOLDER_MODE });
      await giveFolderOwner(this.dir, this.dir);
      // Its name must be durable before any entry refers to a file in it.
      await syncDirectory(path.dirname(this.dir), this.fs);
    })().catch((err: unknown) => {
      this.folder = undefined;
      throw err;
    });
    return this.folder;
  }

  /**
   * Read a stored dataset back (a journal's reset entry on replay, a baseline on first use). A file is written whole
   * under its name and never changed, so its content always hashes to its name: one that does not (edited, replaced,
   * emptied to `{}`) is damage, refused naming it, rather than loaded into a tenant whose next snapshot would make it
   * the data (a catalog-less `{}` took every catalog and kept the packages naming them). The hash is taken of the
   * pieces as they are parsed, in the one read of the file; a file not in the layout the emulator writes cannot hash
   * to its name.
   */
  async read(id: string): Promise<Dataset> {
    const hash = createHash('sha256');
    const file = new DurableJSONFile<Dataset>(
      this.fileOf(id),
      (d) => [serializeDataset(d)],
      parseDataset,
      () => hashedPieces(new RecordLines(), hash),
    );
    const raw = await file.read();
    if (raw === null) throw new StoreError('corrupt', `The stored dataset ${path.basename(this.fileOf(id))} in ${this.dir} is missing.`);
    if (!file.readInOwnLayout || idOf(hash) !== id) {
      throw new StoreError(
        'corrupt',
        `The stored dataset ${path.basename(this.fileOf(id))} in ${this.dir} is damaged: its content is not the one its name was made from (the start of its SHA-256). It was left untouched.`,
      );
    }
    // Its collections only, without the format marker.
    const data = normaliseDataset(raw);
    this.ids.set(data, id);
    this.onDisk.add(id);
    return data;
  }

  /** The datasets whose files are known to be in the folder, but for those being written or removed now. */
  kept(): string[] {
    return [...this.onDisk].filter((id) => !this.writing.has(id) && !this.removing.has(id));
  }

  /**
   * Write the file of `id` again from `dataset`, its records, when another program removed or changed it
   * (datasetsWatch.ts): as store() writes it, and only while it is still kept (a collect may have taken it since).
   * Answers whether it wrote it.
   */
  async writeAgain(id: string, dataset: Dataset): Promise<boolean> {
    if (!this.onDisk.has(id) || this.writing.has(id) || this.removing.has(id)) return false;
    await this.folderKept();
    this.onDisk.delete(id);
    try {
      await this.written(id, dataset, undefined);
    } catch (err) {
      // Not durable: the next look finds it missing or changed still, and tries again.
      this.onDisk.add(id);
      throw err;
    }
    return true;
  }

  /**
   * The file of `id` is no longer the dataset (removed, or changed by another program) and cannot be written again:
   * the next store() of those records writes it, rather than naming a file that does not hold them.
   */
  forget(id: string): void {
    if (!this.writing.has(id)) this.onDisk.delete(id);
  }

  /** Whether the dataset's file is known to be in the folder. */
  has(id: string): boolean {
    return this.onDisk.has(id);
  }

  pin(id: string): void {
    this.pins.set(id, (this.pins.get(id) ?? 0) + 1);
  }

  unpin(id: string): void {
    const count = (this.pins.get(id) ?? 0) - 1;
    if (count > 0) this.pins.set(id, count);
    else this.pins.delete(id);
  }

  /**
   * Remove the files nothing pins, one collect at a time. Each file's pins are looked at again just before its
   * removal, and it leaves `onDisk` as the removal starts: a store of the same dataset while a removal runs
   * (a reset answered meanwhile) waits for it and writes the file again, instead of taking it for durable.
   */
  collect(): Promise<void> {
    const run = this.collecting.then(async () => {
      for (const id of [...this.onDisk]) {
        if (this.pins.has(id) || this.writing.has(id) || !this.onDisk.has(id)) continue;
        this.onDisk.delete(id);
        const removal = this.fs.rm(this.fileOf(id), { force: true }).catch((err: unknown) => {
          // Still there: still usable.
          this.onDisk.add(id);
          throw err;
        });
        this.removing.set(id, removal);
        try {
          await removal;
        } finally {
          this.removing.delete(id);
        }
      }
    });
    this.collecting = run.catch(() => undefined);
    return run;
  }

  /** At shutdown: the folder goes when nothing is left in it (rmdir refuses a folder that is not empty). */
  async removeFolderIfEmpty(): Promise<void> {
    if (this.onDisk.size > 0 || this.writing.size > 0) return;
    await this.fs.rmdir(this.dir).catch(() => undefined);
    this.folder = undefined;
  }

  fileOf(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}
