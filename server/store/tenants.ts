// The tenants of one store: a TenantStore per tenant (tenantStore.ts), and the one place their changes are made
// durable. Both stores (memory, file) are the default tenant's store and own the set; they differ only in their
// Persistence. Every tenant's writes go through the same journal, in the order they were asked, so replaying it
// rebuilds every tenant as it was acknowledged. A tenant is added with one reset entry (the file store stores
// its records once, however many tenants start from them) and dropped with one entry.
import { ConfigError } from '../errors.js';
import { DEFAULT_TENANT_ID, TENANT_ID_RULE, tenantKey } from '../tenantIds.js';
import type { Baseline, Baselines } from './baselines.js';
import { Collections } from './collections.js';
import type { DataFile } from './dataFileFormat.js';
import { shiftDates } from './dateShift.js';
import type { JournalLine, RecordEntry } from './journalLines.js';
import { TenantStore } from './tenantStore.js';
import { type Dataset, emptyDataset } from './records.js';
import { StoreError, type Tenants } from './store.js';

/** What makes a change durable: nothing for the memory store, the journal and the stored datasets for the file store. */
export interface Persistence {
  /** Resolves once `entry` is durable; `commit` applies it in memory right then, before any later write's (journal.ts). */
  persist(entry: JournalLine, commit: () => void): Promise<void>;
  /** A tenant's whole data replaced by `dataset`, its dates moved by `shiftMs`, as one durable entry; then `commit`. */
  persistReset(tenant: string, dataset: Dataset, shiftMs: number, commit: () => void): Promise<void>;
  /** After a tenant's drop is durable: what it kept beside its records (baselines, its last reset's dataset) goes. */
  forget(tenant: string): Promise<void>;
  /** A tenant's baselines; `check` throws once the tenant is being dropped, before a change of them is written. */
  baselinesOf(tenant: string, check: () => void): Baselines;
  /** The records of a baseline that are not in memory yet (one read back from disk at start). */
  readBaseline(baseline: Baseline): Promise<Dataset>;
  /** Why writes fail now, for health; undefined while they work. */
  readonly writeProblem: string | undefined;
  /** Flush what is pending and release the files. */
  release(): Promise<void>;
}

/**
 * A tenant id as the set keeps it, lower-cased as requests name tenants; a ConfigError for one no request can name
 * (the library's `store.tenants`), which would be a tenant out of reach, and one the data file cannot hold.
 */
function tenantKeyOf(id: unknown): string {
  const key = typeof id === 'string' ? tenantKey(id) : undefined;
  if (key === undefined) throw new ConfigError(`${typeof id === 'string' ? `'${id}'` : String(id)} is not a tenant id: a tenant id is ${TENANT_ID_RULE}.`);
  return key;
}

export class TenantSet implements Tenants {
  readonly defaultId = DEFAULT_TENANT_ID;
  private readonly stores = new Map<string, TenantStore>();
  /** Tenants being added: in memory (and counted) at once, handed out once their entry is durable. */
  private readonly adding = new Map<string, Promise<TenantStore>>();
  /** Tenants whose adding entry is not durable yet: a snapshot must not hold them. */
  private readonly unsaved = new Set<string>();
  private readonly dropping = new Map<string, Promise<boolean>>();
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

  get problem(): string | undefined {
    return this.owner().writeProblem;
  }

  ids(): string[] {
    return [...this.stores.keys()].filter((id) => !this.adding.has(id) && !this.dropping.has(id));
  }

  /**
   * A tenant's store by its id, in any case (tenant ids are kept in lower case, as tokens' `tid`s are matched);
   * undefined while it is being added or dropped, so that a request then goes through open(), which waits for either.
   */
  get(id: string): TenantStore | undefined {
    const key = /[A-Z]/.test(id) ? id.toLowerCase() : id;
    return this.adding.has(key) || this.dropping.has(key) ? undefined : this.stores.get(key);
  }

  holds(store: TenantStore): boolean {
    return this.stores.get(store.tenantId) === store;
  }

  async open(tid: string, seed: () => Dataset | Promise<Dataset>, limit: number, shiftMs = 0): Promise<{ store: TenantStore; created: boolean }> {
    const id = tenantKeyOf(tid);
    // A tenant being dropped is added again only once its drop is over, its baselines and its last reset forgotten
    // with it: a tenant added meanwhile would take the dropped one's baselines, or lose its own reset's dataset.
    const dropping = this.dropping.get(id);
    if (dropping !== undefined) await dropping.catch(() => undefined);
    const ready = this.get(id);
    if (ready) return { store: ready, created: false };
    const pending = this.adding.get(id);
    if (pending) return { store: await pending, created: false };
    const added = this.add(id, seed, limit, shiftMs);
    this.adding.set(id, added);
    try {
      return { store: await added, created: true };
    } finally {
      this.adding.delete(id);
    }
  }

  drop(tid: string): Promise<boolean> {
    let id: string;
    try {
      id = tenantKeyOf(tid);
    } catch (err) {
      return Promise.reject(err);
    }
    if (id === this.defaultId) return Promise.reject(new StoreError('conflict', 'The default tenant cannot be dropped.'));
    const running = this.dropping.get(id);
    // A drop asked while another runs comes after it, as in any serial order of the two: the tenant is gone by then
    // (false), or, when the disk refused the first one, this one drops it. Both answered true was two deletes of one
    // tenant both done.
    if (running !== undefined)
      return running.then(
        () => false,
        () => this.drop(id),
      );
    const dropped = this.dropNow(id).finally(() => this.dropping.delete(id));
    this.dropping.set(id, dropped);
    return dropped;
  }

