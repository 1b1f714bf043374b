// createApp reads its fixtures file when the app is made, as startEmulator does at start: the same ConfigError for a
// file it cannot read, the same FixtureError for one whose content is not records, never a 400 at a tenant's request.
import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ConfigError, FixtureError, MemoryStore, createApp, startEmulator } from 'graph-accesspackages-emulator';
import { tempDir } from '../support/childProcess.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

const missing = path.join(dir, 'nonexistent.json');
const cases: [string, string, typeof ConfigError | typeof FixtureError, string][] = [
  ['a missing file', missing, ConfigError, `Cannot read the fixtures file ${missing}: ENOENT: no such file or directory, open '${missing}'`],
  ['a directory', dir, ConfigError, `Cannot read the fixtures file ${dir}: EISDIR: not a regular file, open '${dir}'`],
  [
    'a collection that is no array',
    file('five.json', '{"accessPackages":5}'),
    FixtureError,
    `The fixtures file ${path.join(dir, 'five.json')} is not valid: 'accessPackages' must be an array`,
  ],
  ['text that is not JSON', file('text.json', 'not json'), FixtureError, `The fixtures file ${path.join(dir, 'text.json')} is not valid JSON: `],
  [
    'a value nested 200,000 levels deep',
    file('deep.json', `[{"id":"0f0c0d0e-0000-4000-8000-000000000001","displayName":"x","description":${'['.repeat(200_000)}${']'.repeat(200_000)}}]`),
    FixtureError,
    `The fixtures file ${path.join(dir, 'deep.json')} nests arrays and objects more than 100 levels deep, as no record, rule or setting does.`,
  ],
];

describe('createApp with a fixtures file', () => {
  it.each(cases)('refuses %s at the call, with the error and message startEmulator gives', async (_name, fixtures, type, message) => {
    const make = () => createApp({ store: new MemoryStore(), fixtures });
    expect(make).toThrow(type);
    expect(make).toThrow(message);
    const started = startEmulator({ fixtures });
    await expect(started).rejects.toBeInstanceOf(type);
    const thrown = (() => {
      try {
        make();
      } catch (err) {
        return (err as Error).message;
      }
      return undefined;
    })();
    await expect(started).rejects.toThrow(thrown!);
  });

  it('takes a file of valid records: a new tenant starts with them', async () => {
    const records = file('one.json', JSON.stringify([{ id: '0f0c0d0e-0000-4000-8000-000000000001', displayName: 'From the file' }]));
    const app = createApp({ store: new MemoryStore(), fixtures: records });
    const res = await request(app)
      .get('/beta/identityGovernance/entitlementManagement/accessPackages')
      .set(bearer(unsignedJwt({ tid: 'w1', scp: READ_WRITE })))
      .expect(200);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body.value).toEqual([expect.objectContaining({ id: '0f0c0d0e-0000-4000-8000-000000000001', displayName: 'From the file' })]);
  });
});
