// Faults through the library API: startEmulator({ faults }) and createApp({ faults: new FaultEngine() }).
import { describe, expect, it } from '@jest/globals';
import { createApp, FaultEngine, FaultRuleError, MemoryStore, startEmulator } from 'graph-accesspackages-emulator';
import request from 'supertest';

const ACCESS_PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

describe('faults from a test suite', () => {
  it('startEmulator takes rules and a throttling profile, checked like a faults file', async () => {
    const emulator = await startEmulator({
      seed: 3,
      faults: { rules: [{ method: 'POST', status: 504, phase: 'after', times: 1 }], throttle: { capacity: 50, refillPerSecond: 50 } },
    });
    try {
      const post = () =>
        fetch(`${emulator.url}${ACCESS_PACKAGES}`, {
          method: 'POST',
          headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
          body: '{"displayName":"Once"}',
        });
      const failed = await post();
      expect(failed.status).toBe(504);
      expect(await failed.json()).toMatchObject({ error: { code: 'GatewayTimeout' } });
      expect(failed.headers.get('x-ms-resource-unit')).toBe('1');
      expect((await post()).status).toBe(201);
      expect(emulator.store.count('accessPackages')).toBe(2);
    } finally {
      await emulator.close();
    }
    await expect(startEmulator({ faults: { rules: [{ status: 999 as 500 }] } })).rejects.toThrow(FaultRuleError);
  });

  it('createApp takes a FaultEngine', async () => {
    const app = createApp({ store: new MemoryStore(), auth: 'none', faults: new FaultEngine({ rules: [{ method: 'GET', status: 503, retryAfter: 1 }] }) });
    const res = await request(app).get(ACCESS_PACKAGES);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.error).toMatchObject({ code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please retry again later.' });
  });
});
