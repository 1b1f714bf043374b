// TLS material for --https: a given PEM cert/key pair, or a local CA plus a server certificate generated
// on first start (as mkcert does) and kept beside the data, so a client trusts the CA once
// (NODE_EXTRA_CA_CERTS) and keeps trusting it across restarts and certificate renewals. Without a data
// folder (`:memory:`) they live in this user's own folder of the temp directory, used only when nobody else
// can have put anything there: a CA key another user could read or plant would let them impersonate the
// emulator to every client that trusts it.
import { performance } from 'node:perf_hooks';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { Config } from './config.js';
import { FileAccessError, fileAccessError } from './errors.js';
import { givenCertificate } from './givenCertificate.js';
import { isWildcardHost } from './listener.js';
import { MEMORY_LOCATION } from './store/openStore.js';
import { writeTemporary } from './store/durableWrites.js';
import { giveFolderOwner } from './store/fileOwner.js';
import { type FileLock, acquireLock } from './store/lock.js';
import { StoreError } from './store/store.js';

interface TlsMaterial {
  cert: string;
  key: string;
  /** The generated CA file clients must trust; undefined for a given certificate. */
  caFile: string | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The data folder's tls/: other services of a compose stack mount the data volume read-only and trust ca.pem from
 * it (docs/docker.md), so the folder lets others in and the certificates are 0644; the private keys are 0600 and
 * owned by the emulator's user, so nothing secret is readable through it. Under :memory: it stays 0700, in this
 * user's private temp folder (privateDir).
 */
const SHARED_TLS_DIR_MODE = 0o755;

/** This user's folder of the temp directory, `graph-accesspackages-emulator-<uid>`. */
export function userTempDir(): string {
  return path.join(tmpdir(), `graph-accesspackages-emulator-${process.getuid?.() ?? userInfo().username}`);
}

/** Where generated certificates live: a `tls` folder beside the data file (this user's temp folder for `:memory:`). */
export function tlsDir(dataFile: string): string {
  const base = dataFile === MEMORY_LOCATION ? userTempDir() : path.dirname(path.resolve(dataFile));
  return path.join(base, 'tls');
}

/**
 * Make `dir` (mode 0700) unless it exists, then refuse it unless it is a real directory (not a link), owned by
 * `uid`, that nobody else may read or enter (mode 0700). Without uids (Windows) only the first holds.
 */
export async function privateDir(dir: string, uid: number | undefined = process.getuid?.()): Promise<void> {
  await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const stats = await lstat(dir);
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
  const problem = !stats.isDirectory()
    ? 'is not a directory (a symbolic link or a file)'
    : uid !== undefined && stats.uid !== uid
      ? `is owned by uid ${stats.uid}, not by this user (uid ${uid})`
      : uid !== undefined && mode !== '0700'
        ? `has mode ${mode}, not 0700`
        : undefined;
  if (problem !== undefined) {
    throw new FileAccessError(
      `The certificate folder ${dir} ${problem}; it holds the local CA's private key, so it must be this user's own with mode 0700. Remove it to have it made again.`,
    );
  }
}

/**
 * Names the server certificate must cover: loopback, this machine, the host of BASE_URL and HOST, and each name
 * ALLOWED_HOSTS admits by name (`graph` in the compose file: its other services call https://graph:4000; a
 * `.suffix` admits any subdomain, which one certificate cannot name).
 */
function serverNames(config: Pick<Config, 'host' | 'baseUrl'> & Partial<Pick<Config, 'allowedHosts'>>): string[] {
  const names = new Set(['localhost', '127.0.0.1', '::1', hostname()]);
  if (config.baseUrl) names.add(new URL(config.baseUrl).hostname.replace(/^\[|\]$/g, ''));
  if (!isWildcardHost(config.host)) names.add(config.host);
  if (Array.isArray(config.allowedHosts)) for (const name of config.allowedHosts) if (!name.startsWith('.')) names.add(name.replace(/^\[|\]$/g, ''));
  return [...names];
}

function covers(certPem: string, names: readonly string[]): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    // Not a certificate (a damaged file, or one planted in its place): made anew.
    return false;
  }
  if (Date.parse(cert.validTo) - Date.now() < DAY_MS) return false;
  // Not valid yet: made while the clock was more than the hour it is backdated ahead (set right since), which every
  // client refuses ("certificate is not yet valid") until the clock catches up, days later maybe.
  if (Date.parse(cert.validFrom) > Date.now()) return false;
  return names.every((name) => (isIP(name) ? cert.checkIP(name) : cert.checkHost(name)) !== undefined);
}

async function readIfExists(file: string): Promise<string | undefined> {
  return existsSync(file) ? readFile(file, 'utf8') : undefined;
}

/**
 * A private key as its file holds it, used only as the emulator made it: a regular file (a link planted in its
 * place is not read through) that nobody else may read. One that others may read (a copy or a restore that widened
 * its mode) is narrowed to 0600 first; one that cannot be is left unused, and made anew, as a damaged one is: a key
 * others could read signs for whoever read it.
 */
