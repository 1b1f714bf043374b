// The store's collections under random writes: whatever the interleaving of creates, updates and deletes
// (enough of them to compact the holes deletes leave), every read agrees with a plain model of the data.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Collections } from '../../server/store/collections.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { type AccessPackage, datasetOf } from '../../server/store/records.js';
import { TEXT_BLOCK_SHIFT } from '../../server/store/collectionView.js';
import { accessPackage } from '../support/accessPackages.js';

type Op = { kind: 'create'; name: string | null } | { kind: 'update'; pick: number; name: string | null } | { kind: 'delete'; pick: number };

const NAMES = [null, 'a', 'b', 'B', 'c', 'Ä', 'ab'];
const name = fc.constantFrom(...NAMES);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), name }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), name }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
);

const byName = (a: AccessPackage, b: AccessPackage) => {
  const x = a.displayName;
  const y = b.displayName;
  return x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
};
const byNameThenId = (a: AccessPackage, b: AccessPackage) => byName(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const lower = (r: AccessPackage) => r.displayName?.toLowerCase() ?? null;

describe('a collection under random creates, updates and deletes', () => {
  it('agrees with a model: records in insertion order, ids, sequence numbers, derived values and the sorted index', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 60 }), fc.array(op, { maxLength: 300, size: 'max' }), fc.boolean(), async (initial, ops, indexFirst) => {
        const seeded = Array.from({ length: initial }, (_, i) => accessPackage({ displayName: NAMES[i % NAMES.length]! }));
        const store = new MemoryStore(datasetOf({ accessPackages: seeded.map((r) => ({ ...r })) }));
        const view = store.view('accessPackages');
        let model = [...seeded];
        // Built before the writes (kept up to date by them) or only after them (built from what is left).
        if (indexFirst) {
          view.derived('lower', lower);
          view.sorted('name', byName);
        }
        let longest = view.slots.length;
        for (const o of ops) {
          if (o.kind === 'create') {
            const record = accessPackage({ displayName: o.name });
            await store.create('accessPackages', record);
            model.push(record);
          } else if (model.length > 0) {
            const target = model[o.pick % model.length]!;
            if (o.kind === 'update') {
              const record = { ...target, displayName: o.name };
              expect(await store.update('accessPackages', record)).toBe(true);
              model = model.map((r) => (r.id === record.id ? record : r));
            } else {
              expect(await store.remove('accessPackages', target.id)).toBe(true);
              expect(await store.remove('accessPackages', target.id)).toBe(false);
              model = model.filter((r) => r.id !== target.id);
            }
          }
          longest = Math.max(longest, view.slots.length);
        }

        expect(store.list('accessPackages')).toEqual(model);
        expect(store.count('accessPackages')).toBe(model.length);
        expect(view.size).toBe(model.length);
        expect(view.slots.filter((r) => r !== undefined)).toEqual(model);
        // Holes never outnumber the records by more than the few a small collection keeps.
        expect(view.slots.length - model.length).toBeLessThanOrEqual(Math.max(32, model.length));
        expect(model.map((r) => store.get('accessPackages', r.id))).toEqual(model);
        const seqs = model.map((r) => store.sequenceOf('accessPackages', r.id)!);
        expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
        expect(seqs.map((seq) => view.slots[view.positionAfter(seq - 1)])).toEqual(model);

        const derived = view.derived('lower', lower);
        expect(derived).toHaveLength(view.slots.length);
        expect(Array.from(derived)).toEqual(Array.from(view.slots, (r) => (r === undefined ? undefined : lower(r))));
        const index = view.sorted('name', byName);
        expect(index.size).toBe(model.length);
        const ranked = Array.from({ length: index.size }, (_, rank) => view.slots[index.at(rank)]);
        expect(ranked).toEqual([...model].sort(byNameThenId));
        // Read backwards too: the rank cache must not assume a forward walk.
        const backwards = Array.from({ length: index.size }, (_, i) => view.slots[index.at(index.size - 1 - i)]);
        expect(backwards).toEqual([...model].sort(byNameThenId).reverse());
        const firstB = index.partition((at) => byName(view.slots[at]!, accessPackage({ displayName: 'b' })) < 0);
        expect(firstB).toBe([...model].sort(byNameThenId).filter((r) => byName(r, accessPackage({ displayName: 'b' })) < 0).length);
        expect(longest).toBeGreaterThanOrEqual(view.slots.length);
      }),
      { numRuns: 150 },
    );
  });

  it('compacts its holes once they outnumber the records, keeping order, ids and the index', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => accessPackage({ displayName: `n${i % 37}` }));
    const store = new MemoryStore(datasetOf({ accessPackages: records }));
    const view = store.view('accessPackages');
    const index = view.sorted('name', byName);
    // Every other record, from the front: each delete leaves a hole, none is the last slot.
    for (let i = 0; i < 600; i += 1) await store.remove('accessPackages', records[((i * 2) % 1000) + (i >= 500 ? 1 : 0)]!.id);
    const kept = records.filter((_, i) => !(i % 2 === 0 || (i % 2 === 1 && i < 200)));
    expect(store.list('accessPackages')).toEqual(kept);
    // 600 holes would outnumber 400 records: the collection has been compacted since.
    expect(view.slots.length).toBeLessThan(1000);
    expect(view.slots.length - kept.length).toBeLessThanOrEqual(kept.length);
    expect(Array.from({ length: index.size }, (_, rank) => view.slots[index.at(rank)])).toEqual([...kept].sort(byNameThenId));
    for (const r of kept) expect(store.get('accessPackages', r.id)).toBe(r);
  });

  it('compacts its holes too when deletes from the end leave fewer records than holes', async () => {
    const records = Array.from({ length: 100 }, (_, i) => accessPackage({ displayName: `n${i}` }));
    const store = new MemoryStore(datasetOf({ accessPackages: records }));
    const view = store.view('accessPackages');
    // 40 holes in the middle beside 60 records: not yet compacted.
    for (let i = 10; i < 50; i += 1) await store.remove('accessPackages', records[i]!.id);
    expect(view.slots).toHaveLength(100);
    // The last record, 21 times: each goes at once, and the 39 left are fewer than the 40 holes.
    for (let i = 99; i >= 79; i -= 1) await store.remove('accessPackages', records[i]!.id);
    const kept = [...records.slice(0, 10), ...records.slice(50, 79)];
    expect(store.list('accessPackages')).toEqual(kept);
    expect(view.slots).toEqual(kept);
    for (const r of kept) expect(store.get('accessPackages', r.id)).toBe(r);
  });

  it('a delete of the last record leaves no hole behind, nor do the holes just before it', async () => {
    const records = Array.from({ length: 5 }, () => accessPackage());
    const store = new MemoryStore(datasetOf({ accessPackages: records }));
    const view = store.view('accessPackages');
    await store.remove('accessPackages', records[3]!.id);
    expect(view.slots).toHaveLength(5);
    await store.remove('accessPackages', records[4]!.id);
    expect(view.slots).toEqual(records.slice(0, 3));
  });

  it("keeps each block's text equal to the block's derived values, read between writes and after compactions", async () => {
    const block = 1 << TEXT_BLOCK_SHIFT;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 3 * block }), fc.array(op, { maxLength: 400, size: 'max' }), fc.nat(), async (initial, ops, pick) => {
        const seeded = Array.from({ length: initial }, (_, i) => accessPackage({ displayName: NAMES[i % NAMES.length]! }));
        const store = new MemoryStore(datasetOf({ accessPackages: seeded }));
        const view = store.view('accessPackages');
        const derived = view.derived('lower', lower);
        // What the text of a block must be: '\0', then each value of the block followed by '\0' (holes and nulls empty).
        const expected = (b: number) =>
          `\0${derived
            .slice(b * block, (b + 1) * block)
            .map((v) => `${v ?? ''}\0`)
            .join('')}`;
        const blocks = () => Math.ceil(view.slots.length / block);
        let model = [...seeded];
        for (const [n, o] of ops.entries()) {
          if (o.kind === 'create') {
            const record = accessPackage({ displayName: o.name });
            await store.create('accessPackages', record);
            model.push(record);
          } else if (model.length > 0) {
            const target = model[o.pick % model.length]!;
            if (o.kind === 'update') await store.update('accessPackages', { ...target, displayName: o.name });
            else await store.remove('accessPackages', target.id);
            model = o.kind === 'update' ? model : model.filter((r) => r.id !== target.id);
          }
          // Read now and then, so that texts built earlier must follow the writes after them.
          if (n % 5 === 0 && blocks() > 0) {
            const b = (pick + n) % blocks();
            expect(view.derivedText('lower', b)).toBe(expected(b));
          }
        }
        for (let b = 0; b < blocks(); b++) expect(view.derivedText('lower', b)).toBe(expected(b));
      }),
      { numRuns: 100 },
    );
  });
});

