// docs/graph-sdks.md's entitlement-management examples, run verbatim (port aside) in a plain Node process against a
// real emulator: both official SDKs list catalogs with $filter, create a package in a catalog and a policy for it,
// and read the package with $expand of its policies.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { runExample } from '../support/sdkExample.js';
import { fences, section } from '../support/markdown.js';

const examples = fences(section('docs/graph-sdks.md', 'Entitlement management through the SDKs')).filter((f) => f.lang === 'js');
const [classic, kiota] = examples.map((f) => `${f.body}\n`);

describe('entitlement management through the Graph SDKs, as docs/graph-sdks.md shows it', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('has two examples', () => {
    expect([classic, kiota].every((block) => block?.includes('const result ='))).toBe(true);
  });

  it.each([
    ['the classic client', () => classic!],
    ['the Kiota beta SDK and its models', () => kiota!],
  ])('%s: General catalog, package in it, policy, $expand of policies', async (_name, example) => {
    const { catalogId, accessPackage, policy, expanded } = (await runExample(example(), emulator.port)) as {
      catalogId: string;
      accessPackage: Record<string, unknown> & { id: string };
      policy: Record<string, unknown> & { id: string };
      expanded: Record<string, unknown>;
    };
    const general = emulator.store.list('accessPackageCatalogs').find((c) => c.displayName === 'General');
    expect(catalogId).toBe(general?.id);
    expect(accessPackage).toMatchObject({ displayName: 'Sales', catalogId });
    expect(policy).toMatchObject({ displayName: 'Direct assignments', durationInDays: 365, accessPackageId: accessPackage.id });
    expect(expanded['accessPackageAssignmentPolicies']).toEqual([expect.objectContaining({ id: policy.id, displayName: 'Direct assignments' })]);
    expect(emulator.store.get('accessPackageAssignmentPolicies', policy.id)).toMatchObject({ accessPackageId: accessPackage.id });
  });
});
