// The tenants of one store: each tenant's records in Collections of its own, a Store over each, and the one
// place a change is made durable. Both stores (memory, file) are the default tenant's Store and own the set;
// they differ only in their Persistence. Every tenant's writes go through the same journal, in the order they
// were applied, so replaying it rebuilds every tenant as it was acknowledged.
import { DEFAULT_TENANT_ID } from '../tenantIds.js';
import { Collections, normaliseDataset } from './collections.js';
import type { DataFile } from './dataFileFormat.js';
import type { JournalEntry } from './journal.js';
import { StateReads } from './stateReads.js';
import { type CollectionName, type Dataset, type EntityOf, type Store, StoreError, type Tenants, emptyDataset } from './types.js';

/** What makes a change durable: nothing for the memory store, the journal and the snapshot for the file store. */
export interface Persistence {
  /** Resolves once the change is durable. */
  persist(entry: JournalEntry): Promise<void>;
  /** Make every tenant's data durable at once, after a reset replaced one tenant's in memory. */
  persistAll(): Promise<void>;
  /** Flush what is pending and release the files. */
  release(): Promise<void>;
}

/** One tenant's data. Writes are applied in memory, then made durable; a dropped tenant's store refuses them. */
export class TenantStore extends StateReads implements Store {
  constructor(
    readonly tenants: TenantSet,
    readonly tenantId: string,
    state: Collections,
  ) {
    super(state);
  }

  get location(): string {
    return this.tenants.location;
  }

  /** The records in memory, for the set's snapshot and replay. */
  get collections(): Collections {
    return this.state;
  }

  async create<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<void> {
    this.checkLive();
    this.state.of(collection).insert(record);
    await this.tenants.persist(this.tenantId, { op: 'put', c: collection, r: record });
  }

  async update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean> {
    this.checkLive();
    if (!this.state.of(collection).replace(record)) return false;
    await this.tenants.persist(this.tenantId, { op: 'put', c: collection, r: record });
    return true;
  }

  async remove(collection: CollectionName, id: string): Promise<boolean> {
    this.checkLive();
    if (!this.state.of(collection).delete(id)) return false;
    await this.tenants.persist(this.tenantId, { op: 'del', c: collection, id });
    return true;
  }

  async replaceAll(dataset: Dataset): Promise<void> {
    this.checkLive();
    this.state.replaceAll(dataset);
    await this.tenants.persistAll();
  }

  close(): Promise<void> {
    return this.tenants.close();
  }

  /** A request that looked the tenant up before it was dropped must not write it back into the journal. */
  private checkLive(): void {
    if (!this.tenants.holds(this)) throw new StoreError('gone', `The tenant '${this.tenantId}' was dropped.`);
  }
}

type Change = { op: 'put'; c: CollectionName; r: EntityOf<CollectionName> } | { op: 'del'; c: CollectionName; id: string };

export class TenantSet implements Tenants {
  readonly defaultId = DEFAULT_TENANT_ID;
  private readonly stores = new Map<string, TenantStore>();
  /** Tenants being added: in memory (and counted) at once, handed out once their entry is durable. */
  private readonly adding = new Map<string, Promise<TenantStore>>();
  private persistence: Persistence | undefined;

  constructor(readonly location: string) {}

  /** Called once by the store that owns the set, which is the default tenant's store. */
  attach(persistence: Persistence, main: TenantStore): void {
    this.persistence = persistence;
    this.stores.set(main.tenantId, main);
  }

  get size(): number {
    return this.stores.size;
  }

  ids(): string[] {
    return [...this.stores.keys()].filter((id) => !this.adding.has(id));
  }

  get(id: string): TenantStore | undefined {
    return this.adding.has(id) ? undefined : this.stores.get(id);
  }

  holds(store: TenantStore): boolean {
    return this.stores.get(store.tenantId) === store;
  }

  async open(id: string, seed: () => Dataset | Promise<Dataset>, limit: number): Promise<{ store: Store; created: boolean }> {
    const ready = this.get(id);
    if (ready) return { store: ready, created: false };
    const pending = this.adding.get(id);
    if (pending) return { store: await pending, created: false };
    const added = this.add(id, seed, limit);
    this.adding.set(id, added);
    try {
      return { store: await added, created: true };
    } finally {
      this.adding.delete(id);
    }
  }

  async drop(id: string): Promise<boolean> {
    if (id === this.defaultId) throw new StoreError('conflict', 'The default tenant cannot be dropped.');
    await this.adding.get(id)?.catch(() => undefined);
    if (!this.stores.delete(id)) return false;
    await this.owner().persist({ op: 'drop', t: id });
    return true;
  }

  /** A tenant's change, in the journal's terms: `t` names any tenant but the default. */
  persist(tenant: string, change: Change): Promise<void> {
    return this.owner().persist(tenant === this.defaultId ? change : { ...change, t: tenant });
  }

  persistAll(): Promise<void> {
    return this.owner().persistAll();
  }

  close(): Promise<void> {
    return this.owner().release();
  }

  /** Put a tenant's records in place, as the data file or a journal entry has them (its store kept if it exists). */
  restore(id: string, dataset: Partial<Dataset>): TenantStore {
    const existing = this.stores.get(id);
    if (existing) {
      existing.collections.replaceAll(normaliseDataset(dataset));
      return existing;
    }
    const store = new TenantStore(this, id, new Collections(normaliseDataset(dataset)));
    this.stores.set(id, store);
    return store;
  }

  /** Apply one journal entry while the store opens: upserts, deletes, tenants added and dropped, each idempotent. */
  replay(entry: JournalEntry): void {
    const id = entry.t ?? this.defaultId;
    switch (entry.op) {
      case 'tenant':
        this.restore(id, entry.d);
        return;
      case 'drop':
        if (id !== this.defaultId) this.stores.delete(id);
        return;
      case 'put':
        (this.stores.get(id) ?? this.restore(id, emptyDataset())).collections.of(entry.c).put(entry.r);
        return;
      case 'del':
        this.stores.get(id)?.collections.of(entry.c).delete(entry.id);
        return;
    }
  }

  /**
   * Every tenant's records as the data file holds them. Records are replaced on update, never changed in place:
   * these copies of the arrays stay the state of this moment while a snapshot is written and writes go on.
   */
  toDataFile(): DataFile {
    const main = this.stores.get(this.defaultId)!.collections.toDataset();
    const others = [...this.stores].filter(([id]) => id !== this.defaultId);
    if (others.length === 0) return main;
    return { ...main, tenants: Object.fromEntries(others.map(([id, store]) => [id, store.collections.toDataset()])) };
  }

  private async add(id: string, seed: () => Dataset | Promise<Dataset>, limit: number): Promise<TenantStore> {
    const dataset = normaliseDataset(await seed());
    if (this.stores.size >= limit) {
      throw new StoreError(
        'full',
        `This emulator holds ${this.stores.size} tenants, the most it is allowed (MAX_TENANTS ${limit}): tenant '${id}' cannot be added. Drop tenants with DELETE /_emulator/tenants/{tid}, or raise MAX_TENANTS.`,
      );
    }
    const store = new TenantStore(this, id, new Collections(dataset));
    this.stores.set(id, store);
    try {
      await this.owner().persist({ op: 'tenant', t: id, d: dataset });
    } catch (err) {
      if (this.stores.get(id) === store) this.stores.delete(id);
      throw err;
    }
    return store;
  }

  private owner(): Persistence {
    if (this.persistence === undefined) throw new Error('The tenant set has no store attached.');
    return this.persistence;
  }
}
