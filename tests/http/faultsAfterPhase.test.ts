import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { RequestJournal } from '../../server/http/requestJournal.js';
import { FileStore } from '../../server/store/fileStore.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, PACKAGES as PATH, expectGraphError } from '../support/graph.js';

describe('phase "after": executed and committed, then failed', () => {
  it('answers 504 for a create that happened, exactly once, without its Location', async () => {
    const store = new MemoryStore();
    const app = createApp({ store, faults: new FaultEngine({ rules: [{ method: 'POST', status: 504, phase: 'after', times: 1 }] }) });
    const res = await request(app).post(PATH).set(AUTH).send({ displayName: 'Happened anyway' });
    expectGraphError(res, 504, 'GatewayTimeout', 'The operation timed out waiting for an upstream response.');
    expect(res.headers['location']).toBeUndefined();
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['Happened anyway']);

    // The naive retry: it succeeds and makes the duplicate a client must be ready for.
    const retry = await request(app).post(PATH).set(AUTH).send({ displayName: 'Happened anyway' });
    expect(retry.status).toBe(201);
    expect(store.count('accessPackages')).toBe(2);
  });

  it('fails a list that honoured a page size without its Preference-Applied', async () => {
    const store = new MemoryStore();
    const app = createApp({ store, faults: new FaultEngine({ rules: [{ method: 'GET', status: 504, phase: 'after', times: 1 }] }) });
    const prefer = { ...AUTH, Prefer: 'odata.maxpagesize=2' };
    const failed = await request(app).get(PATH).set(prefer);
    expectGraphError(failed, 504, 'GatewayTimeout');
    expect(failed.headers['preference-applied']).toBeUndefined();
    const next = await request(app).get(PATH).set(prefer);
    expect(next.status).toBe(200);
    expect(next.headers['preference-applied']).toBe('odata.maxpagesize=2');
  });

  it('fails a PATCH and a DELETE that were applied (204 answers through the same seam)', async () => {
    const store = new MemoryStore();
    const faults = new FaultEngine();
    const app = createApp({ store, faults });
    const created = await request(app).post(PATH).set(AUTH).send({ displayName: 'Before' });
    expect(created.status).toBe(201);
    const item = `${PATH}/${created.body.id}`;

    const patch = await request(app).patch(item).set(AUTH).set('X-Emulator-Fault', 'status=503; retry-after=3; phase=after').send({ displayName: 'After' });
    expectGraphError(patch, 503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry again later.');
    expect(patch.headers['retry-after']).toBe('3');
    expect(store.get('accessPackages', created.body.id)?.displayName).toBe('After');

    const del = await request(app).delete(item).set(AUTH).set('X-Emulator-Fault', 'status=502; phase=after');
    expectGraphError(del, 502, 'BadGateway', 'The server received an invalid response from an upstream server.');
    expect(store.count('accessPackages')).toBe(0);
    // The retry of the delete finds nothing, as it would against Graph.
    expectGraphError(await request(app).delete(item).set(AUTH), 404, 'ResourceNotFound');
  });

  it('lets a request that fails on its own answer with its own error', async () => {
    const store = new MemoryStore();
    const app = createApp({ store, faults: new FaultEngine({ rules: [{ method: 'POST', status: 503, phase: 'after' }] }) });
    const res = await request(app).post(PATH).set(AUTH).send({ isHidden: 'Boolean' });
    expectGraphError(res, 400, 'BadRequest', "Invalid value for property 'isHidden': cannot convert the literal 'Boolean' to the expected type 'Edm.Boolean'.");
    expect(store.count('accessPackages')).toBe(0);
  });

  it('keeps its turn when the request fails on its own: not counted as fired, not journaled as applied', async () => {
    const store = new MemoryStore();
    const faults = new FaultEngine({ rules: [{ method: 'POST', status: 504, phase: 'after', times: 1 }] });
    const journal = new RequestJournal();
    const app = createApp({ store, faults, journal });
    expectGraphError(await request(app).post(PATH).set(AUTH).send({ isHidden: 'x' }), 400, 'BadRequest');
    expect(faults.describe().rules[0]).toMatchObject({ matched: 1, fired: 0 });
    const failed = await request(app).post(PATH).set(AUTH).send({ displayName: 'Third create' });
    expectGraphError(failed, 504, 'GatewayTimeout');
    expect(faults.describe().rules[0]).toMatchObject({ matched: 2, fired: 1 });
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['Third create']);
    expect(journal.list(() => true).map((e) => [e.status, e.fault])).toEqual([
      [400, null],
      [504, { source: 'rules[0]', effect: 'status 504, after execution' }],
    ]);
  });

  it('gives the turn back once the request has failed: the other items of its $batch round met the rule while it was taken', async () => {
    const faults = new FaultEngine();
    const app = createApp({ store: new MemoryStore(), faults });
    const made = await request(app).post(PATH).set(AUTH).send({ displayName: 'Read in the round' });
    faults.append({ status: 503, phase: 'after', times: 1 });
    const url = PATH.slice('/beta'.length);
    const requests = [
      { id: '1', method: 'DELETE', url: `${url}/7e3c9bb4-62a9-4c0b-9f3f-000000000000` },
      { id: '2', method: 'GET', url: `${url}/${made.body.id}` },
    ];
    const batch = await request(app).post('/beta/$batch').set(AUTH).send({ requests });
    // Both items reached the rule before either ran: the first took its one turn, failed on its own (404) and gave
    // the turn back after the second had been let through.
    expect(batch.body.responses.map((r: { id: string; status: number }) => [r.id, r.status])).toEqual([
      ['1', 404],
      ['2', 200],
    ]);
    expect(faults.describe().rules[0]).toMatchObject({ matched: 2, fired: 0 });
    expectGraphError(await request(app).get(`${PATH}/${made.body.id}`).set(AUTH), 503, 'ServiceUnavailable');
  });

  it('keeps the turn of a connection drop too when the request fails on its own', async () => {
    const store = new MemoryStore();
    const faults = new FaultEngine({ rules: [{ method: 'POST', drop: 'reset', phase: 'after', times: 1 }] });
    const app = createApp({ store, faults });
    expectGraphError(await request(app).post(PATH).set(AUTH).send({ isHidden: 'x' }), 400, 'BadRequest');
    expect(faults.describe().rules[0]).toMatchObject({ matched: 1, fired: 0 });
    await expect(request(app).post(PATH).set(AUTH).send({ displayName: 'Dropped answer' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(faults.describe().rules[0]).toMatchObject({ matched: 2, fired: 1 });
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['Dropped answer']);
  });

  it('keeps the latency it applied in the journal when the request then fails on its own', async () => {
    const journal = new RequestJournal();
    const faults = new FaultEngine({ rules: [{ method: 'POST', status: 504, phase: 'after', latency: 5 }] });
    const app = createApp({ store: new MemoryStore(), faults, journal });
    expectGraphError(await request(app).post(PATH).set(AUTH).send({ isHidden: 'x' }), 400, 'BadRequest');
    expect(journal.list(() => true).map((e) => e.fault)).toEqual([{ source: 'rules[0]', effect: 'latency 5ms' }]);
  });

  it('names only the rules whose latency it took when the failure after them was not applied', async () => {
    const journal = new RequestJournal();
    const faults = new FaultEngine({
      rules: [
        { method: 'POST', latency: 5, name: 'slow' },
        { method: 'POST', status: 504, phase: 'after', times: 1 },
      ],
    });
    const app = createApp({ store: new MemoryStore(), faults, journal });
    expectGraphError(await request(app).post(PATH).set(AUTH).send({ isHidden: 'x' }), 400, 'BadRequest');
    expect(journal.list(() => true).map((e) => e.fault)).toEqual([{ source: 'rules[0] (slow)', effect: 'latency 5ms' }]);
    expect(faults.describe().rules[1]).toMatchObject({ fired: 0 });
  });

  it('commits durably to the data file: the record is there once after reopening', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'faults-after-'));
    const file = path.join(dir, 'db.json');
    try {
      const store = await FileStore.open(file);
      const app = createApp({ store, faults: new FaultEngine({ rules: [{ method: 'POST', status: 500, phase: 'after' }] }) });
      const res = await request(app).post(PATH).set(AUTH).send({ displayName: 'Durable' });
      expectGraphError(res, 500, 'UnknownError', 'An internal server error occurred.');
      await store.close();

      const reopened = await FileStore.open(file);
      expect(reopened.list('accessPackages').map((p) => p.displayName)).toEqual(['Durable']);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
