// /_emulator/requests: the request journal (http/requestJournal.ts). GET answers {"value": [...]} oldest first,
// filtered by method, path (the fault rules' glob syntax), status, tenant and since (an entry id), at most `limit`
// entries; DELETE forgets every entry, or one tenant's with ?tenant=. With JOURNAL=off both are 404.
import { type Request, Router } from 'express';
import { GraphError } from '../graphErrors.js';
import { entryWireForm } from '../http/journalEntry.js';
import { journalTenant, parseRequestQuery } from '../http/journalQuery.js';
import type { RequestJournal } from '../http/requestJournal.js';

// Relative to the /_emulator mount in app.ts.
const PATH = '/requests';

function journalOf(journal: RequestJournal | undefined): RequestJournal {
  if (journal === undefined)
    throw GraphError.of(
      'notFound',
      "The request journal is off: start the emulator with JOURNAL=on (--journal on; the library's option journal: 'on') to record requests.",
    );
  return journal;
}

/** DELETE takes one filter, the tenant. */
function tenantToClear(req: Request): string | undefined {
  const { tenant, ...others } = req.query;
  const other = Object.keys(others)[0];
  if (other !== undefined) throw GraphError.of('badRequest', `Unknown query parameter '${other}'; DELETE ${req.baseUrl}${PATH} takes only 'tenant'.`);
  if (tenant === undefined) return undefined;
  if (typeof tenant !== 'string' || tenant === '') throw GraphError.of('badRequest', "Invalid value for 'tenant': give one tenant id.");
  return journalTenant(tenant);
}

export function requestsAdminRouter(journal: RequestJournal | undefined): Router {
  const router = Router();
  router.get(PATH, (req, res) => {
    const kept = journalOf(journal);
    const { keep, since, limit } = parseRequestQuery(req.query as Record<string, unknown>);
    res.status(200).json({ value: kept.list(keep, since, limit).map(entryWireForm) });
  });
  router.delete(PATH, (req, res) => {
    const kept = journalOf(journal);
    kept.clear(tenantToClear(req));
    res.status(204).end();
  });
  return router;
}
