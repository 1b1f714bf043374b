// Fault settings cannot make the emulator do unbounded work: globs are matched in bounded time, rules and
// the throttling profile have caps, Retry-After is whole seconds within a day, and the request header can
// be switched off.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FAULTS_BODY_LIMIT } from '../../server/admin/faults.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { cpuMsOf } from '../support/cpuTime.js';
import { AUTH, PACKAGES, expectGraphError } from '../support/graph.js';
import { section } from '../support/markdown.js';

const ADMIN = '/_emulator/faults';

function emulator(engine = new FaultEngine({ seed: 5 })) {
  return createApp({ store: new MemoryStore(), faults: engine });
}

describe('fault rule paths', () => {
  it('a pattern that backtracked for seconds is matched at once against a long path', async () => {
    const app = emulator();
    await request(app)
      .put(ADMIN)
      .send({ rules: [{ path: '/*a*a*a*a*a*a*a*a*z', status: 500 }] })
      .expect(200);
    const { value: res, cpuMs } = await cpuMsOf(() =>
      request(app)
        .get(`/${'a'.repeat(8_000)}`)
        .set(AUTH),
    );
    expect(cpuMs).toBeLessThan(1_000);
    expectGraphError(res, 404, 'ResourceNotFound');
  });

  it.each([
    [{ path: '/@(a*|b)*(*)*(*)*(*)z', status: 500 }, 'rules[0].path uses an extglob such as @(a|b); write {a,b} or several rules instead.'],
    [{ path: `/${'x'.repeat(300)}`, status: 500 }, 'rules[0].path must NOT have more than 256 characters.'],
    // Syntax picomatch reads otherwise: braces with no comma are characters to it, a \ in a class an escape.
    [
      { path: '/beta/**/{accessPackages}', status: 500 },
      'rules[0].path has braces without a comma, which are no alternatives; write {a,b}, or \\{ for the character.',
    ],
    [
      { path: '/beta/[\\]]', status: 500 },
      'rules[0].path has a \\ inside braces or a class, which escapes nothing there; write the character itself (a ] first in its class).',
    ],
  ])('refuses %j with a 400 naming the field', async (rule, message) => {
    const res = await request(emulator())
      .put(ADMIN)
      .send({ rules: [rule] });
    expectGraphError(res, 400, 'BadRequest', message);
  });
});

describe('how many rules', () => {
  const rules = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `r${i}`, path: `/beta/x${i}`, status: 500 }));

  it('PUT takes at most 1,000 rules', async () => {
    const app = emulator();
    await request(app)
      .put(ADMIN)
      .send({ rules: rules(1000) })
      .expect(200);
    expectGraphError(
      await request(app)
        .put(ADMIN)
        .send({ rules: rules(1001) }),
      400,
      'BadRequest',
      'rules must NOT have more than 1000 items.',
    );
  });

  it('a PUT of a list far past 1,000 invalid rules is refused at once, not after minutes of checking each', async () => {
    // 100,000 rules of `{}` (300 KB): each item's messages were worked out against every error before it.
    const body = JSON.stringify({ rules: Array.from({ length: 100_000 }, () => ({})) });
    const { value: res, cpuMs } = await cpuMsOf(() => request(emulator()).put(ADMIN).set('Content-Type', 'application/json').send(body));
    expect(cpuMs).toBeLessThan(2_000);
    expectGraphError(res, 400, 'BadRequest', 'rules must NOT have more than 1000 items.');
  }, 60_000);

  it('a body past 1 MB is a 413, the limit docs/security.md and docs/faults.md name', async () => {
    const body = JSON.stringify({ rules: [{ status: 503, message: 'm'.repeat(FAULTS_BODY_LIMIT) }] });
    const res = await request(emulator()).put(ADMIN).set('Content-Type', 'application/json').send(body);
    expectGraphError(res, 413, 'RequestEntityTooLarge', `The request body exceeds the maximum allowed size of ${FAULTS_BODY_LIMIT} bytes.`);
    const limits = section('docs/security.md', 'Bounded work per request')
      .split('\n')
      .find((line) => line.startsWith('| fault rules |'));
    expect(limits).toContain(`body up to 1 MB (${FAULTS_BODY_LIMIT.toLocaleString('en-US')} bytes; \`413\` past it)`);
    expect(section('docs/faults.md', 'Admin API')).toContain('A `PUT` or `POST` body\nis at most 1 MB');
  });

  it('POST refuses the 1,001st rule', async () => {
    const app = emulator();
    await request(app)
      .put(ADMIN)
      .send({ rules: rules(1000) })
      .expect(200);
    const res = await request(app).post(ADMIN).send({ status: 503 });
    expectGraphError(res, 400, 'BadRequest', 'There are already 1000 rules, the most an emulator holds; replace them with PUT or remove them with DELETE.');
  });
});

describe('Retry-After and the throttling profile', () => {
  it.each([
    [{ capacity: 1, refillPerSecond: 1e-300 }, 'throttle.refillPerSecond must be >= 0.001.'],
    [{ capacity: 1e12, refillPerSecond: 1 }, 'throttle.capacity must be <= 1000000.'],
    [{ capacity: 1, refillPerSecond: 1e300 }, 'throttle.refillPerSecond must be <= 1000000.'],
  ])('refuses the profile %j', async (throttle, message) => {
    expectGraphError(await request(emulator()).put(ADMIN).send({ throttle }), 400, 'BadRequest', message);
  });

  it('the slowest profile answers a whole number of seconds', async () => {
    const app = emulator(new FaultEngine({ throttle: { capacity: 1, refillPerSecond: 0.001 }, clock: () => 0 }));
    await request(app).get(PACKAGES).set(AUTH).expect(200);
    const limited = await request(app).get(PACKAGES).set(AUTH);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1000');
  });

  it('a rule names whole seconds', async () => {
    const res = await request(emulator())
      .put(ADMIN)
      .send({ rules: [{ status: 429, retryAfter: 2.5 }] });
    expectGraphError(res, 400, 'BadRequest', 'rules[0].retryAfter must be integer.');
  });
});

describe('FAULT_HEADER=off', () => {
  it('ignores X-Emulator-Fault; the rules still apply', async () => {
    const app = emulator(new FaultEngine({ header: false, rules: [{ method: 'POST', status: 503 }] }));
    expect((await request(app).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'status=500')).status).toBe(200);
    expect((await request(app).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'not even valid')).status).toBe(200);
    expect((await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'x' })).status).toBe(503);
  });
});
