import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStore } from '../../server/store/fileStore.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { Store } from '../../server/store/store.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';

type Opened = { store: Store; reopen?: () => Promise<Store>; cleanup: () => Promise<void> };

const implementations: Array<[string, () => Promise<Opened>]> = [
  ['MemoryStore', async () => ({ store: new MemoryStore(), cleanup: async () => undefined })],
  [
    'FileStore',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'odata-seq-'));
      const file = path.join(dir, 'db.json');
      let store: Store = await FileStore.open(file);
      return {
        store,
        reopen: async () => {
          await store.close();
          store = await FileStore.open(file);
          return store;
        },
        cleanup: async () => {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];

describe.each(implementations)('%s insertion sequence numbers', (_name, open) => {
  it('increase with every create, survive updates, and locate the record after a deleted one', async () => {
    const { store, cleanup } = await open();
    try {
      const [a, b, c, d] = [accessPackage(), accessPackage(), accessPackage(), accessPackage()];
      for (const r of [a, b, c]) await store.create('accessPackages', r);
      const [sa, sb, sc] = [a, b, c].map((r) => store.sequenceOf('accessPackages', r.id)!) as [number, number, number];
      expect(sa < sb && sb < sc).toBe(true);
      await store.update('accessPackages', { ...b, displayName: 'changed' });
      expect(store.sequenceOf('accessPackages', b.id)).toBe(sb);
      const view = store.view('accessPackages');
      const firstAfter = (seq: number) => view.slots[view.positionAfter(seq)]?.id;
      expect(firstAfter(sa)).toBe(b.id);
      await store.remove('accessPackages', b.id);
      expect(store.sequenceOf('accessPackages', b.id)).toBeUndefined();
      // b is gone, its slot a hole: the first record inserted after it is c.
      expect(view.slots[1]).toBeUndefined();
      expect(firstAfter(sb)).toBe(c.id);
      expect(store.list('accessPackages').map((r) => r.id)).toEqual([a.id, c.id]);
      expect(store.count('accessPackages')).toBe(2);
      await store.create('accessPackages', d);
      expect(store.sequenceOf('accessPackages', d.id)! > sc).toBe(true);
      expect(firstAfter(sc)).toBe(d.id);
      expect(view.positionAfter(Number.MAX_SAFE_INTEGER)).toBe(view.slots.length);
      expect(view.positionAfter(0)).toBe(0);
      expect(store.sequenceOf('accessPackages', 'missing')).toBeUndefined();
    } finally {
      await cleanup();
    }
  });

  it('keep increasing across a reset, and keep the stored order across a reopen', async () => {
    const opened = await open();
    try {
      const first = accessPackage();
      await opened.store.create('accessPackages', first);
      const before = opened.store.sequenceOf('accessPackages', first.id)!;
      const epoch = opened.store.sequenceEpoch;
      expect(epoch).toMatch(/^[\w-]{8}$/);
      const kept = [accessPackage(), accessPackage(), accessPackage()];
      await opened.store.replaceAll(datasetOf({ accessPackages: kept, accessPackageCatalogs: [] }));
      const seqs = kept.map((r) => opened.store.sequenceOf('accessPackages', r.id)!);
      expect(seqs.every((s) => s > before)).toBe(true);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(opened.store.sequenceEpoch).toBe(epoch);
      if (opened.reopen) {
        const store = await opened.reopen();
        // Reopening renumbers: numbers from before are not comparable, and the epoch says so.
        expect(store.sequenceEpoch).not.toBe(epoch);
        const after = kept.map((r) => store.sequenceOf('accessPackages', r.id)!);
        expect([...after].sort((x, y) => x - y)).toEqual(after);
        expect(store.list('accessPackages').map((r) => r.id)).toEqual(kept.map((r) => r.id));
      }
    } finally {
      await opened.cleanup();
    }
  });
});
