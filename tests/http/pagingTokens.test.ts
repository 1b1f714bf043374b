// A $skiptoken pages only the query it was issued for (odata/paging.ts, docs/querying.md): edited by hand, made up,
// or replayed under another $filter, $select, $expand, path or tenant, it is a 400 with the malformed token's message
// instead of a 200 with other records; the same resource written another way follows it.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { AccessPackage } from '../../server/store/records.js';
import { accessPackage, seedPackages } from '../support/accessPackages.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { READ, bearer, unsignedJwt } from '../support/tokens.js';

const INVALID = 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.';

async function seeded(count = 12) {
  const store = new MemoryStore();
  const records = await seedPackages(store, count);
  return { app: createApp({ store }), records };
}

/** The path and query of an answer's nextLink, as a client follows it. */
function nextOf(res: request.Response): string {
  const link = new URL(res.body['@odata.nextLink'] as string);
  return `${link.pathname}${link.search}`;
}

/** The nextLink with its $skiptoken's JSON edited, every byte before the JSON kept. */
function withEditedToken(next: string, edit: (json: Record<string, unknown>) => void): string {
  const token = new URL(next, 'http://x').searchParams.get('$skiptoken')!;
  const bytes = Buffer.from(token, 'base64url');
  const start = bytes.indexOf('{"v":1');
  const json = JSON.parse(bytes.subarray(start).toString('utf8')) as Record<string, unknown>;
  edit(json);
  const forged = Buffer.concat([bytes.subarray(0, start), Buffer.from(JSON.stringify(json))]).toString('base64url');
  return next.replace(token, forged);
}

describe('$skiptoken bound to what it was issued for', () => {
  it('a nextLink followed as returned still pages every record once', async () => {
    const { app, records } = await seeded();
    const ids: string[] = [];
    let url: string | undefined = `${PACKAGES}?$filter=isHidden eq false&$select=displayName&$orderby=createdDateTime desc&$top=3`;
    while (url !== undefined) {
      const res: request.Response = await request(app).get(url).set(AUTH);
      expect(res.status).toBe(200);
      ids.push(...res.body.value.map((r: { id: string }) => r.id));
      url = res.body['@odata.nextLink'] === undefined ? undefined : nextOf(res);
    }
    expect(ids).toEqual(
      records
        .filter((r) => !r.isHidden)
        .reverse()
        .map((r) => r.id),
    );
  });

  it('an edited position and page size is a 400, not another page', async () => {
    const { app, records } = await seeded();
    const first = await request(app).get(PACKAGES).set(AUTH).set('Prefer', 'odata.maxpagesize=2');
    const forged = withEditedToken(nextOf(first), (json) => Object.assign(json, { i: records[6]!.id, n: 2, s: 7 }));
    expectGraphError(await request(app).get(forged).set(AUTH), 400, 'BadRequest', INVALID);
  });

  it('a well-formed token the emulator did not make is a 400, for a date ordering too', async () => {
    const { app } = await seeded();
    const made = Buffer.from(JSON.stringify({ v: 1, i: 'x', o: 'createdDateTime asc', n: 2, k: [5] })).toString('base64url');
    expectGraphError(await request(app).get(`${PACKAGES}?$orderby=createdDateTime&$skiptoken=${made}`).set(AUTH), 400, 'BadRequest', INVALID);
    const first = await request(app).get(`${PACKAGES}?$orderby=createdDateTime&$top=2`).set(AUTH);
    const moved = withEditedToken(nextOf(first), (json) => Object.assign(json, { k: ['2024-01-01T00:00:08.0000000Z'] }));
    expectGraphError(await request(app).get(moved).set(AUTH), 400, 'BadRequest', INVALID);
  });

  it.each([
    ['another $filter', (next: string) => next.replace('isHidden%20eq%20false', 'isHidden%20eq%20true')],
    ['no $filter', (next: string) => next.replace('$filter=isHidden%20eq%20false&', '')],
    ['another $select', (next: string) => next.replace('$select=displayName', '$select=description')],
    ['an $expand added', (next: string) => next.replace('$select=displayName', '$select=displayName&$expand=accessPackageCatalog')],
    ['another path', (next: string) => next.replace(PACKAGES, `${V1}/accessPackages`)],
  ])('the nextLink under %s is a 400', async (_case, change) => {
    const { app } = await seeded();
    const first = await request(app).get(`${PACKAGES}?$filter=isHidden eq false&$select=displayName&$top=2`).set(AUTH);
    const next = nextOf(first);
    const changed = change(next);
    expect(changed).not.toBe(next);
    expectGraphError(await request(app).get(changed).set(AUTH), 400, 'BadRequest', INVALID);
  });

  it("another tenant's token is a 400, even over the same records", async () => {
    const app = createApp({ store: new MemoryStore(), fixtures: { fixtures: 'small', seed: 5, referenceDate: '2026-11-01T00:00:00.000Z' } });
    const as = (tid: string) => bearer(unsignedJwt({ tid, upn: `reader@${tid}.test`, scp: READ }));
    const first = await request(app).get(`${PACKAGES}?$top=2`).set(as('worker-1'));
    expect((await request(app).get(nextOf(first)).set(as('worker-1'))).status).toBe(200);
    expectGraphError(await request(app).get(nextOf(first)).set(as('worker-2')), 400, 'BadRequest', INVALID);
  });
});

