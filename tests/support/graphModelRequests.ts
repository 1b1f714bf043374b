// The model-based test's commands that send Graph requests (tests/http/graphModel.test.ts): one request, several
// independent ones (a `$batch`, a chained `$batch`, requests at once), and races whose outcome the model takes either way.
import { expect } from '@jest/globals';
import type { Answer } from './graph.js';
import { type Command, type Emulator, type Model, type Rec, expectAdmin, tokenOf, touch } from './graphModel.js';
import { createCatalog, createPackage } from './graphModelCreates.js';
import type { Op, Resolved } from './graphModelOps.js';

/** One request of an Op, sent on its own. */
export class Single implements Command {
  private label = 'request';
  constructor(private readonly op: Op) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const t = touch(m);
    const r = this.op(t);
    this.label = r.label;
    const call = real
      .api()
      [r.method.toLowerCase() as 'get'](`/${r.version ?? 'beta'}${r.url}`)
      .set(tokenOf(m.current));
    const res: Answer = r.body === undefined ? await call : await call.send(r.body);
    r.check(t, res, { origin: real.origin, tid: m.current, batch: false });
  }
  toString = () => this.label;
}

/**
 * Several Ops none of which touches what another touches, so that their order does not matter: in one `$batch`,
 * in one `$batch` each depending on the one before (an item after a failure is a 424), or as requests sent at once.
 */
export class Group implements Command {
  private label = 'group';
  constructor(
    private readonly mode: 'batch' | 'chain' | 'parallel' | 'v1.0',
    private readonly ops: Op[],
  ) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const t = touch(m);
    const chosen: Resolved[] = [];
    for (const op of this.ops) {
      const r = op(t);
      const creates = this.mode !== 'chain' && r.creates !== undefined && chosen.some((c) => c.creates === r.creates);
      // A beta `$batch` carries beta requests, v1.0's (`/v1.0/$batch`) v1.0 requests.
      const version = r.version === (this.mode === 'v1.0' ? 'v1.0' : undefined);
      if (version && !creates && !chosen.some((c) => c.touches.some((id) => r.touches.includes(id)))) chosen.push(r);
    }
    this.label = `${this.mode}[${chosen.map((r) => r.label).join('; ')}]`;
    if (chosen.length === 0) return;
    const ctx = { origin: real.origin, tid: m.current, batch: this.mode !== 'parallel' };
    if (this.mode === 'parallel') {
      const answers = await Promise.all(
        chosen.map((r) => {
          const call = real.api()[r.method.toLowerCase() as 'get'](`/beta${r.url}`).set(tokenOf(m.current));
          return r.body === undefined ? call : call.send(r.body);
        }),
      );
      for (const [i, r] of chosen.entries()) r.check(t, answers[i]!, ctx);
      return;
    }
    const requests = chosen.map((r, i) => ({
      id: String(i + 1),
      method: r.method,
      url: r.url,
      ...(r.body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: r.body }),
      ...(this.mode === 'chain' && i > 0 ? { dependsOn: [String(i)] } : {}),
    }));
    const res = await real
      .api()
      .post(`/${this.mode === 'v1.0' ? 'v1.0' : 'beta'}/$batch`)
      .set(tokenOf(m.current))
      .send({ requests });
    expectAdmin(res, 200);
    expect(res.headers['odata-version']).toBe('4.0');
    const answers = res.body.responses as { id: string; status: number; headers: Record<string, string>; body?: unknown }[];
    expect(answers.map((a) => a.id).sort()).toEqual(requests.map((q) => q.id).sort());
    let failed: string | undefined;
    for (const [i, r] of chosen.entries()) {
      const a = answers.find((answer) => answer.id === String(i + 1))!;
      const answer = { status: a.status, headers: Object.fromEntries(Object.entries(a.headers).map(([k, v]) => [k.toLowerCase(), v])), body: a.body };
      try {
        if (failed === undefined) r.check(t, answer, ctx);
        else {
          expect([answer.status, answer.headers['content-type']]).toEqual([424, 'application/json']);
          expect(answer.body).toMatchObject({ error: { code: 'FailedDependency', message: `The request depends on request '${i}', which failed.` } });
        }
      } catch (err) {
        throw new Error(`$batch item ${r.label}: ${(err as Error).message}`);
      }
      if (this.mode === 'chain' && answer.status >= 400) failed = String(i + 1);
    }
  }
  toString = () => this.label;
}

/**
 * Writes that cannot all succeed, sent at once (as requests or as one `$batch`'s items): creates that take one
 * uniqueName (exactly one is a 201 when it is free), or a catalog's delete beside a package's create into it
 * (either the catalog goes and the create is refused, or the package is made and the delete refused).
 */
