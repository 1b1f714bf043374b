// A file the system refuses is one line naming it and the cause, with its own exit code; the certificate
// folder of `:memory:` is used only when it is this user's own, mode 0700. These cases hold whoever runs
// them (root included): the errors are built as the system raises them, and the owner is a parameter.
import { describe, expect, it, jest } from '@jest/globals';
import { chmod, lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { EmulatorError, FileAccessError, StoreError, fileAccessError } from '../../server/errors.js';
import type { Config } from '../../server/config.js';
import { privateDir, tlsDir, tlsMaterial, userTempDir } from '../../server/tls.js';
import { tempDir } from '../support/childProcess.js';

/** An error as node:fs raises it. */
const systemError = (code: string, syscall: string, at: string) =>
  Object.assign(new Error(`${code}: some words, ${syscall} '${at}'`), { code, syscall, path: at, errno: -1 });

describe('fileAccessError', () => {
  it.each([
    ['EACCES', 'permission denied'],
    ['EPERM', 'operation not permitted: an immutable file, or a right this user lacks'],
    ['EROFS', 'the file system is read-only'],
    ['ENOSPC', 'no space left on the device'],
    ['EDQUOT', 'the disk quota is used up'],
    ['EISDIR', 'it is a directory'],
    ['ENOTDIR', 'a part of the path is not a directory'],
  ])('%s: names the subject, the cause in words, the code and the path', (code, cause) => {
    const error = fileAccessError(systemError(code, 'open', '/data/db.json.lock'), 'Cannot open the data file /data/db.json');
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error).toBeInstanceOf(EmulatorError);
    expect(error!.exitCode).toBe(3);
    expect(error!.message).toBe(`Cannot open the data file /data/db.json: ${cause} (${code}, at /data/db.json.lock).`);
  });

  it("keeps the system's own words for a code it has none for, and names a socket's address", () => {
    const error = fileAccessError(
      Object.assign(new Error('listen EXDEV: cross-device link not permitted /x.lock'), { code: 'EXDEV', address: '/x.lock' }),
      'Cannot open the data file /x',
    );
    expect(error!.message).toBe('Cannot open the data file /x: listen EXDEV: cross-device link not permitted /x.lock (EXDEV, at /x.lock).');
  });

  it.each([
    ['an emulator error', new StoreError('corrupt', 'damaged')],
    ['a bug', new TypeError('x is undefined')],
    ['a thrown string', 'EACCES'],
    ['an error with a code that is not the system’s', Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' })],
  ])('is undefined for %s', (_name, err) => {
    expect(fileAccessError(err, 'subject')).toBeUndefined();
  });
});

describe('the certificate folder of :memory:', () => {
  it("is this user's folder of the temp directory", () => {
    expect(userTempDir()).toBe(path.join(tmpdir(), `graph-accesspackages-emulator-${process.getuid!()}`));
    expect(tlsDir(':memory:')).toBe(path.join(userTempDir(), 'tls'));
  });

  it('is made with mode 0700 when missing, and then accepted', async () => {
    const dir = path.join(tempDir(), 'private');
    await privateDir(dir);
    const stats = await lstat(dir);
    expect(stats.mode & 0o777).toBe(0o700);
    expect(stats.uid).toBe(process.getuid!());
    await expect(privateDir(dir)).resolves.toBeUndefined();
  });

  it.each([
    ['that others may enter', async (dir: string) => chmod(await made(dir), 0o755), 'has mode 0755, not 0700'],
    ['that its group may read', async (dir: string) => chmod(await made(dir), 0o750), 'has mode 0750, not 0700'],
    [
      'that is a symbolic link to a private folder',
      async (dir: string) => symlink(await made(`${dir}-real`), dir),
      'is not a directory (a symbolic link or a file)',
    ],
    ['that is a file', async (dir: string) => writeFile(dir, ''), 'is not a directory (a symbolic link or a file)'],
  ])('refuses a folder %s', async (_name, plant, problem) => {
    const dir = path.join(tempDir(), 'planted');
    await plant(dir);
    await expect(privateDir(dir)).rejects.toThrow(
      new FileAccessError(
        `The certificate folder ${dir} ${problem}; it holds the local CA's private key, so it must be this user's own with mode 0700. Remove it to have it made again.`,
      ),
    );
  });

  it('refuses a folder owned by someone else', async () => {
    const dir = await made(path.join(tempDir(), 'theirs'));
    const other = process.getuid!() + 1;
    await expect(privateDir(dir, other)).rejects.toThrow(`is owned by uid ${process.getuid!()}, not by this user (uid ${other})`);
  });
});

async function made(dir: string): Promise<string> {
  await mkdir(dir, { mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}

describe('the generated certificate files', () => {
  it('replace a link planted in their place, never writing a key through it, the keys with mode 0600', async () => {
    const dir = tempDir();
    await mkdir(path.join(dir, 'tls'));
    const victims = ['ca-key.pem', 'key.pem', 'ca.pem'].map((name) => [name, path.join(dir, `victim-${name}`)] as const);
    for (const [name, victim] of victims) {
      await writeFile(victim, 'IMPORTANT', { mode: 0o644 });
      await symlink(victim, path.join(dir, 'tls', name));
    }
    const material = await tlsMaterial({ dataFile: path.join(dir, 'db.json'), host: '127.0.0.1', baseUrl: undefined } as unknown as Config);
    expect(material.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    for (const [name, victim] of victims) {
      expect(await readFile(victim, 'utf8')).toBe('IMPORTANT');
      const written = await lstat(path.join(dir, 'tls', name));
      expect(written.isFile()).toBe(true);
      expect(written.mode & 0o777).toBe(name.endsWith('key.pem') ? 0o600 : 0o644);
    }
    expect(await readFile(path.join(dir, 'tls', 'key.pem'), 'utf8')).toBe(material.key);
  });

  it('name the hosts ALLOWED_HOSTS admits by name, so that a compose service reaches https://graph:4000', async () => {
    const dir = tempDir();
    const config = { dataFile: path.join(dir, 'db.json'), host: '0.0.0.0', baseUrl: undefined, allowedHosts: ['graph', '.corp.example'] } as unknown as Config;
    const cert = new X509Certificate((await tlsMaterial(config)).cert);
    expect(cert.checkHost('graph')).toBe('graph');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('a.corp.example')).toBeUndefined();
  });

  it('are made anew when they are not valid yet: made while the clock was ahead by more than their hour backdated', async () => {
    const dir = tempDir();
    const config = { dataFile: path.join(dir, 'db.json'), host: '127.0.0.1', baseUrl: undefined } as unknown as Config;
    const real = Date.now.bind(Date);
    const ahead = jest.spyOn(Date, 'now').mockImplementation(() => real() + 2 * 86_400_000);
    let first: Awaited<ReturnType<typeof tlsMaterial>>;
    try {
      first = await tlsMaterial(config);
    } finally {
      ahead.mockRestore();
    }
    expect(Date.parse(new X509Certificate(first.cert).validFrom)).toBeGreaterThan(Date.now());
    const mended = await tlsMaterial(config);
    expect(mended.cert).not.toBe(first.cert);
    for (const pem of [mended.cert, await readFile(path.join(dir, 'tls', 'ca.pem'), 'utf8')]) {
      expect(Date.parse(new X509Certificate(pem).validFrom)).toBeLessThanOrEqual(Date.now());
    }
    // Valid now, they are kept.
    expect((await tlsMaterial(config)).cert).toBe(mended.cert);
  });

  it('are made anew when a key is damaged or is not the key of its certificate, and kept when they hold', async () => {
    const dir = tempDir();
    const config = { dataFile: path.join(dir, 'db.json'), host: '127.0.0.1', baseUrl: undefined } as unknown as Config;
    const first = await tlsMaterial(config);
    expect((await tlsMaterial(config)).key).toBe(first.key);
    await writeFile(path.join(dir, 'tls', 'key.pem'), 'garbage');
    const mended = await tlsMaterial(config);
    expect(mended.key).not.toBe(first.key);
    expect(mended.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // The CA's key swapped for the server's: the CA is made anew, and the server's certificate with it.
    await writeFile(path.join(dir, 'tls', 'ca-key.pem'), mended.key);
    const again = await tlsMaterial(config);
    expect(again.cert).not.toBe(mended.cert);
    expect(await readFile(path.join(dir, 'tls', 'ca-key.pem'), 'utf8')).not.toBe(mended.key);
  });
});
