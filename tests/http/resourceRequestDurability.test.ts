// A resource request and what it delivers are one write: one journal line holding the request, the resource, its
// roles and its scope, on disk when the 201 is answered, and all of it there after the file is opened again.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import { createCatalog } from '../support/catalogResources.js';
import { AUTH, CATALOGS, EM } from '../support/graph.js';

const GROUP = 'c6294667-7348-4f5a-be73-9d2c65f574f3';

it('an AdminAdd is one journal batch when answered, and the request and the group survive reopening the file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'resource-request-'));
  const file = path.join(dir, 'db.json');
  try {
    const first = await FileStore.open(file);
    const app = createApp({ store: first });
    const catalogId = await createCatalog(app, 'Marketing');
    const made = await request(app)
      .post(`${EM}/accessPackageResourceRequests`)
      .set(AUTH)
      .send({ catalogId, requestType: 'AdminAdd', accessPackageResource: { originId: GROUP, originSystem: 'AadGroup' } });
    expect(made.status).toBe(201);
    const last = JSON.parse((await readFile(`${file}.journal`, 'utf8')).trim().split('\n').at(-1)!);
    expect(last.op).toBe('batch');
    expect(last.changes.map((c: { c: string }) => c.c)).toEqual([
      'accessPackageResourceRequests',
      'accessPackageResources',
      'accessPackageResourceRoles',
      'accessPackageResourceRoles',
      'accessPackageResourceScopes',
    ]);
    await first.close();

    const second = await FileStore.open(file);
    const reopened = createApp({ store: second });
    const { '@odata.context': _context, ...entity } = made.body;
    expect((await request(reopened).get(`${EM}/accessPackageResourceRequests`).set(AUTH)).body.value).toEqual([entity]);
    const roles = await request(reopened).get(`${CATALOGS}/${catalogId}/accessPackageResourceRoles`).set(AUTH);
    expect(roles.body.value.map((r: { originId: string }) => r.originId)).toEqual([`Member_${GROUP}`, `Owner_${GROUP}`]);
    await second.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
