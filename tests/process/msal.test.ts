// @azure/msal-node's ConfidentialClientApplication against the emulator as its authority, end to end: a
// real emulator process with --https and AUTH=strict, a real client process that trusts the generated CA.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { LISTENING, ROOT, type Spawned, spawnEmulator, spawnProcess, tempDir } from '../support/childProcess.js';
import { claimsOf } from '../support/tokens.js';

const TENANT = '9a3d526c-b3c1-4479-ba74-197b5c5751ae';
const BACKEND = path.join(ROOT, 'tests/support/msalBackend.mjs');

describe('MSAL client credentials against the emulator', () => {
  let emulator: Spawned;
  let url: string;
  let caFile: string;

  beforeAll(async () => {
    emulator = spawnEmulator(['--https', '--auth', 'strict', '--port', '0', '--data', path.join(tempDir(), 'db.json'), '--fixtures', 'empty'], {
      CLIENT_ROLES: 'backend=EntitlementManagement.ReadWrite.All,reporting=EntitlementManagement.Read.All',
    });
    [, url] = (await emulator.waitFor(LISTENING)) as unknown as [string, string];
    [, caFile] = (await emulator.waitFor(/NODE_EXTRA_CA_CERTS=(\S+)/)) as unknown as [string, string];
    url = url.replace('127.0.0.1', 'localhost');
  });
  afterAll(async () => {
    emulator.child.kill('SIGTERM');
    await emulator.exited;
  });

  async function runBackend(clientId: string): Promise<Record<string, unknown>> {
    const backend = spawnProcess(process.execPath, [BACKEND, `${url}/${TENANT}`, clientId, url], { NODE_EXTRA_CA_CERTS: caFile });
    const exit = await backend.exited;
    expect({ exit, stderr: backend.stderr() }).toEqual({ exit: { code: 0, signal: null }, stderr: '' });
    return JSON.parse(backend.stdout()) as Record<string, unknown>;
  }

  it('gets an application token (cached for the second call) that Graph accepts in strict mode', async () => {
    const result = await runBackend('backend');
    expect(result).toMatchObject({ tokenType: 'Bearer', secondFromCache: true, status: 201 });
    expect(claimsOf(String(result['accessToken']))).toMatchObject({ tid: TENANT, appid: 'backend', roles: ['EntitlementManagement.ReadWrite.All'] });
    expect(result['body']).toMatchObject({ displayName: 'Created by backend', createdBy: 'backend' });
  });

  it('a client configured read-only gets a token that Graph answers 403 on a write', async () => {
    const result = await runBackend('reporting');
    expect(result).toMatchObject({
      status: 403,
      body: { error: { code: 'UnAuthorized', message: 'User is not authorized to perform the operation. Reason: Unauthorized' } },
    });
  });
});