describe('a path written another way that names the same resource', () => {
  async function catalogPages() {
    const app = createApp({ store: new MemoryStore() });
    expect((await request(app).post('/_emulator/reset').send({ fixtures: 'small', seed: 42 })).status).toBe(200);
    const catalogs = await request(app).get(`${CATALOGS}?$select=id&$expand=accessPackages($select=id)`).set(AUTH);
    const catalog = (catalogs.body.value as { id: string; accessPackages: unknown[] }[]).find((c) => c.accessPackages.length >= 3)!;
    const first = await request(app).get(`${CATALOGS}('${catalog.id}')/accessPackages?$select=id&$top=1`).set(AUTH);
    expect(first.status).toBe(200);
    const { search } = new URL(first.body['@odata.nextLink'] as string);
    return { app, id: catalog.id, search, firstId: first.body.value[0].id as string };
  }

  it.each([
    ['the quote percent-encoded', (id: string) => `${CATALOGS}(%27${id}%27)/accessPackages`],
    ['the key as a segment, upper case', (id: string) => `${CATALOGS}/${id.toUpperCase()}/accessPackages`],
    ['the key named', (id: string) => `${CATALOGS}(id='${id}')/accessPackages`],
    ['the fixed segments in another case, a trailing slash', (id: string) => `${CATALOGS.toLowerCase()}/${id}/ACCESSPACKAGES/`],
    ['a letter of a fixed segment percent-encoded', (id: string) => `${CATALOGS}/${id}/%61ccessPackages`],
  ])("follows the nextLink with %s, to the catalog's next page", async (_case, pathOf) => {
    const { app, id, search, firstId } = await catalogPages();
    const res = await request(app)
      .get(`${pathOf(id)}${search}`)
      .set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body['@odata.context']).toBe(
      `https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageCatalogs('${id}')/accessPackages(id)`,
    );
    expect(res.body.value).toHaveLength(1);
    expect(res.body.value[0].id).not.toBe(firstId);
  });

  it('still refuses it under another catalog', async () => {
    const { app, id, search } = await catalogPages();
    const other = (await request(app).get(`${CATALOGS}?$select=id`).set(AUTH)).body.value.find((c: { id: string }) => c.id !== id).id;
    expectGraphError(await request(app).get(`${CATALOGS}/${other}/accessPackages${search}`).set(AUTH), 400, 'BadRequest', INVALID);
  });

  it('follows an entity set nextLink under another case of its path', async () => {
    const { app } = await seeded();
    const first = await request(app).get(`${PACKAGES}?$top=2`).set(AUTH);
    const res = await request(app)
      .get(`${PACKAGES.toUpperCase().replace('/BETA/', '/beta/')}${new URL(first.body['@odata.nextLink']).search}`)
      .set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(2);
  });
});

describe('a sort value too long to repeat in a URL', () => {
  const EXPIRED = 'The specified page token value has expired and can no longer be included in your request.';
  const big = (letter: string) => `BIG ${letter}${'x'.repeat(13_000)}`;
  const QUERY = `${PACKAGES}?$filter=startswith(displayName,'BIG')&$orderby=displayName desc&$top=1&$select=id`;

  async function bigPackages() {
    const store = new MemoryStore();
    const records = [big('a'), big('b'), big('c')].map((displayName) => accessPackage({ displayName }));
    for (const record of records) await store.create('accessPackages', record);
    await seedPackages(store, 3);
    return { store, app: createApp({ store }), records };
  }

  it('gives nextLinks a server takes (its token carries a digest, not the value), and pages every record once', async () => {
    const { app, records } = await bigPackages();
    const ids: string[] = [];
    let url: string | undefined = QUERY;
    while (url !== undefined) {
      const res: request.Response = await request(app).get(url).set(AUTH);
      expect(res.status).toBe(200);
      expect(res.headers['odata-version']).toBe('4.0');
      ids.push(...res.body.value.map((r: { id: string }) => r.id));
      const link = res.body['@odata.nextLink'] as string | undefined;
      if (link !== undefined) expect(link.length).toBeLessThan(1_000);
      url = link === undefined ? undefined : nextOf(res);
    }
    expect(ids).toEqual(records.map((r) => r.id).reverse());
  });

  it.each([
    ['renamed', (store: MemoryStore, record: AccessPackage) => store.update('accessPackages', { ...record, displayName: big('d') })],
    ['deleted', (store: MemoryStore, record: AccessPackage) => store.remove('accessPackages', record.id)],
  ])('answers the token of a last record since %s as expired, rather than guess where it was', async (_case, change) => {
    const { store, app, records } = await bigPackages();
    const first = await request(app).get(QUERY).set(AUTH);
    expect(first.body.value).toEqual([{ id: records[2]!.id }]);
    await change(store, records[2]!);
    expectGraphError(await request(app).get(nextOf(first)).set(AUTH), 400, 'BadRequest', EXPIRED);
  });
});
