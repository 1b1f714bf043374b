// The files the store writes in place (the journal, which it appends to and cuts back) and those it reads to
// replay and then removes (the retired journals), opened so that nothing planted under their names is written
// through or replayed: never through a symbolic link (O_NOFOLLOW), never blocking on a pipe (O_NONBLOCK), and
// only once the file opened is seen to be a regular file with one name, whose owner already controls the data
// (this process's user, the data file's owner or its folder's: anyone else's file there is not the emulator's).
// The snapshot and the stored datasets are never written in place: they are new files renamed over their names
// (durableJsonFile.ts).
import { constants } from 'node:fs';
import { type FileHandle, lstat } from 'node:fs/promises';
import { FileAccessError, fileAccessError } from '../errors.js';
import { ownerOf } from './fileOwner.js';
import { NEW_FILE_MODE, type StoreFs } from './storeFs.js';
import { StoreError } from './store.js';

/** Where the platform lacks a flag (Windows), it is left out. */
const GUARDED = (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** The journal as it is read and then appended to; a missing one is not made. */
export const READ_APPEND = constants.O_RDWR | constants.O_APPEND;
/** The journal made when the first write needs it; readable, as a repair copies what it acknowledged (journal.ts). */
export const CREATE_APPEND = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT;

export class OwnFiles {
  private constructor(
    /** Undefined where the platform has no user ids (Windows): no owner is checked. */
    private readonly owners: ReadonlySet<number> | undefined,
  ) {}

  /** The owners trusted in `folder`: this process's user, the folder's owner and, when it exists, `dataFile`'s. */
  static async of(folder: string, dataFile?: string): Promise<OwnFiles> {
    const euid = process.geteuid?.();
    if (euid === undefined) return new OwnFiles(undefined);
    const owners = new Set([euid]);
    for (const at of [folder, dataFile]) {
      const owner = at === undefined ? undefined : await ownerOf(at);
      if (owner !== undefined) owners.add(owner.uid);
    }
    return new OwnFiles(owners);
  }

  /**
   * Open `file` (`what` names it in a refusal: "journal") with `flags`, checked; undefined when it does not
   * exist and `flags` do not create it. A link, a second name or a foreign owner is a StoreError('locked') (exit 1,
   * as for a hard-linked data file); a folder, a pipe or anything the system refuses is a FileAccessError (exit 3).
   * Either names the file, which is left as it was.
   */
  async open(file: string, flags: number, what: string, fs: StoreFs): Promise<FileHandle | undefined> {
    let handle: FileHandle;
    try {
      handle = await fs.open(file, flags | GUARDED, NEW_FILE_MODE);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && (flags & constants.O_CREAT) === 0) return undefined;
      // ELOOP: O_NOFOLLOW met a link as the last part of the path (EMLINK on the BSDs).
      if ((code === 'ELOOP' || code === 'EMLINK') && (await isLink(file))) throw planted(what, file, 'is a symbolic link', 'never through a link');
      throw fileAccessError(err, `Cannot open the ${what} ${file}`) ?? err;
    }
    try {
      await this.check(handle, file, what);
      return handle;
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw fileAccessError(err, `Cannot open the ${what} ${file}`) ?? err;
    }
  }

  /**
   * A folder of the store's own (`db.json.datasets`), when it exists: the store makes, writes and removes files in
   * it, so it must be a folder of a trusted owner, not a link to one elsewhere. Anything else but a folder is
   * left for the listing of it to refuse (ENOTDIR).
   */
  async checkFolder(dir: string, what: string): Promise<void> {
    const stats = await lstat(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (stats?.isSymbolicLink()) throw planted(what, dir, 'is a symbolic link', 'never through a link', 'files');
    if (stats?.isDirectory() && this.owners !== undefined && !this.owners.has(stats.uid)) {
      throw planted(what, dir, `belongs to uid ${stats.uid}, ${FOREIGN}`, 'never into another user’s folder', 'files');
    }
  }

  private async check(handle: FileHandle, file: string, what: string): Promise<void> {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new FileAccessError(`Cannot open the ${what} ${file}: it is a directory (EISDIR).`);
    if (!stats.isFile()) throw new FileAccessError(`The ${what} ${file} is not a regular file (a device, socket or pipe).`);
    // Written in place, a file with another name would change under that name too (a planted hard link to a
    // file elsewhere would be emptied and appended to).
    if (stats.nlink > 1) throw planted(what, file, `has ${stats.nlink} hard links`, 'never into a file with other names (cp, not ln)');
    if (this.owners !== undefined && !this.owners.has(stats.uid)) {
      throw planted(what, file, `belongs to uid ${stats.uid}, ${FOREIGN}`, 'never into another user’s file');
    }
  }
}

async function isLink(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => undefined))?.isSymbolicLink() ?? false;
}

const FOREIGN = 'who owns neither the data file nor its folder and does not run the emulator';

/** A refusal of something planted where the store keeps `what`: exit 1, as for a hard-linked data file. */
function planted(what: string, file: string, fact: string, never: string, kept = `its ${what}`): StoreError {
  return new StoreError(
    'locked',
    `The ${what} ${file} ${fact}; the emulator writes ${kept} only into a ${kept === 'files' ? 'folder' : 'file'} of its own, ${never}. It was left untouched.`,
  );
}