async function readPrivateKey(file: string): Promise<string | undefined> {
  const stats = await lstat(file).catch(() => undefined);
  if (stats === undefined || !stats.isFile()) return undefined;
  if (
    (stats.mode & 0o077) !== 0 &&
    !(await chmod(file, 0o600).then(
      () => true,
      () => false,
    ))
  )
    return undefined;
  return readFile(file, 'utf8');
}

/**
 * Writes a generated file as the data file is written: into a new temporary file (O_EXCL, O_NOFOLLOW) of exactly
 * `mode` (writeTemporary), renamed over `file`. A link planted at `file` is replaced, never written through, so a
 * key never lands in a file it points at (or with that file's wider mode).
 */
async function writeGenerated(file: string, text: string, mode: number): Promise<void> {
  try {
    const temp = await writeTemporary(file, text, mode);
    await rename(temp, file).catch(async (err: unknown) => {
      await rm(temp, { force: true });
      throw err;
    });
  } catch (err) {
    // A write the disk refuses (full) names no file: one line naming it and exit 3, as for the data file, not a
    // stack trace.
    throw fileAccessError(err, `Cannot write ${file}`) ?? err;
  }
}

/** Whether `key` is a private key, and the one of `cert` (a damaged or swapped file is made anew, not served). */
function keyOf(cert: string, key: string): boolean {
  try {
    return new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch {
    return false;
  }
}

async function localCa(dir: string): Promise<{ cert: string; key: string }> {
  const [cert, key] = await Promise.all([readIfExists(path.join(dir, 'ca.pem')), readPrivateKey(path.join(dir, 'ca-key.pem'))]);
  if (cert && key && covers(cert, []) && keyOf(cert, key)) return { cert, key };
  // Loaded on demand: the X.509 stack costs start-up time that plain http never needs (bench/README.md).
  const { makeCa } = await import('./certificates.js');
  const ca = await makeCa('Graph accessPackages emulator local CA', new Date(Date.now() + 10 * 365 * DAY_MS));
  await writeGenerated(path.join(dir, 'ca-key.pem'), ca.key, 0o600);
  await writeGenerated(path.join(dir, 'ca.pem'), ca.cert, 0o644);
  return ca;
}

/** How long a start waits for another emulator generating the certificates of the same folder. */
const GENERATION_WAIT_MS = 30_000;

/**
 * Held while the folder's certificates are read and made: two emulators of one data folder (each its own data file)
 * started together each made a CA and renamed it into place, and the one whose files were replaced served a
 * certificate that the CA on disk never signed. The lock is a socket, as the data file's (store/lock.ts), so one a
 * crash left is taken over at once.
 */
async function generationLock(dir: string): Promise<FileLock | undefined> {
  // The monotonic clock, as for every wait: the wall clock may be set back meanwhile.
  const deadline = performance.now() + GENERATION_WAIT_MS;
  for (;;) {
    try {
      return await acquireLock(path.join(dir, 'g'));
    } catch (err) {
      // A folder where no socket can be made (read-only, a path too long for one): the files there are only read,
      // or made as before, without the lock.
      if (!(err instanceof StoreError && err.kind === 'locked')) return undefined;
      if (performance.now() > deadline)
        throw new FileAccessError(`The certificates in ${dir} are being made by another emulator, which has not finished in 30 s.`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function generatedMaterial(config: Config): Promise<TlsMaterial> {
  const dir = tlsDir(config.dataFile);
  if (config.dataFile === MEMORY_LOCATION) await privateDir(path.dirname(dir));
  const mode = config.dataFile === MEMORY_LOCATION ? 0o700 : SHARED_TLS_DIR_MODE;
  // The mode exactly, as the files get theirs (writeGenerated), whatever the umask; a folder already there keeps its own.
  if ((await mkdir(dir, { recursive: true, mode })) !== undefined) await chmod(dir, mode);
  await giveFolderOwner(dir, dir);
  const lock = await generationLock(dir);
  try {
    return await folderMaterial(config, dir);
  } finally {
    await lock?.release();
  }
}

async function folderMaterial(config: Config, dir: string): Promise<TlsMaterial> {
  const caFile = path.join(dir, 'ca.pem');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const names = serverNames(config);
  const ca = await localCa(dir);
  const [cert, key] = await Promise.all([readIfExists(certFile), readPrivateKey(keyFile)]);
  if (cert && key && covers(cert, names) && keyOf(cert, key) && new X509Certificate(cert).verify(new X509Certificate(ca.cert).publicKey))
    return { cert, key, caFile };
  const { makeServerCertificate } = await import('./certificates.js');
  // Browsers refuse server certificates valid for more than 398 days.
  const leaf = await makeServerCertificate(ca, names, new Date(Date.now() + 397 * DAY_MS));
  await writeGenerated(keyFile, leaf.key, 0o600);
  await writeGenerated(certFile, leaf.cert, 0o644);
  return { cert: leaf.cert, key: leaf.key, caFile };
}

export async function tlsMaterial(config: Config): Promise<TlsMaterial> {
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    return { ...(await givenCertificate(config.tlsCert, config.tlsKey)), caFile: undefined };
  }
  return generatedMaterial(config);
}
