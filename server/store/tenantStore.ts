// One tenant's data: its records in memory, its baselines, and its writes. A write is made durable through the
// tenant set's Persistence first (the file store's journal; nothing for the memory store) and applied in memory
// right after, so nothing is visible before it is on disk and a refused write changes nothing. Writes not yet
// durable are checked against each other (pendingWrites.ts), per tenant: a write reads the store as they will
// leave it (forWrites, pendingView.ts), while readers see only durable data.
// Both stores are the default tenant's TenantStore and own the set (memoryStore.ts, fileStore.ts).
import { type Baseline, type Baselines, StoreWithBaselines } from './baselines.js';
import type { Collections } from './collections.js';
import { shiftDates } from './dateShift.js';
import { PendingView } from './pendingView.js';
import { PendingWrites } from './pendingWrites.js';
import type { Change, TenantSet } from './tenants.js';
import { type CollectionName, type Dataset, type EntityOf, type Store, StoreError } from './types.js';

export class TenantStore extends StoreWithBaselines implements Store {
  private readonly pending = new PendingWrites();
  /** Set while a reset or a restore is under way: writes asked meanwhile wait for it, then see its data. */
  private resetting: Promise<void> | undefined;
  /** Set once a drop of the tenant is under way: no write may follow the drop into the journal. */
  dropping = false;
  private ownBaselines: Baselines | undefined;
  private pendingView: PendingView | undefined;

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
    while (this.resetting) await this.resetting;
    this.checkLive();
    if (this.exists(collection, record.id)) throw new StoreError('conflict', `A record with id '${record.id}' already exists.`);
    await this.write(collection, record.id, { op: 'put', c: collection, r: record }, () => this.state.of(collection).put(record));
  }

  async update<C extends CollectionName>(collection: C, record: EntityOf<C>): Promise<boolean> {
    while (this.resetting) await this.resetting;
    this.checkLive();
    if (!this.exists(collection, record.id)) return false;
    await this.write(collection, record.id, { op: 'put', c: collection, r: record }, () => this.state.of(collection).put(record));
    return true;
  }

  async remove(collection: CollectionName, id: string): Promise<boolean> {
    while (this.resetting) await this.resetting;
    this.checkLive();
    if (!this.exists(collection, id)) return false;
    await this.write(collection, id, { op: 'del', c: collection, id }, () => this.state.of(collection).delete(id));
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

  /** A request that looked the tenant up before it was dropped must not write it back into the journal. */
  checkLive(): void {
    if (this.dropping || !this.tenants.holds(this)) throw new StoreError('gone', `The tenant '${this.tenantId}' was dropped.`);
  }

  private exists(collection: CollectionName, id: string): boolean {
    return this.pending.exists(collection, id, () => this.state.of(collection).get(id) !== undefined);
  }

  /** Called right after the checks, with no await between: the entry is queued in the order the checks saw. */
  private async write(collection: CollectionName, id: string, change: Change, commit: () => void): Promise<void> {
    const key = this.pending.add(collection, id, change.op === 'put' ? change.r : null);
    try {
      await this.tenants.persist(this.tenantId, change, commit);
    } finally {
      this.pending.settle(key);
    }
  }
}
