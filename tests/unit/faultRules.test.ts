import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { sampleLatency } from '../../server/faults/effects.js';
import { parseFaultHeader } from '../../server/faults/header.js';
import { createRandom, deriveSeed } from '../../server/random.js';
import { RuleSet, type RequestFacts, type RuleState } from '../../server/faults/rules.js';
import { parseFaultRule, parseFaultSettings, type FaultRule } from '../../server/faults/ruleSchema.js';
import { fences, section } from '../support/markdown.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../server/errors.js';
import { loadFaultsFile } from '../../server/faults/file.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { MAX_FAULT_STREAMS } from '../../server/faults/tenantRandoms.js';

const COLLECTION = '/beta/identityGovernance/entitlementManagement/accessPackages';

/** The rule that ends the search: the last one that fired. */
function last(fired: readonly RuleState[]): RuleState | undefined {
  return fired.at(-1);
}

function facts(method: string, path: string, headers: Record<string, string> = {}, tenant = DEFAULT_TENANT_ID): RequestFacts {
  return { method, path, tenant, header: (name) => headers[name.toLowerCase()] };
}

describe('rule schema', () => {
  it.each<[string, unknown]>([
    ['status with retryAfter', { status: 503, retryAfter: 2 }],
    ['fixed latency', { latency: 300 }],
    ['uniform latency', { latency: { min: 100, max: 500 } }],
    ['lognormal latency with status', { latency: { median: 300, sigma: 0.5, max: 2000 }, status: 504 }],
    ['socket fault after execution', { method: 'DELETE', path: `${COLLECTION}/*`, drop: 'reset', phase: 'after' }],
    ['counters of a GET answer are accepted back', { status: 500, matched: 3, fired: 1 }],
    ['a glob that also matches the paths never faulted', { status: 500, path: '/beta/*' }],
    ['a ? standing for one character', { status: 500, path: '/beta/**/access?ackages' }],
    ['an escaped ? followed by what reads as a query', { status: 500, path: '/beta/a\\?$top=1' }],
    ['a header a request can carry', { status: 500, headers: { 'X-Tenant_Tag.1': 'a b\tc é', 'If-None-Match': '' } }],
    ['a path of either version, in any case', { status: 500, path: '/V1.0/identityGovernance/entitlementManagement/accessPackages' }],
    ['a glob for the version', { status: 500, path: '/*/identityGovernance/**' }],
  ])('accepts %s', (_name, rule) => {
    const parsed = parseFaultRule(rule);
    expect(parsed).not.toHaveProperty('fired');
    expect(parsed).not.toHaveProperty('matched');
  });

  it.each<[string, unknown, string | RegExp]>([
    ['an unknown status', { status: 418 }, 'rule.status must be one of 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504.'],
    ['no effect', { method: 'GET' }, 'rule needs an effect: status, latency or drop.'],
    ['status and drop together', { status: 503, drop: 'reset' }, 'rule cannot have both status and drop.'],
    ['null', null, 'rule must be object.'],
    ['a number', 5, 'rule must be object.'],
    ['a list', [], 'rule must be object.'],
    ['retryAfter on a 500', { status: 500, retryAfter: 1 }, 'rule retryAfter is only sent with status 429 or 503.'],
    ['retryAfter without status', { latency: 5, retryAfter: 1 }, 'rule.retryAfter needs status.'],
    ['phase after with only latency', { latency: 5, phase: 'after' }, 'rule phase after needs status or drop.'],
    ['a probability over 1', { status: 503, probability: 1.5 }, 'rule.probability must be <= 1.'],
    ['a fractional times', { status: 503, times: 1.5 }, 'rule.times must be integer.'],
    ['an unknown field', { status: 503, retry: 2 }, "rule: unknown field 'retry'."],
    // A misspelt effect is named, not reported as a rule without an effect.
    ['a misspelt status', { staus: 503 }, "rule: unknown field 'staus'."],
    ['a misspelt status with a retryAfter', { staus: 503, retryAfter: 2 }, "rule: unknown field 'staus'."],
    ['a misspelt latency bound', { latency: { min: 1, mx: 5 } }, "rule.latency: unknown field 'mx'."],
    ['a half uniform latency', { latency: { min: 5 } }, 'rule.latency must be milliseconds, {min, max} or {median, sigma, max}.'],
    ['a reversed uniform latency', { latency: { min: 500, max: 100 } }, 'rule.latency.min must not exceed latency.max.'],
    ['a lognormal latency capped below its median', { latency: { median: 300, sigma: 0.5, max: 100 } }, 'rule.latency.max must not be below latency.median.'],
    [
      'a lognormal latency whose median passes the default cap',
      { latency: { median: 70000, sigma: 0.5 } },
      'rule.latency.median must not exceed 60000, the cap of a latency without max; give latency.max.',
    ],
    ['a latency over the longest', { latency: 400000 }, 'rule.latency must be <= 300000.'],
    ['a negative latency', { latency: -5 }, 'rule.latency must be >= 0.'],
    ['a uniform latency over the longest', { latency: { min: 1, max: 400000 } }, 'rule.latency.max must be <= 300000.'],
    ['a fractional latency', { latency: 1.5 }, 'rule.latency must be milliseconds, {min, max} or {median, sigma, max}.'],
    ['an unknown drop', { drop: 'slam' }, 'rule.drop must be one of reset, empty, malformed, hang.'],
    ['a relative path', { status: 404, path: 'beta/x' }, 'rule.path must match pattern "^/".'],
    // Paths no rule ever meets: accepted, such a rule never fired.
    ['the admin API', { status: 503, path: '/_emulator/**' }, "rule.path '/_emulator/**' is the emulator's own API, which is never faulted."],
    ['the admin API in capitals', { status: 503, path: '/_EMULATOR' }, "rule.path '/_EMULATOR' is the emulator's own API, which is never faulted."],
    [
      'a $batch request itself',
      { status: 503, path: '/beta/$batch' },
      "rule.path '/beta/$batch' is a $batch request itself, which is never faulted: its items are, each by its own method and path (such as /beta/identityGovernance/entitlementManagement/accessPackages).",
    ],
    ['a v1.0 $batch with a trailing slash', { status: 503, path: '/V1.0/$Batch/' }, /^rule\.path '\/V1\.0\/\$Batch\/' is a \$batch request itself/],
    ['the CSDL document', { status: 503, path: '/v1.0/$metadata' }, "rule.path '/v1.0/$metadata' is the CSDL document, which is never faulted."],
    // A URL pasted whole: no path has a query string.
    [
      'a query string',
      { status: 503, path: '/beta/**/accessPackages?$top=1' },
      "rule.path has a query string ('?$top=1'), which no path has: paths are matched without their query; leave it out.",
    ],
    [
      "a function parameter alias's value",
      { status: 503, path: "/beta/**/filterByCurrentUser(on=@p)?@p='allowedRequestor'" },
      /^rule\.path has a query string \('\?@p='allowedRequestor''\)/,
    ],
    ['a query option without $', { status: 503, path: '/beta/**/accessPackages?tenant=worker-1' }, /^rule\.path has a query string \('\?tenant=worker-1'\)/],
    // Header pairs no request can carry: Node reads a value's bytes one character each, without spaces around it.
    [
      'a header name with a space',
      { status: 503, headers: { 'X Tag': '1' } },
      "rule.headers: 'X Tag' is no header name a request can carry (letters, digits and !#$%&'*+-.^_`|~ only).",
    ],
    [
      'a header value with a space around it',
      { status: 503, headers: { 'X-Tag': ' 1' } },
      "rule.headers: the value of 'X-Tag' starts or ends with a space or a tab, which a request's header value never does.",
    ],
    [
      'a header value past Latin-1',
      { status: 503, headers: { 'X-Tag': 'caf\u00e9 \u2713' } },
      "rule.headers: the value of 'X-Tag' holds a control character or one past U+00FF, which a request's header value, read one byte a character, never does.",
    ],
    [
      'a header value ending with a tab',
      { status: 503, headers: { 'X-Tag': '1\t' } },
      "rule.headers: the value of 'X-Tag' starts or ends with a space or a tab, which a request's header value never does.",
    ],
    [
      'a header value of U+0100 alone',
      { status: 503, headers: { 'X-Tag': '\u0100' } },
      /^rule\.headers: the value of 'X-Tag' holds a control character or one past U\+00FF/,
    ],
    ['a header value with a line break', { status: 503, headers: { 'X-Tag': 'a\nb' } }, /^rule\.headers: the value of 'X-Tag' holds a control character/],
    [
      "a $batch item's url as the item writes it",
      { status: 503, path: '/identityGovernance/entitlementManagement/accessPackages' },
      "rule.path '/identityGovernance/entitlementManagement/accessPackages' names no Graph path: Graph's paths start with /beta or /v1.0, and a $batch item's url is matched with its batch's version in front (/beta/identityGovernance/entitlementManagement/accessPackages).",
    ],
    ['the root', { status: 503, path: '/' }, /^rule\.path '\/' names no Graph path: .* in front \(\/beta\)\.$/],
    ['a path that only starts like the admin API', { status: 500, path: '/_emulatorx/**' }, /^rule\.path '\/_emulatorx\/\*\*' names no Graph path/],
    [
      'the CSDL document spelt with an escape',
      { status: 503, path: '/%62eta/$metadata' },
      "rule.path '/%62eta/$metadata' is the CSDL document, which is never faulted.",
    ],
  ])('rejects %s, naming the field', (_name, rule, message) => {
    expect(() => parseFaultRule(rule)).toThrow(message);
  });

  it('names the rule by its position in a settings document', () => {
    expect(() => parseFaultSettings({ rules: [{ status: 503 }, { status: 503, probability: -1 }] })).toThrow('rules[1].probability must be >= 0.');
    expect(() => parseFaultSettings({ rules: [], throttle: { capacity: 0, refillPerSecond: 1 } })).toThrow('throttle.capacity must be >= 1.');
    expect(() => parseFaultSettings({ rule: [] })).toThrow("the body: unknown field 'rule'.");
    expect(() => parseFaultSettings([])).toThrow('the body must be object.');
  });
});