export class Race implements Command {
  private label = 'race';
  constructor(
    private readonly batch: boolean,
    private readonly kind: 'uniqueName' | 'catalog',
    private readonly count: number,
  ) {}
  check = () => true;
  private async send(m: Model, real: Emulator, items: { method: 'post' | 'delete'; url: string; body?: Rec }[]): Promise<Answer[]> {
    if (!this.batch) {
      return Promise.all(
        items.map((q) =>
          (q.body === undefined ? real.api()[q.method](`/beta${q.url}`) : real.api()[q.method](`/beta${q.url}`).send(q.body)).set(tokenOf(m.current)),
        ),
      );
    }
    const requests = items.map((q, i) => ({
      id: String(i + 1),
      method: q.method.toUpperCase(),
      url: q.url,
      ...(q.body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: q.body }),
    }));
    const res = await real.api().post('/beta/$batch').set(tokenOf(m.current)).send({ requests });
    expectAdmin(res, 200);
    const answers = res.body.responses as { id: string; status: number; headers: Record<string, string>; body?: Rec }[];
    return requests.map((q) => {
      const a = answers.find((answer) => answer.id === q.id)!;
      return { status: a.status, headers: Object.fromEntries(Object.entries(a.headers).map(([k, v]) => [k.toLowerCase(), v])), body: a.body };
    });
  }
  async run(m: Model, real: Emulator): Promise<void> {
    const t = touch(m);
    const ctx = { origin: real.origin, tid: m.current, batch: this.batch };
    if (this.kind === 'uniqueName') {
      const value = `race-${t.packages.size % 3}`;
      const bodies = Array.from({ length: this.count }, (_, i) => ({ displayName: `Racer ${i}`, uniqueName: value }));
      this.label = `race(${this.batch ? '$batch' : 'parallel'}, ${this.count} creates of uniqueName ${value})`;
      const answers = await this.send(
        m,
        real,
        bodies.map((body) => ({ method: 'post', url: '/identityGovernance/entitlementManagement/accessPackages', body })),
      );
      const free = ![...t.packages.values()].some((p) => p['uniqueName'] === value);
      const won = answers.filter((a) => a.status === 201);
      expect(answers.map((a) => a.status).sort()).toEqual([...(free ? [201] : []), ...Array(this.count - (free ? 1 : 0)).fill(400)]);
      for (const a of answers.filter((answer) => answer.status !== 201))
        expect(a.body.error.message).toBe(`An access package with the uniqueName '${value}' already exists.`);
      if (won[0] !== undefined) createPackage(bodies[answers.indexOf(won[0])]!, null)(t).check(t, won[0], ctx);
      return;
    }
    const empty = () =>
      [...t.catalogs.values()].filter((c) => c['catalogType'] !== 'ServiceDefault' && ![...t.packages.values()].some((p) => p['catalogId'] === c['id']));
    if (empty().length === 0) {
      const made = createCatalog({ displayName: 'Short-lived' })(t);
      made.check(t, await real.api().post(`/beta${made.url}`).set(tokenOf(m.current)).send(made.body!), { ...ctx, batch: false });
    }
    const catalog = empty()[t.packages.size % empty().length]!;
    const id = catalog['id'] as string;
    this.label = `race(${this.batch ? '$batch' : 'parallel'}, delete catalog ${id} ${this.count === 2 ? 'before' : 'after'} a create of a package in it)`;
    const remove = { method: 'delete' as const, url: `/identityGovernance/entitlementManagement/accessPackageCatalogs/${id}` };
    const body = { displayName: 'Into a catalog going away', catalogId: id };
    const create = { method: 'post' as const, url: '/identityGovernance/entitlementManagement/accessPackages', body };
    const answers = await this.send(m, real, this.count === 2 ? [remove, create] : [create, remove]);
    const [deleted, created] = this.count === 2 ? answers : [answers[1], answers[0]];
    if (deleted!.status === 204) {
      expect([created!.status, created!.body.error?.code]).toEqual([400, 'InvalidModel']);
      t.catalogs.delete(id);
    } else {
      expect([deleted!.status, created!.status]).toEqual([400, 201]);
      expect(deleted!.body.error.message).toBe(`The catalog: ${catalog['displayName']} can not be deleted because it contains access packages.`);
      createPackage({ displayName: body.displayName }, [...t.catalogs.keys()].indexOf(id))(t).check(t, created!, ctx);
    }
  }
  toString = () => this.label;
}
