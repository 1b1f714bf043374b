// The library's store.tenants takes a tenant id as requests name tenants: in any case, kept lower-cased, so the
// tenant it opens or drops is the one a token's `tid` reaches, and the data file can hold it at the next start.
import { expect, it } from '@jest/globals';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { ConfigError } from '../../server/errors.js';
import { FileStore } from '../../server/store/fileStore.js';
import { datasetOf } from '../../server/store/records.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { accessPackage } from '../support/accessPackages.js';
import { tempDir } from '../support/emulatorProcess.js';
import { PACKAGES, expectGraphHeaders } from '../support/graph.js';
import { READ, bearer, unsignedJwt } from '../support/tokens.js';

it("opens and drops a tenant named in any case as the one a token's tid reaches, and starts again with it", async () => {
  const file = path.join(await tempDir('tenant-id-spelling-'), 'db.json');
  const store = await FileStore.open(file);
  const first = await store.tenants.open('Worker-1', () => datasetOf({ accessPackages: [accessPackage({ displayName: 'Opened' })] }), 10);
  expect(first.created).toBe(true);
  expect(first.store.tenantId).toBe('worker-1');
  expect((await store.tenants.open('WORKER-1', () => datasetOf({}), 10)).created).toBe(false);
  expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'worker-1']);

  const res = await request(createApp({ store }))
    .get(`${PACKAGES}?$select=displayName`)
    .set(bearer(unsignedJwt({ tid: 'worker-1', scp: READ })));
  expect(res.status).toBe(200);
  expectGraphHeaders(res);
  expect(res.body.value.map((p: { displayName: string }) => p.displayName)).toEqual(['Opened']);

  await store.close();
  const reopened = await FileStore.open(file);
  try {
    expect(reopened.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'worker-1']);
    expect(await reopened.tenants.drop('Worker-1')).toBe(true);
    expect(reopened.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  } finally {
    await reopened.close();
  }
});

it('refuses a tenant id no request can name, and adds nothing', async () => {
  const store = await FileStore.open(path.join(await tempDir('tenant-id-spelling-'), 'db.json'));
  const message = "'worker 1' is not a tenant id: a tenant id is 1 to 128 letters, digits, '.', '-' or '_'.";
  await expect(store.tenants.open('worker 1', () => datasetOf({}), 10)).rejects.toThrow(new ConfigError(message));
  await expect(store.tenants.drop('worker 1')).rejects.toThrow(new ConfigError(message));
  expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  await store.close();
});