describe('X-Emulator-Fault header', () => {
  it.each<[string, FaultRule]>([
    ['status=503; retry-after=2', { status: 503, retryAfter: 2 }],
    ['delay=300', { latency: 300 }],
    ['delay=100-500', { latency: { min: 100, max: 500 } }],
    ['drop=reset', { drop: 'reset' }],
    ['Status=504 ; phase=after', { status: 504, phase: 'after' }],
    ['status=429; code=activityLimitReached; message=Slow down, please', { status: 429, code: 'activityLimitReached', message: 'Slow down, please' }],
  ])('reads %s', (header, rule) => {
    expect(parseFaultHeader(header)).toEqual(rule);
  });

  it.each<[string, string]>([
    ['status=418', 'X-Emulator-Fault status must be one of 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504.'],
    ['retry-after=soon; status=429', 'X-Emulator-Fault retry-after must be integer.'],
    ['wait=5', "X-Emulator-Fault: unknown key 'wait'; use status, code, message, retry-after, delay, drop, phase."],
    ['status', "X-Emulator-Fault: 'status' needs a value."],
    ['status=503; STATUS=500', "X-Emulator-Fault: 'status' is given more than once."],
    ['drop=explode', 'X-Emulator-Fault drop must be one of reset, empty, malformed, hang.'],
    ['status=500; retry-after=1', 'X-Emulator-Fault retry-after is only sent with status 429 or 503.'],
    ['delay=999999', 'X-Emulator-Fault delay must be <= 300000.'],
    ['delay=100-400000', 'X-Emulator-Fault delay.max must be <= 300000.'],
    // Two X-Emulator-Fault headers arrive as one, joined by ', '.
    ['status=503, delay=100', "X-Emulator-Fault is sent more than once (its values arrive joined by ', '): send it once, its pairs separated by ';'."],
    ['message=Down, Status=503', "X-Emulator-Fault is sent more than once (its values arrive joined by ', '): send it once, its pairs separated by ';'."],
    ['delay=500-100', "X-Emulator-Fault delay '500-100' runs from the longer delay to the shorter; write '100-500'."],
    ['delay=1.5', "X-Emulator-Fault delay must be milliseconds ('300') or a range ('100-500')."],
    ['delay=abc', "X-Emulator-Fault delay must be milliseconds ('300') or a range ('100-500')."],
    ['constructor=1', "X-Emulator-Fault: unknown key 'constructor'; use status, code, message, retry-after, delay, drop, phase."],
    ['__proto__=1', "X-Emulator-Fault: unknown key '__proto__'; use status, code, message, retry-after, delay, drop, phase."],
  ])('rejects %s, naming the key', (header, message) => {
    expect(() => parseFaultHeader(header)).toThrow(message);
  });
});

