// Faults scoped to a tenant: one test worker's outage, latency or throttling never fails another worker's
// requests, and each worker installs and clears its own rules through /_emulator/faults?tenant=.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { parseFaultSettings } from '../../server/faults/ruleSchema.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

const ADMIN = '/_emulator/faults';
const as = (tid?: string) => bearer(unsignedJwt({ ...(tid === undefined ? {} : { tid }), scp: READ_WRITE }));

function emulator(faults = new FaultEngine({ seed: 5 })) {
  const store = new MemoryStore();
  return { store, app: createApp({ store, faults, fixtures: { fixtures: 'empty', seed: 5 } }) };
}

const statuses = async (app: ReturnType<typeof emulator>['app'], ...tids: (string | undefined)[]) =>
  Promise.all(tids.map(async (tid) => (await request(app).get(PACKAGES).set(as(tid))).status));

describe('a fault rule with a tenant', () => {
  it("fires for that tenant's requests only, whatever the case of the tid, and counts only them", async () => {
    const { app } = emulator();
    const put = await request(app)
      .put(ADMIN)
      .send({ rules: [{ name: 'outage of worker 1', tenant: 'Worker-1', status: 503, retryAfter: 2 }] });
    expect(put.status).toBe(200);

    const failed = await request(app).get(PACKAGES).set(as('worker-1'));
    expectGraphError(failed, 503, 'ServiceUnavailable');
    expect(failed.headers['retry-after']).toBe('2');
    expect(await statuses(app, 'WORKER-1', 'worker-2', undefined)).toEqual([503, 200, 200]);
    expect((await request(app).get(ADMIN)).body).toEqual({
      rules: [{ name: 'outage of worker 1', tenant: 'Worker-1', status: 503, retryAfter: 2, matched: 2, fired: 2 }],
    });
  });

  it('is checked by the faults schema: a tenant that is no tenant id is a 400 naming it', async () => {
    const { app } = emulator();
    const res = await request(app).post(ADMIN).send({ tenant: 'worker 1', status: 500 });
    expectGraphError(res, 400, 'BadRequest', /^rule\.tenant /);
    expect(() => parseFaultSettings({ rules: [{ tenant: 'x'.repeat(129), status: 500 }] })).toThrow(/rules\[0\]\.tenant/);
  });
});

describe("a tenant's random faults", () => {
  // Two rules for every tenant that draw: whether a latency applies and how long, whether the 503 fires.
  const rules = [
    { name: 'sometimes slow', latency: { min: 0, max: 3 }, probability: 0.5 },
    { name: 'sometimes down', status: 503, probability: 0.4 },
  ];
  /**
   * A worker's 30 requests in `tenant`, with worker-2's sent between them as `between(i)` says, and the request
   * `withHeader` carrying an X-Emulator-Fault delay range: each one's status and fault, as the journal has them.
   */
  async function worker(tenant: string, between: (i: number) => number, withHeader = -1): Promise<string[]> {
    const { app } = emulator();
    await request(app).put(ADMIN).send({ rules });
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < between(i); j++) await request(app).get(PACKAGES).set(as('worker-2'));
      const get = request(app).get(PACKAGES).set(as(tenant));
      await (i === withHeader ? get.set('X-Emulator-Fault', 'delay=1-3') : get);
    }
    const journal = await request(app).get(`/_emulator/requests?tenant=${tenant}`);
    expect(journal.body.value).toHaveLength(30);
    return journal.body.value.map((entry: { status: number; fault: { effect: string } | null }) => `${entry.status} ${entry.fault?.effect ?? 'none'}`);
  }

  it("replay the same on every run, whatever another tenant's requests between them, and in whichever tenant", async () => {
    const alone = await worker('worker-1', () => 0);
    expect(await worker('worker-1', (i) => i % 3)).toEqual(alone);
    // Both rules fired at times and held back at times, and the latencies differ: the sequence is no constant.
    expect(alone.filter((line) => line.startsWith('503')).length).toBeGreaterThan(3);
    expect(alone.filter((line) => line.startsWith('200')).length).toBeGreaterThan(3);
    expect(new Set(alone.filter((line) => line.includes('latency'))).size).toBeGreaterThan(1);
    // jest gives a test file another worker, so another tenant, from run to run: its faults stay the same.
    expect(await worker('worker-3', () => 0)).toEqual(alone);
  });

  it("leave the rules' draws where they were when one request carries its own delay range in X-Emulator-Fault", async () => {
    const alone = await worker('worker-1', () => 0);
    const withHeader = await worker('worker-1', () => 0, 3);
    expect(withHeader[3]).toMatch(/^200 latency [123]ms$/);
    // The header's request takes no turn of the rules: the requests after it meet what the 4th on met alone.
    expect([...withHeader.slice(0, 3), ...withHeader.slice(4)]).toEqual(alone.slice(0, 29));
  });
});

