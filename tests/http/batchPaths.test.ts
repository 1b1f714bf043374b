// Where a $batch is served (and what only resembles one is not) and what its items inherit from it: `$batch` under either version in any case, with a
// trailing slash, its version named in lower case in what the items answer; and the batch's Host, which every URL an
// item answers (Location, @odata.nextLink) is built on, whatever Host the item names (the batch owns it).
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { accessPackage } from '../support/accessPackages.js';
import { AUTH, expectGraphError } from '../support/graph.js';

const EM = '/identityGovernance/entitlementManagement';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

type Item = { id: string; status: number; headers: Record<string, string>; body?: Record<string, unknown> };

async function batch(app: ReturnType<typeof createApp>, requests: unknown[], headers: Record<string, string> = AUTH, path = '/beta/$batch') {
  const res = await request(app).post(path).set(headers).send({ requests });
  expect(res.status).toBe(200);
  return res.body.responses as Item[];
}

describe('a $batch', () => {
  it("gives each item the batch's Host: the links an item answers name the host the batch was sent to", async () => {
    const store = new MemoryStore();
    const app = createApp({ store });
    await store.create('accessPackages', accessPackage({ displayName: 'One' }));
    await store.create('accessPackages', accessPackage({ displayName: 'Two' }));
    const [created, page] = await batch(
      app,
      [
        { id: '1', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'Sales' } },
        { id: '2', method: 'GET', url: `${EM}/accessPackages?$select=id&$top=1`, headers: { Host: 'elsewhere.example' } },
      ],
      { ...AUTH, Host: 'localhost:4321' },
    );
    expect(created!.headers['Location']).toMatch(new RegExp(`^http://localhost:4321/beta${EM}/accessPackages/[0-9a-f-]{36}$`));
    expect(page!.body!['@odata.nextLink']).toMatch(new RegExp(`^http://localhost:4321/beta${EM}/accessPackages\\?`));
  });

  it.each([
    ['/beta/$batch/', 'beta'],
    ['/BETA/$Batch', 'beta'],
    ['/V1.0/$batch', 'v1.0'],
  ])('serves %s as the batch of its version, named in lower case', async (path, version) => {
    const app = createApp({ store: new MemoryStore() });
    const [item] = await batch(app, [{ id: '1', method: 'GET', url: `${EM}/accessPackages?$top=1` }], AUTH, path);
    expect(item).toMatchObject({
      id: '1',
      status: 200,
      body: { '@odata.context': `https://graph.microsoft.com/${version}/$metadata#identityGovernance/entitlementManagement/accessPackages` },
    });
    const absolute = await request(app)
      .post(path)
      .set(AUTH)
      .send({ requests: [{ id: '1', method: 'GET', url: `https://graph.microsoft.com/${version}${EM}/accessPackages` }] });
    const message = `Invalid batch payload format: the url of request '1' must be relative to /${version}, such as ${EM}/accessPackages.`;
    expectGraphError(absolute, 400, 'BadRequest', message);
  });

  it.each([
    ['/beta/$batches', 400, 'BadRequest', "Resource not found for the segment '$batches'."],
    ['/beta/$batch/x', 400, 'BadRequest', "Resource not found for the segment '$batch'."],
    ['/x/beta/$batch', 404, 'ResourceNotFound', "The resource '/x/beta/$batch' was not found."],
    ['/v1x0/$batch', 404, 'ResourceNotFound', "The resource '/v1x0/$batch' was not found."],
  ])('answers %s, which only resembles a batch, as any unknown path', async (path, status, code, message) => {
    const app = createApp({ store: new MemoryStore() });
    const res = await request(app)
      .post(path)
      .set(AUTH)
      .send({ requests: [{ id: '1', method: 'GET', url: `${EM}/accessPackages` }] });
    expectGraphError(res, status, code, message);
  });
});
