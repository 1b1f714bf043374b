// The plan of each assignment policy pattern (entitlements.ts): generated once per tenant by json-schema-faker,
// then used by the packages (relations.ts).
import type { Random } from 'json-schema-faker';
import { POLICY_PATTERNS } from './entitlements.js';
import { type RecordPlan, type Tenant, upn } from './fakers.js';
import { ADMINS } from './vocabulary.js';

export function planPolicyPattern(random: Random, index: number, tenant: Tenant): RecordPlan {
  const policy = POLICY_PATTERNS[index % POLICY_PATTERNS.length]!;
  return {
    displayName: policy.displayName,
    description: policy.description,
    catalogId: null,
    general: false,
    hidden: false,
    creator: upn(random.pick(ADMINS)),
    createdMs: tenant.referenceMs,
    createdDateTime: new Date(tenant.referenceMs).toISOString(),
    policy,
  };
}