describe('/_emulator/faults?tenant=', () => {
  it("installs, lists and clears one tenant's rules, leaving every other rule and its counters alone", async () => {
    const { app } = emulator();
    await request(app)
      .put(ADMIN)
      .send({ rules: [{ name: 'everyone slow', latency: 1 }] });
    const one = await request(app).post(`${ADMIN}?tenant=worker-1`).send({ status: 500 });
    expect(one.status).toBe(201);
    expect(one.body).toEqual({ status: 500, tenant: 'worker-1', matched: 0, fired: 0 });
    const two = await request(app)
      .put(`${ADMIN}?tenant=worker-2`)
      .send({ rules: [{ status: 404 }, { tenant: 'WORKER-2', method: 'POST', status: 409 }] });
    expect(two.status).toBe(200);
    expect(two.body).toEqual({
      rules: [
        { status: 404, tenant: 'worker-2', matched: 0, fired: 0 },
        { tenant: 'WORKER-2', method: 'POST', status: 409, matched: 0, fired: 0 },
      ],
    });
    expect(await statuses(app, 'worker-1', 'worker-2', 'worker-3')).toEqual([500, 404, 200]);

    // Replacing worker 2's rules keeps worker 1's and the shared one, with their counts.
    await request(app).put(`${ADMIN}?tenant=worker-2`).send({ rules: [] }).expect(200);
    expect((await request(app).get(ADMIN)).body.rules).toEqual([
      { name: 'everyone slow', latency: 1, matched: 3, fired: 3 },
      { status: 500, tenant: 'worker-1', matched: 1, fired: 1 },
    ]);
    expect((await request(app).get(`${ADMIN}?tenant=worker-1`)).body).toEqual({ rules: [{ status: 500, tenant: 'worker-1', matched: 1, fired: 1 }] });

    const cleared = await request(app).delete(`${ADMIN}?tenant=worker-1`);
    expect(cleared.status).toBe(204);
    expect((await request(app).get(ADMIN)).body.rules).toEqual([{ name: 'everyone slow', latency: 1, matched: 3, fired: 3 }]);
    expect(await statuses(app, 'worker-1', 'worker-2')).toEqual([200, 200]);
  });

  it("puts a tenant's new rules where its old ones stood, so a rule for everyone below them still comes after them", async () => {
    const { app } = emulator();
    await request(app)
      .put(ADMIN)
      .send({
        rules: [
          { tenant: 'worker-1', status: 404 },
          { name: 'outage', status: 503 },
          { tenant: 'worker-2', status: 409 },
        ],
      })
      .expect(200);
    await request(app)
      .put(`${ADMIN}?tenant=worker-1`)
      .send({ rules: [{ status: 500 }, { method: 'POST', status: 400 }] })
      .expect(200);
    // A tenant with no rule yet gets its rules at the end.
    await request(app)
      .put(`${ADMIN}?tenant=worker-3`)
      .send({ rules: [{ status: 502 }] })
      .expect(200);
    expect((await request(app).get(ADMIN)).body.rules).toEqual([
      { status: 500, tenant: 'worker-1', matched: 0, fired: 0 },
      { method: 'POST', status: 400, tenant: 'worker-1', matched: 0, fired: 0 },
      { name: 'outage', status: 503, matched: 0, fired: 0 },
      { tenant: 'worker-2', status: 409, matched: 0, fired: 0 },
      { status: 502, tenant: 'worker-3', matched: 0, fired: 0 },
    ]);
    // Worker 1's rule still decides its requests before the outage for everyone.
    expectGraphError(await request(app).get(PACKAGES).set(as('worker-1')), 500, 'UnknownError');
    expectGraphError(await request(app).get(PACKAGES).set(as('worker-3')), 503, 'ServiceUnavailable');
  });

  it("counts the other tenants' rules against the 1,000 an emulator holds, not the ones a PUT ?tenant= replaces", async () => {
    const { app } = emulator();
    const shared = Array.from({ length: 998 }, (_, i) => ({ path: `/beta/x${i}`, status: 500 }));
    await request(app)
      .put(ADMIN)
      .send({ rules: [...shared, { tenant: 'Worker-1', status: 404 }] })
      .expect(200);
    // 998 other rules and 2 of its own: the most, and worker 1's old rule goes.
    const full = await request(app)
      .put(`${ADMIN}?tenant=worker-1`)
      .send({ rules: [{ status: 409 }, { method: 'POST', status: 400 }] });
    expect(full.status).toBe(200);
    expect(full.body.rules).toEqual([
      { status: 409, tenant: 'worker-1', matched: 0, fired: 0 },
      { method: 'POST', status: 400, tenant: 'worker-1', matched: 0, fired: 0 },
    ]);
    expectGraphError(await request(app).get(PACKAGES).set(as('worker-1')), 409, 'Conflict');

    const over = await request(app)
      .put(`${ADMIN}?tenant=worker-1`)
      .send({ rules: [{ status: 502 }, { status: 503 }, { status: 504 }] });
    expectGraphError(over, 400, 'BadRequest', "The other tenants' 998 rules and these 3 exceed 1000, the most an emulator holds.");
    expect((await request(app).get(`${ADMIN}?tenant=worker-1`)).body.rules).toEqual([
      { status: 409, tenant: 'worker-1', matched: 1, fired: 1 },
      { method: 'POST', status: 400, tenant: 'worker-1', matched: 0, fired: 0 },
    ]);
    expect((await request(app).get(ADMIN)).body.rules).toHaveLength(1000);
  });

  it('refuses a rule naming another tenant, and a throttling profile, with a 400 that says why', async () => {
    const { app } = emulator();
    expectGraphError(
      await request(app).post(`${ADMIN}?tenant=worker-1`).send({ tenant: 'worker-2', status: 500 }),
      400,
      'BadRequest',
      "rule.tenant is 'worker-2', not the tenant ?tenant= names ('worker-1').",
    );
    expectGraphError(
      await request(app)
        .put(`${ADMIN}?tenant=worker-1`)
        .send({ rules: [], throttle: { capacity: 1, refillPerSecond: 1 } }),
      400,
      'BadRequest',
      'The throttling profile is one for the whole emulator: set it with PUT /_emulator/faults without ?tenant=, its tenant field naming the tenant.',
    );
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [] });
  });
});

