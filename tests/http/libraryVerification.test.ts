// The README's "Verify what your client sent" example, verbatim (a test checks it stays so), then the rest of the
// handle's controls: fault rules, tenant scoping, the admin token, and errors that name what is wrong.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ConfigError, FaultRuleError, type RunningEmulator, startEmulator } from 'graph-accesspackages-emulator';
import { fences, section } from '../support/markdown.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

// The code under test: it creates an access package through Graph.
async function createSalesPackage(graphUrl: string): Promise<void> {
  await fetch(`${graphUrl}/beta/identityGovernance/entitlementManagement/accessPackages`, {
    method: 'POST',
    headers: { Authorization: 'Bearer any-token', 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName: 'Sales', isHidden: false }),
  });
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => Promise.all([emulator.reset(), emulator.clearRequests()]));

it('creates the Sales package exactly once', async () => {
  await createSalesPackage(emulator.url);

  const creates = await emulator.requests({ method: 'POST', path: '/beta/identityGovernance/entitlementManagement/accessPackages' });
  expect(creates).toHaveLength(1);
  expect(creates[0]!.requestBody).toEqual({ displayName: 'Sales', isHidden: false });
  expect(creates[0]!.status).toBe(201);
});

const PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

function post(headers: Record<string, string> = { Authorization: 'Bearer any-token' }) {
  return fetch(`${emulator.url}${PACKAGES}`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{"displayName":"X"}' });
}

describe('the handle of startEmulator', () => {
  it('reset() restores the configured fixtures: the store empties again', async () => {
    await createSalesPackage(emulator.url);
    expect(emulator.store.count('accessPackages')).toBe(1);
    await emulator.reset();
    expect(emulator.store.count('accessPackages')).toBe(0);
  });

  it('faults.set() replaces the rules and faults.clear() removes them', async () => {
    await emulator.faults.set([{ method: 'POST', status: 503, retryAfter: 2, times: 1 }]);
    const failed = await post();
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('2');
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('ServiceUnavailable');
    expect((await post()).status).toBe(201);
    await emulator.faults.set([{ method: 'POST', status: 500 }]);
    await emulator.faults.clear();
    expect((await post()).status).toBe(201);
    const statuses = (await emulator.requests({ path: PACKAGES })).map((e) => [e.status, e.fault?.source ?? null]);
    expect(statuses).toEqual([
      [503, 'rules[0]'],
      [201, null],
      [201, null],
    ]);
  });

  it('faults.set() refuses a bad rule with the FaultRuleError that names its field', async () => {
    const set = emulator.faults.set([{ status: 299 as 500 }]);
    await expect(set).rejects.toBeInstanceOf(FaultRuleError);
    await expect(set).rejects.toThrow('rules[0].status must be one of 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504.');
  });

  it("tenant(tid) reads and clears that tenant's requests only", async () => {
    await post(bearer(unsignedJwt({ tid: 'contoso', scp: READ_WRITE })));
    await post(bearer(unsignedJwt({ tid: 'fabrikam', scp: READ_WRITE })));
    const contoso = emulator.tenant('contoso');
    expect(contoso.tenant).toBe('contoso');
    expect((await contoso.requests()).map((e) => e.tenant)).toEqual(['contoso']);
    await contoso.clearRequests();
    expect((await emulator.requests()).map((e) => e.tenant)).toEqual(['fabrikam']);
  });

  it('since and limit page through the journal', async () => {
    for (let i = 0; i < 3; i += 1) await post();
    const [first, ...rest] = await emulator.requests();
    expect(rest).toHaveLength(2);
    expect((await emulator.requests({ since: first!.id, limit: 1 })).map((e) => e.id)).toEqual([rest[0]!.id]);
  });

  it("leaves out a filter given as undefined: a poller's first call lists everything", async () => {
    for (let i = 0; i < 2; i += 1) await post();
    let lastId: string | undefined;
    const firstPoll = await emulator.requests({ since: lastId, method: undefined });
    expect(firstPoll.map((e) => e.method)).toEqual(['POST', 'POST']);
    lastId = firstPoll[1]!.id;
    expect(await emulator.requests({ since: lastId })).toEqual([]);
  });

  it("rejects a bad filter with the API's message", async () => {
    await expect(emulator.requests({ status: 'teapot' })).rejects.toThrow("GET /_emulator/requests answered 400: Invalid value for 'status': 'teapot'.");
  });

  it('works with ADMIN_TOKEN set, which the admin API then requires', async () => {
    const guarded = await startEmulator({ adminToken: 'ci-secret' });
    try {
      expect((await fetch(`${guarded.url}/_emulator/requests`)).status).toBe(401);
      await fetch(`${guarded.url}${PACKAGES}`, { headers: { Authorization: 'Bearer t' } });
      expect((await guarded.requests()).map((e) => [e.method, e.status])).toEqual([['GET', 200]]);
      await guarded.clearRequests();
      expect(await guarded.requests()).toEqual([]);
    } finally {
      await guarded.close();
    }
  });

  it('answers 404 naming the setting when the journal is off', async () => {
    const quiet = await startEmulator({ journal: false });
    try {
      await expect(quiet.requests()).rejects.toThrow(
        "answered 404: The request journal is off: start the emulator with JOURNAL=on (--journal on; the library's option journal: 'on') to record requests.",
      );
    } finally {
      await quiet.close();
    }
  });

  it('tenant(tid).faults.set() scopes its rules to the tenant', async () => {
    await emulator.tenant('contoso').faults.set([{ method: 'POST', status: 503 }]);
    expect((await post(bearer(unsignedJwt({ tid: 'contoso', scp: READ_WRITE })))).status).toBe(503);
    expect((await post(bearer(unsignedJwt({ tid: 'fabrikam', scp: READ_WRITE })))).status).toBe(201);
    await emulator.tenant('contoso').faults.clear();
  });

  it("tenant(tid).faults.set() and clear() leave the other tenants' rules and their counters alone", async () => {
    const fabrikam = bearer(unsignedJwt({ tid: 'fabrikam', scp: READ_WRITE }));
    try {
      await emulator.tenant('fabrikam').faults.set([{ method: 'POST', status: 503, times: 1 }]);
      expect((await post(fabrikam)).status).toBe(503);
      await emulator.tenant('contoso').faults.set([{ method: 'POST', status: 500 }]);
      await emulator.tenant('contoso').faults.clear();
      // Fabrikam's rule fired its one time: it stays spent, not started again by another tenant's calls.
      expect((await post(fabrikam)).status).toBe(201);
      const { rules } = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: unknown[] };
      expect(rules).toEqual([{ method: 'POST', status: 503, times: 1, tenant: 'fabrikam', matched: 2, fired: 1 }]);
    } finally {
      await emulator.faults.clear();
    }
  });

  it("tenant(tid).faults.clear() removes that tenant's throttling profile; the whole handle's clear() any profile", async () => {
    const profile = (tenant: string) => ({ capacity: 1, refillPerSecond: 0.001, tenant });
    const throttleOf = async () => ((await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { throttle?: unknown }).throttle;
    const setProfile = (tenant: string) =>
      fetch(`${emulator.url}/_emulator/faults`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ throttle: profile(tenant) }),
      });
    try {
      expect((await setProfile('fabrikam')).status).toBe(200);
      // Another tenant's clear leaves it, and a set of rules keeps it.
      await emulator.tenant('contoso').faults.clear();
      await emulator.faults.set([]);
      expect(await throttleOf()).toEqual(profile('fabrikam'));
      await emulator.tenant('fabrikam').faults.clear();
      expect(await throttleOf()).toBeUndefined();
      await setProfile('fabrikam');
      await emulator.faults.clear();
      expect(await throttleOf()).toBeUndefined();
    } finally {
      await emulator.faults.clear();
    }
  });

  it('tenant(tid).faults.set() refuses a rule naming another tenant with a FaultRuleError naming the field, and takes its own in any case', async () => {
    try {
      const refused = emulator.tenant('contoso').faults.set([
        { status: 500, tenant: 'CONTOSO' },
        { status: 503, tenant: 'fabrikam' },
      ]);
      await expect(refused).rejects.toThrow(FaultRuleError);
      await expect(refused).rejects.toThrow(
        "rules[1].tenant is 'fabrikam', not this handle's tenant ('contoso'). Use tenant('fabrikam').faults.set() or the unscoped handle.",
      );
      expect(((await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: unknown[] }).rules).toEqual([]);
      await emulator.tenant('contoso').faults.set([{ status: 500, tenant: 'CONTOSO' }]);
      expect(((await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: Array<Record<string, unknown>> }).rules).toMatchObject([
        { status: 500, tenant: 'CONTOSO' },
      ]);
    } finally {
      await emulator.faults.clear();
    }
  });

  it("tenant(tid).reset() resets that tenant's data only (and adds a tenant that does not exist yet)", async () => {
    await Promise.all(['contoso', 'fabrikam'].map((tid) => emulator.tenant(tid).reset()));
    await post(bearer(unsignedJwt({ tid: 'contoso', scp: READ_WRITE })));
    await post(bearer(unsignedJwt({ tid: 'fabrikam', scp: READ_WRITE })));
    const packages = (tid: string) => emulator.store.tenants.get(tid)?.count('accessPackages');
    expect([packages('contoso'), packages('fabrikam')]).toEqual([1, 1]);
    await emulator.tenant('contoso').reset();
    expect([packages('contoso'), packages('fabrikam')]).toEqual([0, 1]);
  });

  it('takes a status filter as a number or a class, and a scoped handle reads its own tenant, refusing a filter naming another', async () => {
    await post();
    await post(bearer(unsignedJwt({ tid: 'contoso', scp: READ_WRITE })));
    await fetch(`${emulator.url}${PACKAGES}/00000000-0000-4000-8000-000000000000`, { headers: { Authorization: 'Bearer any-token' } });
    expect((await emulator.requests({ status: 201 })).map((e) => [e.method, e.status])).toEqual([
      ['POST', 201],
      ['POST', 201],
    ]);
    expect((await emulator.requests({ status: '4xx' })).map((e) => [e.method, e.status])).toEqual([['GET', 404]]);
    expect((await emulator.tenant('contoso').requests({ tenant: 'CONTOSO' })).map((e) => e.tenant)).toEqual(['contoso']);
    await expect(emulator.tenant('contoso').requests({ tenant: 'fabrikam' })).rejects.toThrow(
      new ConfigError(
        "requests(filter) on the handle of tenant 'contoso' reads that tenant's requests only; got tenant 'fabrikam'. Use tenant('fabrikam').requests() or the unscoped handle.",
      ),
    );
    await expect(emulator.tenant('contoso').requests({ tenant: 'fabrikam' })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('README.md', () => {
  it("shows this file's example verbatim", () => {
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    const example = fences(section('README.md', 'Verify what your client sent')).find((f) => f.lang === 'ts');
    expect(example?.body).toContain('emulator.requests(');
    const body = example!.body.split('\n').slice(2).join('\n');
    expect(source).toContain(body);
  });
});
