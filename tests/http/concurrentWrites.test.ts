// Writes that arrive while earlier ones are still being made durable (the file store's fdatasync held until every
// request is in, tests/support/failingFs.ts): each is checked, and an update built, against the store as the writes before it
// will leave it (server/store/pendingView.ts), while a GET still sees only what is on disk. Two PATCHes of one
// record both count; a package cannot land in a catalog whose delete is in flight, nor a catalog be deleted under
// a package being created; one uniqueName names one package; a write built on one the disk refuses is refused too.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import { tempDir } from '../support/emulatorProcess.js';
import { FailingFs } from '../support/failingFs.js';
import { AUTH, CATALOGS, PACKAGES, expectGraphError } from '../support/graph.js';

/** How long each fdatasync is held in the one test that sends a single $batch: its items all run meanwhile. */
const SYNC_HOLD_MS = 400;
/**
 * After a request sent "in turn" has reached the emulator, before the next is sent: its body was sent with its
 * headers, and its checks up to the store's write queue need no other input, so no timer can run before they do.
 */
const STAGGER_MS = 20;

let file: string;
let fs: FailingFs;
/** Requests the emulator has received in this test. */
let arrived = 0;
const opened: FileStore[] = [];

beforeEach(async () => {
  file = path.join(await tempDir('concurrent-writes-'), 'db.json');
  fs = new FailingFs();
  arrived = 0;
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});

async function open() {
  const store = await FileStore.open(file, { fs });
  opened.push(store);
  const emulator = createApp({ store, fixtures: { fixtures: 'empty', seed: 42 } });
  const app = (req: IncomingMessage, res: ServerResponse) => {
    arrived += 1;
    emulator(req, res);
  };
  return { store, app };
}

type App = (req: IncomingMessage, res: ServerResponse) => void;

async function created(app: App, url: string, body: object): Promise<string> {
  const res = await request(app).post(url).set(AUTH).send(body);
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/**
 * Sends each request once the one before has reached the emulator and run its checks, with every sync held, so
 * all are in flight together whatever the machine's load; then lets the disk go on, and answers them in order.
 */
async function inTurn<const S extends readonly (() => request.Test)[]>(...sends: S): Promise<{ [K in keyof S]: request.Response }> {
  fs.holding = true;
  const answers: Promise<request.Response>[] = [];
  for (const send of sends) {
    const before = arrived;
    answers.push(send().then((res) => res));
    while (arrived === before) await sleep(5);
    await sleep(STAGGER_MS);
  }
  fs.release();
  return (await Promise.all(answers)) as { [K in keyof S]: request.Response };
}

describe('writes in flight together', () => {
  it('two PATCHes of one record both count, and a GET meanwhile sees only what is durable', async () => {
    const { store, app } = await open();
    const id = await created(app, PACKAGES, { displayName: 'Start', description: null });
    const patch = (body: object) => () => request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send(body);
    const [first, read, second, third] = await inTurn(
      patch({ description: 'Described' }),
      () => request(app).get(`${PACKAGES}/${id}`).set(AUTH),
      patch({ displayName: 'Renamed' }),
      patch({ isHidden: true }),
    );
    for (const res of [first, second, third]) {
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    }
    // The GET came while the first PATCH was not yet on disk.
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ displayName: 'Start', description: null, isHidden: false });
    const after = await request(app).get(`${PACKAGES}/${id}`).set(AUTH);
    expect(after.body).toMatchObject({ id, displayName: 'Renamed', description: 'Described', isHidden: true });
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    const { store: reopened } = await open();
    expect(reopened.get('accessPackages', id)).toMatchObject({ displayName: 'Renamed', description: 'Described', isHidden: true });
  });

  it('a package created while its catalog is being deleted is refused, and nothing points at the gone catalog', async () => {
    const { store, app } = await open();
    const catalogId = await created(app, CATALOGS, { displayName: 'Going' });
    const [deleted, create] = await inTurn(
      () => request(app).delete(`${CATALOGS}/${catalogId}`).set(AUTH),
      () => request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Orphan', catalogId }),
    );
    expect(deleted.status).toBe(204);
    expectGraphError(create, 400, 'InvalidModel', 'Model is not valid.');
    expect(store.get('accessPackageCatalogs', catalogId)).toBeUndefined();
    expect(store.list('accessPackages').filter((p) => p.catalogId === catalogId)).toEqual([]);
  });

  it('a catalog whose first package is being created cannot be deleted under it', async () => {
    const { store, app } = await open();
    const catalogId = await created(app, CATALOGS, { displayName: 'Kept' });
    const [create, deleted] = await inTurn(
      () => request(app).post(PACKAGES).set(AUTH).send({ displayName: 'First', catalogId }),
      () => request(app).delete(`${CATALOGS}/${catalogId}`).set(AUTH),
    );
    expect(create.status).toBe(201);
    expectGraphError(deleted, 400, 'BadRequest', 'The catalog: Kept can not be deleted because it contains access packages.');
    expect(store.get('accessPackageCatalogs', catalogId)).toMatchObject({ displayName: 'Kept' });
    expect(store.get('accessPackages', create.body.id)).toMatchObject({ catalogId });
  });

  it('creates of one uniqueName in the same sync: the first is stored, the others refused', async () => {
    const { store, app } = await open();
    const catalogId = await created(app, CATALOGS, { displayName: 'Catalog' });
    const send = () => () => request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Same', uniqueName: 'same-key', catalogId });
    const [first, ...others] = await inTurn(send(), send(), send());
    expect(first!.status).toBe(201);
    for (const res of others) expectGraphError(res, 400, 'BadRequest', "An access package with the uniqueName 'same-key' already exists.");
    expect(
      store
        .list('accessPackages')
        .filter((p) => (p as { uniqueName?: string }).uniqueName === 'same-key')
        .map((p) => p.id),
    ).toEqual([first!.body.id]);
  });

  it('a PATCH built on one the disk then refuses is refused too: neither change is kept', async () => {
    const { store, app } = await open();
    const id = await created(app, PACKAGES, { displayName: 'Start' });
    fs.failNext('fdatasync');
    const patch = (body: object) => () => request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send(body);
    const answers = await inTurn(patch({ description: 'Lost' }), patch({ displayName: 'Lost too' }));
    for (const res of answers) expect(res.status).toBe(503);
    fs.heal();
    // Writes resume by themselves; the next PATCH is built on what is stored.
    let later: request.Response;
    for (;;) {
      later = await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send({ isHidden: true });
      if (later.status !== 503) break;
      await sleep(100);
    }
    expect(later.status).toBe(204);
    expect(store.get('accessPackages', id)).toMatchObject({ displayName: 'Start', description: null, isHidden: true });
  });
});