describe('rule matching and counting', () => {
  it('matches method, path glob and header; the first rule that fires wins', () => {
    const rules = new RuleSet([
      { method: 'POST', path: COLLECTION, headers: { 'x-test': 'a' }, status: 409 },
      { path: `${COLLECTION}/*`, status: 404 },
      { method: 'POST', status: 503 },
    ]);
    const random = createRandom(1);
    expect(last(rules.decide(facts('POST', COLLECTION, { 'x-test': 'a' }), random))?.rule.status).toBe(409);
    expect(last(rules.decide(facts('POST', COLLECTION, { 'x-test': 'b' }), random))?.rule.status).toBe(503);
    expect(last(rules.decide(facts('GET', `${COLLECTION.toLowerCase()}/abc`), random))?.rule.status).toBe(404);
    expect(rules.decide(facts('GET', `${COLLECTION}/`), random)).toEqual([]);
    expect(rules.decide(facts('GET', COLLECTION), random)).toEqual([]);
    expect(rules.list().map((s) => [s.matched, s.fired])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('skips `after` matches, then fires at most `times` times', () => {
    const rules = new RuleSet([{ method: 'POST', status: 500, after: 2, times: 1 }]);
    const random = createRandom(1);
    const fired = Array.from({ length: 6 }, () => rules.decide(facts('POST', COLLECTION), random).length > 0);
    expect(fired).toEqual([false, false, true, false, false, false]);
    expect(rules.list()[0]).toMatchObject({ matched: 6, fired: 1 });
  });

  it('fires on every n-th match with `every`', () => {
    const rules = new RuleSet([{ method: 'POST', status: 429, every: 5 }]);
    const random = createRandom(1);
    const fired = Array.from({ length: 12 }, (_, i) => (rules.decide(facts('POST', COLLECTION), random).length > 0 ? i + 1 : 0)).filter(Boolean);
    expect(fired).toEqual([5, 10]);
  });

  it('a rule that only adds latency lets the rules below it go on; a failure ends the search', () => {
    const rules = new RuleSet([{ method: 'GET', latency: 300 }, { method: 'GET', status: 503, every: 2 }, { latency: 5 }]);
    const random = createRandom(1);
    const rulesOf = (fired: readonly RuleState[]) => fired.map((s) => s.index);
    expect(rulesOf(rules.decide(facts('GET', COLLECTION), random))).toEqual([0, 2]);
    expect(rulesOf(rules.decide(facts('GET', COLLECTION), random))).toEqual([0, 1]);
    expect(rules.list().map((s) => [s.matched, s.fired])).toEqual([
      [2, 2],
      [2, 1],
      [1, 1],
    ]);
  });

  it('a drop, like a status, ends the search: the rules below it are neither matched nor fired', () => {
    const rules = new RuleSet([{ latency: 5 }, { method: 'DELETE', drop: 'reset' }, { status: 503 }]);
    const random = createRandom(1);
    const chosen = (fired: readonly RuleState[]) => fired.map((s) => s.rule);
    expect(chosen(rules.decide(facts('DELETE', `${COLLECTION}/abc`), random))).toEqual([{ latency: 5 }, { method: 'DELETE', drop: 'reset' }]);
    expect(chosen(rules.decide(facts('DELETE', `${COLLECTION}/abc`), random))).toEqual([{ latency: 5 }, { method: 'DELETE', drop: 'reset' }]);
    expect(rules.list().map((s) => [s.matched, s.fired])).toEqual([
      [2, 2],
      [2, 2],
      [0, 0],
    ]);
    // A request the drop does not match reaches the status rule.
    expect(chosen(rules.decide(facts('GET', COLLECTION), random))).toEqual([{ latency: 5 }, { status: 503 }]);
    expect(rules.list().map((s) => [s.matched, s.fired])).toEqual([
      [3, 3],
      [2, 2],
      [1, 1],
    ]);
  });

  it('a rule that does not fire lets the next one try', () => {
    const rules = new RuleSet([{ status: 503, times: 1 }, { latency: 10 }]);
    const random = createRandom(1);
    expect(last(rules.decide(facts('GET', COLLECTION), random))?.rule).toEqual({ status: 503, times: 1 });
    expect(last(rules.decide(facts('GET', COLLECTION), random))?.rule).toEqual({ latency: 10 });
  });
});

describe('seeded randomness', () => {
  const run = (seed: number) => {
    const rules = new RuleSet([{ status: 503, probability: 0.3 }]);
    const random = createRandom(seed);
    return Array.from({ length: 1000 }, () => (rules.decide(facts('GET', COLLECTION), random).length > 0 ? 1 : 0));
  };

  // One standard deviation of 1,000 draws at p = 0.3 is 1.45 points: each seed must land within
  // ±5 points (3.4 sigma) and the mean of ten seeds within ±1.5 points (3.3 sigma of that mean).
  it('fires with the configured probability: 30 % of 1,000 per seed within ±5 points, ten seeds within ±1.5', () => {
    const rates = Array.from({ length: 10 }, (_, seed) => run(seed + 1).reduce((a: number, b) => a + b, 0) / 1000);
    for (const rate of rates) expect(Math.abs(rate - 0.3)).toBeLessThanOrEqual(0.05);
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    expect(Math.abs(mean - 0.3)).toBeLessThanOrEqual(0.015);
  });

  it('gives identical sequences for identical seeds and different ones for different seeds', () => {
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('samples lognormal latency around its median', () => {
    const random = createRandom(42);
    const samples = Array.from({ length: 2001 }, () => random.lognormal(300, 0.5)).sort((a, b) => a - b);
    const median = samples[1000]!;
    expect(median).toBeGreaterThan(270);
    expect(median).toBeLessThan(330);
    expect(samples[0]).toBeGreaterThan(0);
  });

  it('draws the same latencies for the same seed, within the bounds and under the cap', () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 200 }, (_, i) => sampleLatency(i % 2 === 0 ? { min: 10, max: 20 } : { median: 300, sigma: 2, max: 1000 }, random));
    };
    const first = draw(5);
    expect(draw(5)).toEqual(first);
    expect(draw(6)).not.toEqual(first);
    const uniform = first.filter((_, i) => i % 2 === 0);
    const lognormal = first.filter((_, i) => i % 2 === 1);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(20);
    // sigma 2 puts about 30 % of draws above 3.3 × the median: the cap must have bitten.
    expect(Math.max(...lognormal)).toBe(1000);
    expect(lognormal.every((ms) => Number.isInteger(ms) && ms > 0)).toBe(true);
    expect(sampleLatency(250, createRandom(1))).toBe(250);
    expect(sampleLatency(undefined, createRandom(1))).toBe(0);
  });

  it('caps a lognormal latency without max at 60,000 ms, as docs/faults.md says', () => {
    const random = createRandom(5);
    const delays = Array.from({ length: 200 }, () => sampleLatency({ median: 50_000, sigma: 2 }, random));
    // sigma 2 puts nearly half the draws above 1.2 × the median.
    expect(Math.max(...delays)).toBe(60_000);
    expect(delays.filter((ms) => ms === 60_000).length).toBeGreaterThan(50);
  });

  it('takes a seed in the SEED setting’s range only, so a library caller replays as the command line does', () => {
    for (const seed of [-1, 1.5, 2 ** 31, Number.POSITIVE_INFINITY, Number.NaN, '7', {}] as unknown[]) {
      expect(() => new FaultEngine({ seed: seed as number })).toThrow(/^seed must be a whole number from 0 to 2147483647; got /);
    }
    expect(() => new FaultEngine({ seed: '7 ' as unknown as number })).toThrow('seed must be a whole number from 0 to 2147483647; got "7 ".');
    for (const seed of [0, 2 ** 31 - 1]) expect(() => new FaultEngine({ seed }).close()).not.toThrow();
  });

  // 200 seeds at p = 0.5: one standard deviation is 3.5 points; ±15 points is more than 4 sigma.
  it("fires an engine's first probable fault for about as many seeds as its probability says, after a start and after a replace", () => {
    const request = { ...facts('GET', COLLECTION), token: 'a', claims: null };
    const seeds = Array.from({ length: 200 }, (_, seed) => seed);
    const firstFires = (engine: FaultEngine) => engine.chooseRule(request) !== undefined;
    const engines = seeds.map((seed) => new FaultEngine({ seed, rules: [{ status: 503, probability: 0.5 }] }));
    const atStart = engines.filter(firstFires).length / seeds.length;
    expect(Math.abs(atStart - 0.5)).toBeLessThanOrEqual(0.15);
    for (const engine of engines) engine.replace({ rules: [{ status: 503, probability: 0.5 }] });
    expect(Math.abs(engines.filter(firstFires).length / seeds.length - 0.5)).toBeLessThanOrEqual(0.15);
    // The first uniform latency of a start lands anywhere in its range, not at its max for every seed.
    const latencies = seeds.map((seed) => sampleLatency({ min: 0, max: 100 }, new FaultEngine({ seed }).randomFor(DEFAULT_TENANT_ID)));
    expect(latencies.filter((ms) => ms < 50).length / seeds.length).toBeGreaterThan(0.35);
  });

  it("gives a phase-after rule its turn back when another tenant's rules were replaced or cleared while its request ran", () => {
    const engine = new FaultEngine({
      rules: [
        { tenant: 'worker-2', method: 'DELETE', status: 504, phase: 'after', times: 1 },
        { tenant: 'worker-1', status: 500 },
      ],
    });
    const worker2 = { ...facts('DELETE', `${COLLECTION}/x`, {}, 'worker-2'), token: 't', claims: null };
    for (const change of [() => engine.replaceTenant('worker-1', [{ status: 503 }]), () => engine.clearTenant('worker-1')]) {
      // Chosen, then the request fails on its own (a 404) after worker 1 changed its rules: the turn comes back.
      const chosen = engine.chooseRule(worker2);
      expect(chosen?.source).toBe('rules[0]');
      change();
      chosen!.release();
      expect(engine.describe('worker-2').rules).toEqual([expect.objectContaining({ tenant: 'worker-2', fired: 0 })]);
    }
    expect(engine.chooseRule(worker2)?.source).toBe('rules[0]');
  });

  describe('one random sequence per tenant', () => {
    const rules: FaultRule[] = [
      { status: 503, probability: 0.5 },
      { latency: { min: 0, max: 1000 }, probability: 0.5 },
    ];
    const TENANT_A = 'a0000000-0000-4000-8000-00000000000a';
    const TENANT_B = 'b0000000-0000-4000-8000-00000000000b';
    /** What `engine` does with one request of `tenant`: fault or not, and the latency the second rule would add. */
    const outcome = (engine: FaultEngine, tenant: string) => {
      const chosen = engine.chooseRule({ ...facts('GET', COLLECTION, {}, tenant), token: 't', claims: null });
      return `${chosen?.source ?? 'none'} ${sampleLatency({ min: 0, max: 1000 }, engine.randomFor(tenant))}`;
    };

    it("gives a tenant the same faults and latencies however another tenant's requests interleave with its own", () => {
      const alone = new FaultEngine({ seed: 42, rules });
      const aAlone = Array.from({ length: 60 }, () => outcome(alone, TENANT_A));
      const mixed = new FaultEngine({ seed: 42, rules });
      const aMixed: string[] = [];
      for (let i = 0; i < 60; i++) {
        for (let j = 0; j < i % 3; j++) outcome(mixed, TENANT_B);
        aMixed.push(outcome(mixed, TENANT_A));
      }
      expect(aMixed).toEqual(aAlone);
      // Both rules fired and both stayed quiet at times: the sequence is no constant.
      expect(new Set(aAlone.map((line) => line.split(' ')[0])).size).toBeGreaterThan(2);
      // Every tenant's sequence starts from the seed alone: a test file replays the same in whichever worker's
      // tenant it runs.
      const bAlone = new FaultEngine({ seed: 42, rules });
      expect(Array.from({ length: 60 }, () => outcome(bAlone, TENANT_B))).toEqual(aAlone);
    });

    it("draws every tenant's rules from the seed's 'faults' stream (the default tenant's as ever), and a header's latency range from another", () => {
      const engine = new FaultEngine({ seed: 9 });
      for (const tenant of [DEFAULT_TENANT_ID, TENANT_A]) {
        const expected = createRandom(deriveSeed(9, 'faults'));
        expect(Array.from({ length: 20 }, () => engine.randomFor(tenant).next())).toEqual(Array.from({ length: 20 }, () => expected.next()));
      }
      const header = createRandom(deriveSeed(9, 'faults:header'));
      expect(Array.from({ length: 5 }, () => engine.randomFor(TENANT_B, 'header').next())).toEqual(Array.from({ length: 5 }, () => header.next()));
      // The header's draws left the rules' sequence of that tenant where it was: at its start.
      expect(engine.randomFor(TENANT_B).next()).toBe(createRandom(deriveSeed(9, 'faults')).next());
    });

    it("restarts a tenant's sequence when its rules are replaced or cleared, and every one on a replace of all, leaving the others' where they were", () => {
      const engine = new FaultEngine({ seed: 42, rules });
      const first = Array.from({ length: 10 }, () => outcome(engine, TENANT_A));
      const bBefore = Array.from({ length: 10 }, () => outcome(engine, TENANT_B));
      engine.replaceTenant(TENANT_A, [{ tenant: TENANT_A, status: 503, probability: 0.5 }]);
      // Its sequence starts again from the tenant's stream of the seed.
      const afterReplace = Array.from({ length: 10 }, () => engine.randomFor(TENANT_A).next());
      const fresh = createRandom(deriveSeed(42, 'faults'));
      expect(afterReplace).toEqual(Array.from({ length: 10 }, () => fresh.next()));
      // B went on from where it was: its next outcomes are the 11th to 20th of a B alone.
      const bOnly = new FaultEngine({ seed: 42, rules });
      const bTwenty = Array.from({ length: 20 }, () => outcome(bOnly, TENANT_B));
      expect(bBefore).toEqual(bTwenty.slice(0, 10));
      expect(Array.from({ length: 10 }, () => outcome(engine, TENANT_B))).toEqual(bTwenty.slice(10));
      engine.clearTenant(TENANT_B);
      const again = createRandom(deriveSeed(42, 'faults'));
      expect(engine.randomFor(TENANT_B).next()).toBe(again.next());
      engine.replace({ rules });
      expect(Array.from({ length: 10 }, () => outcome(engine, TENANT_A))).toEqual(first);
    });

    it("fills a throttled client's bucket again when the faults are replaced, the profile kept, and a tenant's clients' alone when that tenant's are", () => {
      let now = 1_000_000;
      const engine = new FaultEngine({ throttle: { capacity: 2, refillPerSecond: 0.001 }, clock: () => now });
      const request = (tenant: string) => ({ ...facts('GET', COLLECTION, {}, tenant), token: 't', claims: null });
      const takes = (tenant: string, n: number) => Array.from({ length: n }, () => (engine.throttle(request(tenant))!.result.throttled ? 429 : 200));
      expect(takes(TENANT_A, 3)).toEqual([200, 200, 429]);
      expect(takes(TENANT_B, 3)).toEqual([200, 200, 429]);
      now += 10;
      // A PUT without a profile keeps it, with every bucket full again: what ran before no longer counts.
      engine.replace({ rules: [] });
      expect(engine.describe().throttle).toEqual({ capacity: 2, refillPerSecond: 0.001 });
      expect(takes(TENANT_A, 3)).toEqual([200, 200, 429]);
      expect(takes(TENANT_B, 3)).toEqual([200, 200, 429]);
      // One tenant's rules replaced or cleared: its clients start full, the other tenant's stay throttled.
      engine.replaceTenant(TENANT_A, []);
      expect(takes(TENANT_A, 1)).toEqual([200]);
      expect(takes(TENANT_B, 1)).toEqual([429]);
      engine.clearTenant(TENANT_B);
      expect(takes(TENANT_B, 3)).toEqual([200, 200, 429]);
      engine.replace({ rules: [], throttle: null });
      expect(engine.throttle(request(TENANT_A))).toBeUndefined();
    });

    it(`keeps at most ${MAX_FAULT_STREAMS} tenants' sequences: past it the first made starts again`, () => {
      const engine = new FaultEngine({ seed: 1 });
      const firstDraw = engine.randomFor(TENANT_A).next();
      const secondDraw = engine.randomFor(TENANT_A).next();
      for (let i = 1; i < MAX_FAULT_STREAMS; i++) engine.randomFor(`tenant-${i}`);
      // Still kept: the sequence goes on.
      expect(engine.randomFor(TENANT_A).next()).not.toBe(firstDraw);
      engine.randomFor('one-more');
      expect(engine.randomFor(TENANT_A).next()).toBe(firstDraw);
      expect(engine.randomFor(TENANT_A).next()).toBe(secondDraw);
    });
  });

  it('samples uniform integers within the bounds', () => {
    const random = createRandom(3);
    const samples = Array.from({ length: 500 }, () => random.int(100, 105));
    expect(new Set(samples)).toEqual(new Set([100, 101, 102, 103, 104, 105]));
  });
});

describe('shipped examples', () => {
  it('faults/faults.json is a valid faults file', async () => {
    const example = JSON.parse(await readFile(new URL('../../faults/faults.json', import.meta.url), 'utf8')) as unknown;
    expect(parseFaultSettings(example).rules?.length).toBeGreaterThan(0);
  });

  it('the recipes of docs/faults.md are all valid faults files', () => {
    const blocks = fences(section('docs/faults.md', 'Recipes'))
      .filter((f) => f.lang === 'json')
      .map((f) => JSON.parse(f.body) as unknown);
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const block of blocks) expect(() => parseFaultSettings(block)).not.toThrow();
  });
});

