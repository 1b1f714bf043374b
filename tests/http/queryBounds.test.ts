// OData query options cannot make one request do unbounded work or fail on the server: $orderby names each
// property once and at most MAX_ORDERBY_KEYS of them, $skip past the data costs a scan, every $skiptoken
// that is not one the emulator issued is a 400, and an $expand that would multiply into a huge answer is a 400
// before its text is made.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cpuMsOf } from '../support/cpuTime.js';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MAX_ORDERBY_KEYS } from '../../server/odata/queryOptions.js';
import { MAX_EXPANDED_JSON_CHARS } from '../../server/expansionBudget.js';
import { newGeneralCatalog } from '../../server/resources/generalCatalog.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, expectGraphError } from '../support/graph.js';

const store = new MemoryStore();
const app = createApp({ store });
const RECORDS = 20_000;
const catalog = newGeneralCatalog();
// One catalog holds every package, each about 1,300 characters of JSON: the catalog with its packages expanded
// is more than MAX_EXPANDED_JSON_CHARS alone.
const DESCRIPTION = 'Long description. '.repeat(60);

beforeAll(async () => {
  const records = Array.from({ length: RECORDS }, (_, i) =>
    accessPackage({ displayName: `Package ${i}`, isHidden: i % 2 === 0, catalogId: catalog.id, description: DESCRIPTION }),
  );
  await store.replaceAll(datasetOf({ accessPackages: records, accessPackageCatalogs: [catalog] }));
});

const TOO_LARGE = `The $expand in this request would make an answer of more than ${MAX_EXPANDED_JSON_CHARS} characters. Ask for fewer records ($top), fewer properties (a nested $select) or fewer related records (a nested $top or $filter).`;

/** A request and the CPU it took (tests/support/cpuTime.ts), which the bounds below hold generously. */
async function timed(url: string) {
  const { value: res, cpuMs } = await cpuMsOf(() => request(app).get(url).set(AUTH));
  return { res, ms: cpuMs };
}

describe('$orderby', () => {
  it('refuses a property named twice, as Graph does', async () => {
    const { res } = await timed(`${PACKAGES}?$orderby=isHidden,displayName desc,IsHidden desc`);
    expectGraphError(res, 400, 'BadRequest', "Duplicate property named 'isHidden' is not supported in '$orderby'.");
  });

  it("refuses an empty clause as Graph's OData library does, naming where an expression was expected", async () => {
    const cases: [string, number][] = [
      ['displayName,', 12],
      ['displayName, ', 13],
      [',displayName', 0],
      ['displayName,,isHidden desc', 12],
      ['displayName desc, ,isHidden', 18],
    ];
    for (const [orderby, position] of cases) {
      const { res } = await timed(`${PACKAGES}?$orderby=${encodeURIComponent(orderby)}`);
      expectGraphError(res, 400, 'BadRequest', `Expression expected at position ${position} in '${orderby}'.`);
    }
    const { res } = await timed(`${PACKAGES}?$orderby=${encodeURIComponent(' displayName desc , isHidden ')}&$top=1`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
  });

  it(`refuses more than ${MAX_ORDERBY_KEYS} keys, at once, even 1,700 of them with a huge $skip`, async () => {
    const { res, ms } = await timed(`${PACKAGES}?$orderby=${Array(1_700).fill('isHidden').join(',')}&$skip=1000000000`);
    expectGraphError(res, 400, 'BadRequest', `The $orderby query option may name at most ${MAX_ORDERBY_KEYS} properties; it names 1700.`);
    expect(ms).toBeLessThan(1_000);
  });
});

describe('$skip past the data', () => {
  it('answers an empty page, with the count, in about the time of one scan', async () => {
    const { res, ms } = await timed(`${PACKAGES}?$orderby=isHidden desc,displayName,createdDateTime,id&$skip=2147483647&$count=true&$filter=isHidden eq true`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ '@odata.count': RECORDS / 2, value: [] });
    expect(res.body['@odata.nextLink']).toBeUndefined();
    expect(ms).toBeLessThan(1_000);
  });

  it('just before the end still orders', async () => {
    const { res } = await timed(`${PACKAGES}?$orderby=displayName desc&$skip=${RECORDS - 1}`);
    expect(res.body.value.map((r: { displayName: string }) => r.displayName)).toEqual(['Package 0']);
  });
});

