// A resource request and what it delivers are one write: one journal line holding the request and the resource, its
// roles and its scope (an update's: the resource), on disk when the 201 is answered, and all of it there after the file
// is opened again.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import { createCatalog } from '../support/catalogResources.js';
import { AUTH, CATALOGS, EM } from '../support/graph.js';

const GROUP = 'c6294667-7348-4f5a-be73-9d2c65f574f3';

/**
 * `write` against an emulator over a new data file, with a catalog to send requests to; then the collections of the
 * journal's last line, and `read` against an emulator over the same file opened again.
 */
async function acrossReopen<T>(
  write: (app: Express, send: (body: object) => request.Test, catalogId: string) => Promise<T>,
  read: (app: Express, written: T, catalogId: string) => Promise<void>,
): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'resource-request-'));
  const file = path.join(dir, 'db.json');
  try {
    const first = await FileStore.open(file);
    const app = createApp({ store: first });
    const catalogId = await createCatalog(app, 'Marketing');
    const send = (body: object) =>
      request(app)
        .post(`${EM}/accessPackageResourceRequests`)
        .set(AUTH)
        .send({ catalogId, ...body });
    const written = await write(app, send, catalogId);
    const last = JSON.parse((await readFile(`${file}.journal`, 'utf8')).trim().split('\n').at(-1)!);
    expect(last.op).toBe('batch');
    await first.close();
    const second = await FileStore.open(file);
    await read(createApp({ store: second }), written, catalogId);
    await second.close();
    return last.changes.map((c: { c: string }) => c.c);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

it('an AdminAdd is one journal batch when answered, and the request and the group survive reopening the file', async () => {
  const collections = await acrossReopen(
    async (_app, send) => {
      const made = await send({ requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } });
      expect(made.status).toBe(201);
      return made.body;
    },
    async (reopened, made, catalogId) => {
      const { '@odata.context': _context, ...entity } = made;
      expect((await request(reopened).get(`${EM}/accessPackageResourceRequests`).set(AUTH)).body.value).toEqual([entity]);
      const roles = await request(reopened).get(`${CATALOGS}/${catalogId}/accessPackageResourceRoles`).set(AUTH);
      expect(roles.body.value.map((r: { originId: string }) => r.originId)).toEqual([`Member_${GROUP}`, `Owner_${GROUP}`]);
    },
  );
  expect(collections).toEqual([
    'accessPackageResourceRequests',
    'accessPackageResources',
    'accessPackageResourceRoles',
    'accessPackageResourceRoles',
    'accessPackageResourceScopes',
  ]);
});

it('an AdminUpdate is one journal batch, the request and the attributes it gave survive reopening, and so does the link between them', async () => {
  const attributes = [{ attributeName: 'officeLocation', isEditable: true }];
  const collections = await acrossReopen(
    async (_app, send) => {
      const group = { originId: GROUP, originSystem: 'AadGroup' };
      expect((await send({ requestType: 'AdminAdd', accessPackageResource: group })).status).toBe(201);
      const updated = await send({ requestType: 'AdminUpdate', accessPackageResource: { ...group, attributes } });
      expect(updated.status).toBe(201);
      return updated.body.id as string;
    },
    async (reopened, id) => {
      const read = await request(reopened).get(`${EM}/accessPackageResourceRequests/${id}?$expand=accessPackageResource`).set(AUTH);
      expect(read.body).toMatchObject({ requestType: 'AdminUpdate', accessPackageResource: { originId: GROUP, attributes } });
    },
  );
  expect(collections).toEqual(['accessPackageResourceRequests', 'accessPackageResources']);
});
