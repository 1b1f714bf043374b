import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import { AUTH, PACKAGES, expectGraphError } from '../support/graph.js';
import { seedPackages } from '../support/accessPackages.js';

describe('across a restart', () => {
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
      const journal = (await readFile(`${file}.journal`, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
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

  it('a nextLink taken before a restart resumes exactly after it; one whose last record was deleted meanwhile has expired', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'odata-restart-'));
    const file = path.join(dir, 'db.json');
    try {
      const first = await FileStore.open(file);
      const records = await seedPackages(first, 9);
      const page = await request(createApp({ store: first }))
        .get(`${PACKAGES}?$top=3`)
        .set(AUTH);
      const sorted = await request(createApp({ store: first }))
        .get(`${PACKAGES}?$top=3&$orderby=displayName desc`)
        .set(AUTH);
      await first.close();

      const second = await FileStore.open(file);
      const app = createApp({ store: second });
      const follow = (link: string) =>
        request(app)
          .get(`${new URL(link).pathname}${new URL(link).search}`)
          .set(AUTH);
      const resumed = await follow(page.body['@odata.nextLink']);
      expect(resumed.status).toBe(200);
      expect(resumed.body.value.map((r: { id: string }) => r.id)).toEqual(records.slice(3, 6).map((r) => r.id));
      // Sort keys do not depend on the numbering: a sorted walk resumes even when its last record is gone.
      await second.remove('accessPackages', records[6]!.id);
      const resumedSorted = await follow(sorted.body['@odata.nextLink']);
      expect(resumedSorted.body.value.map((r: { displayName: string }) => r.displayName)).toEqual(['Package 005', 'Package 004', 'Package 003']);
      await second.remove('accessPackages', records[5]!.id);
      await second.close();

      const third = await FileStore.open(file);
      const expired = await request(createApp({ store: third }))
        .get(`${new URL(resumed.body['@odata.nextLink']).pathname}${new URL(resumed.body['@odata.nextLink']).search}`)
        .set(AUTH);
      expectGraphError(expired, 400, 'BadRequest', 'The specified page token value has expired and can no longer be included in your request.');
      await third.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
