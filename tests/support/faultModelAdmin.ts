// The fault model-based test's admin commands (tests/http/faultModel.test.ts): fault rules and the throttling
// profile set, appended, read and cleared through /_emulator/faults, for every tenant or one (?tenant=), and the
// fault engine's clock moved on (docs/faults.md).
import { expect } from '@jest/globals';
import { expectGraphError } from './graph.js';
import { expectAdmin } from './graphModel.js';
import { type FaultModel, type Profile, type Rule, concrete, restartClients, tenantKey } from './faultModel.js';
import type { FaultEmulator } from './faultModelEmulator.js';
import type { FaultCommand } from './faultModelRequests.js';

const query = (tenant: string | undefined) => (tenant === undefined ? '' : `?tenant=${tenant}`);

/** What GET /_emulator/faults (?tenant=) answers, as the model holds it. */
function described(m: FaultModel, tenant: string | undefined): Record<string, unknown> {
  const mine = (named: string | undefined) => tenant === undefined || named?.toLowerCase() === tenantKey(tenant);
  const rules = m.rules.filter((s) => mine(s.rule.tenant)).map((s) => ({ ...s.rule, matched: s.matched, fired: s.fired }));
  return m.profile !== undefined && mine(m.profile.tenant) ? { rules, throttle: m.profile } : { rules };
}

/** A rule sent with ?tenant=: it gets that tenant (docs/faults.md#tenant-scoped-faults). */
const scoped = (rule: Rule, tenant: string | undefined): Rule => (tenant === undefined ? rule : { ...rule, tenant: tenantKey(tenant) });

/** PUT /_emulator/faults: every rule (and the profile, or kept when `throttle` is 'keep'), or one tenant's rules. */
export class SetFaults implements FaultCommand {
  constructor(
    private rules: Rule[],
    private readonly tenant: string | undefined,
    private readonly throttle: Profile | null | 'keep',
  ) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    this.rules = this.rules.map((rule) => concrete(m, rule, this.tenant));
    // With ?tenant=, a profile is sent only as GET ?tenant= shows the tenant's own, unchanged (docs/faults.md).
    const own = this.tenant !== undefined && this.throttle !== 'keep' && this.throttle !== null ? described(m, this.tenant)['throttle'] : undefined;
    const body =
      this.tenant !== undefined || this.throttle === 'keep'
        ? { rules: this.rules, ...(own === undefined ? {} : { throttle: own }) }
        : { rules: this.rules, throttle: this.throttle };
    const res = await real
      .admin()
      .put(`/_emulator/faults${query(this.tenant)}`)
      .send(body);
    expectAdmin(res, 200);
    const fresh = this.rules.map((rule) => ({ rule: scoped(rule, this.tenant), matched: 0, fired: 0 }));
    if (this.tenant === undefined) {
      m.rules = fresh;
      if (this.throttle !== 'keep') m.profile = this.throttle ?? undefined;
      restartClients(m);
    } else {
      const tenant = tenantKey(this.tenant);
      const first = m.rules.findIndex((s) => s.rule.tenant?.toLowerCase() === tenant);
      const kept = m.rules.filter((s) => s.rule.tenant?.toLowerCase() !== tenant);
      kept.splice(first === -1 ? kept.length : first, 0, ...fresh);
      m.rules = kept;
      restartClients(m, tenant);
    }
    expect(res.body).toEqual(described(m, this.tenant));
  }
  toString = () => `PUT /_emulator/faults${query(this.tenant)} ${JSON.stringify({ rules: this.rules, throttle: this.throttle })}`;
}

/** POST /_emulator/faults: one rule appended, counters at 0. */
export class AppendRule implements FaultCommand {
  constructor(
    private rule: Rule,
    private readonly tenant: string | undefined,
  ) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    this.rule = concrete(m, this.rule, this.tenant);
    const res = await real
      .admin()
      .post(`/_emulator/faults${query(this.tenant)}`)
      .send(this.rule);
    expectAdmin(res, 201);
    const rule = scoped(this.rule, this.tenant);
    m.rules.push({ rule, matched: 0, fired: 0 });
    expect(res.body).toEqual({ ...rule, matched: 0, fired: 0 });
  }
  toString = () => `POST /_emulator/faults${query(this.tenant)} ${JSON.stringify(this.rule)}`;
}

