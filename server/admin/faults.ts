// /_emulator/faults: read and change fault rules and the throttling profile while the emulator runs.
// GET answers {"rules": [...]} with each rule's matched/fired counts; PUT replaces, POST appends one
// rule and answers with that rule, DELETE clears everything. Bodies follow fixtures/faults.schema.json; a bad one is a 400 naming the field.
import { Router, type Request } from 'express';
import { GraphError } from '../graphErrors.js';
import type { FaultEngine } from '../faults/engine.js';
import { parseFaultRule, parseFaultSettings } from '../faults/ruleSchema.js';
import { jsonBody } from '../http/jsonBody.js';

const ADMIN_BODY_LIMIT = 1024 * 1024;
// Relative to the /_emulator mount in app.ts.
const PATH = '/faults';

function parsed<T>(req: Request, parse: (body: unknown) => T): T {
  if (req.body === undefined) throw GraphError.of('badRequest', 'A JSON body is required.');
  // A FaultRuleError becomes a 400 naming the field, in graphErrors.ts.
  return parse(req.body);
}

export function faultsAdminRouter(faults: FaultEngine): Router {
  const router = Router();
  router.use(PATH, jsonBody(ADMIN_BODY_LIMIT));
  router.get(PATH, (_req, res) => {
    res.status(200).json(faults.describe());
  });
  router.put(PATH, (req, res) => {
    faults.replace(parsed(req, (body) => parseFaultSettings(body)));
    res.status(200).json(faults.describe());
  });
  router.post(PATH, (req, res) => {
    res.status(201).json(faults.append(parsed(req, (body) => parseFaultRule(body, 'rule'))));
  });
  router.delete(PATH, (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  return router;
}
