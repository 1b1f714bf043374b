// Tenants in the admin API: `?tenant=<tid>` on the admin routes that read or change one tenant's data (reset,
// export, faults, and any later route of one tenant), resolved by adminTenant alone; GET /_emulator/tenants
// lists them with their record counts; DELETE /_emulator/tenants/{tid} drops one with its data. Those two take no
// query parameter (noQuery.ts): `DELETE /_emulator/tenants/a?tenant=b` is a 400, not a drop of a.
// Answers in Graph's envelope (https://learn.microsoft.com/graph/errors); the codes are chosen: not documented.
import { type Request, Router } from 'express';
import { perCollection } from '../collections.js';
import { GraphError } from '../graphErrors.js';
import type { Store } from '../store/store.js';
import { DEFAULT_TENANT_ID, TENANT_ID_RULE, noTenantMessage, tenantKey } from '../tenantIds.js';
import { noQuery } from './noQuery.js';

function tenantIdOf(raw: string, where: string): string {
  const id = tenantKey(raw);
  if (id === undefined) throw GraphError.of('badRequest', `${where} '${raw}' is not a tenant id: a tenant id is ${TENANT_ID_RULE}.`);
  return id;
}

/** The tenant `?tenant=` names (any case), or the default tenant without it; a 400 for a value that is not one tenant id. */
export function adminTenant(req: Request): string {
  return namedTenant(req) ?? DEFAULT_TENANT_ID;
}

/**
 * The tenant `?tenant=` names; undefined without it (the route then acts on every tenant, or the default one).
 * These routes take no other query parameter: a misspelt one (`?tid=`, `?Tenant=`, qs's `tenant[]=`) is a 400,
 * never the default tenant's data reset or exported in its place.
 */
export function namedTenant(req: Request): string | undefined {
  const other = Object.keys(req.query).find((key) => key !== 'tenant');
  if (other !== undefined)
    throw GraphError.of('badRequest', `Unknown query parameter '${other}': ${req.method} ${req.baseUrl}${req.path} takes only 'tenant'.`);
  const raw = req.query['tenant'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw GraphError.of('badRequest', "The query parameter 'tenant' must be given once, with one tenant id.");
  return tenantIdOf(raw, 'The tenant');
}

/** The store of the tenant an admin request names; a 404 when that tenant does not exist. */
export function adminTenantStore(store: Store, req: Request): Store {
  const id = adminTenant(req);
  const found = store.tenants.get(id);
  if (found === undefined) {
    throw GraphError.of('notFound', noTenantMessage(id));
  }
  return found;
}

function describeTenant(store: Store) {
  return { id: store.tenantId, isDefault: store.tenantId === store.tenants.defaultId, records: perCollection((name) => store.count(name)) };
}

export function tenantsAdminRouter(store: Store): Router {
  const router = Router();
  router.get('/tenants', noQuery, (_req, res) => {
    const { tenants } = store;
    res.status(200).json({ value: tenants.ids().map((id) => describeTenant(tenants.get(id)!)) });
  });
  router.delete('/tenants/:tid', noQuery, async (req, res) => {
    const id = tenantIdOf(String(req.params['tid']), 'The tenant');
    if (id === store.tenants.defaultId) {
      throw GraphError.of('badRequest', 'The default tenant cannot be dropped: reset it with POST /_emulator/reset instead.');
    }
    if (!(await store.tenants.drop(id))) throw GraphError.of('notFound', `There is no tenant '${id}'.`);
    res.status(204).end();
  });
  return router;
}
