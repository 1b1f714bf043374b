// A tenant's requests that arrive while its drop is being made durable wait for the drop, then find the tenant
// started again from the fixtures (docs/identity.md#tenants): none reads the records being dropped, and none is
// refused as if it had been under way when the drop came; a second drop asked meanwhile finds no tenant, as the one
// after it would; a write under way when a drop begins runs again after it, in the tenant added again.
import { afterEach, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';
import { ODATA_JSON, PACKAGES, expectGraphError } from '../support/graph.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

const W1 = bearer(unsignedJwt({ tid: 'w1', upn: 'admin@w1.test', scp: READ_WRITE }));
/** The names of tenant w1's packages; undefined while it does not exist. */
const namesInW1 = () =>
  store?.tenants
    .get('w1')
    ?.list('accessPackages')
    .map((p) => p.displayName);
const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
};

let server: Server | undefined;
let store: FileStore | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await store?.close();
});

/** An emulator on a file store whose syncs can be held; `arrived()` counts the requests it has received. */
async function serve() {
  // A disk whose syncs can be held: a write (the drop's entry) stays in flight until `release`.
  const fs = new FailingFs();
  store = await FileStore.open(path.join(await tempDir('tenant-drop-race-'), 'db.json'), { fs });
  server = createApp({ store, fixtures: { fixtures: 'empty', seed: 5 } }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  let count = 0;
  server.on('request', () => {
    count += 1;
  });
  return { fs, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrived: () => count };
}

it('holds a request of a tenant being dropped until the drop is durable, then serves the fresh tenant', async () => {
  const { fs, url, arrived: requests } = await serve();
  const post = (displayName: string) =>
    fetch(`${url}${PACKAGES}`, { method: 'POST', headers: { ...W1, 'Content-Type': 'application/json' }, body: JSON.stringify({ displayName }) });
  expect((await post('Before the drop')).status).toBe(201);

  fs.holding = true;
  const drop = fetch(`${url}/_emulator/tenants/w1`, { method: 'DELETE' });
  await until(() => fs.held.length > 0);
  const read = fetch(`${url}${PACKAGES}?$select=displayName`, { headers: W1 });
  const write = post('After the drop');
  await until(() => requests() === 4);
  // Time for both to reach the tenant's store, had they not been held.
  await new Promise((resolve) => setTimeout(resolve, 100));
  fs.release();

  expect((await drop).status).toBe(204);
  const created = await write;
  expect(created.status).toBe(201);
  expect(created.headers.get('location')).toMatch(new RegExp(`^${url}${PACKAGES}/[0-9a-f-]{36}$`));
  expect(await created.json()).toMatchObject({ displayName: 'After the drop', createdBy: 'admin@w1.test' });
  const listed = await read;
  expect(listed.status).toBe(200);
  expect(listed.headers.get('content-type')).toBe(ODATA_JSON);
  expect(listed.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const names = ((await listed.json()) as { value: { displayName: string }[] }).value.map((p) => p.displayName);
  expect(names).not.toContain('Before the drop');
  expect(namesInW1()).toEqual(['After the drop']);
});

it('answers a second drop asked while the first is being made durable as the one after it: 404, no tenant', async () => {
  const { fs, url, arrived } = await serve();
  const created = await fetch(`${url}${PACKAGES}`, { method: 'POST', headers: { ...W1, 'Content-Type': 'application/json' }, body: '{"displayName":"One"}' });
  expect(created.status).toBe(201);
  fs.holding = true;
  const first = fetch(`${url}/_emulator/tenants/w1`, { method: 'DELETE' });
  await until(() => fs.held.length > 0);
  const second = fetch(`${url}/_emulator/tenants/W1`, { method: 'DELETE' });
  await until(() => arrived() === 3);
  // Time for the second to reach the drop under way, had it not been held.
  await new Promise((resolve) => setTimeout(resolve, 100));
  fs.release();
  expect((await first).status).toBe(204);
  const refused = await second;
  expectGraphError(
    { status: refused.status, headers: Object.fromEntries(refused.headers), body: await refused.json() },
    404,
    'ResourceNotFound',
    "There is no tenant 'w1'.",
  );
  expect(store!.tenants.ids()).toEqual([store!.tenants.defaultId]);
});

it('drops no tenant that a request is adding: that drop finds none (404), and the request its tenant', async () => {
  const { fs, url, arrived } = await serve();
  const post = (displayName: string) =>
    fetch(`${url}${PACKAGES}`, { method: 'POST', headers: { ...W1, 'Content-Type': 'application/json' }, body: JSON.stringify({ displayName }) });
  expect((await post('Before the drops')).status).toBe(201);
  fs.holding = true;
  const first = fetch(`${url}/_emulator/tenants/w1`, { method: 'DELETE' });
  await until(() => fs.held.length > 0);
  // The write waits for the first drop, then adds the tenant again; a second drop comes while that is being stored.
  const write = post('Between the drops');
  await until(() => arrived() === 3);
  fs.releaseHeld();
  expect((await first).status).toBe(204);
  await until(() => fs.held.length > 0);
  const second = fetch(`${url}/_emulator/tenants/w1`, { method: 'DELETE' });
  await until(() => arrived() === 4);
  await new Promise((resolve) => setTimeout(resolve, 100));
  fs.release();
  const created = await write;
  expect(created.status).toBe(201);
  expect(created.headers.get('content-type')).toBe(ODATA_JSON);
  expect(await created.json()).toMatchObject({ displayName: 'Between the drops', createdBy: 'admin@w1.test' });
  const refused = await second;
  expectGraphError(
    { status: refused.status, headers: Object.fromEntries(refused.headers), body: await refused.json() },
    404,
    'ResourceNotFound',
    "There is no tenant 'w1'.",
  );
  // The second drop came before the write: the tenant is there, from the fixtures, with the write's package alone.
  expect(namesInW1()).toEqual(['Between the drops']);
});

it('runs a write that waited for a restore again after a drop asked meanwhile, in the tenant added again', async () => {
  const { fs, url, arrived } = await serve();
  const post = (displayName: string) =>
    fetch(`${url}${PACKAGES}`, { method: 'POST', headers: { ...W1, 'Content-Type': 'application/json' }, body: JSON.stringify({ displayName }) });
  expect((await post('In the baseline')).status).toBe(201);
  expect((await fetch(`${url}/_emulator/snapshots/b?tenant=w1`, { method: 'PUT' })).status).toBe(201);
  fs.holding = true;
  const restore = fetch(`${url}/_emulator/snapshots/b/restore?tenant=w1`, { method: 'POST' });
  await until(() => fs.held.length > 0);
  // Both wait for the restore: the write to read what it puts in place, the drop to be journalled after it.
  const write = post('After the restore');
  await until(() => arrived() === 4);
  const drop = fetch(`${url}/_emulator/tenants/w1`, { method: 'DELETE' });
  await until(() => arrived() === 5);
  await new Promise((resolve) => setTimeout(resolve, 100));
  fs.release();
  expect((await restore).status).toBe(200);
  expect((await drop).status).toBe(204);
  const created = await write;
  expect(created.status).toBe(201);
  expect(await created.json()).toMatchObject({ displayName: 'After the restore', createdBy: 'admin@w1.test' });
  expect(namesInW1()).toEqual(['After the restore']);
});