describe('$skiptoken', () => {
  const token = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');
  const valid = { v: 1, i: 'x', o: 'displayName asc', n: 10 };
  it.each([
    ['a key that is an object with its own toString', token({ ...valid, k: [{ toString: 1 }] })],
    ['a key that is an array', token({ ...valid, k: [[1]] })],
    ['more keys than the order has', token({ ...valid, k: ['a', 'b'] })],
    ['no keys for an order', token({ ...valid, k: [] })],
    ['a sequence number past safe integers', token({ ...valid, k: ['a'], s: 1e300 })],
    ['not JSON', Buffer.from('{').toString('base64url')],
    ['JSON null', token(null)],
    ['not base64url', '%%%'],
  ])('%s is a 400', async (_case, skiptoken) => {
    const { res } = await timed(`${PACKAGES}?$orderby=displayName&$skiptoken=${encodeURIComponent(skiptoken)}`);
    expectGraphError(res, 400, 'BadRequest');
  });

  it('one the emulator issued still works', async () => {
    const first = await timed(`${PACKAGES}?$orderby=displayName&$top=2`);
    const next = new URL(first.res.body['@odata.nextLink'] as string);
    const { res } = await timed(`${next.pathname}${next.search}`);
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(2);
    expect(res.body.value[0].displayName > first.res.body.value[1].displayName).toBe(true);
  });
});

describe('$expand', () => {
  it('refuses an answer that would repeat a large expansion under every record of the page, at once', async () => {
    // Each package's catalog carries the same 20,000 packages: three of them would be about 75 MB of text, all 999
    // of them 25 GB, which could never be one string.
    for (const top of [3, 999]) {
      const { res, ms } = await timed(`${PACKAGES}?$top=${top}&$select=id&$expand=accessPackageCatalog($expand=accessPackages)`);
      expectGraphError(res, 400, 'BadRequest', TOO_LARGE);
      expect(ms).toBeLessThan(2_000);
    }
  });

  it('refuses one entity whose expansion alone passes the bound, on a get by id too', async () => {
    const list = await timed(`${PACKAGES}?$top=1&$expand=accessPackageCatalog($expand=accessPackages)`);
    expectGraphError(list.res, 400, 'BadRequest', TOO_LARGE);
    const one = await timed(`${PACKAGES}/${store.list('accessPackages')[0]!.id}?$expand=accessPackageCatalog($expand=accessPackages)`);
    expectGraphError(one.res, 400, 'BadRequest', TOO_LARGE);
  });

  it('answers the same catalog narrowed to what fits, whole, under each package', async () => {
    const { res } = await timed(`${PACKAGES}?$top=2&$select=id&$expand=accessPackageCatalog($select=id;$expand=accessPackages($select=id))`);
    expect(res.status).toBe(200);
    const [first, second] = res.body.value as { accessPackageCatalog: { id: string; accessPackages: { id: string }[] } }[];
    expect(first!.accessPackageCatalog.id).toBe(catalog.id);
    expect(first!.accessPackageCatalog.accessPackages).toHaveLength(RECORDS);
    expect(first!.accessPackageCatalog.accessPackages[RECORDS - 1]).toEqual({ id: store.list('accessPackages')[RECORDS - 1]!.id });
    expect(second!.accessPackageCatalog).toEqual(first!.accessPackageCatalog);
  });

  it('shares one bound among the items of a $batch', async () => {
    // Each item's catalog with its 10,000 hidden packages is about 11 MB: alone within the bound, two of them past it.
    const url = `/identityGovernance/entitlementManagement/accessPackageCatalogs/${catalog.id}?$select=id&$expand=accessPackages($select=id,description;$filter=isHidden eq true)`;
    const alone = await request(app).get(`/beta${url}`).set(AUTH);
    expect(alone.status).toBe(200);
    const { '@odata.context': _context, ...entity } = alone.body as Record<string, unknown>;
    const chars = JSON.stringify(entity).length;
    expect(chars).toBeGreaterThan(MAX_EXPANDED_JSON_CHARS / 2);
    const res = await request(app)
      .post('/beta/$batch')
      .set(AUTH)
      .send({ requests: ['1', '2'].map((id) => ({ id, method: 'GET', url })) });
    expect(res.status).toBe(200);
    const [first, second] = res.body.responses as { id: string; status: number; body: { error?: { code: string; message: string } } }[];
    expect(first!.status).toBe(200);
    expect(second!.status).toBe(400);
    expect(second!.body.error!.code).toBe('BadRequest');
    expect(second!.body.error!.message).toBe(
      `The $expand in this request would make an answer of more than the ${MAX_EXPANDED_JSON_CHARS - chars} characters left of the ${MAX_EXPANDED_JSON_CHARS} that the requests of one $batch share. Ask for fewer records ($top), fewer properties (a nested $select) or fewer related records (a nested $top or $filter).`,
    );
  });
});

