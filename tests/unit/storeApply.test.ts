// Several changes as one write (Store.apply, server/store/tenantStore.ts): one journal entry, checked as a whole
// against the writes in flight and the changes before each, in view for writes at once, applied at once, refused whole.
import { describe, expect, it } from '@jest/globals';
import { Collections } from '../../server/store/collections.js';
import type { JournalLine } from '../../server/store/journalLines.js';
import { IN_MEMORY, MemoryStore } from '../../server/store/memoryStore.js';
import { type Persistence, TenantSet } from '../../server/store/tenants.js';
import { TenantStore } from '../../server/store/tenantStore.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { StoreError } from '../../server/store/store.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';

/** A persistence that records each entry and holds it until `release(ok)` makes it durable, or refuses it. */
function heldStore(records: ReturnType<typeof accessPackage>[]) {
  const entries: JournalLine[] = [];
  const held: ((ok: boolean) => void)[] = [];
  const persistence: Persistence = {
    ...IN_MEMORY,
    persist: (entry, commit) =>
      new Promise<void>((resolve, reject) => {
        entries.push(entry);
        held.push((ok) => {
          if (!ok) return reject(new StoreError('io', 'refused'));
          commit();
          resolve();
        });
      }),
  };
  const set = new TenantSet(':memory:');
  const store = new TenantStore(set, DEFAULT_TENANT_ID, new Collections(datasetOf({ accessPackages: records })));
  set.attach(persistence, store);
  const release = (ok = true) => {
    for (const run of held.splice(0)) run(ok);
  };
  return { store, entries, release };
}

describe('Store.apply', () => {
  it('writes several changes as one batch entry, in view for writes at once, visible to readers at once when durable', async () => {
    const [a, b] = [accessPackage({ displayName: 'A' }), accessPackage({ displayName: 'B' })];
    const { store, entries, release } = heldStore([a, b]);
    const c = accessPackage({ displayName: 'C' });
    const write = store.apply(() => [
      { op: 'remove', collection: 'accessPackages', id: a.id },
      { op: 'update', collection: 'accessPackages', record: { ...b, displayName: 'B2' } },
      { op: 'create', collection: 'accessPackages', record: c },
    ]);
    await Promise.resolve();
    expect(entries).toEqual([
      {
        op: 'batch',
        changes: [
          { op: 'del', c: 'accessPackages', id: a.id },
          { op: 'put', c: 'accessPackages', r: { ...b, displayName: 'B2' } },
          { op: 'put', c: 'accessPackages', r: c },
        ],
      },
    ]);
    expect(store.forWrites.list('accessPackages').map((p) => p.displayName)).toEqual(['B2', 'C']);
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['A', 'B']);
    release();
    expect(await write).toBe(true);
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['B2', 'C']);
  });

  it('writes one change as the put or del line it always was', async () => {
    const a = accessPackage();
    const { store, entries, release } = heldStore([a]);
    const write = store.apply(() => [{ op: 'remove', collection: 'accessPackages', id: a.id }]);
    await Promise.resolve();
    expect(entries).toEqual([{ op: 'del', c: 'accessPackages', id: a.id }]);
    release();
    expect(await write).toBe(true);
  });

  it('refused by the disk, changes nothing, and leaves the writes in flight settled', async () => {
    const [a, b] = [accessPackage({ displayName: 'A' }), accessPackage({ displayName: 'B' })];
    const { store, release } = heldStore([a, b]);
    const write = store.apply(() => [
      { op: 'remove', collection: 'accessPackages', id: a.id },
      { op: 'remove', collection: 'accessPackages', id: b.id },
    ]);
    await Promise.resolve();
    release(false);
    await expect(write).rejects.toMatchObject({ kind: 'io' });
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['A', 'B']);
    expect(store.forWrites.list('accessPackages').map((p) => p.displayName)).toEqual(['A', 'B']);
  });

  it('checks each change against the ones before it: a remove then a create of one id is a replacement', async () => {
    const a = accessPackage({ displayName: 'A' });
    const store = new MemoryStore(datasetOf({ accessPackages: [a] }));
    const replaced = await store.apply(() => [
      { op: 'remove', collection: 'accessPackages', id: a.id },
      { op: 'create', collection: 'accessPackages', record: { ...a, displayName: 'A again' } },
    ]);
    expect(replaced).toBe(true);
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['A again']);
  });

  it('writes nothing when a change does not hold: a create of an id there, an update or remove of one not there, a build that throws', async () => {
    const [a, b] = [accessPackage({ displayName: 'A' }), accessPackage({ displayName: 'B' })];
    const store = new MemoryStore(datasetOf({ accessPackages: [a, b] }));
    const removeA = { op: 'remove', collection: 'accessPackages', id: a.id } as const;
    await expect(store.apply(() => [removeA, { op: 'create', collection: 'accessPackages', record: b }])).rejects.toMatchObject({
      kind: 'conflict',
      message: `A record with id '${b.id}' already exists.`,
    });
    expect(await store.apply(() => [removeA, removeA])).toBe(false);
    expect(await store.apply(() => [removeA, { op: 'update', collection: 'accessPackages', record: accessPackage() }])).toBe(false);
    expect(await store.apply(() => undefined)).toBe(false);
    await expect(
      store.apply(() => {
        throw new Error('refused by a rule');
      }),
    ).rejects.toThrow('refused by a rule');
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['A', 'B']);
  });

  it('builds the changes from the store as the writes in flight leave it', async () => {
    const [a, b] = [accessPackage({ displayName: 'A' }), accessPackage({ displayName: 'B' })];
    const { store, release } = heldStore([a, b]);
    const first = store.remove('accessPackages', a.id);
    let seen: string[] = [];
    const second = store.apply((view) => {
      seen = view.list('accessPackages').map((p) => p.displayName ?? '');
      return view.list('accessPackages').map((p) => ({ op: 'remove', collection: 'accessPackages', id: p.id }));
    });
    expect(seen).toEqual(['B']);
    release();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(store.count('accessPackages')).toBe(0);
  });
});
