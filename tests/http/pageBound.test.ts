// A page of records holding long strings ends early, within MAX_PAGE_JSON_CHARS of records' JSON, with a nextLink
// to the rest (server-driven paging): before, a page of 999 such records passed V8's longest string (a 500) and a
// few such pages at once ran the process out of memory. Followed to the end, the pages hold every record once, in
// order; a record past the bound alone is a page of its own.
import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { newGeneralCatalog } from '../../server/resources/generalCatalog.js';
import { MAX_PAGE_JSON_CHARS, keptWithinBound } from '../../server/resources/list.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';
import { AUTH, ODATA_JSON, PACKAGES, expectGraphHeaders } from '../support/graph.js';

const store = new MemoryStore();
const app = createApp({ store });
const catalog = newGeneralCatalog();
const RECORDS = 40;
/** About 1 MB of JSON each: 16 of them fill a page. */
const LONG = 1_000_000;

type Page = { '@odata.context': string; '@odata.count'?: number; '@odata.nextLink'?: string; value: { id: string; displayName: string }[] };

beforeAll(async () => {
  const packages = Array.from({ length: RECORDS }, (_, i) =>
    accessPackage({ displayName: `Package ${String(i).padStart(2, '0')}`, catalogId: catalog.id, description: String(i % 10).repeat(LONG) }),
  );
  // The last one is larger than a whole page by itself.
  packages.push(accessPackage({ displayName: 'Package 99', catalogId: catalog.id, description: 'x'.repeat(MAX_PAGE_JSON_CHARS + 1) }));
  await store.replaceAll(datasetOf({ accessPackages: packages, accessPackageCatalogs: [catalog] }));
});

/** How many of the stored packages, from `from` on in insertion order, fit within the bound. */
function fitting(from: number): number {
  const sizes = store
    .list('accessPackages')
    .slice(from)
    .map((row) => JSON.stringify(row).length);
  return keptWithinBound(sizes);
}

async function page(url: string): Promise<Page> {
  const res = await request(app).get(url).set(AUTH);
  expect(res.status).toBe(200);
  expectGraphHeaders(res);
  expect(res.headers['content-type']).toBe(ODATA_JSON);
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  return res.body as Page;
}

/** Every page from `first` on, following nextLinks verbatim. */
async function walk(first: string): Promise<Page[]> {
  const pages: Page[] = [];
  let url: string | undefined = first;
  while (url !== undefined) {
    const body = await page(url);
    pages.push(body);
    const next = body['@odata.nextLink'];
    url = next === undefined ? undefined : `${new URL(next).pathname}${new URL(next).search}`;
    if (pages.length > RECORDS + 2) throw new Error('nextLinks do not end');
  }
  return pages;
}

describe('a page of long records', () => {
  it('ends early with a nextLink, and the pages hold every record once, in order', async () => {
    const pages = await walk(`${PACKAGES}?$top=999&$count=true`);
    const stored = store.list('accessPackages');
    expect(pages.flatMap((p) => p.value.map((row) => row.id))).toEqual(stored.map((row) => row.id));
    // 16 records of about 1 MB, then 16, then 8 with the record that is larger than a page alone, then that one.
    const sizes = pages.map((p) => p.value.length);
    expect(fitting(0)).toBe(16);
    expect(sizes).toEqual([16, 16, 8, 1]);
    expect(pages[0]!['@odata.count']).toBe(RECORDS + 1);
    expect(pages.slice(1).every((p) => p['@odata.count'] === undefined)).toBe(true);
    // Each page holds as much as fits, and one record more would not have fitted.
    let from = 0;
    for (const p of pages) {
      expect(p.value.length).toBe(fitting(from));
      const chars = JSON.stringify(p.value).length;
      if (p.value.length > 1) expect(chars).toBeLessThanOrEqual(MAX_PAGE_JSON_CHARS);
      from += p.value.length;
    }
    expect(pages.at(-1)!['@odata.nextLink']).toBeUndefined();
    expect(pages.at(-1)!.value[0]!.displayName).toBe('Package 99');
  });

  it('ends early in an $orderby too, the next page resuming after the last record shown', async () => {
    const pages = await walk(`${PACKAGES}?$top=999&$orderby=displayName desc`);
    const names = pages.flatMap((p) => p.value.map((row) => row.displayName));
    expect(names).toEqual(
      store
        .list('accessPackages')
        .map((row) => row.displayName as string)
        .sort()
        .reverse(),
    );
    // The largest record first, alone: it passes the bound by itself.
    expect(pages.map((p) => p.value.length)).toEqual([1, 16, 16, 8]);
  });

  it('keeps a page whole when its records fit, and a $select of short properties is not cut', async () => {
    const short = await page(`${PACKAGES}?$top=999&$select=id,displayName`);
    expect(short.value).toHaveLength(RECORDS + 1);
    expect(short['@odata.nextLink']).toBeUndefined();
    const few = await page(`${PACKAGES}?$top=3`);
    expect(few.value.map((row) => row.displayName)).toEqual(['Package 00', 'Package 01', 'Package 02']);
    expect(few['@odata.nextLink']).toContain('$top=3');
  });
});

describe('keptWithinBound', () => {
  it("counts a list's brackets and commas, and keeps one record at least", () => {
    // [a,b] of 5 characters each: 1 + 6 + 6 = 13 characters with the closing bracket counted as the last comma.
    expect(keptWithinBound([5, 5, 5], 13)).toBe(2);
    expect(keptWithinBound([5, 5, 5], 12)).toBe(1);
    expect(keptWithinBound([5, 5, 5], 19)).toBe(3);
    expect(keptWithinBound([50, 5], 10)).toBe(1);
    expect(keptWithinBound([], 10)).toBe(0);
  });
});
