// Paging by @odata.nextLink through a few thousand records while most of them are deleted between the
// pages, ahead of the cursor, behind it and the cursor's own record: enough deletes that the store
// compacts its holes in the middle of the walk. Every record there from start to end comes exactly once.
import { describe, expect, it } from '@jest/globals';
import request, { type Response } from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { type AccessPackage, datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';
import { AUTH, PACKAGES } from '../support/graph.js';

const TOTAL = 3000;
const PAGE = 50;
const WORDS = ['Sales', 'Tax', 'Zoë', 'Äpfel', 'Legal', 'Payroll'];

/** A fixed sequence of picks (a linear congruential generator): the same deletes on every run. */
function picker(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

function tenant(): AccessPackage[] {
  return Array.from({ length: TOTAL }, (_, i) => accessPackage({ displayName: `${WORDS[i % WORDS.length]} ${(i * 7919) % TOTAL}`, isHidden: i % 4 === 0 }));
}

async function walkWhileDeleting(path: string) {
  const records = tenant();
  const store = new MemoryStore(datasetOf({ accessPackages: records.map((r) => ({ ...r })) }));
  const view = store.view('accessPackages');
  const app = createApp({ store });
  const pick = picker(7);
  const deleted = new Set<string>();
  const delivered: Array<{ id: string; displayName: string }> = [];
  let fewestSlots = TOTAL;
  let url: string | undefined = `${path}${path.includes('?') ? '&' : '?'}$top=${PAGE}`;
  while (url !== undefined) {
    const res: Response = await request(app).get(url).set(AUTH);
    expect(res.status).toBe(200);
    delivered.push(...res.body.value);
    const next: string | undefined = res.body['@odata.nextLink'];
    url = next === undefined ? undefined : new URL(next).pathname + new URL(next).search;
    // 90 deletes a page anywhere in the collection, the cursor's own record every third page, and 3 creates.
    const live = store.list('accessPackages');
    const victims = new Set(Array.from({ length: 90 }, () => live[pick(live.length)]!.id));
    if (delivered.length % (3 * PAGE) === 0 && delivered.length > 0) victims.add(delivered.at(-1)!.id);
    for (const id of victims) {
      expect(await store.remove('accessPackages', id)).toBe(true);
      deleted.add(id);
    }
    for (let i = 0; i < 3; i += 1) await store.create('accessPackages', accessPackage({ displayName: `Late ${WORDS[i]} ${delivered.length}` }));
    fewestSlots = Math.min(fewestSlots, view.slots.length);
    if (delivered.length > 2 * TOTAL) throw new Error('nextLinks do not end');
  }
  // Without a compaction the slots only grow (holes stay where records were).
  return { records, deleted, delivered, compacted: fewestSlots < TOTAL - 100 };
}

describe('paging while most records are deleted', () => {
  it('insertion order: each record never deleted exactly once, in order, across compactions', async () => {
    const { records, deleted, delivered, compacted } = await walkWhileDeleting(`${PACKAGES}?$select=id,displayName`);
    expect(compacted).toBe(true);
    const ids = delivered.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const survivors = records.filter((r) => !deleted.has(r.id)).map((r) => r.id);
    expect(survivors.length).toBeGreaterThan(100);
    expect(ids.filter((id) => records.some((r) => r.id === id) && !deleted.has(id))).toEqual(survivors);
  });

  it.each([
    ['$orderby=displayName desc', (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0)],
    ["$filter=contains(tolower(displayName),'a') and isHidden eq false&$orderby=displayName", (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)],
  ])('%s: each matching record never deleted exactly once, in order', async (query, compare) => {
    const { records, deleted, delivered, compacted } = await walkWhileDeleting(`${PACKAGES}?${query}`);
    expect(compacted).toBe(true);
    const ids = delivered.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const matches = (r: AccessPackage) => !query.includes('contains') || (r.displayName!.toLowerCase().includes('a') && !r.isHidden);
    const survivors = records.filter((r) => !deleted.has(r.id) && matches(r)).sort((a, b) => compare(a.displayName!, b.displayName!));
    expect(survivors.length).toBeGreaterThan(50);
    const originals = new Set(records.map((r) => r.id));
    expect(ids.filter((id) => originals.has(id) && !deleted.has(id))).toEqual(survivors.map((r) => r.id));
    const names = delivered.map((r) => r.displayName);
    expect(names.every((n, i) => i === 0 || compare(names[i - 1]!, n) <= 0)).toBe(true);
  });
});
