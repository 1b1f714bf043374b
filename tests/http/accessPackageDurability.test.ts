import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import { AUTH, PACKAGES } from '../support/graph.js';

describe('PATCH and DELETE are durable across a restart', () => {
  it('a 204 PATCH and a 204 DELETE are on disk when answered, and survive reopening the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'odata-durable-'));
    const file = path.join(dir, 'db.json');
    try {
      const first = await FileStore.open(file);
      const app = createApp({ store: first });
      const kept = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Keep', description: 'old' });
      const gone = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Remove' });
      const patched = await request(app).patch(`${PACKAGES}/${kept.body.id}`).set(AUTH).send({ description: 'new', isHidden: true });
      expect(patched.status).toBe(204);
      const deleted = await request(app).delete(`${PACKAGES}/${gone.body.id}`).set(AUTH);
      expect(deleted.status).toBe(204);

      // Before close: the journal already holds both changes (acknowledged only once written and synced).
      const journal = (await readFile(`${file}.journal`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(journal.at(-2)).toMatchObject({ op: 'put', c: 'accessPackages', r: { id: kept.body.id, description: 'new', isHidden: true } });
      expect(journal.at(-1)).toEqual({ op: 'del', c: 'accessPackages', id: gone.body.id });
      await first.close();

      const second = await FileStore.open(file);
      const reopened = createApp({ store: second });
      const read = await request(reopened).get(`${PACKAGES}/${kept.body.id}`).set(AUTH);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ displayName: 'Keep', description: 'new', isHidden: true, createdDateTime: kept.body.createdDateTime });
      expect(read.body.modifiedDateTime > kept.body.modifiedDateTime).toBe(true);
      const missing = await request(reopened).get(`${PACKAGES}/${gone.body.id}`).set(AUTH);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('ResourceNotFound');
      const list = await request(reopened).get(PACKAGES).set(AUTH);
      expect(list.body.value.map((r: { id: string }) => r.id)).toEqual([kept.body.id]);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
