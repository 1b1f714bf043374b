// /_emulator/reset and /_emulator/export: put the data back to a known state between tests, or take it out.
import { perCollection } from '../collections.js';
import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import { GraphError } from '../graphErrors.js';
import { outsideAnswerBudget } from '../http/answerBudget.js';
import { jsonBody } from '../http/jsonBody.js';
import { parseRecords } from '../tenantData/loadRecords.js';
import { FIXTURE_SETS, FixtureCache, type FixtureChoice, isFixtureSetName } from '../tenantData/sets.js';
import { serializeDataset } from '../store/dataFileFormat.js';
import type { Dataset } from '../store/records.js';
import type { Store } from '../store/store.js';
import { adminTenant, adminTenantStore } from './tenants.js';

interface DataAdminOptions {
  store: Store;
  /** The configured fixtures: what a reset without a body restores. */
  fixtures: FixtureChoice;
  /** Tenants the store may hold: a reset of a tenant that does not exist adds it. */
  maxTenants: number;
}

/**
 * A reset may carry a whole exported tenant, far beyond the 1 MB a Graph request may have: 32 MB once decoded
 * (about 90,000 records), however small it was compressed, since the parsed records take several times that in memory.
 */
export const RESET_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * One reset at a time: the next waits, its body still unread, until the one before has answered. Resets in
 * parallel would each hold a whole tenant in memory, and the last to finish would win anyway. A reset whose
 * client leaves while it waits is dropped when its turn comes; its turn ends only after the one before it, so
 * the one after it still waits for that.
 */
function oneAtATime(): RequestHandler {
  let previous: Promise<void> = Promise.resolve();
  return (req: Request, res: Response, next: NextFunction) => {
    const before = previous;
    const closed = new Promise<void>((release) => res.once('close', release));
    previous = before.then(() => closed);
    void before.then(() => {
      if (!req.socket.destroyed) next();
    });
  };
}

/** The reset body names a set and/or a seed: {"fixtures": "paging", "seed": 7}. */
function chosenFixtures(body: Record<string, unknown>, configured: FixtureChoice): FixtureChoice {
  const extra = Object.keys(body).find((key) => key !== 'fixtures' && key !== 'seed');
  if (extra !== undefined) throw GraphError.of('badRequest', `Unknown property '${extra}': a reset body has either 'fixtures' and 'seed', or records.`);
  const { fixtures = configured.fixtures, seed = configured.seed } = body;
  if (typeof fixtures !== 'string' || (!isFixtureSetName(fixtures) && fixtures !== configured.fixtures)) {
    throw GraphError.of(
      'badRequest',
      `Unknown fixture set '${String(fixtures)}'; the sets are ${Object.keys(FIXTURE_SETS).join(', ')}. Send records in the body to load other data.`,
    );
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
    throw GraphError.of('badRequest', `Invalid value for property 'seed': expected a whole number from 0 to ${2 ** 31 - 1}.`);
  }
  return { fixtures, seed, referenceDate: configured.referenceDate };
}

interface ResetData {
  dataset: Dataset;
  shiftMs: number;
  from: string;
  seed: number | null;
}

async function resetData(req: Request, configured: FixtureChoice, cache: FixtureCache): Promise<ResetData> {
  const body: unknown = req.body;
  const selection =
    body === undefined ||
    (typeof body === 'object' && body !== null && !Array.isArray(body) && ('fixtures' in body || 'seed' in body || Object.keys(body).length === 0));
  // A FixtureError becomes a 400 naming the record, in graphErrors.ts.
  if (selection) {
    const choice = chosenFixtures((body ?? {}) as Record<string, unknown>, configured);
    // A file's records are loaded as they are: no seed made them, so none is answered (as for records in the body).
    const seed = isFixtureSetName(choice.fixtures) ? choice.seed : null;
    return { ...(await cache.load(choice)), from: choice.fixtures, seed };
  }
  return { dataset: parseRecords(body, configured.referenceDate), shiftMs: 0, from: 'request body', seed: null };
}

/**
 * Put a tenant's data in place, as one reset: a tenant that does not exist yet is added with this data (its dates
 * moved by `shiftMs`, as replaceAll moves them); one that exists, or that a request is adding, has it replaced.
 */
async function replaceTenantData(store: Store, tenant: string, dataset: Dataset, shiftMs: number, maxTenants: number): Promise<void> {
  const opened = await store.tenants.open(tenant, () => dataset, maxTenants, shiftMs);
  if (!opened.created) await opened.store.replaceAll(dataset, shiftMs);
}

export function dataAdminRouter({ store, fixtures, maxTenants }: DataAdminOptions): Router {
  const router = Router();
  const cache = new FixtureCache();
  // The new data is built and validated first, then swapped in with one replaceAll: a concurrent request
  // sees the old tenant or the new one, never a mix, and the answer comes once the new state is on disk.
  // ?tenant= names the tenant (admin/tenants.ts); the others are left as they are.
  router.post('/reset', oneAtATime(), jsonBody(RESET_BODY_LIMIT), async (req, res) => {
    const tenant = adminTenant(req);
    const { dataset, shiftMs, from, seed } = await resetData(req, fixtures, cache);
    await replaceTenantData(store, tenant, dataset, shiftMs, maxTenants);
    const records = perCollection((name) => dataset[name].length);
    res.status(200).json({ status: 'reset', fixtures: from, seed, records });
  });

  // The data file format exactly, one tenant's, so an export can be used as FIXTURES=file.json or posted back to reset.
  // One at a time, as resets are: each holds its tenant as one string until its client has read it (some 150 MB at
  // 100,000 packages), and twenty at once took 3 GB. One whose client takes none of its bytes is cut, as every
  // answer is (http/answerStall.ts), so a test paused in a debugger does not hold the turn of every other export.
  // Bounded so, it is left out of the budget of answers (http/answerBudget.ts), which a large tenant's would pass.
  router.get('/export', oneAtATime(), (req, res) => {
    outsideAnswerBudget(res);
    res
      .status(200)
      .type('application/json')
      .send(serializeDataset(adminTenantStore(store, req).snapshot()));
  });
  return router;
}
