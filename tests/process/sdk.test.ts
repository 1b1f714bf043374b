// The Graph SDK examples of docs/graph-sdks.md, run verbatim (port aside) in a plain Node process against a real emulator
// that checks bearer tokens: a 201 proves the SDK sent one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { ROOT, childEnv, tempDir } from '../support/childProcess.js';
import { fences, section } from '../support/markdown.js';

const examples = fences(section('docs/graph-sdks.md', 'Connecting')).filter((f) => f.lang === 'js');
const [classicHttps, classicMiddleware, kiota] = examples.map((f) => `${f.body}\n`);

// Asynchronous: the emulators run in this process and must keep answering while the example runs.
async function run(example: string, port: number, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const script = `${example.replaceAll('localhost:4000', `localhost:${port}`)}\nconsole.log(JSON.stringify(created));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: childEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

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
    const created = await run(classicHttps!, https.port, { NODE_EXTRA_CA_CERTS: https.caFile! });
    expect(created).toMatchObject({ displayName: 'Sales', '@odata.context': expect.stringContaining('accessPackages/$entity') });
    expect(https.store.get('accessPackages', created.id as string)).toMatchObject({ displayName: 'Sales' });
  });

  it('the classic client over http with a token middleware', async () => {
    const created = await run(classicMiddleware!, http.port);
    expect(created).toMatchObject({ displayName: 'Sales', '@odata.type': '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage' });
    expect(http.store.get('accessPackages', created.id as string)).toBeDefined();
  });

  it('the Kiota beta SDK with the adapter pointed at /beta', async () => {
    const created = await run(kiota!, http.port);
    expect(created).toMatchObject({ displayName: 'Sales', isHidden: false, odataType: '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage' });
    expect(http.store.get('accessPackages', created.id as string)).toMatchObject({ displayName: 'Sales' });
  });
});