describe('writes checked inside their write', () => {
  it('two PATCHes of one record in one $batch both count; two creates of one uniqueName in it cannot both pass', async () => {
    const { store, app } = await open();
    const catalogId = await created(app, CATALOGS, { displayName: 'Catalog' });
    const id = await created(app, PACKAGES, { displayName: 'Start', catalogId });
    fs.syncDelayMs = SYNC_HOLD_MS;
    const item = (n: string, method: string, url: string, body: object) => ({ id: n, method, url, headers: { 'Content-Type': 'application/json' }, body });
    const path = '/identityGovernance/entitlementManagement/accessPackages';
    const res = await request(app)
      .post('/beta/$batch')
      .set(AUTH)
      .send({
        requests: [
          item('1', 'PATCH', `${path}/${id}`, { description: 'from item 1' }),
          item('2', 'PATCH', `${path}/${id}`, { displayName: 'from item 2' }),
          item('3', 'POST', path, { displayName: 'A', uniqueName: 'one-key', catalogId }),
          item('4', 'POST', path, { displayName: 'B', uniqueName: 'one-key', catalogId }),
        ],
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const byId = new Map(res.body.responses.map((r: { id: string; status: number; body?: unknown }) => [r.id, r]));
    expect([byId.get('1'), byId.get('2')].map((r) => (r as { status: number }).status)).toEqual([204, 204]);
    const statuses = ['3', '4'].map((n) => (byId.get(n) as { status: number }).status).sort();
    expect(statuses).toEqual([201, 400]);
    const refused = ['3', '4'].map((n) => byId.get(n) as { status: number; body: { error: { message: string } } }).find((r) => r.status === 400)!;
    expect(refused.body.error.message).toBe("An access package with the uniqueName 'one-key' already exists.");
    fs.syncDelayMs = 0;
    expect(store.get('accessPackages', id)).toMatchObject({ displayName: 'from item 2', description: 'from item 1' });
    expect(store.list('accessPackages').filter((p) => (p as { uniqueName?: string }).uniqueName === 'one-key')).toHaveLength(1);
  });

  it('a create that arrives during a reset is checked against the data the reset puts in place', async () => {
    const { store, app } = await open();
    const catalogId = await created(app, CATALOGS, { displayName: 'Gone after the reset' });
    const [reset, create] = await inTurn(
      () => request(app).post('/_emulator/reset').send({ fixtures: 'empty' }),
      () => request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Orphan?', catalogId }),
    );
    expect(reset.status).toBe(200);
    expectGraphError(create, 400, 'InvalidModel', 'Model is not valid.');
    expect(store.get('accessPackageCatalogs', catalogId)).toBeUndefined();
    expect(store.list('accessPackages')).toEqual([]);
  });

  it('a link added during a reset is checked against the data the reset puts in place', async () => {
    const { store, app } = await open();
    const catalogId = await created(app, CATALOGS, { displayName: 'Catalog' });
    const [a, b] = [await created(app, PACKAGES, { displayName: 'A', catalogId }), await created(app, PACKAGES, { displayName: 'B', catalogId })];
    const dataset = await request(app).get('/_emulator/export');
    const [reset, link] = await inTurn(
      () =>
        request(app)
          .post('/_emulator/reset')
          .send({ ...dataset.body, accessPackages: dataset.body.accessPackages.filter((p: { id: string }) => p.id !== b) }),
      () =>
        request(app)
          .post(`${PACKAGES}/${a}/incompatibleAccessPackages/$ref`)
          .set(AUTH)
          .send({ '@odata.id': `https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages/${b}` }),
    );
    expect(reset.status).toBe(200);
    expectGraphError(link, 404, 'ResourceNotFound', 'The resource was not found.');
    expect(store.get('accessPackages', b)).toBeUndefined();
    expect(store.list('accessPackageIncompatibilities')).toEqual([]);
  });

  it('a role scope and a link added while a reset and then a restore run leave nothing that names a gone package', async () => {
    const { store, app } = await open();
    await request(app).post('/_emulator/reset').send({ fixtures: 'small', seed: 42 });
    expect((await request(app).put('/_emulator/snapshots/base')).status).toBe(201);
    const exported = (await request(app).get('/_emulator/export')).body;
    const catalog = exported.accessPackageCatalogs.find((c: { catalogType: string }) => c.catalogType !== 'ServiceDefault');
    const role = exported.accessPackageResourceRoles.find((r: { catalogId: string }) => r.catalogId === catalog.id);
    const scope = exported.accessPackageResourceScopes.find(
      (c: { accessPackageResourceId: string }) => c.accessPackageResourceId === role.accessPackageResourceId,
    );
    const other = exported.accessPackages[0].id;
    const added = { id: '11111111-2222-4333-8444-555555555555', displayName: 'Only in the reset', catalogId: catalog.id };
    const answers = await inTurn(
      () =>
        request(app)
          .post('/_emulator/reset')
          .send({ ...exported, accessPackages: [...exported.accessPackages, added] }),
      () => request(app).post('/_emulator/snapshots/base/restore'),
      () =>
        request(app)
          .post(`${PACKAGES}/${added.id}/accessPackageResourceRoleScopes`)
          .set(AUTH)
          .send({ accessPackageResourceRole: { id: role.id }, accessPackageResourceScope: { id: scope.id } }),
      () =>
        request(app)
          .post(`${PACKAGES}/${added.id}/incompatibleAccessPackages/$ref`)
          .set(AUTH)
          .send({ '@odata.id': `https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages/${other}` }),
    );
    expect(answers.slice(0, 2).map((res) => res.status)).toEqual([200, 200]);
    expect(store.get('accessPackages', added.id)).toBeUndefined();
    const names = (collection: 'accessPackageResourceRoleScopes' | 'accessPackageIncompatibilities') =>
      store.list(collection).filter((r) => (r as { accessPackageId: string }).accessPackageId === added.id);
    expect([names('accessPackageResourceRoleScopes'), names('accessPackageIncompatibilities')]).toEqual([[], []]);
    // The export loads back: no record names a package that is not there.
    const again = await request(app).get('/_emulator/export');
    expect((await request(app).post('/_emulator/reset').send(again.body)).status).toBe(200);
  });

  it('a create refused for a uniqueName that a create the disk then refuses had taken is built again, and stored', async () => {
    const { store, app } = await open();
    const catalogId = await created(app, CATALOGS, { displayName: 'Catalog' });
    fs.failNext('fdatasync');
    const send = () => () => request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Same', uniqueName: 'retry-key', catalogId });
    const [first, second] = await inTurn(send(), send());
    expectGraphError(first, 503, 'serviceNotAvailable');
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ uniqueName: 'retry-key', catalogId });
    expect(
      store
        .list('accessPackages')
        .filter((p) => (p as { uniqueName?: string }).uniqueName === 'retry-key')
        .map((p) => p.id),
    ).toEqual([second.body.id]);
  });

  it('a create refused again and again while the disk refuses the ones ahead of it gets their 503s out of the way, then its 201', async () => {
    const { store, app } = await open();
    const catalogId = await created(app, CATALOGS, { displayName: 'Catalog' });
    fs.failNext('fdatasync', { times: 3 });
    const send = () => () => request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Same', uniqueName: 'again-key', catalogId });
    const answers = await inTurn(send(), send(), send());
    expect(answers.map((res) => res.status)).toEqual([503, 503, 201]);
    for (const res of answers.slice(0, 2)) expectGraphError(res, 503, 'serviceNotAvailable');
    expect(
      store
        .list('accessPackages')
        .filter((p) => (p as { uniqueName?: string }).uniqueName === 'again-key')
        .map((p) => p.id),
    ).toEqual([answers[2]!.body.id]);
  });
});
