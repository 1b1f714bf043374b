// The in-memory store (DATA_FILE=:memory:): same semantics as the file store, nothing on disk. The object is
// the default tenant's store; the other tenants are in `tenants`.
import { DEFAULT_TENANT_ID } from '../tenantIds.js';
import { Baselines } from './baselines.js';
import { Collections } from './collections.js';
import { type Persistence, TenantSet } from './tenants.js';
import { TenantStore } from './tenantStore.js';
import type { Dataset } from './records.js';

/** Nothing is written, so every change is applied at once and nothing fails. */
export const IN_MEMORY: Persistence = {
  persist: async (_entry, commit) => commit(),
  persistReset: async (_tenant, _dataset, _shiftMs, commit) => commit(),
  forget: async () => undefined,
  baselinesOf: () => new Baselines(),
  // Saved here, so always in memory.
  readBaseline: async (baseline) => baseline.dataset!,
  writeProblem: undefined,
  release: async () => undefined,
};

export class MemoryStore extends TenantStore {
  constructor(dataset?: Dataset) {
    super(new TenantSet(':memory:'), DEFAULT_TENANT_ID, new Collections(dataset));
    this.tenants.attach(IN_MEMORY, this);
  }
}
