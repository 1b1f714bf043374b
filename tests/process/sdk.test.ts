// The Graph SDK examples of docs/graph-sdks.md, run verbatim (port aside) in a plain Node process against a real emulator
// that checks bearer tokens: a 201 proves the SDK sent one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { tempDir } from '../support/childProcess.js';
import { runExample } from '../support/sdkExample.js';
import { fences, section } from '../support/markdown.js';

const examples = fences(section('docs/graph-sdks.md', 'Connecting')).filter((f) => f.lang === 'js');
const [classicHttps, classicMiddleware, kiota] = examples.map((f) => `${f.body}\n`);

describe('Graph SDKs, as docs/graph-sdks.md shows them', () => {
  let http: RunningEmulator;
  let https: RunningEmulator;
  beforeAll(async () => {
    [http, https] = await Promise.all([startEmulator(), startEmulator({ https: true, dataFile: path.join(tempDir(), 'db.json') })]);
  });
  afterAll(async () => {
    await Promise.all([http.close(), https.close()]);
  });

  it('has three examples', () => {
    expect(examples).toHaveLength(3);
    expect([classicHttps, classicMiddleware, kiota].every((block) => block?.includes('const created ='))).toBe(true);
  });

  it('the classic client over https, trusting the generated CA', async () => {
    expect(https.caFile).toBeDefined();
    const created = await runExample(classicHttps!, https.port, 'created', { NODE_EXTRA_CA_CERTS: https.caFile! });
    expect(created).toMatchObject({ displayName: 'Sales', '@odata.context': expect.stringContaining('accessPackages/$entity') });
    expect(https.store.get('accessPackages', created.id as string)).toMatchObject({ displayName: 'Sales' });
  });

  it('the classic client over http with a token middleware', async () => {
    const created = await runExample(classicMiddleware!, http.port, 'created');
    expect(created).toMatchObject({ displayName: 'Sales', '@odata.type': '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage' });
    expect(http.store.get('accessPackages', created.id as string)).toBeDefined();
  });

  it('the Kiota beta SDK with the adapter pointed at /beta', async () => {
    const created = await runExample(kiota!, http.port, 'created');
    expect(created).toMatchObject({ displayName: 'Sales', isHidden: false, odataType: '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage' });
    expect(http.store.get('accessPackages', created.id as string)).toMatchObject({ displayName: 'Sales' });
  });
});
