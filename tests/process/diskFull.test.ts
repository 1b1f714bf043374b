// A real full disk under a real emulator process: its data file on a small tmpfs, filled up while it runs.
// A create the disk refuses answers 503 and is not applied; health says why; writes resume once there is room;
// after a kill -9 and a restart every acknowledged create is there and no refused one is.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnEmulator, startEmulator } from '../support/emulatorProcess.js';
import { bundledSource, removeBundles } from '../support/childProcess.js';
import { PACKAGES } from '../support/graph.js';

/** A 512 KB tmpfs in a fresh folder, or why there cannot be one (not root, no mount in this container). */
function mountTmpfs(): { dir: string } | { reason: string } {
  if (process.platform !== 'linux') return { reason: 'tmpfs is a Linux file system' };
  const dir = mkdtempSync(path.join(tmpdir(), 'disk-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status === 0) return { dir };
  rmdirSync(dir);
  return { reason: `mount -t tmpfs failed here: ${(mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim()}` };
}

const tmpfs = mountTmpfs();
afterAll(() => {
  removeBundles();
  if (!('dir' in tmpfs)) return;
  // Lazily: an emulator a failed assertion left running may still hold files there.
  spawnSync('umount', ['-l', tmpfs.dir]);
  rmSync(tmpfs.dir, { recursive: true, force: true });
});

async function create(url: string, displayName: string): Promise<Response> {
  return fetch(`${url}${PACKAGES}`, {
    method: 'POST',
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
}

/** Take every free block of the file system. */
function fill(file: string): void {
  const block = Buffer.alloc(4096, 120);
  try {
    for (;;) appendFileSync(file, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
}

const title = 'a create refused by a full disk answers 503, is never applied, and writes resume once there is room';
const test = 'dir' in tmpfs ? it : it.skip;
describe('a full disk (tmpfs)', () => {
  test('dir' in tmpfs ? title : `${title} (skipped: ${tmpfs.reason})`, async () => {
    const { dir } = tmpfs as { dir: string };
    const file = path.join(dir, 'db.json');
    const filler = path.join(dir, 'filler');
    const first = await startEmulator([], { DATA_FILE: file });
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      expect((await create(first.url, `Before ${i}`)).status).toBe(201);
      acknowledged.push(`Before ${i}`);
    }
    fill(filler);
    // The journal's last page may still have room for a few lines: create until the disk refuses one.
    let refused: Response | undefined;
    const refusedNames: string[] = [];
    for (let i = 0; i < 200 && refused === undefined; i += 1) {
      const res = await create(first.url, `Full ${i}`);
      if (res.status === 201) acknowledged.push(`Full ${i}`);
      else {
        refused = res;
        refusedNames.push(`Full ${i}`);
      }
    }
    expect(refused?.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBe('1');
    expect(refused!.headers.get('content-type')).toBe('application/json');
    const body = (await refused!.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    expect(body.error).toMatchObject({ code: 'serviceNotAvailable', innerError: { 'request-id': refused!.headers.get('request-id') } });
    expect(body.error.message).toMatch(/^The emulator could not write its data, and nothing was changed\. Writing db\.json\.journal failed: ENOSPC/);
    expect(body.error.message).not.toContain(dir);
    const degraded = (await (await fetch(`${first.url}/_emulator/health`)).json()) as { status: string; cause: string };
    expect(degraded).toMatchObject({ status: 'degraded', cause: expect.stringMatching(/^Writing db\.json\.journal failed: ENOSPC/) });
    expect(JSON.stringify(degraded)).not.toContain(dir);
    const again = await create(first.url, 'Still full');
    expect(again.status).toBe(503);
    refusedNames.push('Still full');

    rmSync(filler);
    expect((await create(first.url, 'After')).status).toBe(201);
    acknowledged.push('After');
    expect(await (await fetch(`${first.url}/_emulator/health`)).json()).toMatchObject({ status: 'ok' });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await startEmulator([], { DATA_FILE: file });
    const exported = (await (await fetch(`${second.url}/_emulator/export`)).json()) as { accessPackages: { displayName: string }[] };
    const stored = exported.accessPackages.map((p) => p.displayName);
    expect(stored).toEqual(acknowledged);
    for (const name of refusedNames) expect(stored).not.toContain(name);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  const seeding = 'a fresh data file the full disk cannot take its fixtures into stops the start with exit 3, leaving nothing';
  test('dir' in tmpfs ? seeding : `${seeding} (skipped: ${tmpfs.reason})`, async () => {
    const { dir } = tmpfs as { dir: string };
    const filler = path.join(dir, 'filler-seed');
    fill(filler);
    try {
      const proc = spawnEmulator([], { DATA_FILE: path.join(dir, 'fresh', 'db.json'), FIXTURES: 'small' });
      // A full file system is the system refusing a file the emulator needs (docs/running.md), not damaged data (1).
      expect(await proc.exited).toBe(3);
      expect(proc.stderr()).toMatch(
        /^error: Cannot seed the data file \/.*\/fresh\/db\.json with its fixtures \(Writing .* failed: ENOSPC[^\n]*\)\. Nothing was kept\.\n$/,
      );
      expect(existsSync(path.join(dir, 'fresh'))).toBe(false);
    } finally {
      rmSync(filler);
    }
  }, 60_000);

  const key = 'AUTH=strict on a full disk stops with exit 3 in one line and leaves no key file, so the next start makes one';
  test('dir' in tmpfs ? key : `${key} (skipped: ${tmpfs.reason})`, async () => {
    const { dir } = tmpfs as { dir: string };
    const filler = path.join(dir, 'filler-key');
    const data = path.join(dir, 'strict', 'db.json');
    const keyFile = path.join(dir, 'strict', 'token-signing-key.pem');
    fill(filler);
    try {
      const proc = spawnEmulator([], { DATA_FILE: data, AUTH: 'strict' });
      expect(await proc.exited).toBe(3);
      expect(proc.stderr()).toBe(`error: Cannot write the token signing key ${keyFile}: no space left on the device (ENOSPC).\n`);
      // An empty key file left here was refused by every later start as unusable, until someone deleted it.
      expect(existsSync(keyFile)).toBe(false);
    } finally {
      rmSync(filler);
    }
    const next = await startEmulator([], { DATA_FILE: data, AUTH: 'strict' });
    expect(existsSync(keyFile)).toBe(true);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 60_000);

  const tls = 'HTTPS=true on a full disk stops with exit 3 in one line naming the certificate file, then starts once there is room';
  test('dir' in tmpfs ? tls : `${tls} (skipped: ${tmpfs.reason})`, async () => {
    const { dir } = tmpfs as { dir: string };
    const filler = path.join(dir, 'filler-tls');
    const data = path.join(dir, 'https', 'db.json');
    fill(filler);
    try {
      const proc = spawnEmulator([], { DATA_FILE: data, HTTPS: 'true' });
      expect(await proc.exited).toBe(3);
      expect(proc.stderr()).toBe(`error: Cannot write ${path.join(dir, 'https', 'tls', 'ca-key.pem')}: no space left on the device (ENOSPC).\n`);
    } finally {
      rmSync(filler);
    }
    const next = await startEmulator([], { DATA_FILE: data, HTTPS: 'true' });
    expect(next.url).toMatch(/^https:/);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 60_000);

  const seedOut = 'npm run seed --out on a full disk stops with exit 3 in one line and leaves no file';
  test('dir' in tmpfs ? seedOut : `${seedOut} (skipped: ${tmpfs.reason})`, async () => {
    const { dir } = tmpfs as { dir: string };
    const filler = path.join(dir, 'filler-seed-out');
    const out = path.join(dir, 'seeded.json');
    fill(filler);
    try {
      // 600 packages are 1.2 MB, more than the whole file system holds, written in two pieces.
      const seed = await bundledSource('server/bin/seed.ts');
      const seeded = spawnSync(process.execPath, [seed, '--count', '600', '--out', out], { encoding: 'utf8' });
      expect({ status: seeded.status, stderr: seeded.stderr }).toEqual({
        status: 3,
        stderr: `error: Cannot write the data file ${out}: no space left on the device (ENOSPC).\n`,
      });
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(filler);
    }
  }, 60_000);
});
