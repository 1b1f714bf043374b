// The files the store writes belong to whoever owns the data folder: an emulator run as root in a container, with
// a user's folder mounted as its data folder, leaves that user files they can start on again (fileOwner.ts).
import { describe, expect, it } from '@jest/globals';
import { chown, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import { FileStore } from '../../server/store/fileStore.js';
import { tlsMaterial } from '../../server/tls.js';
import { tempDir } from '../support/emulatorProcess.js';
import { AUTH, PACKAGES } from '../support/graph.js';

const isRoot = process.getuid?.() === 0;
const OWNER = { uid: 4242, gid: 4343 };

/** Every file and folder below `dir`, with its owner. */
async function owners(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const { uid, gid } = await stat(path.join(dir, entry));
    found[entry] = `${uid}:${gid}`;
  }
  return found;
}

describe('a data folder owned by another user', () => {
  (isRoot ? it : it.skip)(
    `gets every file and folder the store makes owned by that user${isRoot ? '' : ' (skipped: only root may give files to another user)'}`,
    async () => {
      const dir = path.join(await tempDir('owned-folder-'), 'data');
      await mkdir(dir);
      await chown(dir, OWNER.uid, OWNER.gid);
      const store = await FileStore.open(path.join(dir, 'db.json'), { compactMinEntries: 2 });
      const app = createApp({ store });
      for (const name of ['One', 'Two', 'Three']) await request(app).post(PACKAGES).set(AUTH).send({ displayName: name }).expect(201);
      await request(app).post('/_emulator/reset').send({ fixtures: 'empty' }).expect(200);
      await request(app).put('/_emulator/snapshots/kept').expect(201);
      await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'After' }).expect(201);
      // Between two writes: no compaction half done (its temporary file is given its owner right after it is made).
      await (store as unknown as { compactions: { settled(): Promise<void> } }).compactions.settled();
      const running = await owners(dir);
      await store.close();
      // HTTPS's generated CA and certificate, in the data folder's tls/.
      await tlsMaterial({ dataFile: path.join(dir, 'db.json'), host: '127.0.0.1', baseUrl: undefined } as unknown as Config);
      const closed = await owners(dir);
      expect(Object.keys(closed)).toEqual(expect.arrayContaining(['tls', 'tls/ca-key.pem', 'tls/key.pem']));
      // The journal while it runs, the data file, the stored datasets' folder, its files and the baseline list.
      expect(Object.keys(running)).toEqual(expect.arrayContaining(['db.json', 'db.json.journal', 'db.json.datasets', 'db.json.datasets/baselines.json']));
      for (const files of [running, closed]) {
        const lock = Object.keys(files).filter((f) => f.startsWith('db.json.lock'));
        for (const name of lock) delete files[name];
        expect(Object.values(files)).toEqual(Object.values(files).map(() => `${OWNER.uid}:${OWNER.gid}`));
      }
    },
  );
});
