import { describe, expect, it } from '@jest/globals';
import request, { type Response } from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { accessPackage, seedPackages } from '../support/accessPackages.js';

interface Walk {
  ids: string[];
  pages: Array<{ size: number; body: Record<string, unknown>; headers: Record<string, string> }>;
}

/** Follow @odata.nextLink verbatim until the last page, calling `between` after each page. */
async function walk(
  app: Express,
  first: string,
  headers: Record<string, string> = {},
  between?: (page: number, delivered: readonly string[]) => Promise<void>,
): Promise<Walk> {
  const result: Walk = { ids: [], pages: [] };
  let url: string | undefined = first;
  while (url !== undefined) {
    const res: Response = await request(app).get(url).set(AUTH).set(headers);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    result.pages.push({ size: res.body.value.length, body: res.body, headers: res.headers as Record<string, string> });
    result.ids.push(...res.body.value.map((r: { id: string }) => r.id));
    const next: string | undefined = res.body['@odata.nextLink'];
    if (next !== undefined) {
      const link: URL = new URL(next);
      expect(link.origin).toBe(new URL(res.request.url).origin);
      expect(link.searchParams.get('$skiptoken')).toMatch(/^[A-Za-z0-9_-]+$/);
      url = `${link.pathname}${link.search}`;
    } else url = undefined;
    await between?.(result.pages.length, result.ids);
    if (result.pages.length > 2000) throw new Error('nextLinks do not end');
  }
  return result;
}

