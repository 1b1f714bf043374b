// The tenants of one store, in memory: each tenant's records its own, added once however many requests ask at
// the same time, bounded, and dropped for good.
import { describe, expect, it } from '@jest/globals';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { type AccessPackage, type Dataset, datasetOf } from '../../server/store/records.js';
import { StoreError } from '../../server/store/store.js';
import { ConfigError } from '../../server/errors.js';
import { DEFAULT_TENANT_ID, TENANT_ID_RULE, tenantKey } from '../../server/tenantIds.js';
import { accessPackage } from '../support/accessPackages.js';

const pkg = (id: string, displayName = `Package ${id}`): AccessPackage => accessPackage({ id, displayName });
const seeded = (...ids: string[]) => datasetOf({ accessPackages: ids.map((id) => pkg(id)) });

describe('tenantKey', () => {
  it.each([
    ['an upper-case GUID', '9A3D526C-B3C1-4479-BA74-197B5C5751AE', '9a3d526c-b3c1-4479-ba74-197b5c5751ae'],
    ['a name', 'Worker-3', 'worker-3'],
    ['a domain', 'contoso.onmicrosoft.com', 'contoso.onmicrosoft.com'],
    ['an underscore', 'a_b', 'a_b'],
    ['128 characters', 'x'.repeat(128), 'x'.repeat(128)],
  ])('%s names a tenant, lower-cased', (_name, tid, key) => {
    expect(tenantKey(tid)).toBe(key);
  });

  it.each([
    ['nothing', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a space', 'worker 3'],
    ['a slash', 'a/b'],
    ['a letter outside ASCII', 'é'],
    ['a line end', 'a\n'],
  ])('%s names no tenant', (_name, tid) => {
    expect(tenantKey(tid)).toBeUndefined();
  });
});

describe('the tenants of a store', () => {
  it('starts with the default tenant, which is the store itself', () => {
    const store = new MemoryStore(seeded('a'));
    expect(store.tenantId).toBe(DEFAULT_TENANT_ID);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
    expect(store.tenants.get(DEFAULT_TENANT_ID)).toBe(store);
    expect(store.tenants.size).toBe(1);
  });

  it("adds a tenant with the seed's records, which its writes then change and no other tenant sees", async () => {
    const store = new MemoryStore(seeded('a'));
    const { store: other, created } = await store.tenants.open('worker-1', () => seeded('s1', 's2'), 10);
    expect(created).toBe(true);
    expect(other.tenantId).toBe('worker-1');
    expect(other.tenants).toBe(store.tenants);
    await other.create('accessPackages', pkg('mine'));
    await other.remove('accessPackages', 's1');
    expect(other.list('accessPackages').map((r) => r.id)).toEqual(['s2', 'mine']);
    expect(store.list('accessPackages').map((r) => r.id)).toEqual(['a']);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'worker-1']);
    const again = await store.tenants.open('worker-1', () => seeded('never'), 10);
    expect(again).toEqual({ store: other, created: false });
  });

  it('shares the seed records between tenants without either seeing the other change them', async () => {
    const store = new MemoryStore();
    const fixtures = seeded('s1');
    const one = (await store.tenants.open('one', () => fixtures, 10)).store;
    const two = (await store.tenants.open('two', () => fixtures, 10)).store;
    await one.update('accessPackages', { ...pkg('s1'), displayName: 'Changed in one' });
    expect(two.get('accessPackages', 's1')?.displayName).toBe('Package s1');
    expect(fixtures.accessPackages[0]?.displayName).toBe('Package s1');
  });

  it('adds a tenant once when many requests ask for it at the same time, and hands it out only once it is added', async () => {
    const store = new MemoryStore();
    let seeds = 0;
    let release: (data: Dataset) => void = () => undefined;
    const seed = () => {
      seeds += 1;
      return new Promise<Dataset>((resolve) => (release = resolve));
    };
    const opening = Array.from({ length: 5 }, () => store.tenants.open('busy', seed, 10));
    await Promise.resolve();
    expect(store.tenants.get('busy')).toBeUndefined();
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
    release(seeded('s'));
    const opened = await Promise.all(opening);
    expect(seeds).toBe(1);
    expect(opened.map((o) => o.created)).toEqual([true, false, false, false, false]);
    expect(new Set(opened.map((o) => o.store)).size).toBe(1);
    expect(store.tenants.get('busy')).toBe(opened[0]!.store);
  });

  it('refuses a tenant past the limit with a StoreError naming it, and adds none', async () => {
    const store = new MemoryStore();
    await store.tenants.open('one', () => seeded(), 2);
    const refused = await store.tenants.open('two', () => seeded(), 2).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(StoreError);
    expect(refused).toMatchObject({ kind: 'full', message: expect.stringContaining("holds 2 tenants, the most it is allowed (MAX_TENANTS 2): tenant 'two'") });
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID, 'one']);
    // Tenants asked for at the same time are counted as they are added: never one more than the limit.
    const racing = await Promise.allSettled(['a', 'b', 'c'].map((id) => store.tenants.open(id, () => seeded(), 3)));
    expect(racing.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(store.tenants.size).toBe(3);
  });

  it('drops a tenant with its data; a store looked up before refuses writes, and the tenant comes back fresh', async () => {
    const store = new MemoryStore();
    const before = (await store.tenants.open('gone', () => seeded('s'), 10)).store;
    await before.create('accessPackages', pkg('written'));
    expect(await store.tenants.drop('gone')).toBe(true);
    expect(await store.tenants.drop('gone')).toBe(false);
    expect(store.tenants.get('gone')).toBeUndefined();
    const refused = await before.create('accessPackages', pkg('late')).catch((err: unknown) => err);
    expect(refused).toMatchObject({ kind: 'gone', message: expect.stringMatching(/^There is no tenant 'gone': /) });
    const back = (await store.tenants.open('gone', () => seeded('s'), 10)).store;
    expect(back.list('accessPackages').map((r) => r.id)).toEqual(['s']);
  });

  it('finds a tenant by its id in any case, capitals only too', async () => {
    const store = new MemoryStore();
    const { store: worker } = await store.tenants.open('worker', () => seeded(), 10);
    expect(store.tenants.get('WORKER')).toBe(worker);
    expect(store.tenants.get('Worker')).toBe(worker);
  });

  it('answers two drops of one tenant asked at once as two in turn: the second finds no tenant', async () => {
    const store = new MemoryStore();
    await store.tenants.open('twice', () => seeded('s'), 10);
    expect(await Promise.all([store.tenants.drop('twice'), store.tenants.drop('TWICE')])).toEqual([true, false]);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });

  it('lists no tenant from the start of its drop', async () => {
    const store = new MemoryStore();
    await store.tenants.open('gone', () => seeded('s'), 10);
    const drop = store.tenants.drop('gone');
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
    expect(await drop).toBe(true);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });

  // A library user's JavaScript can pass anything: a ConfigError naming it, not a TypeError.
  it.each([
    ['nothing', undefined, 'undefined'],
    ['a number', 42, '42'],
  ])('refuses %s as a tenant id with a ConfigError', async (_name, id, named) => {
    const store = new MemoryStore();
    const message = `${named} is not a tenant id: a tenant id is ${TENANT_ID_RULE}.`;
    await expect(store.tenants.open(id as never, () => seeded(), 10)).rejects.toThrow(new ConfigError(message));
    await expect(store.tenants.open(id as never, () => seeded(), 10)).rejects.toBeInstanceOf(ConfigError);
    await expect(store.tenants.drop(id as never)).rejects.toBeInstanceOf(ConfigError);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });

  it('never drops the default tenant', async () => {
    const store = new MemoryStore(seeded('a'));
    await expect(store.tenants.drop(DEFAULT_TENANT_ID)).rejects.toMatchObject({ kind: 'conflict', message: 'The default tenant cannot be dropped.' });
    expect(store.count('accessPackages')).toBe(1);
  });
});