describe('a throttling profile with a tenant', () => {
  it("throttles that tenant's clients only; DELETE ?tenant= removes it with the tenant's rules", async () => {
    const { app } = emulator();
    await request(app)
      .put(ADMIN)
      .send({ throttle: { capacity: 1, refillPerSecond: 0.001, tenant: 'worker-1' } })
      .expect(200);
    expect(await statuses(app, 'worker-1', 'worker-1', 'worker-2', 'worker-2', undefined)).toEqual([200, 429, 200, 200, 200]);
    const other = await request(app).get(PACKAGES).set(as('worker-2'));
    expect(other.headers['x-ms-resource-unit']).toBeUndefined();
    expect((await request(app).get(`${ADMIN}?tenant=worker-1`)).body).toEqual({
      rules: [],
      throttle: { capacity: 1, refillPerSecond: 0.001, tenant: 'worker-1' },
    });
    expect((await request(app).get(`${ADMIN}?tenant=worker-2`)).body).toEqual({ rules: [] });
    // What GET ?tenant= answers can be PUT back as is, the tenant's profile unchanged with it.
    const shown = (await request(app).get(`${ADMIN}?tenant=worker-1`)).body;
    const back = await request(app).put(`${ADMIN}?tenant=worker-1`).send(shown);
    expect(back.status).toBe(200);
    expect(back.body).toEqual(shown);
    expectGraphError(
      await request(app)
        .put(`${ADMIN}?tenant=worker-1`)
        .send({ ...shown, throttle: { ...shown.throttle, capacity: 2 } }),
      400,
      'BadRequest',
      /^The throttling profile is one for the whole emulator/,
    );
    await request(app).delete(`${ADMIN}?tenant=worker-1`).expect(204);
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [] });
  });

  it('matches the tenant it names whatever its case; DELETE ?tenant= of another tenant leaves it in place', async () => {
    const { app } = emulator();
    const profile = { capacity: 1, refillPerSecond: 0.001, tenant: 'Worker-1' };
    await request(app).put(ADMIN).send({ throttle: profile }).expect(200);
    expect(await statuses(app, 'WORKER-1', 'WORKER-1', 'worker-2')).toEqual([200, 429, 200]);
    expect((await request(app).get(`${ADMIN}?tenant=worker-1`)).body).toEqual({ rules: [], throttle: profile });

    await request(app).delete(`${ADMIN}?tenant=worker-2`).expect(204);
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [], throttle: profile });
    expect(await statuses(app, 'WORKER-1')).toEqual([429]);

    await request(app).delete(`${ADMIN}?tenant=WORKER-1`).expect(204);
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [] });
    expect(await statuses(app, 'WORKER-1', 'WORKER-1')).toEqual([200, 200]);
  });
});
