import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine, type FaultEngineOptions } from '../../server/faults/engine.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, PACKAGES as PATH, expectGraphError } from '../support/graph.js';
import { readPage } from '../support/markdown.js';

function emulator(options: FaultEngineOptions = {}) {
  const store = new MemoryStore();
  const faults = new FaultEngine(options);
  return { store, faults, app: createApp({ store, faults }) };
}

describe('status faults', () => {
  it.each<[number, string, string, string | undefined]>([
    [400, 'BadRequest', 'Bad request.', undefined],
    [401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', undefined],
    [403, 'UnAuthorized', 'User is not authorized to perform the operation. Reason: Unauthorized', undefined],
    [404, 'ResourceNotFound', 'The resource was not found.', undefined],
    [409, 'Conflict', 'The request conflicts with the current state of the resource.', undefined],
    [412, 'PreconditionFailed', "A precondition provided in the request does not match the resource's current state.", undefined],
    [429, 'TooManyRequests', 'Please retry again later.', '10'],
    [500, 'UnknownError', 'An internal server error occurred.', undefined],
    [502, 'BadGateway', 'The server received an invalid response from an upstream server.', undefined],
    [503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry again later.', undefined],
    [504, 'GatewayTimeout', 'The operation timed out waiting for an upstream response.', undefined],
  ])("%i answers %s in Graph's envelope and leaves no trace", async (status, code, message, retryAfter) => {
    const { app, store } = emulator({ rules: [{ method: 'POST', path: PATH, status: status as 400 }] });
    const res = await request(app).post(PATH).set(AUTH).set('client-request-id', 'my-id').send({ displayName: 'x' });
    expectGraphError(res, status, code, message);
    expect(res.headers['client-request-id']).toBe('my-id');
    expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['retry-after']).toBe(retryAfter);
    expect(res.headers['www-authenticate']).toEqual(status === 401 ? expect.stringMatching(/^Bearer realm=""/) : undefined);
    expect(store.count('accessPackages')).toBe(0);
  });

  it.each([
    [`${PATH}/filterByCurrentUser(on=microsoft.graph.accessPackageFilterByCurrentUserOptions'allowedRequestor')`],
    [`${PATH}/filterByCurrentUser(on=@p)?@p='allowedRequestor'`],
    [`${PATH}/filterByCurrentUser(%20on%20=%20'allowedRequestor'%20)`],
  ])("fires a rule for filterByCurrentUser(on='allowedRequestor') on %s, and its Retry-After waits for it", async (url) => {
    const path = `${PATH}/filterByCurrentUser(on='allowedRequestor')`;
    const { app } = emulator({ rules: [{ method: 'GET', path, status: 429, retryAfter: 30, times: 1 }] });
    const first = await request(app).get(url).set(AUTH);
    expectGraphError(first, 429, 'TooManyRequests', 'Please retry again later.');
    expect(first.headers['retry-after']).toBe('30');
    const again = await request(app).get(`${path}`).set(AUTH);
    expectGraphError(again, 429, 'TooManyRequests');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('carries a custom code, message and Retry-After', async () => {
    const { app } = emulator({ rules: [{ status: 503, retryAfter: 2, code: 'serviceNotAvailable', message: 'Maintenance window.' }] });
    const res = await request(app).get(PATH).set(AUTH);
    expectGraphError(res, 503, 'serviceNotAvailable', 'Maintenance window.');
    expect(res.headers['retry-after']).toBe('2');
  });

  it("never faults the emulator's own endpoints, and auth still comes first", async () => {
    const { app } = emulator({ rules: [{ status: 500 }] });
    const health = await request(app).get('/_emulator/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    const anonymous = await request(app).get(PATH);
    expectGraphError(anonymous, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
  });

  it('never faults the CSDL document, alone or in a batch, as docs/faults.md says', async () => {
    const { app, faults } = emulator({ rules: [{ status: 503 }], throttle: { capacity: 1, refillPerSecond: 0.001 } });
    for (let i = 0; i < 2; i += 1) {
      const metadata = await request(app).get('/beta/$metadata').set('X-Emulator-Fault', 'status=500');
      expect(metadata.status).toBe(200);
      expect(metadata.headers['content-type']).toMatch(/^application\/xml/);
    }
    const batch = await request(app)
      .post('/beta/$batch')
      .set(AUTH)
      .send({ requests: [{ id: '1', method: 'GET', url: '/$metadata', headers: { 'X-Emulator-Fault': 'status=500' } }] });
    expect(batch.body.responses).toEqual([expect.objectContaining({ id: '1', status: 200 })]);
    expect(faults.describe().rules).toEqual([expect.objectContaining({ matched: 0, fired: 0 })]);
    // The page that lists what is never faulted names it.
    expect(readPage('docs/faults.md').replace(/\s+/g, ' ')).toContain('nor is the CSDL document (`GET /beta/$metadata`, `/v1.0/$metadata`');
  });

  it('lets CORS preflights through', async () => {
    const { app } = emulator({ rules: [{ status: 500 }] });
    const preflight = {
      Origin: 'http://localhost:3000',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type,x-emulator-fault',
    };
    const res = await request(app).options(PATH).set(preflight);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(res.headers['access-control-allow-headers']).toBe('authorization,content-type,x-emulator-fault');
  });

  it('adds latency before answering', async () => {
    const { app, store } = emulator({ rules: [{ method: 'POST', latency: 80 }] });
    const started = performance.now();
    const res = await request(app).post(PATH).set(AUTH).send({ displayName: 'slow' });
    // A lower bound only: the delay must have happened; how fast the machine is does not matter.
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ displayName: 'slow' });
    expect(store.count('accessPackages')).toBe(1);
  });
});

describe('a rule for GET', () => {
  it('fails a HEAD, the GET it is served as, with the same status and headers, and counts it', async () => {
    const { app, faults } = emulator({ rules: [{ method: 'GET', path: PATH, status: 429, retryAfter: 7 }] });
    const head = await request(app).head(PATH).set(AUTH).set('client-request-id', 'head-id');
    expect(head.status).toBe(429);
    expect(head.headers['retry-after']).toBe('7');
    expect(head.headers['client-request-id']).toBe('head-id');
    expect(head.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(head.headers['content-type']).toBe('application/json');
    expect(head.text).toBeUndefined();
    expect(faults.describe().rules).toEqual([expect.objectContaining({ matched: 1, fired: 1 })]);
    // The GET that follows is the HEAD's retry, before its Retry-After has passed.
    const get = await request(app).get(PATH).set(AUTH);
    expectGraphError(get, 429, 'TooManyRequests', 'Please retry again later.');
    expect(Number(get.headers['retry-after'])).toBeGreaterThan(0);
    expect(faults.describe().rules).toEqual([expect.objectContaining({ matched: 1, fired: 1 })]);
  });
});

describe('X-Emulator-Fault header', () => {
  it('injects a fault into one request only', async () => {
    const { app } = emulator();
    const faulted = await request(app).get(PATH).set(AUTH).set('X-Emulator-Fault', 'status=503; retry-after=2');
    expectGraphError(faulted, 503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry again later.');
    expect(faulted.headers['retry-after']).toBe('2');
    const clean = await request(app).post(PATH).set(AUTH).send({ displayName: 'ok' });
    expect(clean.status).toBe(201);
  });

  it('wins over the rules', async () => {
    const { app } = emulator({ rules: [{ status: 500 }] });
    const res = await request(app).get(PATH).set(AUTH).set('X-Emulator-Fault', 'status=404');
    expectGraphError(res, 404, 'ResourceNotFound', 'The resource was not found.');
  });

  it('answers 400 naming the bad key', async () => {
    const { app } = emulator();
    const res = await request(app).get(PATH).set(AUTH).set('X-Emulator-Fault', 'status=503; retry-after=later');
    expectGraphError(res, 400, 'BadRequest', 'X-Emulator-Fault retry-after must be integer.');
  });

  it('answers 400 saying the header came twice, which arrives as one header joined by a comma', async () => {
    const { app } = emulator();
    // A list is sent as two header lines (Node's setHeader); supertest's types take one only for Cookie.
    const twice = ['status=503', 'delay=10'] as unknown as string;
    const res = await request(app).get(PATH).set(AUTH).set('X-Emulator-Fault', twice);
    expectGraphError(
      res,
      400,
      'BadRequest',
      "X-Emulator-Fault is sent more than once (its values arrive joined by ', '): send it once, its pairs separated by ';'.",
    );
  });
});

describe('reproducibility', () => {
  async function statuses(seed: number): Promise<number[]> {
    const { app } = emulator({ seed, rules: [{ method: 'POST', status: 503, probability: 0.5 }] });
    const out: number[] = [];
    for (let i = 0; i < 40; i += 1)
      out.push(
        (
          await request(app)
            .post(PATH)
            .set(AUTH)
            .send({ displayName: `n${i}` })
        ).status,
      );
    return out;
  }

  it('gives the same faults for the same seed and request sequence', async () => {
    const first = await statuses(11);
    expect(first).toContain(503);
    expect(first).toContain(201);
    expect(await statuses(11)).toEqual(first);
    expect(await statuses(12)).not.toEqual(first);
  });
});

describe('a rule for one package', () => {
  it('fires however the package is asked for: its key in parentheses (encoded too), percent-encoded, a trailing slash in the request or the rule', async () => {
    const { app, store, faults } = emulator();
    const created = await request(app).post(PATH).set(AUTH).send({ displayName: 'Guarded' }).expect(201);
    const id = created.body.id as string;
    faults.replace({ rules: [{ method: 'GET', path: `${PATH}/${id}/`, status: 503 }] });
    const spellings = [
      `${PATH}/${id}`,
      `${PATH}/${id}/`,
      `${PATH}('${id}')`,
      `${PATH}(${id})`,
      `${PATH}(id='${id}')`,
      `${PATH}(Id = ${id})`,
      `${PATH}/('${id}')`,
      `${PATH}/%${id.charCodeAt(0).toString(16)}${id.slice(1)}`,
      `${PATH}/%28'${id}'%29`,
      `${PATH}/%28%27${id}%27%29`,
      `${PATH}/%28id='${id}'%29`,
    ];
    for (const path of spellings) expectGraphError(await request(app).get(path).set(AUTH), 503, 'ServiceUnavailable');
    expect(faults.describe().rules[0]).toMatchObject({ matched: spellings.length, fired: spellings.length });
    // Another package is not this one, however it is spelt.
    const other = await request(app).post(PATH).set(AUTH).send({ displayName: 'Free' }).expect(201);
    const free = await request(app).get(`${PATH}('${other.body.id}')`).set(AUTH);
    expect(free.status).toBe(200);
    expect(free.body).toMatchObject({ displayName: 'Free' });
    expect(store.count('accessPackages')).toBe(2);
  });
});

describe('a rule whose path is written in a key form', () => {
  it('fires for the package however it is asked for, as a rule written with the key as a segment does', async () => {
    const { app, faults } = emulator();
    const id = (await request(app).post(PATH).set(AUTH).send({ displayName: 'Keyed' }).expect(201)).body.id as string;
    faults.replace({ rules: [{ method: 'GET', path: `${PATH}('${id}')`, status: 503 }] });
    for (const path of [`${PATH}('${id}')`, `${PATH}/${id}`, `${PATH}(id='${id}')`]) {
      const res = await request(app).get(path).set(AUTH);
      expectGraphError(res, 503, 'ServiceUnavailable');
    }
    expect(faults.describe().rules[0]).toMatchObject({ path: `${PATH}('${id}')`, matched: 3, fired: 3 });
    const list = await request(app).get(PATH).set(AUTH).expect(200);
    expect(list.body.value.map((p: { id: string }) => p.id)).toEqual([id]);
  });

  it('refuses a key in parentheses holding glob characters with a 400 naming the form to write', async () => {
    const { app, faults } = emulator();
    const res = await request(app)
      .put('/_emulator/faults')
      .send({ rules: [{ path: "/beta/**/accessPackages('*')", status: 503 }] });
    expectGraphError(
      res,
      400,
      'BadRequest',
      "rules[0].path writes a key in parentheses with glob characters ('accessPackages('*')'), which matches no path: paths are matched with the key as a segment of its own; write 'accessPackages/*' instead.",
    );
    expect(faults.describe().rules).toEqual([]);
  });
});

describe('a rule for any package', () => {
  it('fires for every key form the routes serve as the package: by id, by its name, by the alternate key', async () => {
    const { app, store, faults } = emulator();
    const created = await request(app).post(PATH).set(AUTH).send({ displayName: 'Kept', uniqueName: 'kept' }).expect(201);
    const id = created.body.id as string;
    faults.replace({ rules: [{ method: 'DELETE', path: '/beta/**/accessPackages/*', status: 503, retryAfter: 1 }] });
    const spellings = [`${PATH}('${id}')`, `${PATH}(id='${id}')`, `${PATH}(uniqueName='kept')`, `${PATH}/(uniqueName='kept')`];
    for (const path of spellings) {
      const res = await request(app).delete(path).set(AUTH);
      expectGraphError(res, 503, 'ServiceUnavailable');
      expect(res.headers['retry-after']).toBe('1');
    }
    expect(faults.describe().rules[0]).toMatchObject({ matched: spellings.length, fired: spellings.length });
    expect(store.get('accessPackages', id)).toMatchObject({ displayName: 'Kept', uniqueName: 'kept' });
    // A rule for one alternate key is that package's only.
    faults.replace({ rules: [{ method: 'GET', path: "/beta/**/accessPackages/(uniqueName='kept')", status: 503 }] });
    expectGraphError(await request(app).get(`${PATH}(UNIQUENAME = 'kept')`).set(AUTH), 503, 'ServiceUnavailable');
    const byId = await request(app).get(`${PATH}(id='${id}')`).set(AUTH);
    expect([byId.status, byId.body.uniqueName]).toEqual([200, 'kept']);
  });
});
