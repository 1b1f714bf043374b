// One tenant's data: its records in memory, its baselines, and its writes. A write is made durable through the
// tenant set's Persistence first (the file store's journal; nothing for the memory store) and applied in memory
// right after, so nothing is visible before it is on disk and a refused write changes nothing. Writes not yet
// durable are checked against each other (pendingWrites.ts), per tenant: a write reads the store as they will
// leave it (forWrites, pendingView.ts), while readers see only durable data. A write of several records (apply: a
// delete with what goes with it, a move) is one journal entry, applied in memory at once: all of it or none.
// Both stores are the default tenant's TenantStore and own the set (memoryStore.ts, fileStore.ts).
import { type Baseline, type Baselines, StoreWithBaselines } from './baselines.js';
import type { Collections } from './collections.js';
import { shiftDates } from './dateShift.js';
import { PendingView } from './pendingView.js';
import { PendingWrites } from './pendingWrites.js';
import type { RecordEntry } from './journalLines.js';
import { noTenantMessage } from '../tenantIds.js';
import type { TenantSet } from './tenants.js';
import type { CollectionName, Dataset, EntityOf } from './records.js';
import { type RecordChange, type Store, StoreError } from './store.js';

/** How many times a write refused while writes were in flight is built (apply). */
const APPLY_TRIES = 4;

export class TenantStore extends StoreWithBaselines implements Store {
  private readonly pending = new PendingWrites();
  /** Set while a reset or a restore is under way: writes asked meanwhile wait for it, then see its data. */
  private resetting: Promise<void> | undefined;
  /** Set once a drop of the tenant is under way: no write may follow the drop into the journal. */
  dropping = false;
  private ownBaselines: Baselines | undefined;
  private pendingView: PendingView | undefined;
  /** The writes not yet durable (or refused), each the promise its journal line settles. */
  private readonly inflight = new Set<Promise<void>>();

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

  get problem(): string | undefined {
    return this.tenants.problem;
  }

  /** The store as a write reads it: with the writes accepted before and not yet durable. */
  get forWrites(): Store {
    this.pendingView ??= new PendingView(this, this.pending);
    return this.pendingView;
  }

  /** The records in memory, for the set's snapshot and replay. */
  get collections(): Collections {
    return this.state;
  }

  /** The reset under way, if any: a drop waits for it, so that its entry comes after the reset's. */
  get busy(): Promise<void> | undefined {
    return this.resetting;
  }

  protected get baselines(): Baselines {
    this.ownBaselines ??= this.tenants.baselinesOf(this.tenantId, () => this.checkLive());
    return this.ownBaselines;
  }

  async create<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<void> {
    await this.apply(() => [{ op: 'create', collection, record }]);
  }

  update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean> {
    return this.apply(() => [{ op: 'update', collection, record }]);
  }

  remove(collection: CollectionName, id: string): Promise<boolean> {
    return this.apply(() => [{ op: 'remove', collection, id }]);
  }

  async apply(build: (store: Store) => readonly RecordChange[] | undefined, tries = APPLY_TRIES): Promise<boolean> {
    while (this.resetting) await this.resetting;
    this.checkLive();
    let entries: RecordEntry[] | undefined;
    try {
      const changes = build(this.forWrites);
      entries = changes === undefined ? undefined : this.checked(changes);
    } catch (err) {
      // A refusal may rest on writes still in flight (a uniqueName a create in the same sync takes), which the disk
      // may yet refuse: once they have settled, the write is built again, against what then stands; again while
      // a refusal meets other writes in flight (their own tries, when the disk refused them too), a few times.
      if (tries <= 1 || this.inflight.size === 0) throw err;
      await Promise.allSettled([...this.inflight]);
      return this.apply(build, tries - 1);
    }
    if (entries === undefined) return false;
    if (entries.length > 0) await this.write(entries);
    return true;
  }

  /** One step: one reset entry naming a stored dataset in the file store, applied once it is durable. */
  async replaceAll(dataset: Dataset, shiftMs = 0): Promise<void> {
    while (this.resetting) await this.resetting;
    this.checkLive();
    let done!: () => void;
    this.resetting = new Promise<void>((resolve) => (done = resolve));
    try {
      const next = shiftDates(dataset, shiftMs);
      await this.tenants.persistReset(this.tenantId, dataset, shiftMs, () => this.state.replaceAll(next));
    } finally {
      this.resetting = undefined;
      done();
    }
  }

  protected datasetOf(baseline: Baseline): Promise<Dataset> {
    return this.tenants.readBaseline(baseline);
  }

  close(): Promise<void> {
    return this.tenants.close();
  }

  /**
   * A request that looked the tenant up before it was dropped must not write it back into the journal. A Graph
   * request refused so runs again after the drop (http/dispatch.ts); an admin request is answered as one sent after it.
   */
  checkLive(): void {
    if (this.dropping || !this.tenants.holds(this)) throw new StoreError('gone', noTenantMessage(this.tenantId));
  }

  private exists(collection: CollectionName, id: string): boolean {
    return this.pending.exists(collection, id, () => this.state.of(collection).get(id) !== undefined);
  }

  /**
   * The changes as journal entries, each checked against the store as the writes in flight and the changes before
   * it leave it; undefined when one updates or removes a record that is not there.
   */
  private checked(changes: readonly RecordChange[]): RecordEntry[] | undefined {
    const earlier = new Map<CollectionName, Map<string, boolean>>();
    const entries: RecordEntry[] = [];
    for (const change of changes) {
      const { collection } = change;
      const id = change.op === 'remove' ? change.id : change.record.id;
      const seen = earlier.get(collection) ?? new Map<string, boolean>();
      earlier.set(collection, seen);
      const exists = seen.get(id) ?? this.exists(collection, id);
      if (change.op === 'create' && exists) throw new StoreError('conflict', `A record with id '${id}' already exists.`);
      if (change.op !== 'create' && !exists) return undefined;
      seen.set(id, change.op !== 'remove');
      entries.push(change.op === 'remove' ? { op: 'del', c: collection, id } : { op: 'put', c: collection, r: change.record });
    }
    return entries;
  }

  /**
   * Called right after the checks, with no await between: the entries are queued in the order the checks saw, and
   * applied in memory together once their one journal line is durable.
   */
  private async write(entries: readonly RecordEntry[]): Promise<void> {
    const keys = entries.map((e) => (e.op === 'put' ? this.pending.add(e.c, e.r.id, e.r) : this.pending.add(e.c, e.id, null)));
    const commit = () => {
      for (const e of entries) {
        if (e.op === 'put') this.state.of(e.c).put(e.r);
        else this.state.of(e.c).delete(e.id);
      }
    };
    const persisted = this.tenants.persist(this.tenantId, entries, commit);
    this.inflight.add(persisted);
    try {
      await persisted;
    } finally {
      this.inflight.delete(persisted);
      for (const key of keys) this.pending.settle(key);
    }
  }
}
