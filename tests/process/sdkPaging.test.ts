// The paging examples of docs/graph-sdks.md, run verbatim (port aside) in a plain Node process against a real
// emulator: each SDK's PageIterator follows every @odata.nextLink to the last page.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { tempDir } from '../support/childProcess.js';
import { fences, section } from '../support/markdown.js';
import { runExample } from '../support/sdkExample.js';

const examples = fences(section('docs/graph-sdks.md', 'Paging')).filter((f) => f.lang === 'js');
const [classicHttps, kiota] = examples.map((f) => `${f.body}\n`);

describe('Graph SDK paging, as docs/graph-sdks.md shows it', () => {
  let http: RunningEmulator;
  let https: RunningEmulator;
  beforeAll(async () => {
    [http, https] = await Promise.all([
      startEmulator({ fixtures: 'small' }),
      startEmulator({ fixtures: 'small', https: true, dataFile: path.join(tempDir(), 'db.json') }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([http.close(), https.close()]);
  });

  const everyName = (emulator: RunningEmulator) =>
    (emulator.store.list('accessPackages') as readonly { displayName: string }[]).map((p) => p.displayName).sort();

  it('has two examples, each paging ten packages at a time', () => {
    expect(examples).toHaveLength(2);
    expect([classicHttps, kiota].every((block) => block?.includes('const names = []') && block.includes('PageIterator'))).toBe(true);
  });

  it('the classic client over https reads every page', async () => {
    const names = (await runExample(classicHttps!, https.port, 'names', { NODE_EXTRA_CA_CERTS: https.caFile! })) as unknown as string[];
    expect(names.length).toBeGreaterThan(10);
    expect([...names].sort()).toEqual(everyName(https));
  });

  it('the Kiota SDK over http reads every page', async () => {
    const names = (await runExample(kiota!, http.port, 'names')) as unknown as string[];
    expect(names.length).toBeGreaterThan(10);
    expect([...names].sort()).toEqual(everyName(http));
  });

  it('answers the path the classic client makes of an http nextLink as the page says', async () => {
    const first = await fetch(`${http.url}/beta/identityGovernance/entitlementManagement/accessPackages?$top=10`, {
      headers: { Authorization: 'Bearer any-token' },
    });
    const nextLink = ((await first.json()) as { '@odata.nextLink': string })['@odata.nextLink'];
    expect(nextLink.startsWith(`${http.url}/beta/`)).toBe(true);
    // What `client.api(nextLink)` asks for: the link read as a path under the base URL and its version.
    const second = await fetch(`${http.url}/beta/${nextLink}`, { headers: { Authorization: 'Bearer any-token' } });
    expect(second.status).toBe(400);
    expect(((await second.json()) as { error: { message: string } }).error).toMatchObject({
      code: 'BadRequest',
      message: "Resource not found for the segment 'http:'.",
    });
  });
});
