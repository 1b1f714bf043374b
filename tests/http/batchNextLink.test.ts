// A $batch item's url is JSON text: it may hold a raw space, which a URL may not. Its @odata.nextLink is still a
// URL a client can send, the same one the item gets when it is written with %20, and following it pages on.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { seedPackages } from '../support/accessPackages.js';
import { AUTH, ODATA_JSON, PACKAGES, expectGraphHeaders } from '../support/graph.js';
import { realServer, sendRaw } from '../support/realServer.js';

const EM = '/identityGovernance/entitlementManagement';
/** What RFC 3986 lets a URL hold as it is. */
const URL_TEXT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%#]*$/;

type Item = { id: string; status: number; headers: Record<string, string>; body: Record<string, unknown> };

async function pages() {
  const store = new MemoryStore();
  await seedPackages(store, 5, 'Procurement');
  const app = createApp({ store });
  const res = await request(app)
    .post('/beta/$batch')
    .set(AUTH)
    .send({
      requests: [
        { id: 'raw', method: 'GET', url: `${EM}/accessPackages?$select=id&$top=2&$filter=startswith(displayName, 'Procurement')` },
        { id: 'encoded', method: 'GET', url: `${EM}/accessPackages?$select=id&$top=2&$filter=startswith(displayName,%20'Procurement')` },
      ],
    });
  expect(res.status).toBe(200);
  expectGraphHeaders(res);
  return { app, items: res.body.responses as Item[] };
}

/** The link without its token, which differs as the query's text does. */
function withoutToken(link: string): string {
  return link.replace(/&\$skiptoken=[^&]*$/, '');
}

describe('the nextLink of a $batch item sent with a raw space', () => {
  it('is a valid absolute URL with the space as %20, as for the item sent with %20', async () => {
    const { items } = await pages();
    const [raw, encoded] = items;
    expect(raw!.status).toBe(200);
    expect(raw!.headers['Content-Type']).toBe(ODATA_JSON);
    expect(raw!.body.value).toHaveLength(2);
    const link = raw!.body['@odata.nextLink'] as string;
    expect(link).toMatch(URL_TEXT);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/beta\//);
    expect(withoutToken(link.slice(link.indexOf('/beta/')))).toBe(
      `/beta${EM}/accessPackages?$select=id&$top=2&$filter=startswith(displayName,%20'Procurement')`,
    );
    expect(withoutToken(link)).toBe(withoutToken(encoded!.body['@odata.nextLink'] as string));
  });

  it('is followed on the wire to the next page', async () => {
    const { app, items } = await pages();
    const link = new URL(items[0]!.body['@odata.nextLink'] as string);
    const next = await request(app).get(`${link.pathname}${link.search}`).set(AUTH);
    expect(next.status).toBe(200);
    expectGraphHeaders(next);
    expect(next.headers['content-type']).toBe(ODATA_JSON);
    expect(next.body.value.map((row: { id: string }) => row.id)).toHaveLength(2);
    expect(next.body['@odata.nextLink']).toMatch(URL_TEXT);
  });
});

describe('the URLs of the items of an HTTP/1.0 $batch without Host', () => {
  it('name the address and port the batch reached, as those of the same request sent directly do', async () => {
    const store = new MemoryStore();
    await seedPackages(store, 3);
    const emulator = await realServer({ store });
    try {
      const http10 = (method: string, path: string, body: string) =>
        `${method} ${path} HTTP/1.0\r\nAuthorization: ${AUTH.Authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      const origin = `http://127.0.0.1:${emulator.port}`;
      const direct = await sendRaw(emulator.port, http10('GET', `${PACKAGES}?$top=1&$select=id`, ''));
      expect(direct.body['@odata.nextLink']).toMatch(new RegExp(`^${origin}${PACKAGES}\\?\\$top=1&\\$select=id&\\$skiptoken=`));
      const batch = JSON.stringify({
        requests: [
          { id: 'list', method: 'GET', url: `${EM}/accessPackages?$top=1&$select=id` },
          { id: 'create', method: 'POST', url: `${EM}/accessPackages`, headers: { 'Content-Type': 'application/json' }, body: { displayName: 'x' } },
        ],
      });
      const res = await sendRaw(emulator.port, http10('POST', '/beta/$batch', batch));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      const [list, created] = res.body.responses as Item[];
      expect(list!.body['@odata.nextLink']).toMatch(new RegExp(`^${origin}${PACKAGES}\\?\\$top=1&\\$select=id&\\$skiptoken=`));
      expect(created!.status).toBe(201);
      expect(created!.headers['Location']).toBe(`${origin}${PACKAGES}/${created!.body['id']}`);
    } finally {
      await emulator.close();
    }
  });
});