describe('paging with @odata.nextLink', () => {
  const TOTAL = 250;
  /** At page size 1 a walk sends a request per record: 40 give it more pages than the 30 that see writes between them. */
  const totalFor = (size: number) => (size === 1 ? 40 : TOTAL);

  it.each([1, 7, 100])('page size %i via $top: every record exactly once, in insertion order', async (size) => {
    const store = new MemoryStore();
    const records = await seedPackages(store, totalFor(size));
    const app = createApp({ store });
    const { ids, pages } = await walk(app, `${PACKAGES}?$top=${size}`);
    expect(ids).toEqual(records.map((r) => r.id));
    expect(pages).toHaveLength(Math.ceil(totalFor(size) / size));
    expect(pages.slice(0, -1).every((p) => p.size === size)).toBe(true);
    expect(pages.at(-1)!.body).not.toHaveProperty('@odata.nextLink');
    // The nextLink repeats the query.
    expect(String(pages[0]!.body['@odata.nextLink'])).toContain(`${PACKAGES}?$top=${size}&$skiptoken=`);
  });

  it.each([1, 7, 100])('page size %i via Prefer: odata.maxpagesize, with Preference-Applied on every page', async (size) => {
    const store = new MemoryStore();
    const records = await seedPackages(store, totalFor(size));
    const app = createApp({ store });
    const { ids, pages } = await walk(app, PACKAGES, { Prefer: `odata.maxpagesize=${size}` });
    expect(ids).toEqual(records.map((r) => r.id));
    for (const page of pages) expect(page.headers['preference-applied']).toBe(`odata.maxpagesize=${size}`);
  });

  it.each([1, 7, 100])('page size %i with creates and deletes between pages: each original record once, in order', async (size) => {
    const store = new MemoryStore();
    const records = await seedPackages(store, totalFor(size));
    const app = createApp({ store });
    const created: string[] = [];
    const { ids, pages } = await walk(app, `${PACKAGES}?$top=${size}`, {}, async (page, delivered) => {
      if (page > 30) return;
      const record = accessPackage({ displayName: `Late ${page}` });
      created.push(record.id);
      await store.create('accessPackages', record);
      // Deleting the record the cursor points at shifts every later position; the cursor does not care.
      if (page % 3 === 0) await store.remove('accessPackages', delivered.at(-1)!);
    });
    expect(new Set(ids).size).toBe(ids.length);
    // In insertion order the originals come first, each once, and every record created during the walk follows.
    expect(ids.slice(0, totalFor(size))).toEqual(records.map((r) => r.id));
    // (the record created after the last page, when there were fewer than 30, came too late to be listed)
    expect(ids.slice(totalFor(size))).toEqual(pages.length <= 30 ? created.slice(0, -1) : created);
  });

  it.each([1, 7, 100])('page size %i with $orderby and $filter while records are created and deleted: matches exactly once, in order', async (size) => {
    const store = new MemoryStore();
    const records = await seedPackages(store, totalFor(size));
    const app = createApp({ store });
    const expected = records.filter((r) => !r.isHidden).sort((a, b) => (a.displayName! < b.displayName! ? 1 : -1));
    const { ids } = await walk(app, `${PACKAGES}?$filter=isHidden eq false&$orderby=displayName desc&$top=${size}`, {}, async (page, delivered) => {
      // Sorts among the originals, before or after the cursor.
      await store.create('accessPackages', accessPackage({ displayName: `Package ${String((page * 37) % 250).padStart(3, '0')}x` }));
      if (page % 5 === 0) await store.remove('accessPackages', delivered.at(-1)!);
    });
    expect(new Set(ids).size).toBe(ids.length);
    const originals = ids.filter((id) => records.some((r) => r.id === id));
    expect(originals).toEqual(expected.map((r) => r.id));
    const names = ids.map((id) => records.find((r) => r.id === id)?.displayName ?? '');
    expect(names.filter(Boolean)).toEqual([...names.filter(Boolean)].sort().reverse());
  });

  it('$count=true gives @odata.count (the whole match) on the first page only', async () => {
    const store = new MemoryStore();
    await seedPackages(store, 30);
    const app = createApp({ store });
    const { pages } = await walk(app, `${PACKAGES}?$count=true&$filter=isHidden eq true&$top=4`);
    expect(pages[0]!.body['@odata.count']).toBe(10);
    expect(pages.slice(1).some((p) => '@odata.count' in p.body)).toBe(false);
    expect(pages.map((p) => p.size)).toEqual([4, 4, 2]);
    // The links repeat $count=true; the pages they reach still have no count (docs/querying.md#paging).
    for (const page of pages.slice(0, -1)) expect(new URL(String(page.body['@odata.nextLink'])).searchParams.get('$count')).toBe('true');
    expect(Object.keys(pages[1]!.body)).toEqual(['@odata.context', '@odata.nextLink', 'value']);
  });

  it('does not serve the /$count segment: a 400 naming it, as for any segment it does not know', async () => {
    const app = createApp({ store: new MemoryStore() });
    expectGraphError(await request(app).get(`${PACKAGES}/$count`).set(AUTH), 400, 'BadRequest', "Resource not found for the segment '$count'.");
  });

  it('$skip skips on the first page; the nextLink carries the position instead of repeating $skip', async () => {
    const store = new MemoryStore();
    const records = await seedPackages(store, 20);
    const app = createApp({ store });
    const { ids, pages } = await walk(app, `${PACKAGES}?$skip=5&$top=6`);
    expect(ids).toEqual(records.slice(5).map((r) => r.id));
    expect(String(pages[0]!.body['@odata.nextLink'])).not.toContain('skip=5');
    const sorted = await walk(app, `${PACKAGES}?$orderby=displayName desc&$skip=5&$top=6`);
    expect(sorted.ids).toEqual(
      [...records]
        .reverse()
        .slice(5)
        .map((r) => r.id),
    );
  });

  it('the default page size is 100 and configurable; a nextLink keeps the page size it was issued with', async () => {
    const store = new MemoryStore();
    await seedPackages(store, 120);
    const byDefault = await request(createApp({ store })).get(PACKAGES).set(AUTH);
    expect(byDefault.body.value).toHaveLength(100);
    expect(byDefault.headers['preference-applied']).toBeUndefined();
    const app = createApp({ store, pageSize: 50 });
    const configured = await walk(app, PACKAGES);
    expect(configured.pages.map((p) => p.size)).toEqual([50, 50, 20]);
    const preferred = await request(app).get(PACKAGES).set(AUTH).set('Prefer', 'odata.maxpagesize=30');
    const next = new URL(preferred.body['@odata.nextLink']);
    const second = await request(app).get(`${next.pathname}${next.search}`).set(AUTH);
    expect(second.body.value).toHaveLength(30);
  });

  it('Prefer above 999 is capped and says so; $top wins over Prefer', async () => {
    const store = new MemoryStore();
    await seedPackages(store, 12);
    const app = createApp({ store });
    const capped = await request(app).get(PACKAGES).set(AUTH).set('Prefer', 'return=minimal, odata.maxpagesize=5000');
    expect(capped.headers['preference-applied']).toBe('odata.maxpagesize=999');
    expect(capped.body.value).toHaveLength(12);
    const top = await request(app).get(`${PACKAGES}?$top=3`).set(AUTH).set('Prefer', 'odata.maxpagesize=5');
    expect(top.headers['preference-applied']).toBeUndefined();
    expect(top.body.value).toHaveLength(3);
  });

  it('a tampered or foreign $skiptoken is a 400', async () => {
    const store = new MemoryStore();
    await seedPackages(store, 10);
    const app = createApp({ store });
    expectGraphError(await request(app).get(`${PACKAGES}?$skiptoken=not*base64`).set(AUTH), 400, 'BadRequest', /The \$skiptoken value is not valid/);
    const tampered = await request(app).get(`${PACKAGES}?$skiptoken=e30`).set(AUTH).set('Prefer', 'odata.maxpagesize=3');
    expectGraphError(tampered, 400, 'BadRequest', /The \$skiptoken value is not valid/);
    expect(tampered.headers['preference-applied']).toBeUndefined();
    const first = await request(app).get(`${PACKAGES}?$top=2`).set(AUTH);
    const token = new URL(first.body['@odata.nextLink']).searchParams.get('$skiptoken');
    expectGraphError(
      await request(app).get(`${PACKAGES}?$orderby=displayName&$skiptoken=${token}`).set(AUTH),
      400,
      'BadRequest',
      'The $skiptoken was issued for a different $orderby. Follow @odata.nextLink as returned.',
    );
  });
});
