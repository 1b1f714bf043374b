// The token signing key file: made once per data folder, never seen half-written (docs/identity.md#the-signing-key).
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SIGNING_KEY_FILE, SigningKey } from '../../server/identity/signingKey.js';
import { section } from '../support/markdown.js';

const folder = () => mkdtemp(path.join(tmpdir(), 'signing-key-'));

describe('the token signing key file', () => {
  it('is the same key for starts racing on one folder', async () => {
    const dir = await folder();
    const starts = await Promise.all([0, 1, 2].map(() => SigningKey.forDataFile(path.join(dir, 'db.json')).load()));
    expect(new Set(starts.map((pair) => pair.kid)).size).toBe(1);
    const pem = await readFile(path.join(dir, SIGNING_KEY_FILE), 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
    expect((await stat(path.join(dir, SIGNING_KEY_FILE))).mode & 0o777).toBe(0o600);
    // Only the key is left in the folder: no temporary file.
    expect(await readdir(dir)).toEqual([SIGNING_KEY_FILE]);
  });

  it("is the data folder's, shared by every data file in it, as docs/data-and-persistence.md lists it beside the data file", async () => {
    const dir = await folder();
    const [one, other] = await Promise.all(['db.json', 'other.json'].map((file) => SigningKey.forDataFile(path.join(dir, file)).load()));
    expect(other!.kid).toBe(one!.kid);
    expect(await readdir(dir)).toEqual([SIGNING_KEY_FILE]);
    const onDisk = section('docs/data-and-persistence.md', 'What is on disk');
    expect(onDisk).toContain(`- \`${SIGNING_KEY_FILE}\`: the key tokens are signed with`);
    expect(onDisk).toContain('every emulator\n  whose `DATA_FILE` is in that folder uses them');
  });

  it('is never seen empty or in part by another start reading it as it is made', async () => {
    for (let round = 0; round < 4; round++) {
      const dir = await folder();
      const file = path.join(dir, SIGNING_KEY_FILE);
      // Another process's start, on its own thread: it reads the file the moment the name appears.
      const reader = new Worker(
        `const { existsSync, readFileSync } = require('node:fs');
         const { parentPort, workerData } = require('node:worker_threads');
         const until = Date.now() + 20000;
         while (!existsSync(workerData) && Date.now() < until);
         parentPort.postMessage(readFileSync(workerData, 'utf8'));`,
        { eval: true, workerData: file },
      );
      const firstRead = new Promise<string>((resolve, reject) => {
        reader.once('message', resolve);
        reader.once('error', reject);
      });
      // A start that fails must not leave the reader waiting for the name, to fail the run long after the test.
      const [pair, seen] = await Promise.all([SigningKey.forDataFile(path.join(dir, 'db.json')).load(), firstRead]).finally(() => reader.terminate());
      expect(seen).toBe(await readFile(file, 'utf8'));
      expect(createPrivateKey(seen).equals(pair.privateKey)).toBe(true);
    }
  });

  it('refuses an empty key file, as one a crash left, naming it and saying to delete it', async () => {
    const dir = await folder();
    const file = path.join(dir, SIGNING_KEY_FILE);
    await writeFile(file, '', { mode: 0o600 });
    await expect(SigningKey.forDataFile(path.join(dir, 'db.json')).load()).rejects.toMatchObject({
      kind: 'corrupt',
      message: expect.stringContaining(`The token signing key ${file} cannot be used`),
    });
    await expect(SigningKey.forDataFile(path.join(dir, 'db.json')).load()).rejects.toThrow(/delete it to have a new one made/);
  });
});
