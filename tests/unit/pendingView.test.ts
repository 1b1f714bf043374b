// The store as a write reads it (server/store/pendingView.ts): the writes accepted and not yet durable laid over
// the stored records, for get, list and count, while the store itself still answers with what is durable.
import { describe, expect, it } from '@jest/globals';
import { Collections } from '../../server/store/collections.js';
import { IN_MEMORY } from '../../server/store/memoryStore.js';
import { type Persistence, TenantSet } from '../../server/store/tenants.js';
import { TenantStore } from '../../server/store/tenantStore.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';

/** A persistence that holds every write until `release()`, then makes them durable in the order they came. */
function heldStore(records: ReturnType<typeof accessPackage>[]) {
  const held: (() => void)[] = [];
  const persistence: Persistence = {
    ...IN_MEMORY,
    persist: (_entry, commit) =>
      new Promise<void>((resolve) =>
        held.push(() => {
          commit();
          resolve();
        }),
      ),
  };
  const set = new TenantSet(':memory:');
  const store = new TenantStore(set, DEFAULT_TENANT_ID, new Collections(datasetOf({ accessPackages: records })));
  set.attach(persistence, store);
  return {
    store,
    release: () => {
      for (const run of held.splice(0)) run();
    },
    /** Makes the oldest held write durable, and only it. */
    releaseOne: () => held.shift()?.(),
  };
}

describe('the store as a write reads it', () => {
  it('lays updates, deletes and creates in flight over the stored records, in their order, new ones last', async () => {
    const [a, b, c] = [accessPackage({ displayName: 'A' }), accessPackage({ displayName: 'B' }), accessPackage({ displayName: 'C' })];
    const { store, release } = heldStore([a, b, c]);
    const view = store.forWrites;
    const d = accessPackage({ displayName: 'D' });
    const writes = Promise.all([
      store.update('accessPackages', { ...b, displayName: 'B2' }),
      store.remove('accessPackages', a.id),
      store.create('accessPackages', d),
      store.update('accessPackages', { ...b, displayName: 'B3' }),
    ]);
    expect(view.list('accessPackages').map((p) => p.displayName)).toEqual(['B3', 'C', 'D']);
    expect(view.count('accessPackages')).toBe(3);
    expect(view.get('accessPackages', a.id)).toBeUndefined();
    expect(view.get('accessPackages', b.id)?.displayName).toBe('B3');
    expect(view.get('accessPackages', d.id)?.displayName).toBe('D');
    // Readers still see what is durable.
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['A', 'B', 'C']);
    expect(store.count('accessPackages')).toBe(3);
    expect(store.get('accessPackages', d.id)).toBeUndefined();
    release();
    await writes;
    // Once durable, both answer the same, from the stored records.
    expect(view.list('accessPackages')).toBe(store.list('accessPackages'));
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['B3', 'C', 'D']);
  });

  it('counts a record deleted and created again in flight once, and one created then deleted not at all', async () => {
    const a = accessPackage({ displayName: 'A' });
    const { store, release } = heldStore([a]);
    const view = store.forWrites;
    const e = accessPackage({ displayName: 'E' });
    const writes = Promise.all([
      store.remove('accessPackages', a.id),
      store.create('accessPackages', { ...a, displayName: 'A again' }),
      store.create('accessPackages', e),
      store.remove('accessPackages', e.id),
    ]);
    expect(view.count('accessPackages')).toBe(1);
    expect(view.list('accessPackages').map((p) => p.displayName)).toEqual(['A again']);
    expect(view.forWrites).toBe(view);
    expect(view.tenantId).toBe(store.tenantId);
    release();
    await writes;
    expect(view.count('accessPackages')).toBe(1);
    expect(store.get('accessPackages', e.id)).toBeUndefined();
  });

  it('keeps the later write to a record in view while an earlier write to it becomes durable', async () => {
    const b = accessPackage({ displayName: 'B' });
    const { store, release, releaseOne } = heldStore([b]);
    const view = store.forWrites;
    const first = store.update('accessPackages', { ...b, displayName: 'B2' });
    const second = store.update('accessPackages', { ...b, displayName: 'B3' });
    releaseOne();
    await first;
    expect(store.get('accessPackages', b.id)?.displayName).toBe('B2');
    expect(view.get('accessPackages', b.id)?.displayName).toBe('B3');
    expect(view.list('accessPackages').map((p) => p.displayName)).toEqual(['B3']);
    release();
    await second;
    expect(store.get('accessPackages', b.id)?.displayName).toBe('B3');
  });
});
