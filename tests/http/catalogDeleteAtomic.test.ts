// Deleting a catalog takes its resources, with their roles and scopes, in the same journal line as the catalog: a
// crash or a refusing disk never leaves resources of a catalog that is gone.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import type { Store } from '../../server/store/store.js';
import { addGroup, createCatalog } from '../support/catalogResources.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';
import { AUTH, CATALOGS, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const opened: FileStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});

async function setup() {
  const file = path.join(await tempDir('catalog-delete-'), 'db.json');
  const fs = new FailingFs();
  const store = await FileStore.open(file, { fs });
  opened.push(store);
  const app = createApp({ store });
  const catalog = await createCatalog(app, 'Sales');
  const group = await addGroup(store, catalog, 'Sales team');
  const journal = async () => (await readFile(`${file}.journal`, 'utf8')).trim().split('\n');
  return { fs, store, app, catalog, group, journal };
}

/** The catalog and how many resources, roles and scopes it holds. */
function partsOf(store: Store, id: string) {
  const mine = (rows: readonly { catalogId: string }[]) => rows.filter((r) => r.catalogId === id).length;
  return {
    catalog: store.get('accessPackageCatalogs', id) !== undefined,
    resources: mine(store.list('accessPackageResources')),
    roles: mine(store.list('accessPackageResourceRoles')),
    scopes: mine(store.list('accessPackageResourceScopes')),
  };
}

describe('deleting a catalog with its resources', () => {
  it('is one journal line, a batch of the catalog and its resources, roles and scopes', async () => {
    const { store, app, catalog, group, journal } = await setup();
    const before = (await journal()).length;
    const res = await request(app).delete(`${CATALOGS}/${catalog}`).set(AUTH);
    expect(res.status).toBe(204);
    expectGraphHeaders(res);
    expect(res.text).toBe('');
    const written = (await journal()).slice(before);
    expect(written.map((line) => JSON.parse(line))).toEqual([
      {
        op: 'batch',
        changes: [
          { op: 'del', c: 'accessPackageCatalogs', id: catalog },
          { op: 'del', c: 'accessPackageResourceRoles', id: group.member.id },
          { op: 'del', c: 'accessPackageResourceRoles', id: group.owner.id },
          { op: 'del', c: 'accessPackageResourceScopes', id: group.scope.id },
          { op: 'del', c: 'accessPackageResources', id: group.resource.id },
        ],
      },
    ]);
    expect(partsOf(store, catalog)).toEqual({ catalog: false, resources: 0, roles: 0, scopes: 0 });
  });

  it.each([0, 1])('refused by the disk once %i syncs have passed: 503 with all of it kept, or 204 with none of it', async (skip) => {
    const { fs, store, app, catalog } = await setup();
    fs.failNext('fdatasync', { skip });
    const res = await request(app).delete(`${CATALOGS}/${catalog}`).set(AUTH);
    const refused = res.status === 503;
    if (refused) expectGraphError(res, 503, 'serviceNotAvailable', /Writing db\.json\.journal failed: ENOSPC/);
    else expect(res.status).toBe(204);
    expect(partsOf(store, catalog)).toEqual(
      refused ? { catalog: true, resources: 1, roles: 2, scopes: 1 } : { catalog: false, resources: 0, roles: 0, scopes: 0 },
    );
    const resources = await request(app).get(`${CATALOGS}/${catalog}/accessPackageResources`).set(AUTH);
    if (refused) expect(resources.body.value.map((r: { displayName: string }) => r.displayName)).toEqual(['Sales team']);
    else expectGraphError(resources, 404, 'ResourceNotFound');
  });
});
