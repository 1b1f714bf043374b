// What tells the store that another program changed a file it reads and replaces whole: the version of a file (none
// when it is gone, a failure to look when the look itself fails), and the second look that takes a changed version
// only once it stays as it was.
import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ChangedVersion, type FileVersion, currentVersion, sameVersion } from '../../server/store/changedElsewhere.js';
import { tempDir } from '../support/emulatorProcess.js';

const version = (v: Partial<FileVersion> = {}): FileVersion => ({ dev: 1, ino: 2, size: 3, mtimeMs: 4, ...v });

describe('currentVersion', () => {
  it('is null for a file that is not there, and fails as the look fails when the file cannot be looked at', async () => {
    const dir = await tempDir('version-');
    const file = path.join(dir, 'db.json');
    expect(await currentVersion(file)).toBeNull();
    await writeFile(file, '{}');
    expect(await currentVersion(file)).toMatchObject({ size: 2 });
    // A path through a file: not "gone", which would have the store write the file anew from memory.
    await expect(currentVersion(path.join(file, 'inner'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('sameVersion', () => {
  it('tells a file there from none, either way round, and none from none', () => {
    expect([sameVersion(version(), null), sameVersion(null, version()), sameVersion(null, null)]).toEqual([false, false, true]);
  });

  it.each([['dev'], ['ino'], ['size'], ['mtimeMs']] as const)('tells two versions apart by their %s alone', (field) => {
    expect([sameVersion(version(), version()), sameVersion(version(), version({ [field]: 99 }))]).toEqual([true, false]);
  });
});

describe('ChangedVersion', () => {
  it('takes a version once the second look finds it too, and starts again after clear()', () => {
    const changing = new ChangedVersion();
    expect(changing.settled(version())).toBe(false);
    expect(changing.settled(version({ size: 5 }))).toBe(false);
    expect(changing.settled(version({ size: 5 }))).toBe(true);
    changing.clear();
    // The file went back to what the store knows, then changed again: a first look again, whatever it finds.
    expect(changing.settled(version({ size: 5 }))).toBe(false);
  });
});
