// The model-based test's admin commands (tests/http/graphModel.test.ts): reset, export posted back, named baselines,
// the tenant a token names, a tenant's drop, and a restart on the same data file.
import { expect } from '@jest/globals';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { expectGraphError } from './graph.js';
import {
  type Command,
  type Emulator,
  type Model,
  TENANTS,
  type TenantModel,
  copyTenant,
  expectAdmin,
  expectTenant,
  modelled,
  tenantKey,
  tenantQuery,
} from './graphModel.js';

/** POST /_emulator/reset: the tenant holds the fixtures again, as a full read shows. */
export class Reset implements Command {
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const res = await real.api().post(`/_emulator/reset${tenantQuery(m.current)}`);
    expectAdmin(res, 200);
    expect(res.body).toEqual({ status: 'reset', fixtures: 'small', seed: 42, records: m.fixtureCounts });
    m.tenants.set(tenantKey(m.current), copyTenant(m.fixtures));
    await expectTenant(real, m.current, m.tenants.get(tenantKey(m.current))!);
  }
  toString = () => 'reset';
}

/** GET /_emulator/export, posted back as a reset's body: the tenant is as it was, record for record. */
export class Reimport implements Command {
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const exported = await real
      .api()
      .get(`/_emulator/export${tenantQuery(m.current)}`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        res.on('end', () => done(null, text));
      });
    const t = m.tenants.get(tenantKey(m.current));
    if (t === undefined) return expect(exported.status).toBe(404);
    expectAdmin(exported, 200);
    const res = await real
      .api()
      .post(`/_emulator/reset${tenantQuery(m.current)}`)
      .set('Content-Type', 'application/json')
      .send(exported.body as string);
    expectAdmin(res, 200);
    expect(res.body).toEqual({ status: 'reset', fixtures: 'request body', seed: null, records: expect.objectContaining(modelled(t)) });
    await expectTenant(real, m.current, t);
  }
  toString = () => 'export and reset with it';
}

/** PUT /_emulator/snapshots/{name}: 201, or 200 replacing one; 404 for a tenant not yet added. */
export class Save implements Command {
  constructor(private readonly name: string) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const res = await real.api().put(`/_emulator/snapshots/${this.name}${tenantQuery(m.current)}`);
    const t = m.tenants.get(tenantKey(m.current));
    if (t === undefined) return expectGraphError(res, 404, 'ResourceNotFound', new RegExp(`^There is no tenant '${m.current}'`, 'i'));
    const saved = m.baselines.get(tenantKey(m.current)) ?? new Map<string, TenantModel>();
    expectAdmin(res, saved.has(this.name) ? 200 : 201);
    expect(res.body).toEqual({ name: this.name, createdDateTime: expect.any(String), records: expect.objectContaining(modelled(t)) });
    saved.set(this.name, copyTenant(t));
    m.baselines.set(tenantKey(m.current), saved);
  }
  toString = () => `save(${this.name})`;
}

/** POST /_emulator/snapshots/{name}/restore: the tenant as it was saved. */
export class Restore implements Command {
  constructor(private readonly name: string) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const res = await real.api().post(`/_emulator/snapshots/${this.name}/restore${tenantQuery(m.current)}`);
    if (!m.tenants.has(tenantKey(m.current))) return expectGraphError(res, 404, 'ResourceNotFound', new RegExp(`^There is no tenant '${m.current}'`, 'i'));
    const saved = m.baselines.get(tenantKey(m.current))?.get(this.name);
    if (saved === undefined) {
      // The tenant is named, as the emulator keys it, whenever the request named one.
      const named = tenantQuery(m.current) !== '';
      const where = named ? ` in tenant '${tenantKey(m.current)}'` : '';
      const message = `There is no baseline named '${this.name}'${where}. GET /_emulator/snapshots${named ? `?tenant=${tenantKey(m.current)}` : ''} lists them.`;
      return expectGraphError(res, 404, 'ResourceNotFound', message);
    }
    expectAdmin(res, 200);
    expect(res.body).toEqual({ name: this.name, records: expect.objectContaining(modelled(saved)) });
    m.tenants.set(tenantKey(m.current), copyTenant(saved));
  }
  toString = () => `restore(${this.name})`;
}

/** Later requests carry a token of another tenant. */
export class Switch implements Command {
  constructor(private readonly tenant: number) {}
  check = () => true;
  async run(m: Model): Promise<void> {
    m.current = TENANTS[this.tenant]!;
  }
  toString = () => `switch(${TENANTS[this.tenant]})`;
}

/** DELETE /_emulator/tenants/{tid}: the tenant and its baselines gone; the default tenant stays. */
export class Drop implements Command {
  constructor(private readonly tenant: number) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const tid = TENANTS[this.tenant]!;
    const res = await real.api().delete(`/_emulator/tenants/${tid}`);
    if (tenantKey(tid) === DEFAULT_TENANT_ID) return expectGraphError(res, 400, 'BadRequest', /./);
    if (!m.tenants.has(tenantKey(tid))) return expectGraphError(res, 404, 'ResourceNotFound', new RegExp(`^There is no tenant '${tid}'\\.$`, 'i'));
    expectAdmin(res, 204);
    m.tenants.delete(tenantKey(tid));
    m.baselines.delete(tenantKey(tid));
  }
  toString = () => `drop(${TENANTS[this.tenant]})`;
}

/** Close the app and the store, open the data file again: everything acknowledged is still there. */
export class Restart implements Command {
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    await real.restart();
    for (const [tid, t] of m.tenants) await expectTenant(real, tid, t);
    await survey(m, real);
  }
  toString = () => 'restart';
}

/**
 * GET /_emulator/tenants and each tenant's GET /_emulator/snapshots: the tenants the model holds, the default one
 * first, with their counts, and each one's baselines in the order they were first saved.
 */
export async function survey(m: Model, real: Emulator): Promise<void> {
  const tenants = await real.api().get('/_emulator/tenants');
  expectAdmin(tenants, 200);
  const listed = tenants.body.value as { id: string; isDefault: boolean; records: Record<string, number> }[];
  expect(listed[0]).toMatchObject({ id: DEFAULT_TENANT_ID, isDefault: true });
  expect(listed.map((l) => l.id).sort()).toEqual([...m.tenants.keys()].sort());
  for (const l of listed) expect(l.records).toMatchObject(modelled(m.tenants.get(l.id)!));
  for (const tid of m.tenants.keys()) {
    const baselines = await real.api().get(`/_emulator/snapshots${tenantQuery(tid)}`);
    expectAdmin(baselines, 200);
    const saved = m.baselines.get(tid) ?? new Map<string, TenantModel>();
    expect((baselines.body.value as { name: string }[]).map((b) => b.name)).toEqual([...saved.keys()]);
    for (const b of baselines.body.value as { name: string; records: Record<string, number> }[]) {
      expect(b.records).toMatchObject(modelled(saved.get(b.name)!));
    }
  }
}

/** The tenants and baselines, as the admin API lists them. */
export class Survey implements Command {
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    await survey(m, real);
  }
  toString = () => 'survey';
}
