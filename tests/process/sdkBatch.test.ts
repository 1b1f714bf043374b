// docs/graph-sdks.md's batching examples, run verbatim (port aside) in a plain Node process against a real emulator:
// the classic client's BatchRequestContent (a create, then a filtered list that depends on it) and the Kiota core's
// (two reads), unmodified; and the Kiota core's write, refused as Graph refuses it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { runExample } from '../support/sdkExample.js';
import { fences, section } from '../support/markdown.js';

const examples = fences(section('docs/graph-sdks.md', 'Batching')).filter((f) => f.lang === 'js');
const [classic, kiota] = examples.map((f) => `${f.body}\n`);
const PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

describe('$batch through the Graph SDKs, as docs/graph-sdks.md shows it', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ fixtures: 'small' });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('has two examples', () => {
    expect([classic, kiota].every((block) => block?.includes('const result ='))).toBe(true);
  });

  it("the classic client's BatchRequestContent: a create, then a list that depends on it", async () => {
    await emulator.clearRequests();
    const { created, found } = (await runExample(classic!, emulator.port)) as { created: { id: string }; found: { value: Array<{ id: string }> } };
    expect(created).toMatchObject({ displayName: 'Sales', '@odata.context': expect.stringContaining('accessPackages/$entity') });
    expect(found.value.map((p) => p.id)).toEqual([created.id]);
    const entries = await emulator.requests();
    expect(entries.map((e) => [e.method, e.path, e.status, e.batchItemId])).toEqual([
      ['POST', '/beta/$batch', 200, null],
      ['POST', PACKAGES, 201, '1'],
      ['GET', PACKAGES, 200, '2'],
    ]);
    expect(entries[2]!.query).toEqual({ $filter: "displayName eq 'Sales'" });
  });

  it("the Kiota core's BatchRequestContent: two reads, each with its status", async () => {
    await emulator.clearRequests();
    expect(await runExample(kiota!, emulator.port)).toEqual({ catalogs: 200, packages: 200 });
    const items = (await emulator.requests()).filter((e) => e.batchId !== null);
    expect(items.map((e) => [e.batchItemId, e.path, e.query])).toEqual([
      ['catalogs', '/beta/identityGovernance/entitlementManagement/accessPackageCatalogs', {}],
      ['packages', PACKAGES, { $top: '5' }],
    ]);
  });

  it("the Kiota core's write is refused as Graph refuses it: it carries no Content-Type", async () => {
    const write = kiota!.replace(
      'const answers = await batch.postAsync();',
      `const write = new RequestInformation(HttpMethod.POST, \`\${em}/accessPackages\`);
write.setStreamContent(new TextEncoder().encode('{"displayName":"Sales"}'), 'application/json');
batch.addBatchRequest(write, 'write');
const refused = await batch.postAsync().then(() => 'posted', (err) => ({ status: err.responseStatusCode, code: err.errorEscaped?.code, message: err.message }));`,
    );
    const result = await runExample(write.replace(/const result = .*\n/, 'const result = { refused };\n'), emulator.port);
    expect(result).toEqual({ refused: { status: 400, code: 'BadRequest', message: 'Write request id : write does not contain Content-Type header or body.' } });
  });
});
