// The files read at start are read only when they are regular files (a pipe never holds the start), and a settings
// file only as UTF-8: one in another encoding is refused naming where it stops being UTF-8, or as UTF-16.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NotUtf8Error, openRegularFile, readRegularFile, readRegularFileSync } from '../../server/regularFile.js';
import { tempDir } from '../support/childProcess.js';

const dir = tempDir('regular-file-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const folder = path.join(dir, 'folder');
mkdirSync(folder);
const pipe = path.join(dir, 'pipe');
execFileSync('mkfifo', [pipe]);
const text = path.join(dir, 'settings.json');
writeFileSync(text, '{"name": "café"}');

/** The descriptors this process holds open on `file` (Linux; none elsewhere, where the check is moot). */
const openOn = (file: string) =>
  process.platform !== 'linux'
    ? []
    : readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      });

const refusal = (file: string, code: string) => ({ message: `${code}: not a regular file, open '${file}'`, code, syscall: 'open', path: file });

describe('openRegularFile and readRegularFile', () => {
  it('read a regular file whole', async () => {
    expect((await readRegularFile(text)).toString('utf8')).toBe('{"name": "café"}');
    const handle = await openRegularFile(text);
    try {
      expect((await handle.readFile('utf8')).length).toBe(16);
    } finally {
      await handle.close();
    }
    expect(openOn(text)).toEqual([]);
  });

  it.each([
    ['a directory', 'EISDIR', folder],
    ['a pipe, without waiting for a writer', 'ENOTREG', pipe],
  ])('refuse %s as %s, naming the path, and leave nothing open', async (_name, code, file) => {
    await expect(openRegularFile(file)).rejects.toMatchObject(refusal(file, code));
    await expect(readRegularFile(file)).rejects.toMatchObject(refusal(file, code));
    expect(openOn(file)).toEqual([]);
  });
});

describe('readRegularFileSync', () => {
  it('reads a UTF-8 file as text', () => {
    expect(readRegularFileSync(text)).toBe('{"name": "café"}');
    expect(openOn(text)).toEqual([]);
  });

  it.each([
    ['a directory', 'EISDIR', folder],
    ['a pipe, without waiting for a writer', 'ENOTREG', pipe],
  ])('refuses %s as %s, naming the path, and leaves nothing open', (_name, code, file) => {
    let thrown: unknown;
    try {
      readRegularFileSync(file);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject(refusal(file, code));
    expect(openOn(file)).toEqual([]);
  });

  it.each([
    ['UTF-16LE', [0xff, 0xfe, 0x7b, 0x00], true, 'the byte 0xFF at offset 0 is no UTF-8 character'],
    ['UTF-16BE', [0xfe, 0xff, 0x00, 0x7b], true, 'the byte 0xFE at offset 0 is no UTF-8 character'],
    ['Latin-1 starting with ÿ', [0xff, 0x41], false, 'the byte 0xFF at offset 0 is no UTF-8 character'],
    ['Latin-1 starting with þ', [0xfe, 0x41], false, 'the byte 0xFE at offset 0 is no UTF-8 character'],
    ['Latin-1 with þ second', [0x41, 0xfe], false, 'the byte 0xFE at offset 1 is no UTF-8 character'],
    ['Latin-1 with ÿ second', [0x41, 0xff], false, 'the byte 0xFF at offset 1 is no UTF-8 character'],
    ['Windows-1252', [...Buffer.from('{"a": "caf'), 0xe9, 0x22, 0x7d], false, 'the byte 0xE9 at offset 10 is no UTF-8 character'],
  ])('refuses a file in %s with a NotUtf8Error naming the file and the first byte that is no UTF-8', (_name, bytes, utf16, reason) => {
    const file = path.join(dir, 'encoded.json');
    writeFileSync(file, Buffer.from(bytes));
    let thrown: unknown;
    try {
      readRegularFileSync(file);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(NotUtf8Error);
    expect(thrown).toMatchObject({ message: `${file} is not UTF-8: ${reason}`, reason, utf16 });
    expect(openOn(file)).toEqual([]);
  });
});
