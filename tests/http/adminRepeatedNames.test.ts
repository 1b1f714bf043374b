// A JSON body that names a member twice in one object is refused on every admin route that reads a body, in the
// words the Graph routes use: JSON.parse would keep the last value and drop the first without a word (a reset to
// the wrong records, a token for the wrong tenant).
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';

const repeated = (name: string) =>
  `Multiple properties with the name '${name}' were detected in a resource or a complex value. In OData, duplicate property names are not allowed.`;

function app() {
  return createApp({ store: new MemoryStore(), fixtures: { fixtures: 'small', seed: 5 } });
}

async function packageCount(served: ReturnType<typeof createApp>): Promise<number> {
  const token = (await request(served).post('/_emulator/token').send({})).body.access_token as string;
  const list = await request(served).get(`${PACKAGES}?$count=true&$top=1`).set('Authorization', `Bearer ${token}`).set('ConsistencyLevel', 'eventual');
  return list.body['@odata.count'] as number;
}

function post(served: ReturnType<typeof createApp>, method: 'post' | 'put', path: string, body: string) {
  return request(served)[method](path).set('Content-Type', 'application/json').send(body);
}

describe('a member named twice in an admin body', () => {
  it('POST /_emulator/reset refuses it and keeps the data', async () => {
    const served = app();
    await request(served).post('/_emulator/reset').send({ fixtures: 'small', seed: 5 }).expect(200);
    const before = await packageCount(served);
    expect(before).toBeGreaterThan(0);
    const res = await post(served, 'post', '/_emulator/reset', '{"accessPackageCatalogs":[],"accessPackages":[{"id":"x"}],"accessPackages":[]}');
    expectGraphError(res, 400, 'BadRequest', repeated('accessPackages'));
    expect(await packageCount(served)).toBe(before);
  });

  it('POST /_emulator/token refuses it rather than mint a token for the last tenant', async () => {
    const res = await post(app(), 'post', '/_emulator/token', '{"tid":"4d2f9a6c-1b3e-4f70-8a5d-6c9e2b1f0a37","tid":"5e3f9a6c-1b3e-4f70-8a5d-6c9e2b1f0a38"}');
    expectGraphError(res, 400, 'BadRequest', repeated('tid'));
  });

  it('PUT /_emulator/snapshots/{name} refuses it, naming the member', async () => {
    const served = app();
    const res = await post(served, 'put', '/_emulator/snapshots/clean', '{"name":"a","name":"b"}');
    expectGraphError(res, 400, 'BadRequest', repeated('name'));
    expect((await request(served).get('/_emulator/snapshots')).body).toEqual({ value: [] });
  });

  it('PUT /_emulator/faults refuses it, as it did', async () => {
    const res = await post(app(), 'put', '/_emulator/faults', '{"rules":[{"status":503}],"rules":[]}');
    expectGraphError(res, 400, 'BadRequest', repeated('rules'));
  });

  it('a repeat in a nested object of a reset is refused too', async () => {
    const res = await post(app(), 'post', '/_emulator/reset', '{"fixtures":"small","seed":1,"x":{"a":1,"a":2}}');
    expectGraphError(res, 400, 'BadRequest', repeated('a'));
  });
});
