// The `x-fake` hints of the catalog resources, their roles and scopes and the assignment policy patterns
// (fixtures/csdl/hints.json): each reads the record's plan (resourcePlans.ts, policyPlans.ts), as the package and
// catalog hints of fakers.ts do.
import type { Random } from 'json-schema-faker';
import { RESOURCE_KINDS } from './entitlements.js';
import type { Faker, RecordPlan } from './fakers.js';
import { approvalSettings, policyQuestions, requestorSettings, reviewSettings } from './policySettings.js';

const kind = (plan: RecordPlan) => RESOURCE_KINDS[plan.kind ?? 'group'];

export const ENTITLEMENT_FAKERS: Readonly<Record<string, Faker>> = {
  resourceName: (plan) => plan.displayName,
  resourceDescription: (plan) => plan.description,
  resourceOriginId: (plan) => plan.originId ?? null,
  resourceOriginSystem: (plan) => kind(plan).originSystem,
  resourceType: (plan) => kind(plan).resourceType,
  resourceUrl: (plan) => plan.url ?? null,
  resourceCatalogId: (plan) => plan.catalogId,
  parentResourceId: (plan) => plan.parentId ?? null,
  roleName: (plan) => plan.displayName,
  roleDescription: (plan) => plan.description,
  roleOriginId: (plan) => plan.originId ?? null,
  scopeName: () => 'Root',
  scopeDescription: () => 'Root Scope',
  emptyList: () => [],
  never: () => false,
  always: () => true,
  // Assignment policy patterns: the package and the timestamps are set when a pattern is used for a package.
  policyName: (plan) => plan.displayName,
  policyDescription: (plan) => plan.description,
  policyPackageId: () => null,
  policyDurationInDays: (plan) => (plan.policy?.kind === 'timeLimited' ? 30 : plan.policy?.kind === 'direct' ? 0 : 365),
  // Some request policies let assignees ask for more time; a direct assignment is never requested and never expires
  // (durationInDays 0), so there is nothing to extend. The draw is made for every pattern, so later values stay the seed's.
  policyCanExtend: (plan, random: Random) => random.bool(0.3) && plan.policy?.kind !== 'direct',
  policyRequestorSettings: (plan, random: Random) => requestorSettings(plan.policy!.kind, random),
  policyApprovalSettings: (plan, random: Random) => approvalSettings(plan.policy!.kind, random),
  policyReviewSettings: (plan, random: Random) => reviewSettings(plan.policy!.kind, random),
  policyQuestions: (plan) => policyQuestions(plan.policy!.kind),
};