describe('what the $expand bound counts', () => {
  /** A store of its own holding a catalog of 20 packages, each with a description of 800,000 characters. */
  function bigCatalog() {
    const own = new MemoryStore();
    const ownCatalog = newGeneralCatalog();
    const packages = Array.from({ length: 20 }, (_, i) =>
      accessPackage({ displayName: `Package ${i}`, catalogId: ownCatalog.id, description: 'd'.repeat(800_000) }),
    );
    return { own, ownApp: createApp({ store: own }), ownCatalog, packages };
  }

  /**
   * Loads the data padded so that `chars` of the answer at `url` is the bound to the character: that answer, then one
   * character more, refused. Answers the exact answer and the padding.
   */
  async function atTheBound(
    app: ReturnType<typeof createApp>,
    url: string,
    load: (padding: number) => unknown,
    chars: (body: Record<string, unknown>) => number,
  ) {
    await load(0);
    const padding = MAX_EXPANDED_JSON_CHARS - chars((await request(app).get(url).set(AUTH)).body);
    await load(padding);
    const exact = await request(app).get(url).set(AUTH);
    expect(exact.status).toBe(200);
    expect(exact.headers['content-type']).toBe(ODATA_JSON);
    expect(chars(exact.body)).toBe(MAX_EXPANDED_JSON_CHARS);
    await load(padding + 1);
    expectGraphError(await request(app).get(url).set(AUTH), 400, 'BadRequest', TOO_LARGE);
    return { exact, padding };
  }
  const listChars = (body: Record<string, unknown>) => JSON.stringify(body['value']).length;

  it("is a list's JSON text, its brackets included, to the character", async () => {
    const { own, ownApp, ownCatalog, packages } = bigCatalog();
    const load = (padding: number) =>
      own.replaceAll(datasetOf({ accessPackages: packages, accessPackageCatalogs: [{ ...ownCatalog, description: 'p'.repeat(padding) }] }));
    await atTheBound(ownApp, `${CATALOGS}?$select=id,description&$expand=accessPackages($select=id,description)`, load, listChars);
  });

  it("is a list's JSON text with each record's single-valued expansion in it, to the character", async () => {
    const { own, ownApp, ownCatalog, packages } = bigCatalog();
    const load = (padding: number) =>
      own.replaceAll(datasetOf({ accessPackages: packages.slice(0, 1), accessPackageCatalogs: [{ ...ownCatalog, description: 'p'.repeat(padding) }] }));
    // The catalog alone is within the bound: only the package that holds it passes it.
    const url = `${PACKAGES}?$select=id,description&$expand=accessPackageCatalog($select=id,description)`;
    const { exact, padding } = await atTheBound(ownApp, url, load, listChars);
    expect(exact.body.value[0].accessPackageCatalog.description).toHaveLength(padding);
  });

  it("is one entity's own JSON text, its expansions' contexts included, to the character, without the envelope", async () => {
    const { own, ownApp, ownCatalog, packages } = bigCatalog();
    const load = (padding: number) =>
      own.replaceAll(
        datasetOf({
          accessPackages: [...packages.slice(0, -1), { ...packages.at(-1)!, description: `${packages.at(-1)!.description}${'p'.repeat(padding)}` }],
          accessPackageCatalogs: [ownCatalog],
        }),
      );
    const entityChars = (body: Record<string, unknown>) => {
      const { '@odata.context': _context, ...entity } = body;
      return JSON.stringify(entity).length;
    };
    const { exact } = await atTheBound(ownApp, `${CATALOGS}/${ownCatalog.id}?$select=id&$expand=accessPackages($select=id,description)`, load, entityChars);
    // The context of the contained expansion is part of the entity, and counted with it.
    expect(exact.body['accessPackages@odata.context']).toBe(
      `https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageCatalogs('${ownCatalog.id}')/accessPackages(id,description)`,
    );
  });
});
