// What a followed @odata.nextLink answers when the request that follows it differs from the one that got it
// (docs/querying.md#paging): the page size is $top, else Prefer: odata.maxpagesize, else the size the link was
// issued with; the link itself is the same whichever way the list's path was written.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { seedPackages } from '../support/accessPackages.js';
import { AUTH, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

async function seeded() {
  const store = new MemoryStore();
  const records = await seedPackages(store, 12);
  return { app: createApp({ store }), ids: records.map((r) => r.id) };
}

/** The path and query of an answer's nextLink, as a client follows it. */
function nextOf(res: request.Response): string {
  const link = new URL(res.body['@odata.nextLink'] as string);
  return `${link.pathname}${link.search}`;
}

const idsOf = (res: request.Response): string[] => res.body.value.map((r: { id: string }) => r.id);

describe('a followed nextLink', () => {
  it('takes the page size a Prefer header on the followed request asks, over the one the link was issued with', async () => {
    const { app, ids } = await seeded();
    const first = await request(app).get(PACKAGES).set(AUTH).set('Prefer', 'odata.maxpagesize=2');
    expect(idsOf(first)).toEqual(ids.slice(0, 2));
    const second = await request(app).get(nextOf(first)).set(AUTH).set('Prefer', 'odata.maxpagesize=3');
    expect(second.status).toBe(200);
    expectGraphHeaders(second);
    expect(second.headers['preference-applied']).toBe('odata.maxpagesize=3');
    expect(idsOf(second)).toEqual(ids.slice(2, 5));
    // Without the header, the size the link was issued with, and no Preference-Applied.
    const third = await request(app).get(nextOf(second)).set(AUTH);
    expect(third.headers['preference-applied']).toBeUndefined();
    expect(idsOf(third)).toEqual(ids.slice(5, 8));
  });

  it('takes a $top written into it over the size it was issued with', async () => {
    const { app, ids } = await seeded();
    const first = await request(app).get(`${PACKAGES}?$top=2`).set(AUTH);
    const edited = nextOf(first).replace('$top=2', '$top=4');
    expect(edited).toContain('$top=4&$skiptoken=');
    const second = await request(app).get(edited).set(AUTH);
    expect(second.status).toBe(200);
    expect(idsOf(second)).toEqual(ids.slice(2, 6));
    expect(second.body['@odata.nextLink']).toContain(`${PACKAGES}?$top=4&$skiptoken=`);
  });

  it('is refused under the same $orderby property in the other direction', async () => {
    const { app } = await seeded();
    const first = await request(app).get(`${PACKAGES}?$orderby=displayName desc&$top=2`).set(AUTH);
    const ascending = nextOf(first).replace('displayName%20desc', 'displayName%20asc');
    expect(ascending).not.toBe(nextOf(first));
    expectGraphError(
      await request(app).get(ascending).set(AUTH),
      400,
      'BadRequest',
      'The $skiptoken was issued for a different $orderby. Follow @odata.nextLink as returned.',
    );
  });

  it('is written without the trailing slash of the path the request wrote', async () => {
    const { app, ids } = await seeded();
    const first = await request(app).get(`${PACKAGES}/?$top=5`).set(AUTH);
    expect(first.status).toBe(200);
    expect(first.body['@odata.nextLink']).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${PACKAGES}\\?\\$top=5&\\$skiptoken=[\\w-]+$`));
    const second = await request(app).get(nextOf(first)).set(AUTH);
    expect(idsOf(second)).toEqual(ids.slice(5, 10));
  });
});
