// /_emulator/snapshots: named baselines of the data, saved and put back in one step each, for test suites that
// start every test from the same state (docs/data-and-persistence.md#named-baselines). PUT saves the current
// state under a name (201, or 200 when it replaces one), GET lists them, POST …/restore puts one back (as a
// reset does: atomic, durable before it answers), DELETE drops one. The limits are in store/baselines.ts.
// Each tenant has baselines of its own: every route takes ?tenant= (admin/tenants.ts; the default tenant without
// it), and a baseline is restored into the tenant it was saved from; the same name may be used by every tenant.
// Errors in Graph's envelope; the codes are chosen: not documented (a 404 for an unknown name or tenant, a 400 for a bad one).
import { Router, type Request } from 'express';
import { GraphError } from '../graphErrors.js';
import { jsonBody } from '../http/jsonBody.js';
import { BASELINE_NAME } from '../store/baselines.js';
import type { Store } from '../store/store.js';
import { RESET_BODY_LIMIT } from './data.js';
import { adminTenantStore, namedTenant } from './tenants.js';

// Relative to the /_emulator mount in app.ts.
const PATH = '/snapshots';

function nameOf(req: Request): string {
  const name = String(req.params['name']);
  if (!BASELINE_NAME.test(name)) {
    throw GraphError.of('badRequest', `Invalid baseline name '${name}': 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or a digit.`);
  }
  return name;
}

/**
 * The tenant's own list is the one to look at: without its ?tenant=, the hint would list the default tenant's.
 * Names are case-sensitive (two baselines may be `Clean` and `clean`), unlike tenant ids and admin paths, so a
 * name that differs only in case is named: the likely slip.
 */
function notFound(name: string, req: Request, store: Store): GraphError {
  const tenant = namedTenant(req);
  const scope = tenant === undefined ? '' : `?tenant=${tenant}`;
  const lower = name.toLowerCase();
  const other = adminTenantStore(store, req)
    .listBaselines()
    .find((b) => b.name.toLowerCase() === lower);
  const hint = other === undefined ? '' : ` Baseline names are case-sensitive: there is one named '${other.name}'.`;
  return GraphError.of(
    'notFound',
    `There is no baseline named '${name}'${tenant === undefined ? '' : ` in tenant '${tenant}'`}.${hint} GET /_emulator/snapshots${scope} lists them.`,
  );
}

/**
 * A save takes no data: the baseline is the tenant's data as it is. A body holding anything (records meant to be the
 * baseline, most likely) is refused rather than ignored, so a suite never saves other data than it meant to; no body
 * and `{}` are taken. The body is read up to a reset body's size, so that records sent here get this answer, not a
 * 413 (chosen: not documented).
 */
function refuseData(body: unknown): void {
  const empty = body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0);
  if (!empty) {
    throw GraphError.of(
      'badRequest',
      'PUT /_emulator/snapshots/{name} takes no body: the baseline is taken from the current data. Load records with POST /_emulator/reset first, then save the baseline.',
    );
  }
}

export function snapshotsAdminRouter(store: Store): Router {
  const router = Router();
  router.get(PATH, (req, res) => {
    res.status(200).json({ value: adminTenantStore(store, req).listBaselines() });
  });
  router.get(`${PATH}/:name`, (req, res) => {
    const name = nameOf(req);
    const baseline = adminTenantStore(store, req)
      .listBaselines()
      .find((b) => b.name === name);
    if (baseline === undefined) throw notFound(name, req, store);
    res.status(200).json(baseline);
  });
  router.put(`${PATH}/:name`, jsonBody(RESET_BODY_LIMIT), async (req, res) => {
    const name = nameOf(req);
    refuseData(req.body);
    const { baseline, replaced } = await adminTenantStore(store, req).saveBaseline(name);
    res.status(replaced ? 200 : 201).json(baseline);
  });
  router.post(`${PATH}/:name/restore`, async (req, res) => {
    const name = nameOf(req);
    const restored = await adminTenantStore(store, req).restoreBaseline(name);
    if (restored === undefined) throw notFound(name, req, store);
    res.status(200).json({ name: restored.name, records: restored.records });
  });
  router.delete(`${PATH}/:name`, async (req, res) => {
    const name = nameOf(req);
    if (!(await adminTenantStore(store, req).removeBaseline(name))) throw notFound(name, req, store);
    res.status(204).end();
  });
  return router;
}
