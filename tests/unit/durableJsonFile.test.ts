// The snapshot's file on disk: it keeps the mode its owner chose, a data file nobody may write is refused
// whoever runs (root included), and the temporary files a killed snapshot left are removed, those only.
import { describe, expect, it } from '@jest/globals';
import { access, chmod, chown, lstat, mkdir, readFile, readdir, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FileAccessError } from '../../server/errors.js';
import { usableDataFile } from '../../server/store/dataFilePath.js';
import { DurableJSONFile } from '../../server/store/durableJsonFile.js';
import { removeStrayTemporaryFiles, temporaryPath } from '../../server/store/durableWrites.js';
import { FileStore } from '../../server/store/fileStore.js';
import { tempDir } from '../support/childProcess.js';

const isRoot = process.getuid?.() === 0;

async function dataFile(mode?: number): Promise<string> {
  const file = path.join(await realpath(tempDir()), 'db.json');
  if (mode !== undefined) {
    await writeFile(file, '{"a":0}');
    await chmod(file, mode);
  }
  return file;
}

const adapter = (file: string) => new DurableJSONFile<object>(file, (data) => [JSON.stringify(data)]);
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('the owner of the data file', () => {
  it(`stays across snapshots ${isRoot ? "(as root, who gives it back: a container's write leaves a mounted file its user's)" : '(as a user, who owns it)'}`, async () => {
    const file = await dataFile(0o640);
    const owner = isRoot ? { uid: 4242, gid: 4343 } : { uid: process.getuid!(), gid: process.getgid!() };
    if (isRoot) await chown(file, owner.uid, owner.gid);
    await adapter(file).write({ a: 1 });
    await adapter(file).write({ a: 2 });
    const stats = await stat(file);
    expect({ uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o777 }).toEqual({ ...owner, mode: 0o640 });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: 2 });
  });
});

describe('the mode of the data file', () => {
  it.each([
    ['0600', 0o600],
    ['0640', 0o640],
    ['0664', 0o664],
    ['0666', 0o666],
  ])('stays %s across snapshots', async (_name, mode) => {
    const file = await dataFile(mode);
    await adapter(file).write({ a: 1 });
    expect(await modeOf(file)).toBe(mode);
    await adapter(file).write({ a: 2 });
    expect(await modeOf(file)).toBe(mode);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: 2 });
  });

  it('is the default (0666 less the umask) for a file the snapshot creates', async () => {
    const file = await dataFile();
    await adapter(file).write({ a: 1 });
    const umask = process.umask();
    expect(await modeOf(file)).toBe(0o666 & ~umask);
  });
});

describe('a data file with no write bit for anybody', () => {
  it(`is refused with EACCES ${isRoot ? '(as root, whom access() lets write it)' : '(as a user)'}, and left as it was`, async () => {
    const file = await dataFile(0o444);
    if (isRoot) await expect(access(file, 2)).resolves.toBeUndefined();
    else await expect(access(file, 2)).rejects.toMatchObject({ code: 'EACCES' });
    await expect(usableDataFile(file)).rejects.toMatchObject({ code: 'EACCES', path: file });
    await expect(FileStore.open(file)).rejects.toThrow(new FileAccessError(`Cannot open the data file ${file}: permission denied (EACCES, at ${file}).`));
    expect(await readFile(file, 'utf8')).toBe('{"a":0}');
    expect(await modeOf(file)).toBe(0o444);
  });

  it('is accepted with a write bit for its owner only', async () => {
    const file = await dataFile(0o644);
    await expect(usableDataFile(file)).resolves.toEqual({ path: file, madeFolder: undefined });
  });
});

describe('stray temporary files', () => {
  it('removes the regular files named as this file’s snapshots name them, and nothing else', async () => {
    const file = await dataFile(0o644);
    const dir = path.dirname(file);
    const strays = [temporaryPath(file), temporaryPath(file)].map((at) => path.basename(at));
    for (const name of strays) await writeFile(path.join(dir, name), 'x'.repeat(1000));
    const hex = 'a'.repeat(16);
    const others = [
      `.db.json.${'a'.repeat(15)}.tmp`,
      `.db.json.${'A'.repeat(16)}.tmp`,
      `.db.json.${hex}.tmp.keep`,
      `db.json.${hex}.tmp`,
      `.dbxjson.${hex}.tmp`,
      `.other.json.${hex}.tmp`,
      `.db.json.journal.${hex}.tmp`,
      'notes.txt',
    ];
    for (const name of others) await writeFile(path.join(dir, name), 'keep');
    await mkdir(path.join(dir, `.db.json.${'b'.repeat(16)}.tmp`));
    await writeFile(path.join(dir, 'target'), 'keep');
    await symlink(path.join(dir, 'target'), path.join(dir, `.db.json.${'c'.repeat(16)}.tmp`));

    expect((await adapter(file).removeStrayTemporaryFiles()).sort()).toEqual(strays.sort());

    const left = await readdir(dir);
    for (const name of strays) expect(left).not.toContain(name);
    for (const name of [...others, 'db.json', 'target', `.db.json.${'b'.repeat(16)}.tmp`]) expect(left).toContain(name);
    expect((await lstat(path.join(dir, `.db.json.${'c'.repeat(16)}.tmp`))).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, 'target'), 'utf8')).toBe('keep');
    expect(await readFile(file, 'utf8')).toBe('{"a":0}');
  });

  it('finds nothing to do in a folder that has none, or that cannot be listed', async () => {
    const file = await dataFile(0o644);
    await expect(removeStrayTemporaryFiles(file)).resolves.toEqual([]);
    await expect(removeStrayTemporaryFiles(path.join(file, 'missing', 'db.json'))).resolves.toEqual([]);
  });
});

describe('the folders a DATA_FILE needs', () => {
  it('are made and each synced in its parent, from the outermost in, so their names survive a power loss', async () => {
    const base = await realpath(tempDir());
    const file = path.join(base, 'a', 'b', 'db.json');
    const synced: string[] = [];
    const usable = await usableDataFile(file, 'DATA_FILE', async (dir) => {
      synced.push(dir);
    });
    expect(usable).toEqual({ path: path.join(base, 'a', 'b', 'db.json'), madeFolder: path.join(base, 'a') });
    expect(synced).toEqual([base, path.join(base, 'a')]);
    // Nothing made: nothing synced.
    synced.length = 0;
    await usableDataFile(file, 'DATA_FILE', async (dir) => {
      synced.push(dir);
    });
    expect(synced).toEqual([]);
  });
});
