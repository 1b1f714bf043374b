// /_emulator/faults: read and change fault rules and the throttling profile while the emulator runs.
// GET answers {"rules": [...]} with each rule's matched/fired counts; PUT replaces, POST appends one
// rule and answers with that rule, DELETE clears everything. Bodies follow fixtures/faults.schema.json; a bad one is a 400 naming the field.
// With ?tenant=<tid> each acts on that tenant's rules only (the rules whose `tenant` is it; a rule sent
// without one gets it): parallel test workers each install and clear their own faults without touching the others'.
import { Router, type Request } from 'express';
import { isDeepStrictEqual } from 'node:util';
import { GraphError } from '../graphErrors.js';
import type { FaultEngine } from '../faults/engine.js';
import { type FaultRule, parseFaultRule, parseFaultSettings } from '../faults/ruleSchema.js';
import { jsonBody } from '../http/jsonBody.js';
import { namedTenant } from './tenants.js';

/** A PUT or POST body at most (docs/security.md#bounded-work-per-request): 1,000 rules of a few hundred bytes each fit. */
export const FAULTS_BODY_LIMIT = 1024 * 1024;
// Relative to the /_emulator mount in app.ts.
const PATH = '/faults';

function parsed<T>(req: Request, parse: (body: unknown) => T): T {
  if (req.body === undefined) throw GraphError.of('badRequest', 'A JSON body is required.');
  // A FaultRuleError becomes a 400 naming the field, in graphErrors.ts.
  return parse(req.body);
}

/** A rule sent with ?tenant=: scoped to that tenant, or a 400 when it names another. */
function scoped(rule: FaultRule, tenant: string, where: string): FaultRule {
  if (rule.tenant === undefined) return { ...rule, tenant };
  if (rule.tenant.toLowerCase() !== tenant)
    throw GraphError.of('badRequest', `${where}.tenant is '${rule.tenant}', not the tenant ?tenant= names ('${tenant}').`);
  return rule;
}

export function faultsAdminRouter(faults: FaultEngine): Router {
  const router = Router();
  // A name written twice (two `rules`, a rule with two `status`) is refused, as in every body (jsonBody.ts) and in
  // X-Emulator-Fault: JSON.parse would keep the last one and drop the other rules or settings without a word.
  router.use(PATH, jsonBody(FAULTS_BODY_LIMIT));
  router.get(PATH, (req, res) => {
    res.status(200).json(faults.describe(namedTenant(req)));
  });
  router.put(PATH, (req, res) => {
    const tenant = namedTenant(req);
    const settings = parsed(req, (body) => parseFaultSettings(body));
    if (tenant === undefined) faults.replace(settings);
    else {
      // The profile as GET ?tenant= shows it can come back unchanged ("what GET answers can be PUT back as is").
      if (settings.throttle !== undefined && !isDeepStrictEqual(settings.throttle, faults.describe(tenant).throttle)) {
        throw GraphError.of(
          'badRequest',
          'The throttling profile is one for the whole emulator: set it with PUT /_emulator/faults without ?tenant=, its tenant field naming the tenant.',
        );
      }
      faults.replaceTenant(
        tenant,
        (settings.rules ?? []).map((rule, i) => scoped(rule, tenant, `rules[${i}]`)),
      );
    }
    res.status(200).json(faults.describe(tenant));
  });
  router.post(PATH, (req, res) => {
    const tenant = namedTenant(req);
    const rule = parsed(req, (body) => parseFaultRule(body, 'rule'));
    res.status(201).json(faults.append(tenant === undefined ? rule : scoped(rule, tenant, 'rule')));
  });
  router.delete(PATH, (req, res) => {
    const tenant = namedTenant(req);
    if (tenant === undefined) faults.clear();
    else faults.clearTenant(tenant);
    res.status(204).end();
  });
  return router;
}