/** DELETE /_emulator/faults: every rule and the profile, or one tenant's rules and its profile. */
export class ClearFaults implements FaultCommand {
  constructor(private readonly tenant: string | undefined) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    const res = await real.admin().delete(`/_emulator/faults${query(this.tenant)}`);
    expectAdmin(res, 204);
    if (this.tenant === undefined) {
      m.rules = [];
      m.profile = undefined;
      restartClients(m);
      return;
    }
    const tenant = tenantKey(this.tenant);
    m.rules = m.rules.filter((s) => s.rule.tenant?.toLowerCase() !== tenant);
    if (m.profile?.tenant?.toLowerCase() === tenant) m.profile = undefined;
    restartClients(m, tenant);
  }
  toString = () => `DELETE /_emulator/faults${query(this.tenant)}`;
}

/** GET /_emulator/faults: the rules with how often each matched and fired, and the profile. */
export class ReadFaults implements FaultCommand {
  constructor(private readonly tenant: string | undefined) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    const res = await real.admin().get(`/_emulator/faults${query(this.tenant)}`);
    expectAdmin(res, 200);
    expect(res.body).toEqual(described(m, this.tenant));
  }
  toString = () => `GET /_emulator/faults${query(this.tenant)}`;
}

/** Time passes on the fault engine's clock: buckets refill, Retry-After runs out. */
export class Wait implements FaultCommand {
  constructor(private readonly ms: number) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    m.now += this.ms;
    real.now = m.now;
  }
  toString = () => `wait ${this.ms} ms`;
}

/** A change of the faults the emulator refuses: without the ADMIN_TOKEN, with another token, or a body it refuses. */
export type Refusal = 'no token' | 'wrong token' | 'other tenant' | 'invalid';

/** An admin call refused as a whole: no rule, counter, random sequence, bucket, Retry-After or journal entry changes. */
export class Refused implements FaultCommand {
  private label = '';
  constructor(
    private readonly refusal: Refusal,
    private readonly tenant: string,
    private readonly call: 'PUT' | 'POST' | 'DELETE',
  ) {}
  check = () => true;
  async run(_m: FaultModel, real: FaultEmulator): Promise<void> {
    const guarded = real.settings.adminToken !== undefined && (this.refusal === 'no token' || this.refusal === 'wrong token');
    // Without ADMIN_TOKEN every caller may change the faults: a body the schema refuses instead.
    const refusal = guarded ? this.refusal : this.refusal === 'other tenant' ? 'other tenant' : 'invalid';
    const other = tenantKey(this.tenant) === 'model-b' ? 'model-a' : 'model-b';
    const rule = refusal === 'other tenant' ? { tenant: other, status: 503 } : refusal === 'invalid' ? { status: 503, probability: 1.5 } : { status: 503 };
    const path = `/_emulator/faults${refusal === 'other tenant' || this.call === 'DELETE' ? `?tenant=${this.tenant}` : ''}`;
    const agent = guarded ? real.api() : real.admin();
    const method = this.call === 'DELETE' && !guarded ? 'PUT' : this.call;
    const sent = agent[method.toLowerCase() as 'put'](path);
    if (refusal === 'wrong token') sent.set('Authorization', 'Bearer guess');
    this.label = `${method} ${path} ${refusal}`;
    const res = await (method === 'DELETE' ? sent : sent.send(method === 'PUT' ? { rules: [rule] } : rule));
    if (guarded) {
      const message =
        refusal === 'no token'
          ? 'This emulator is started with ADMIN_TOKEN: send Authorization: Bearer <ADMIN_TOKEN> to /_emulator/.'
          : 'The bearer token is not the ADMIN_TOKEN this emulator was started with.';
      expectGraphError(res, 401, 'InvalidAuthenticationToken', message);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="emulator-admin"');
    } else if (refusal === 'other tenant') {
      const where = method === 'PUT' ? 'rules[0]' : 'rule';
      expectGraphError(res, 400, 'BadRequest', `${where}.tenant is '${other}', not the tenant ?tenant= names ('${tenantKey(this.tenant)}').`);
    } else expectGraphError(res, 400, 'BadRequest', /probability/);
  }
  toString = () => this.label || `refused ${this.call} (${this.refusal})`;
}
