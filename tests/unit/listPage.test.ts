// Pages of a collection, against a plain model: a first page is what sorting and filtering everything
// would give, and following the cursors delivers every record that was there throughout exactly once, in
// order, whatever is created, updated and deleted between the pages.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { entityModel } from '../../server/odata/entityModel.js';
import { accessPackages } from '../../server/resources/accessPackages/index.js';
import { compileFilter } from '../../server/odata/filterCompile.js';
import { parseFilter } from '../../server/odata/filterParser.js';
import { type Page, selectPage } from '../../server/odata/listPage.js';
import { ordering } from '../../server/odata/ordering.js';
import type { Cursor } from '../../server/odata/paging.js';
import type { OrderKey } from '../../server/odata/queryOptions.js';
import { loadSchema } from '../../server/resources/validation.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { type AccessPackage, datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';

const model = entityModel(loadSchema('accessPackage'), accessPackages.queryable, 'accessPackages');
type Row = Record<string, unknown>;

// Few distinct values, so that keys tie often; nulls, case and a non-ASCII letter for the case functions;
// one date in a non-canonical spelling, which must order by its instant.
const NAMES = [null, 'alpha', 'Alpha', 'beta', 'Beta x', 'Äther', 'gamma'];
const DATES = ['2024-01-01T00:00:00.0000000Z', '2024-01-01T00:00:00.5000000Z', '2024-01-01T00:00:00Z', '2023-12-31T23:00:00.0000000Z'];
const FILTERS = [
  undefined,
  'isHidden eq false',
  "contains(tolower(displayName),'a')",
  "startswith(toupper(displayName),'B')",
  'displayName eq null',
  "tolower(displayName) eq 'alpha'",
];
const ORDERS: OrderKey[][] = [
  [],
  [{ property: 'displayName', descending: false }],
  [{ property: 'displayName', descending: true }],
  [{ property: 'isHidden', descending: true }],
  [{ property: 'createdDateTime', descending: false }],
  [
    { property: 'displayName', descending: true },
    { property: 'createdDateTime', descending: false },
  ],
  [
    { property: 'isHidden', descending: false },
    { property: 'displayName', descending: true },
  ],
];

const fields = fc.record({ displayName: fc.constantFrom(...NAMES), isHidden: fc.boolean(), createdDateTime: fc.constantFrom(...DATES) });
const make = (f: { displayName: string | null; isHidden: boolean; createdDateTime: string }) => accessPackage(f);
type Write =
  | { kind: 'create'; f: { displayName: string | null; isHidden: boolean; createdDateTime: string } }
  | { kind: 'update' | 'delete'; pick: number; f: { displayName: string | null; isHidden: boolean; createdDateTime: string } };
const write: fc.Arbitrary<Write> = fc.record({
  kind: fc.constantFrom('create' as const, 'update' as const, 'delete' as const, 'delete' as const),
  pick: fc.nat(),
  f: fields,
}) as fc.Arbitrary<Write>;

function query(filter: string | undefined, keys: OrderKey[]) {
  return {
    predicate: filter === undefined ? undefined : compileFilter(parseFilter(filter), model),
    ordering: keys.length > 0 ? ordering(keys, model) : undefined,
  };
}

function cursorOf(page: Page<AccessPackage>, pageSize: number): Cursor | undefined {
  return page.next === undefined ? undefined : { ...page.next, order: 'any', pageSize };
}

