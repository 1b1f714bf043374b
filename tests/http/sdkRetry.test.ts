// Injected faults as the official Graph JS client sees them: its RetryHandler reads Retry-After on
// 429/503/504 and retries, which is exactly what turns a failure after commit into a duplicate.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { startEmulator, type RunningEmulator } from '../../server/index.js';

const ACCESS_PACKAGES = '/identityGovernance/entitlementManagement/accessPackages';

function graphClient(baseUrl: string): Client {
  const retry = new RetryHandler(new RetryHandlerOptions(0, 3));
  retry.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ middleware: retry, baseUrl: `${baseUrl}/`, defaultVersion: 'beta' });
}

describe('the Graph JS client against injected faults', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ auth: 'none' });
  });
  afterAll(async () => {
    await emulator.close();
  });

  async function setRules(rules: unknown[]): Promise<void> {
    const res = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rules }),
    });
    expect(res.status).toBe(200);
  }

  it('retries a 503 before execution and creates once', async () => {
    await setRules([{ method: 'POST', status: 503, retryAfter: 0, times: 2 }]);
    const created = await graphClient(emulator.url).api(ACCESS_PACKAGES).post({ displayName: 'Retried' });
    expect(created).toMatchObject({ displayName: 'Retried', '@odata.context': expect.stringContaining('$entity') });
    expect(emulator.store.list('accessPackages').filter((p) => p.displayName === 'Retried')).toHaveLength(1);
    const faults = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: Array<{ fired: number; matched: number }> };
    expect(faults.rules[0]).toMatchObject({ matched: 3, fired: 2 });
  });

  it('retries a 503 after execution and so creates a duplicate', async () => {
    await setRules([{ method: 'POST', status: 503, retryAfter: 0, phase: 'after', times: 1 }]);
    const created = await graphClient(emulator.url).api(ACCESS_PACKAGES).post({ displayName: 'Twice' });
    expect(created).toMatchObject({ displayName: 'Twice' });
    expect(emulator.store.list('accessPackages').filter((p) => p.displayName === 'Twice')).toHaveLength(2);
  });

  it("surfaces Graph's error code once retries are exhausted", async () => {
    await setRules([{ method: 'GET', status: 503, retryAfter: 0 }]);
    const failure = await graphClient(emulator.url)
      .api(ACCESS_PACKAGES)
      .get()
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toMatchObject({
      statusCode: 503,
      code: 'ServiceUnavailable',
      message: 'The service is temporarily unavailable. Please retry again later.',
    });
    expect(failure).toHaveProperty('requestId', expect.stringMatching(/^[0-9a-f-]{36}$/));
    const faults = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: Array<{ fired: number }> };
    expect(faults.rules[0]?.fired).toBe(4);
  });
});
