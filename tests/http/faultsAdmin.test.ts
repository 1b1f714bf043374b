import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, PACKAGES as PATH, expectGraphError } from '../support/graph.js';
import { section } from '../support/markdown.js';

const ADMIN = '/_emulator/faults';

function emulator() {
  const store = new MemoryStore();
  return { store, app: createApp({ store, faults: new FaultEngine({ seed: 5 }) }) };
}

describe('/_emulator/faults', () => {
  it('round-trips the rules with how often each matched and fired', async () => {
    const { app } = emulator();
    const rules = [
      { name: 'third create fails once', method: 'POST', path: PATH, status: 500, after: 2, times: 1 },
      { name: 'slow reads', method: 'GET', latency: { median: 5, sigma: 0.2, max: 20 } },
    ];
    const put = await request(app).put(ADMIN).send({ rules });
    expect(put.status).toBe(200);
    expect(put.headers['content-type']).toMatch(/^application\/json/);
    expect(put.body).toEqual({ rules: rules.map((r) => ({ ...r, matched: 0, fired: 0 })) });

    const created: number[] = [];
    for (let i = 0; i < 4; i += 1)
      created.push(
        (
          await request(app)
            .post(PATH)
            .set(AUTH)
            .send({ displayName: `p${i}` })
        ).status,
      );
    expect(created).toEqual([201, 201, 500, 201]);
    await request(app).get(PATH).set(AUTH);

    const get = await request(app).get(ADMIN);
    expect(get.status).toBe(200);
    expect(get.body.rules.map((r: { matched: number; fired: number }) => [r.matched, r.fired])).toEqual([
      [4, 1],
      [1, 1],
    ]);

    // What GET answers can be PUT back as is (the counters are read-only and start again).
    const restored = await request(app).put(ADMIN).send(get.body);
    expect(restored.status).toBe(200);
    expect(restored.body.rules.map((r: { fired: number }) => r.fired)).toEqual([0, 0]);
  });

  it('POST appends one rule and answers with that rule only; DELETE clears everything', async () => {
    const { app, store } = emulator();
    await request(app)
      .put(ADMIN)
      .send({ rules: [{ method: 'GET', status: 503 }] });
    const post = await request(app).post(ADMIN).send({ method: 'POST', status: 409, message: 'Duplicate.' });
    expect(post.status).toBe(201);
    expect(post.body).toEqual({ method: 'POST', status: 409, message: 'Duplicate.', matched: 0, fired: 0 });
    expect((await request(app).get(ADMIN)).body.rules).toEqual([
      { method: 'GET', status: 503, matched: 0, fired: 0 },
      { method: 'POST', status: 409, message: 'Duplicate.', matched: 0, fired: 0 },
    ]);
    const conflict = await request(app).post(PATH).set(AUTH).send({ displayName: 'x' });
    expectGraphError(conflict, 409, 'Conflict', 'Duplicate.');

    const del = await request(app).delete(ADMIN);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [] });
    expect((await request(app).post(PATH).set(AUTH).send({ displayName: 'x' })).status).toBe(201);
    expect(store.count('accessPackages')).toBe(1);
  });

  it('PUT with "throttle": null switches throttling off and keeps the rules it carries; without the key the profile stays', async () => {
    const { app } = emulator();
    const rules = [{ method: 'DELETE', status: 500 }];
    const on = await request(app)
      .put(ADMIN)
      .send({ rules, throttle: { capacity: 1, refillPerSecond: 0.001 } });
    expect(on.body).toEqual({ rules: [{ ...rules[0], matched: 0, fired: 0 }], throttle: { capacity: 1, refillPerSecond: 0.001 } });
    expect((await request(app).get(PATH).set(AUTH)).status).toBe(200);
    expectGraphError(await request(app).get(PATH).set(AUTH), 429, 'TooManyRequests');
    // A PUT of the rules alone keeps the profile.
    expect((await request(app).put(ADMIN).send({ rules })).body.throttle).toEqual({ capacity: 1, refillPerSecond: 0.001 });

    const off = await request(app).put(ADMIN).send({ rules, throttle: null });
    expect(off.status).toBe(200);
    expect(off.headers['content-type']).toMatch(/^application\/json/);
    expect(off.body).toEqual({ rules: [{ ...rules[0], matched: 0, fired: 0 }] });
    for (let i = 0; i < 3; i += 1) expect((await request(app).get(PATH).set(AUTH)).status).toBe(200);
  });

  it('DELETE switches throttling off with the rules: the client it held back is served again, without throttle headers', async () => {
    const { app } = emulator();
    await request(app)
      .put(ADMIN)
      .send({ rules: [{ method: 'DELETE', status: 500 }], throttle: { capacity: 1, refillPerSecond: 0.001 } })
      .expect(200);
    expect((await request(app).get(PATH).set(AUTH)).status).toBe(200);
    expectGraphError(await request(app).get(PATH).set(AUTH), 429, 'TooManyRequests');

    await request(app).delete(ADMIN).expect(204);
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [] });
    const served = await request(app).get(PATH).set(AUTH);
    expect(served.status).toBe(200);
    expect(served.headers['x-ms-resource-unit']).toBeUndefined();
    // A PUT of rules alone after it brings no profile back.
    expect((await request(app).put(ADMIN).send({ rules: [] })).body).toEqual({ rules: [] });
  });

  it.each<[string, 'put' | 'post', unknown, string]>([
    [
      'a status Graph does not fail with',
      'put',
      { rules: [{ status: 418 }] },
      'rules[0].status must be one of 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504.',
    ],
    ['a rule without effect', 'put', { rules: [{ status: 503 }, { method: 'GET' }] }, 'rules[1] needs an effect: status, latency or drop.'],
    ['a misspelt field', 'post', { status: 503, retry_after: 2 }, "rule: unknown field 'retry_after'."],
    ['a misspelt effect', 'post', { staus: 503 }, "rule: unknown field 'staus'."],
    ['a whole document posted as one rule', 'post', { rules: [{ status: 503 }] }, "rule: unknown field 'rules'."],
    [
      'a rule for the $batch request itself, which no request meets',
      'put',
      { rules: [{ method: 'POST', path: '/beta/$batch', status: 503 }] },
      "rules[0].path '/beta/$batch' is a $batch request itself, which is never faulted: its items are, each by its own method and path (such as /beta/identityGovernance/entitlementManagement/accessPackages).",
    ],
    ['a misspelt effect in a list', 'put', { rules: [{ status: 503 }, { method: 'GET', stauts: 503 }] }, "rules[1]: unknown field 'stauts'."],
    ['a bad probability', 'post', { status: 503, probability: 2 }, 'rule.probability must be <= 1.'],
    ['a bad throttle', 'put', { rules: [], throttle: { capacity: 5 } }, 'throttle.refillPerSecond is required.'],
    ['rules that are not a list', 'put', { rules: { status: 503 } }, 'rules must be array.'],
  ])('answers 400 for %s, naming the field', async (_name, method, body, message) => {
    const { app } = emulator();
    const res = await request(app)
      [method](ADMIN)
      .send(body as object);
    expectGraphError(res, 400, 'BadRequest', message);
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [] });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { app } = emulator();
    const res = await request(app).put(ADMIN).set('Content-Type', 'application/json').send('{"rules": [');
    expectGraphError(res, 400, 'BadRequest', /^Unable to read JSON request payload/);
    expectGraphError(await request(app).post(ADMIN), 400, 'BadRequest', 'A JSON body is required.');
    expectGraphError(await request(app).put(ADMIN), 400, 'BadRequest', 'A JSON body is required.');
    // As docs/faults.md tells a reader who expected an empty PUT to clear the rules.
    expect(section('docs/faults.md', 'Admin API')).toContain('A `PUT` or `POST`\nwithout a body is a `400` "A JSON body is required."');
  });

  it('leaves throttle out of GET while no profile is set, as the Admin API table says', async () => {
    const { app } = emulator();
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [] });
    await request(app)
      .put(ADMIN)
      .send({ throttle: { capacity: 5, refillPerSecond: 1 } })
      .expect(200);
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [], throttle: { capacity: 5, refillPerSecond: 1 } });
    expect(section('docs/faults.md', 'Admin API')).toContain('`throttle` only while a profile is set (`{"rules": []}` with none)');
  });

  it('answers 400 naming a name written twice, and keeps the rules it had', async () => {
    const { app } = emulator();
    await request(app)
      .put(ADMIN)
      .send({ rules: [{ name: 'kept', status: 500 }] });
    const twice = await request(app).put(ADMIN).set('Content-Type', 'application/json').send('{"rules": [{"status": 503}], "rules": []}');
    expectGraphError(
      twice,
      400,
      'BadRequest',
      "Multiple properties with the name 'rules' were detected in a resource or a complex value. In OData, duplicate property names are not allowed.",
    );
    const rule = await request(app).post(ADMIN).set('Content-Type', 'application/json').send('{"status": 503, "latency": 10, "status": 429}');
    expectGraphError(rule, 400, 'BadRequest', /^Multiple properties with the name 'status' were detected/);
    expect((await request(app).get(ADMIN)).body).toEqual({ rules: [{ name: 'kept', status: 500, matched: 0, fired: 0 }] });
  });

  it('restarts the random sequence on PUT, so the same rules replay the same faults', async () => {
    const { app } = emulator();
    const rules = { rules: [{ method: 'GET', status: 503, probability: 0.5 }] };
    const run = async () => {
      await request(app).put(ADMIN).send(rules);
      const out: number[] = [];
      for (let i = 0; i < 20; i += 1) out.push((await request(app).get(PATH).set(AUTH)).status);
      return out;
    };
    const first = await run();
    expect(new Set(first).size).toBe(2);
    expect(await run()).toEqual(first);
  });
});
