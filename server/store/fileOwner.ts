// Who owns the files the store writes. An emulator run as root (a container with a user's folder mounted as its
// data folder) would leave root's files behind, and the user's own next start could not write them (EACCES on the
// journal). So a file that replaces another keeps that file's owner and group, and a new file, or a new folder,
// takes those of the folder it is made in, where this process may give them: root may, a user may give its own
// file a group it belongs to; where it may not, the file stays this process's own, as any file it creates.
import { type FileHandle, chown, stat } from 'node:fs/promises';
import path from 'node:path';

export interface Owner {
  uid: number;
  gid: number;
}

/** The owner and group of `file`, or undefined when there is none. */
export async function ownerOf(file: string): Promise<Owner | undefined> {
  try {
    const { uid, gid } = await stat(file);
    return { uid, gid };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const refusedOnly = (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPERM') throw err;
};

/** Gives an open file `owner`, where this process may. */
export async function giveOwner(handle: FileHandle, owner: Owner): Promise<void> {
  const own = await handle.stat();
  if (own.uid === owner.uid && own.gid === owner.gid) return;
  await handle.chown(owner.uid, owner.gid).catch(refusedOnly);
}

/** Gives a file just made (or a folder) the owner of the folder it is in, where this process may. */
export async function giveFolderOwner(made: string | FileHandle, file: string): Promise<void> {
  const owner = await ownerOf(path.dirname(file));
  if (owner === undefined) return;
  if (typeof made !== 'string') return giveOwner(made, owner);
  const own = await stat(made);
  if (own.uid !== owner.uid || own.gid !== owner.gid) await chown(made, owner.uid, owner.gid).catch(refusedOnly);
}
