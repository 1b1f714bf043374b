// Which tenant's data a Graph request reaches: the store of its token's tenant (http/context.ts). A tenant seen
// for the first time is added with the configured fixtures before its first request is answered, durably, so
// parallel test workers each start from the same known data; past the tenant limit the request is refused.
// Resolved only for requests a resource answers: a mistyped path adds no tenant.
import type { Request } from 'express';
import type { Dataset } from '../store/records.js';
import type { Tenants } from '../store/store.js';
import { contextOf } from './context.js';

/**
 * Whether the request only reads: it sees what is on disk. Any other reads the store as the writes in flight
 * will leave it (pendingView.ts), so that it is checked, and an update built, against them.
 */
function readsOnly(req: Request): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

/** Resolves once `busy` has, whether the reset succeeded or not. */
function settled(busy: Promise<void>): Promise<void> {
  return busy.then(
    () => undefined,
    () => undefined,
  );
}

/** Sets the request's store; synchronous for a tenant that exists (every request but a tenant's first). */
export type TenantResolver = (req: Request) => void | Promise<void>;

export function tenantResolver(tenants: Tenants, seed: () => Promise<Dataset>, limit: number): TenantResolver {
  return (req) => {
    const context = contextOf(req);
    const store = tenants.get(context.tenant);
    if (store !== undefined) {
      if (readsOnly(req)) context.store = store;
      // A write that arrives during a reset or a restore reads (and is checked against) what it puts in place.
      else if (store.busy === undefined) context.store = store.forWrites;
      else
        return settled(store.busy).then(() => {
          context.store = store.forWrites;
        });
      return;
    }
    // A StoreError('full') past the limit becomes Graph's 507 in graphErrors.ts.
    return tenants.open(context.tenant, seed, limit).then((opened) => {
      context.store = readsOnly(req) ? opened.store : opened.store.forWrites;
    });
  };
}