describe('selectPage', () => {
  it('a first page (with $skip) is the filtered, sorted collection sliced, for any order and filter', () => {
    fc.assert(
      fc.property(
        fc.array(fields, { maxLength: 80, size: 'max' }),
        fc.constantFrom(...FILTERS),
        fc.constantFrom(...ORDERS),
        fc.integer({ min: 1, max: 12 }),
        fc.nat({ max: 20 }),
        (data, filter, keys, pageSize, skip) => {
          const records = data.map(make);
          const store = new MemoryStore(datasetOf({ accessPackages: records }));
          const { predicate, ordering: order } = query(filter, keys);
          const expected = records.filter((r) => predicate?.(r as unknown as Row) ?? true);
          if (order) expected.sort(order.compare as never);
          const page = selectPage(store, 'accessPackages', { predicate, ordering: order, skip, pageSize, count: true });
          expect(page.items.map((r) => r.id)).toEqual(expected.slice(skip, skip + pageSize).map((r) => r.id));
          expect(page.count).toBe(expected.length);
          expect(page.next !== undefined).toBe(expected.length > skip + pageSize);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('following the cursors while records are created, updated and deleted: each record there throughout once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fields, { minLength: 1, maxLength: 60, size: 'max' }),
        fc.constantFrom(...FILTERS),
        fc.constantFrom(...ORDERS),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.array(write, { maxLength: 6 }), { maxLength: 40, size: 'max' }),
        async (data, filter, keys, pageSize, between) => {
          const records = data.map(make);
          const store = new MemoryStore(datasetOf({ accessPackages: records.map((r) => ({ ...r })) }));
          const { predicate, ordering: order } = query(filter, keys);
          const touched = new Set<string>();
          const updated = new Set<string>();
          const delivered: AccessPackage[] = [];
          let cursor: Cursor | undefined;
          for (let page = 0; page < 500; page += 1) {
            const result = selectPage(store, 'accessPackages', { predicate, ordering: order, cursor, skip: 0, pageSize, count: false });
            delivered.push(...result.items);
            cursor = cursorOf(result, pageSize);
            if (cursor === undefined) break;
            for (const w of between[page] ?? []) {
              const live = store.list('accessPackages');
              if (w.kind === 'create') {
                await store.create('accessPackages', make(w.f));
              } else if (live.length > 0) {
                const target = live[w.pick % live.length]!;
                touched.add(target.id);
                if (w.kind === 'update') {
                  updated.add(target.id);
                  await store.update('accessPackages', { ...target, ...w.f });
                } else await store.remove('accessPackages', target.id);
              }
            }
          }
          expect(cursor).toBeUndefined();
          // An update may move a record past the cursor again (keyset paging, as Graph's); nothing else repeats.
          const ids = delivered.map((r) => r.id).filter((id) => !updated.has(id));
          expect(new Set(ids).size).toBe(ids.length);
          const steady = records.filter((r) => !touched.has(r.id) && (predicate?.(r as unknown as Row) ?? true));
          const steadyDelivered = delivered.filter((r) => steady.some((s) => s.id === r.id));
          if (order) steady.sort(order.compare as never);
          expect(steadyDelivered.map((r) => r.id)).toEqual(steady.map((r) => r.id));
          // Each page resumes after the last record delivered, as it was delivered: the whole walk is in order.
          for (let i = 1; i < delivered.length; i += 1) {
            if (order) expect(order.compare(delivered[i - 1] as never, delivered[i] as never)).toBeLessThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a scan that steps over blocks its filter rules out finds what testing every record finds, before and after writes', async () => {
    // Names that a search finds rarely, so that whole blocks of positions hold none of them; literals in and out
    // of ASCII (only ASCII literals skip blocks), and each function that can rule a block out.
    const rare = fc.constantFrom(...NAMES, 'Zeta', 'ZETA one', 'omega', 'Ωmega', 'x');
    const search = fc.constantFrom(
      "contains(tolower(displayName),'zeta')",
      "contains(toupper(displayName),'ZETA')",
      "startswith(tolower(displayName),'ome')",
      "endswith(tolower(displayName),'one')",
      "tolower(displayName) eq 'zeta'",
      "'x' eq tolower(displayName)",
      "contains(tolower(displayName),'ωmega')",
      "contains(tolower(displayName),'zeta') and isHidden eq false",
      "contains(tolower(displayName),'zeta') or startswith(tolower(displayName),'ome')",
      "contains(tolower(displayName),'zeta') or isHidden eq true",
      "not contains(tolower(displayName),'a')",
      "contains(tolower(displayName),'')",
    );
    const common = fc.record({ displayName: fc.constantFrom('alpha', 'Beta x', 'Äther'), isHidden: fc.boolean(), createdDateTime: fc.constant(DATES[0]!) });
    const sparse = fc.record({ displayName: rare, isHidden: fc.boolean(), createdDateTime: fc.constant(DATES[0]!) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 30, arbitrary: common }, { weight: 1, arbitrary: sparse }), { minLength: 300, maxLength: 1200 }),
        search,
        fc.array(fc.record({ kind: fc.constantFrom('create' as const, 'update' as const, 'delete' as const), pick: fc.nat(), f: sparse }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 30 }),
        async (data, filter, writes, pageSize) => {
          const store = new MemoryStore(datasetOf({ accessPackages: data.map(make) }));
          const { predicate } = query(filter, []);
          const check = () => {
            const expected = store.list('accessPackages').filter((r) => predicate!(r as unknown as Row));
            const page = selectPage(store, 'accessPackages', { predicate, skip: 0, pageSize, count: true });
            expect(page.items.map((r) => r.id)).toEqual(expected.slice(0, pageSize).map((r) => r.id));
            expect(page.count).toBe(expected.length);
          };
          check();
          for (const w of writes) {
            const live = store.list('accessPackages');
            const target = live[w.pick % live.length]!;
            if (w.kind === 'create') await store.create('accessPackages', make(w.f));
            else if (w.kind === 'update') await store.update('accessPackages', { ...target, ...w.f });
            else await store.remove('accessPackages', target.id);
          }
          check();
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('a default-order cursor after a restart (a new store over the same records)', () => {
  const records = Array.from({ length: 6 }, (_, i) => accessPackage({ displayName: `P${i}` }));
  const firstPage = () => {
    const before = new MemoryStore(datasetOf({ accessPackages: records.map((r) => ({ ...r })) }));
    return cursorOf(selectPage(before, 'accessPackages', { skip: 0, pageSize: 2, count: false }), 2)!;
  };

  it('resumes after its record, which the new store still holds', () => {
    const cursor = firstPage();
    const after = new MemoryStore(datasetOf({ accessPackages: records.map((r) => ({ ...r })) }));
    expect(after.sequenceEpoch).not.toBe(cursor.epoch);
    const page = selectPage(after, 'accessPackages', { cursor, skip: 0, pageSize: 2, count: false });
    expect(page.items.map((r) => r.displayName)).toEqual(['P2', 'P3']);
  });

  it('is refused as expired when its record was deleted: its sequence number means nothing to the new store', () => {
    const cursor = firstPage();
    const after = new MemoryStore(datasetOf({ accessPackages: records.filter((r) => r.id !== cursor.id).map((r) => ({ ...r })) }));
    expect(() => selectPage(after, 'accessPackages', { cursor, skip: 0, pageSize: 2, count: false })).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'BadRequest',
        message: 'The specified page token value has expired and can no longer be included in your request.',
      }) as unknown as Error,
    );
  });
});
