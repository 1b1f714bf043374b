// Fault rules given to the library are checked against the faults file's schema when they are given: a FaultEngine
// at construction, startEmulator's `faults` before anything listens, faults.set at the call. Each FaultRuleError
// names the option, never a 500 or a TypeError on every request.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FaultEngine, FaultRuleError, MemoryStore, createApp, startEmulator } from 'graph-accesspackages-emulator';

const lax = FaultEngine as unknown as new (options: unknown) => FaultEngine;

describe('new FaultEngine with rules no request can be answered with', () => {
  it.each([
    [{ rules: [{ status: 99 }] }, 'rules[0].status must be one of 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504.'],
    [{ rules: [{ status: 'abc' }] }, 'rules[0].status must be one of 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504.'],
    [{ rules: [{ path: 5, status: 503 }] }, 'rules[0].path must be string.'],
    [{ rules: [{ method: 5, status: 503 }] }, 'rules[0].method must be one of GET, POST, PATCH, PUT, DELETE.'],
    [{ rules: [{ probability: 5, status: 503 }] }, 'rules[0].probability must be <= 1.'],
    [{ rules: 'x' }, 'rules must be array.'],
  ])('refuses %j with a FaultRuleError naming the field', (options, message) => {
    expect(() => new lax(options)).toThrow(new FaultRuleError(message));
  });

  it('takes good rules: the app answers with the fault', async () => {
    const app = createApp({ store: new MemoryStore(), auth: 'none', faults: new FaultEngine({ rules: [{ status: 503, retryAfter: 1 }] }) });
    const res = await request(app).get('/beta/identityGovernance/entitlementManagement/accessPackages').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.error).toMatchObject({ code: 'ServiceUnavailable' });
  });
});

describe("startEmulator's faults and faults.set", () => {
  it.each([
    ['x', 'faults must be object.'],
    [[], 'faults must be object.'],
    [{ rule: [] }, "faults: unknown field 'rule'."],
    [{ rules: [{ status: 99 }] }, 'faults.rules[0].status must be one of 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504.'],
  ])('startEmulator({ faults: %j }) rejects with a FaultRuleError naming faults', async (faults, message) => {
    const started = startEmulator({ faults: faults as never });
    await expect(started).rejects.toThrow(new FaultRuleError(message));
    await expect(started).rejects.toBeInstanceOf(FaultRuleError);
  });

  it("faults.set('x') rejects with a FaultRuleError saying it takes a list", async () => {
    const emulator = await startEmulator();
    try {
      await expect(emulator.faults.set('x' as never)).rejects.toThrow(new FaultRuleError('faults.set takes a list of rules; got a string.'));
    } finally {
      await emulator.close();
    }
  });
});
