// A save of a baseline and a restore of it asked while the save is being stored (its dataset and the list of
// baselines written, tests/support/scheduledStore.ts holding those steps) are answered as one after the other:
// the restore puts back what the save leaves, and a save asked while a restore runs saves what the restore put
// in place. A delete takes its turn too: after a save asked before it, it deletes what the save made; before a
// save asked after it, the save makes a new baseline. A restore that read the baseline before the save was over put back the one it replaced, while the save
// answered with the new one: the data and the baseline then agreed with no order of the two requests.
import { describe, expect, it } from '@jest/globals';
import type fc from 'fast-check';
import { createApp } from '../../server/app.js';
import { PACKAGES } from '../support/graph.js';
import { type Sent, sendInProcess } from '../support/inProcessRequests.js';
import { ScheduledStore } from '../support/scheduledStore.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

/** The store's steps held until `release`: what a slow disk does to every write. */
function heldSteps() {
  const held: (() => void)[] = [];
  const scheduler = { schedule: (task: Promise<unknown>) => new Promise((resolve) => held.push(() => resolve(task))) } as unknown as fc.Scheduler;
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    scheduler,
    /** Completes the held steps, and those they lead to, until none is left. */
    async release() {
      await settle();
      while (held.length > 0) {
        held.shift()!();
        await settle();
      }
    },
  };
}

const SAVE: Sent = { method: 'PUT', url: '/_emulator/snapshots/base' };
const RESTORE: Sent = { method: 'POST', url: '/_emulator/snapshots/base/restore' };
const DELETE: Sent = { method: 'DELETE', url: '/_emulator/snapshots/base' };
const LIST: Sent = { method: 'GET', url: '/_emulator/snapshots' };

/** Requests sent at once to a store holding a baseline of no package and one package more, each answered. */
async function sentAtOnce(...sent: Sent[]) {
  const store = new ScheduledStore();
  const app = createApp({ store, journal: null });
  expect((await sendInProcess(app, SAVE)).status).toBe(201);
  expect((await sendInProcess(app, { method: 'POST', url: PACKAGES, body: { displayName: 'Saved' } })).status).toBe(201);
  const steps = heldSteps();
  store.scheduler = steps.scheduler;
  const answers = sent.map((one) => sendInProcess(app, one));
  await steps.release();
  return { store, app, answers: await Promise.all(answers) };
}

describe('a save and a restore of one baseline asked at once', () => {
  it('restore after the save: what the save leaves is put back', async () => {
    const {
      store,
      answers: [saved, restored],
    } = await sentAtOnce(SAVE, RESTORE);
    expect(saved!.status).toBe(200);
    expect(saved!.body.records).toMatchObject({ accessPackages: 1, accessPackageCatalogs: 1 });
    expect(restored).toEqual({ status: 200, body: { name: 'base', records: saved!.body.records } });
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['Saved']);
  });

  it('save after the restore: what the restore put in place is saved', async () => {
    const {
      store,
      answers: [restored, saved],
    } = await sentAtOnce(RESTORE, SAVE);
    expect(restored!.status).toBe(200);
    expect(restored!.body.records).toMatchObject({ accessPackages: 0 });
    expect(saved!.status).toBe(200);
    expect(saved!.body.records).toEqual(restored!.body.records);
    expect(store.list('accessPackages')).toEqual([]);
  });
});

describe("a save of a tenant's baseline asked while the tenant is dropped", () => {
  it('is answered as after the drop: 404, no tenant, as a save sent after it', async () => {
    const store = new ScheduledStore();
    const app = createApp({ store, journal: null });
    const w1 = bearer(unsignedJwt({ tid: 'w1', scp: READ_WRITE })).Authorization;
    expect((await sendInProcess(app, { method: 'POST', url: PACKAGES, body: { displayName: 'One' }, authorization: w1 })).status).toBe(201);
    const steps = heldSteps();
    store.scheduler = steps.scheduler;
    const answers = [
      sendInProcess(app, { method: 'PUT', url: '/_emulator/snapshots/base?tenant=w1' }),
      sendInProcess(app, { method: 'DELETE', url: '/_emulator/tenants/w1' }),
    ];
    await steps.release();
    const [saved, dropped] = await Promise.all(answers);
    expect(dropped).toEqual({ status: 204, body: undefined });
    const after = await sendInProcess(app, { method: 'PUT', url: '/_emulator/snapshots/base?tenant=w1' });
    expect(after.status).toBe(404);
    expect(saved!.status).toBe(404);
    expect(saved!.body.error.innerError).toMatchObject({ 'request-id': expect.stringMatching(/^[0-9a-f-]{36}$/) });
    for (const answer of [saved!, after])
      expect(answer.body.error).toMatchObject({
        code: 'ResourceNotFound',
        message: "There is no tenant 'w1': a tenant is added by its first Graph request, or by POST /_emulator/reset?tenant=w1.",
      });
    expect(store.tenants.get('w1')).toBeUndefined();
  });
});

describe('a save and a delete of one baseline asked at once', () => {
  const FRESH: Sent = { method: 'PUT', url: '/_emulator/snapshots/fresh' };
  const DELETE_FRESH: Sent = { method: 'DELETE', url: '/_emulator/snapshots/fresh' };

  it('delete after the save of a new baseline: the one the save made is deleted', async () => {
    const {
      app,
      answers: [saved, deleted],
    } = await sentAtOnce(FRESH, DELETE_FRESH);
    expect(saved!.status).toBe(201);
    expect(saved!.body).toMatchObject({ name: 'fresh', records: { accessPackages: 1 } });
    expect(deleted).toEqual({ status: 204, body: undefined });
    const listed = await sendInProcess(app, LIST);
    expect(listed.body.value.map((b: { name: string }) => b.name)).toEqual(['base']);
  });

  it('save after the delete: a new baseline of the data as it is', async () => {
    const {
      app,
      answers: [deleted, saved],
    } = await sentAtOnce(DELETE, SAVE);
    expect(deleted).toEqual({ status: 204, body: undefined });
    expect(saved!.status).toBe(201);
    expect(saved!.body).toMatchObject({ name: 'base', records: { accessPackages: 1 } });
    const listed = await sendInProcess(app, LIST);
    expect(listed.body.value).toEqual([saved!.body]);
  });
});
