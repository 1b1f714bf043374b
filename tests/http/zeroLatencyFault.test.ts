// A latency that came to 0 ms (a fixed 0, a range or a header's delay that drew 0) is still the latency a rule or the
// header applied: the journal's `fault` names it, as it names any other delay (docs/ci.md, `fault`).
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { RequestJournal } from '../../server/http/requestJournal.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, PACKAGES } from '../support/graph.js';

const UNKNOWN = `${PACKAGES}/7e3c9bb4-62a9-4c0b-9f3f-000000000000`;

describe('a fault whose delay came to 0 ms', () => {
  it('is journaled as latency 0ms, alone, with a status, and when its phase-after failure was not applied', async () => {
    const faults = new FaultEngine({
      rules: [
        { name: 'jitter', method: 'GET', latency: 0, times: 1 },
        { method: 'DELETE', status: 503, latency: { min: 0, max: 0 }, phase: 'after' },
      ],
    });
    const app = createApp({ store: new MemoryStore(), faults, journal: new RequestJournal(10), fixtures: { fixtures: 'empty', seed: 1 } });
    expect((await request(app).get(PACKAGES).set(AUTH)).status).toBe(200);
    expect((await request(app).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'delay=0')).status).toBe(200);
    const failed = await request(app).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'delay=0-0; status=504');
    expect([failed.status, failed.body.error.code]).toEqual([504, 'GatewayTimeout']);
    // The DELETE fails on its own (404): its 503 is not applied, the delay its rule drew was.
    const own = await request(app).delete(UNKNOWN).set(AUTH);
    expect([own.status, own.body.error.code]).toEqual([404, 'ResourceNotFound']);
    const journal = await request(app).get('/_emulator/requests');
    expect(journal.body.value.map((e: { method: string; status: number; fault: unknown }) => [e.method, e.status, e.fault])).toEqual([
      ['GET', 200, { source: 'rules[0] (jitter)', effect: 'latency 0ms' }],
      ['GET', 200, { source: 'X-Emulator-Fault', effect: 'latency 0ms' }],
      ['GET', 504, { source: 'X-Emulator-Fault', effect: 'latency 0ms, status 504' }],
      ['DELETE', 404, { source: 'rules[1]', effect: 'latency 0ms' }],
    ]);
    expect(await request(app).get('/_emulator/faults')).toMatchObject({
      body: {
        rules: [
          { matched: 1, fired: 1 },
          { matched: 1, fired: 0 },
        ],
      },
    });
  });
});
