// The in-memory store (DATA_FILE=:memory:): same semantics as the file store, nothing on disk. The object is
// the default tenant's store; the other tenants are in `tenants`.
import { DEFAULT_TENANT_ID } from '../tenantIds.js';
import { Collections } from './collections.js';
import { type Persistence, TenantSet, TenantStore } from './tenants.js';
import type { Dataset } from './types.js';

const NOTHING_TO_PERSIST: Persistence = {
  persist: async () => undefined,
  persistAll: async () => undefined,
  release: async () => undefined,
};

export class MemoryStore extends TenantStore {
  constructor(dataset?: Dataset) {
    super(new TenantSet(':memory:'), DEFAULT_TENANT_ID, new Collections(dataset));
    this.tenants.attach(NOTHING_TO_PERSIST, this);
  }
}
