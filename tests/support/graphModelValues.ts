// The values the model-based test (tests/http/graphModel.test.ts) builds its requests from: names that sort and
// quote awkwardly, uniqueNames few enough to clash, package and catalog bodies, and a policy's settings.
import fc from 'fast-check';
import type { PolicySettings } from './graphModelPolicies.js';
import { SCOPES } from './graphModelPolicies.js';

export const n = fc.nat(1000);
// A few names longer than a page token holds (128 bytes of JSON), sorting first one way or the other.
export const long = fc.constantFrom(`${'A'.repeat(130)}a`, `${'A'.repeat(130)}b`, 'z'.repeat(140));
export const name = fc.oneof(
  fc.constantFrom('Sales', 'Research', 'R', 'P'),
  fc.string({ unit: fc.constantFrom('a', 'B', "'", ' ', 'é', '&', '+', '%', '#', '/'), maxLength: 5 }),
  long,
);
// Few values, so that two records often want the same one.
export const uniqueName = fc.option(fc.constantFrom('u1', 'u2', "o'k", 'U1'), { nil: null });
export const packageBody = fc.record(
  { displayName: fc.option(name, { nil: null }), description: fc.string({ maxLength: 6 }), isHidden: fc.boolean(), uniqueName },
  { requiredKeys: ['displayName'] },
);
export const packageChanges = fc.record({
  displayName: fc.option(name, { nil: null }),
  description: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
  isHidden: fc.boolean(),
  uniqueName,
});
export const catalogStatus = fc.constantFrom('Published', 'Unpublished');
export const catalogBody = fc.record(
  { displayName: name, description: fc.string({ maxLength: 6 }), isExternallyVisible: fc.boolean(), uniqueName, catalogStatus },
  { requiredKeys: ['displayName'] },
);
export const catalogChanges = fc.record({
  displayName: name,
  description: fc.string({ maxLength: 6 }),
  isExternallyVisible: fc.boolean(),
  uniqueName,
  catalogStatus,
});
export const form = fc.nat(5);
export const nonEmpty = <T extends object>(arb: fc.Arbitrary<T>) => arb.filter((body) => Object.keys(body).length > 0);

export const policySettings: fc.Arbitrary<PolicySettings> = fc
  .record({
    version: fc.constantFrom('beta' as const, 'v1.0' as const),
    scope: fc.constantFrom(...Object.keys(SCOPES)),
    days: fc.nat(400),
    hours: fc.boolean(),
    selfAdd: fc.boolean(),
    selfUpdate: fc.boolean(),
    // Approval required names its stages (one required with none is read as no approval): none unless required.
    stages: fc.integer({ min: 1, max: 3 }),
    approvalForAdd: fc.boolean(),
    end: fc.boolean(),
  })
  .map((s) => ({ ...s, stages: s.approvalForAdd ? s.stages : 0 }));