describe('a faults file', () => {
  it('names the field of its top level that is wrong as the file, not as a request body', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'faults-file-')), 'faults.json');
    writeFileSync(file, JSON.stringify({ rules: [], extra: 1 }));
    expect(() => loadFaultsFile(file)).toThrow(new ConfigError(`Faults file '${file}': the top level: unknown field 'extra'.`));
  });

  it('reads a file saved with a UTF-8 byte order mark', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'faults-file-')), 'faults.json');
    writeFileSync(file, '\uFEFF{"rules": [{"method": "GET", "status": 503}]}');
    expect(loadFaultsFile(file)).toEqual({ rules: [{ method: 'GET', status: 503 }] });
  });

  it('refuses a name written twice in one object, which JSON.parse would read as its last value alone', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'faults-file-')), 'faults.json');
    writeFileSync(file, '{"rules": [{"method": "GET", "status": 503, "method": "POST"}]}');
    expect(() => loadFaultsFile(file)).toThrow(
      new ConfigError(`The faults file ${file} writes the name 'method' twice in one object; only the last would count: write it once.`),
    );
    writeFileSync(file, '{"rules": [{"method": "GET", "status": 503}]}');
    expect(loadFaultsFile(file)).toEqual({ rules: [{ method: 'GET', status: 503 }] });
  });
});