describe("a block's text and the collection's own checks, case by case", () => {
  const block = 1 << TEXT_BLOCK_SHIFT;
  const textOf = (values: readonly (string | null | undefined)[]) => `\0${values.map((v) => `${v ?? ''}\0`).join('')}`;

  it('is rebuilt after a compaction moves records into a block whose text was read', async () => {
    const records = Array.from({ length: 3 * block }, (_, i) => accessPackage({ displayName: `N${i}` }));
    const store = new MemoryStore(datasetOf({ accessPackages: records }));
    const view = store.view('accessPackages');
    view.derived('lower', lower);
    // One hole short of outnumbering the records: block 0 holds only holes, and its text is read so.
    const half = (3 * block) / 2;
    for (const r of records.slice(0, half)) await store.remove('accessPackages', r.id);
    expect(view.slots).toHaveLength(3 * block);
    expect(view.derivedText('lower', 0)).toBe(textOf(Array.from({ length: block }, () => undefined)));
    // The next hole compacts: the records from `half + 1` on move to the front, into block 0.
    await store.remove('accessPackages', records[half]!.id);
    const kept = records.slice(half + 1);
    expect(view.slots).toEqual(kept);
    expect(view.derivedText('lower', 0)).toBe(textOf(kept.slice(0, block).map(lower)));
  });

  it('loses the values of records deleted from the end of a block it was built with', async () => {
    const records = Array.from({ length: 10 }, (_, i) => accessPackage({ displayName: `N${i}` }));
    const store = new MemoryStore(datasetOf({ accessPackages: records }));
    const view = store.view('accessPackages');
    view.derived('lower', lower);
    expect(view.derivedText('lower', 0)).toBe(textOf(records.map(lower)));
    for (const r of records.slice(7).reverse()) await store.remove('accessPackages', r.id);
    expect(view.derivedText('lower', 0)).toBe(textOf(records.slice(0, 7).map(lower)));
  });

  it('keeps the holes deletes leave until they outnumber the records and are more than 32: a delete moves nothing', () => {
    const large = new Collections(datasetOf({ accessPackages: Array.from({ length: 1000 }, () => accessPackage()) })).of('accessPackages');
    for (const r of large.slots.slice(0, 400)) large.delete(r!.id);
    expect(large.slots).toHaveLength(1000);
    const small = new Collections(datasetOf({ accessPackages: Array.from({ length: 40 }, () => accessPackage()) })).of('accessPackages');
    for (const r of small.slots.slice(0, 32)) small.delete(r!.id);
    expect(small.slots).toHaveLength(40);
    // The 33rd hole outnumbers the 7 records left and is past 32: one pass closes them all.
    small.delete(small.slots[32]!.id);
    expect(small.slots).toHaveLength(7);
  });

  it('refuses a second record with an id it holds, and deletes only what it holds', () => {
    const records = Array.from({ length: 3 }, () => accessPackage());
    const collection = new Collections(datasetOf({ accessPackages: records })).of('accessPackages');
    expect(() => collection.insert({ ...records[1]! })).toThrow(
      expect.objectContaining({ kind: 'conflict', message: `A record with id '${records[1]!.id}' already exists.` }),
    );
    expect(collection.delete(accessPackage().id)).toBe(false);
    expect(collection.size).toBe(3);
    // A middle record leaves a hole; the last one goes with its slot: both are deletes that happened.
    expect(collection.delete(records[1]!.id)).toBe(true);
    expect(collection.delete(records[2]!.id)).toBe(true);
    expect(collection.slots).toEqual([records[0]]);
    expect(() => collection.derivedText('lower', 0)).toThrow("derivedText('lower') before derived('lower')");
  });
});
