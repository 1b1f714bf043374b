// One client of the random-kill test: it writes into its own records (in a tenant of its own, or under a name
// prefix in a shared one) one request at a time, so it knows what its tenant holds after every answer, and which
// write, if any, was in flight when the emulator died. After a restart, settle() checks the tenant against that.
import type { Random } from '../../server/random.js';
import { EM, NoAnswer, call, expectStatus, tenantQuery } from './crashClient.js';
import { pickStep } from './crashPick.js';
import { type State, type Step, acknowledgedState, canonical, emptyView, possibleStates } from './crashSteps.js';
import { type Data, linkProblems, viewOf } from './crashView.js';

export class Worker {
  state: State;
  inFlight: Step | undefined;
  acknowledged = 0;
  /** Acknowledged steps and steps in flight at a kill, by kind: what a run covered. */
  readonly tally = new Map<string, { acknowledged: number; inFlight: number }>();
  /** Ids by display name, read from answers and exports: what the requests name. */
  readonly ids = new Map<string, string>();
  private stale = true;
  private counter = 0;

  constructor(
    /** The tenant id; '' is the default tenant, shared with other workers. */
    readonly tenant: string,
    readonly prefix: string,
    /** Whether it may reset, restore, save baselines and drop the tenant: it is the tenant's only client. */
    readonly owner: boolean,
    private readonly random: Random,
    start: Data,
  ) {
    this.state = { exists: true, view: viewOf(start, prefix), baselines: {} };
  }

  next(): number {
    this.counter += 1;
    return this.counter;
  }

  /** Writes until the emulator stops answering (or `limit` steps); a wrong answer throws. */
  async run(url: string, limit: number): Promise<void> {
    try {
      for (let i = 0; i < limit; i += 1) {
        if (this.stale && this.state.exists) await this.refreshIds(url);
        const step = pickStep(this, this.random);
        this.inFlight = step;
        await this.send(url, step);
        this.state = canonicalState(acknowledgedState(this.state, step));
        this.inFlight = undefined;
        this.acknowledged += 1;
        this.count(step, 'acknowledged');
        if (step.replacesIds) this.stale = true;
      }
    } catch (err) {
      if (!(err instanceof NoAnswer)) throw err;
    }
  }

  private async send(url: string, step: Step): Promise<void> {
    if (step.requests.length === 1) {
      const [r] = step.requests;
      const isAdmin = r!.path.startsWith('/_emulator');
      const answer = await call(`${url}${isAdmin ? '' : EM}${r!.path}`, r!.method, r!.body, isAdmin ? undefined : this.tenant);
      expectStatus(answer, r!.statuses, `${this.prefix} ${step.label}`);
      if (answer.status === 201 && typeof answer.body?.id === 'string') this.ids.set(answer.body.displayName, answer.body.id);
      return;
    }
    const requests = step.requests.map((r, i) => ({
      id: String(i + 1),
      method: r.method,
      url: `/identityGovernance/entitlementManagement${r.path}`,
      headers: { 'Content-Type': 'application/json' },
      body: r.body,
    }));
    const answer = expectStatus(await call(`${url}/beta/$batch`, 'POST', { requests }, this.tenant), [200], `${this.prefix} ${step.label}`);
    for (const [i, r] of step.requests.entries()) {
      const item = answer.body.responses.find((x: { id: string }) => x.id === String(i + 1));
      if (!r.statuses.includes(item?.status)) throw new Error(`${this.prefix} ${step.label} item ${i + 1} answered ${JSON.stringify(item)}`);
      if (item.status === 201) this.ids.set(item.body.displayName, item.body.id);
    }
  }

  private async refreshIds(url: string): Promise<void> {
    const exported = await call(`${url}/_emulator/export${tenantQuery(this.tenant)}`, 'GET');
    this.learnIds(expectStatus(exported, [200], 'export').body as Data);
  }

  private learnIds(data: Data): void {
    for (const name of ['accessPackages', 'accessPackageCatalogs']) for (const r of data[name] ?? []) this.ids.set(String(r['displayName']), String(r['id']));
    this.stale = false;
  }

  /**
   * After a restart: the tenant holds what every acknowledged write left, and of the write in flight all or none
   * (any of a $batch's items); its links hold. The state it is found in is the one the worker goes on from.
   */
  async settle(url: string): Promise<void> {
    const tenants = expectStatus(await call(`${url}/_emulator/tenants`, 'GET'), [200], 'tenants').body.value as { id: string }[];
    const exists = this.tenant === '' || tenants.some((t) => t.id === this.tenant);
    let found: State = { exists, view: emptyView(), baselines: {} };
    let names: string[] = [];
    if (exists) {
      const data = expectStatus(await call(`${url}/_emulator/export${tenantQuery(this.tenant)}`, 'GET'), [200], 'export').body as Data;
      const problems = linkProblems(data);
      if (problems.length > 0) throw new Error(`tenant '${this.tenant}' after the restart: ${problems.join('; ')}`);
      found = { exists, view: viewOf(data, this.prefix), baselines: {} };
      this.learnIds(data);
      if (this.owner) {
        const listed = expectStatus(await call(`${url}/_emulator/snapshots${tenantQuery(this.tenant)}`, 'GET'), [200], 'baselines').body.value;
        names = (listed as { name: string }[]).map((b) => b.name).sort();
      }
    }
    const candidates = this.inFlight === undefined ? [this.state] : possibleStates(this.state, this.inFlight).map(canonicalState);
    const match = candidates.find(
      (c) =>
        c.exists === found.exists &&
        JSON.stringify(c.view) === JSON.stringify(found.view) &&
        JSON.stringify(Object.keys(c.baselines).sort()) === JSON.stringify(names),
    );
    if (match === undefined) {
      const expected = candidates.map((c) => JSON.stringify({ exists: c.exists, view: c.view, baselines: Object.keys(c.baselines).sort() }));
      throw new Error(
        `tenant '${this.tenant}' (${this.prefix}) after the restart, in flight: ${this.inFlight?.label ?? 'nothing'}\nfound:    ${JSON.stringify({ ...found, baselines: names })}\nexpected one of:\n${expected.join('\n')}`,
      );
    }
    if (this.inFlight !== undefined) this.count(this.inFlight, 'inFlight');
    this.state = match;
    this.inFlight = undefined;
  }

  private count(step: Step, as: 'acknowledged' | 'inFlight'): void {
    const kind = step.label
      .replace(/\S*[-/]\S*|\d+/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    const counts = this.tally.get(kind) ?? { acknowledged: 0, inFlight: 0 };
    counts[as] += 1;
    this.tally.set(kind, counts);
  }
}

function canonicalState(state: State): State {
  return { ...state, view: canonical(state.view) };
}
