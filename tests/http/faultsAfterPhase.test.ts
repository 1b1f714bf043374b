import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { FileStore } from '../../server/store/fileStore.js';
import { MemoryStore } from '../../server/store/memoryStore.js';

const PATH = '/beta/identityGovernance/entitlementManagement/accessPackages';
const AUTH = 'Bearer token';

describe('phase "after": executed and committed, then failed', () => {
  it('answers 504 for a create that happened, exactly once, without its Location', async () => {
    const store = new MemoryStore();
    const app = createApp({ store, faults: new FaultEngine({ rules: [{ method: 'POST', status: 504, phase: 'after', times: 1 }] }) });
    const res = await request(app).post(PATH).set('Authorization', AUTH).send({ displayName: 'Happened anyway' });
    expect(res.status).toBe(504);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['location']).toBeUndefined();
    expect(res.headers['odata-version']).toBeUndefined();
    expect(res.body.error).toMatchObject({ code: 'GatewayTimeout', message: 'The operation timed out waiting for an upstream response.' });
    expect(res.body.error.innerError['request-id']).toBe(res.headers['request-id']);
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['Happened anyway']);

    // The naive retry: it succeeds and makes the duplicate a client must be ready for.
    const retry = await request(app).post(PATH).set('Authorization', AUTH).send({ displayName: 'Happened anyway' });
    expect(retry.status).toBe(201);
    expect(store.count('accessPackages')).toBe(2);
  });

  it('lets a request that fails on its own answer with its own error', async () => {
    const store = new MemoryStore();
    const app = createApp({ store, faults: new FaultEngine({ rules: [{ method: 'POST', status: 503, phase: 'after' }] }) });
    const res = await request(app).post(PATH).set('Authorization', AUTH).send({ isHidden: 'Boolean' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
    expect(store.count('accessPackages')).toBe(0);
  });

  it('commits durably to the data file: the record is there once after reopening', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'faults-after-'));
    const file = path.join(dir, 'db.json');
    try {
      const store = await FileStore.open(file);
      const app = createApp({ store, faults: new FaultEngine({ rules: [{ method: 'POST', status: 500, phase: 'after' }] }) });
      const res = await request(app).post(PATH).set('Authorization', AUTH).send({ displayName: 'Durable' });
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('UnknownError');
      await store.close();

      const reopened = await FileStore.open(file);
      expect(reopened.list('accessPackages').map((p) => p.displayName)).toEqual(['Durable']);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