  /**
   * A tenant's changes of one write, in the journal's terms: one put or del line, or one batch line for several (so
   * that a crash keeps all of them or none); `t` names any tenant but the default.
   */
  persist(tenant: string, changes: readonly RecordEntry[], commit: () => void): Promise<void> {
    const t = tenant === this.defaultId ? {} : { t: tenant };
    const entry: JournalLine = changes.length === 1 ? { ...changes[0]!, ...t } : { op: 'batch', ...t, changes: [...changes] };
    return this.owner().persist(entry, commit);
  }

  persistReset(tenant: string, dataset: Dataset, shiftMs: number, commit: () => void): Promise<void> {
    return this.owner().persistReset(tenant, dataset, shiftMs, commit);
  }

  baselinesOf(tenant: string, check: () => void): Baselines {
    return this.owner().baselinesOf(tenant, check);
  }

  readBaseline(baseline: Baseline): Promise<Dataset> {
    return this.owner().readBaseline(baseline);
  }

  close(): Promise<void> {
    return this.owner().release();
  }

  /** Put a tenant's records in place, as the data file or a journal entry has them (its store kept if it exists). */
  restore(id: string, dataset: Dataset): TenantStore {
    const existing = this.stores.get(id);
    if (existing) {
      existing.collections.replaceAll(dataset);
      return existing;
    }
    const store = new TenantStore(this, id, new Collections(dataset));
    this.stores.set(id, store);
    return store;
  }

  /**
   * Apply one journal entry while the store opens: upserts, deletes, batches of them, resets (which add a tenant
   * that does not exist) and drops, each idempotent. `datasetOf` gives a reset's stored dataset.
   */
  replay(entry: JournalLine, datasetOf: (id: string) => Dataset): void {
    const id = entry.t ?? this.defaultId;
    switch (entry.op) {
      case 'reset':
        this.restore(id, shiftDates(datasetOf(entry.ds), entry.shift ?? 0));
        return;
      case 'drop':
        if (id !== this.defaultId) this.stores.delete(id);
        return;
      case 'batch':
        for (const change of entry.changes) this.replayChange(id, change);
        return;
      default:
        this.replayChange(id, entry);
    }
  }

  private replayChange(id: string, change: RecordEntry): void {
    if (change.op === 'put') {
      // A tenant dropped later in the journals than a snapshot that no longer holds it: added back until its drop.
      (this.stores.get(id) ?? this.restore(id, emptyDataset())).collections.of(change.c).put(change.r);
    } else this.stores.get(id)?.collections.of(change.c).delete(change.id);
  }

  /** Records held in memory, every tenant's. */
  recordCount(): number {
    let count = 0;
    for (const store of this.stores.values()) count += store.collections.recordCount();
    return count;
  }

  /**
   * Every tenant's durable records as the data file holds them. Records are replaced on update, never changed
   * in place: these copies of the arrays stay the state of this moment while a snapshot is written and writes go on.
   */
  toDataFile(): DataFile {
    const main = this.stores.get(this.defaultId)!.collections.toDataset();
    const others = [...this.stores].filter(([id]) => id !== this.defaultId && !this.unsaved.has(id));
    if (others.length === 0) return main;
    return { ...main, tenants: Object.fromEntries(others.map(([id, store]) => [id, store.collections.toDataset()])) };
  }

  private async add(id: string, seed: () => Dataset | Promise<Dataset>, limit: number, shiftMs: number): Promise<TenantStore> {
    const dataset = await seed();
    if (this.stores.size >= limit) {
      throw new StoreError(
        'full',
        `This emulator holds ${this.stores.size} tenants, the most it is allowed (MAX_TENANTS ${limit}): tenant '${id}' cannot be added. Drop tenants with DELETE /_emulator/tenants/{tid}, or raise MAX_TENANTS.`,
      );
    }
    const store = new TenantStore(this, id, new Collections(shiftDates(dataset, shiftMs)));
    this.stores.set(id, store);
    this.unsaved.add(id);
    try {
      await this.owner().persistReset(id, dataset, shiftMs, () => this.unsaved.delete(id));
    } catch (err) {
      this.unsaved.delete(id);
      if (this.stores.get(id) === store) this.stores.delete(id);
      throw err;
    }
    return store;
  }

  private async dropNow(id: string): Promise<boolean> {
    // A tenant being added is not there yet (get and ids leave it out): the drop comes before the request adding it,
    // and finds no tenant, as it would a moment earlier. Dropped under that request once added, it left the request
    // a tenant that one of its requests had added and another had dropped: no order of the requests gives that.
    if (this.adding.has(id)) return false;
    const store = this.stores.get(id);
    if (store === undefined) return false;
    // A reset under way is journalled first; from the mark on, the tenant's writes are refused ('gone').
    while (store.busy) await store.busy;
    store.dropping = true;
    try {
      await this.owner().persist({ op: 'drop', t: id }, () => this.stores.delete(id));
    } catch (err) {
      store.dropping = false;
      throw err;
    }
    await this.owner().forget(id);
    return true;
  }

  private owner(): Persistence {
    if (this.persistence === undefined) throw new Error('The tenant set has no store attached.');
    return this.persistence;
  }
}
