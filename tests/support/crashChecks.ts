// The random-kill test's other client and its last check. The resetter puts a tenant back to one set of records
// then another, by restoring a baseline of each (or, one time in five, by a reset to the set): each is one short
// journal line that counts the set's records, so the journal reaches the compaction threshold (10,000) every few
// of them and compactions run all the time beside the other writes. pagedOnce reads a
// tenant's packages a page at a time and checks each comes once.
import { randomUUID } from 'node:crypto';
import { EM, NoAnswer, call, expectStatus, tenantQuery } from './crashClient.js';
import type { Data } from './crashView.js';
import type { Random } from '../../server/random.js';

/** What the resetter alternates between: the generated `paging` set, and 4,000 packages of its own. */
const SETS: Record<string, unknown> = {
  paging: { fixtures: 'paging', seed: 1 },
  big: Array.from({ length: 4_000 }, () => ({ id: randomUUID(), displayName: 'Reset package' })),
};
const NAMES = Object.keys(SETS);

/** Every id of a tenant's export, sorted: what tells one generated set from another. */
function fingerprint(data: Data): string {
  return Object.keys(data)
    .filter((k) => Array.isArray(data[k]))
    .sort()
    .map(
      (k) =>
        `${k}:${data[k]!.map((r) => String(r['id']))
          .sort()
          .join(',')}`,
    )
    .join('\n');
}

export class Resetter {
  private readonly prints = new Map<string, string>();
  private set = NAMES[0]!;
  private inFlight: string | undefined;
  resets = 0;

  constructor(readonly tenant: string) {}

  private async put(url: string, set: string, byReset: boolean): Promise<void> {
    const answer = byReset
      ? await call(`${url}/_emulator/reset${tenantQuery(this.tenant)}`, 'POST', SETS[set])
      : await call(`${url}/_emulator/snapshots/set-${set}/restore${tenantQuery(this.tenant)}`, 'POST');
    expectStatus(answer, [200], `${byReset ? 'reset' : 'restore'} of ${this.tenant} to ${set}`);
  }

  private async exported(url: string): Promise<string> {
    return fingerprint(expectStatus(await call(`${url}/_emulator/export${tenantQuery(this.tenant)}`, 'GET'), [200], 'export').body as Data);
  }

  /** Learns each set's records and saves them as a baseline, and leaves the tenant at the first. */
  async prepare(url: string): Promise<void> {
    for (const set of [...NAMES].reverse()) {
      await this.put(url, set, true);
      this.prints.set(set, await this.exported(url));
      expectStatus(await call(`${url}/_emulator/snapshots/set-${set}${tenantQuery(this.tenant)}`, 'PUT'), [201], 'baseline');
    }
  }

  async run(url: string, limit: number, random: Random): Promise<void> {
    try {
      for (let i = 0; i < limit; i += 1) {
        const set = this.set === NAMES[0] ? NAMES[1]! : NAMES[0]!;
        this.inFlight = set;
        await this.put(url, set, random.chance(0.2));
        this.set = set;
        this.inFlight = undefined;
        this.resets += 1;
      }
    } catch (err) {
      if (!(err instanceof NoAnswer)) throw err;
    }
  }

  /** The last acknowledged reset's set, or the one in flight. */
  async settle(url: string): Promise<void> {
    const found = await this.exported(url);
    const set = [this.set, this.inFlight].find((s) => s !== undefined && this.prints.get(s) === found);
    if (set === undefined) throw new Error(`tenant '${this.tenant}' holds neither the set '${this.set}' nor the one in flight (${this.inFlight ?? 'none'})`);
    this.set = set;
    this.inFlight = undefined;
  }
}

/** A tenant's packages read a page of `top` at a time: each once, and the same ones as its export. */
export async function pagedOnce(url: string, tenant: string, top: number): Promise<void> {
  const exported = expectStatus(await call(`${url}/_emulator/export${tenantQuery(tenant)}`, 'GET'), [200], 'export').body as Data;
  const expected = (exported['accessPackages'] ?? []).map((r) => String(r['id'])).sort();
  const seen: string[] = [];
  let next: string | undefined = `${url}${EM}/accessPackages?$top=${top}&$select=id`;
  while (next !== undefined) {
    const page: { value: { id: string }[]; '@odata.nextLink'?: string } = expectStatus(
      await call(next, 'GET', undefined, tenant),
      [200],
      `page of ${tenant}`,
    ).body;
    seen.push(...page.value.map((r) => r.id));
    next = page['@odata.nextLink'];
  }
  if (new Set(seen).size !== seen.length) throw new Error(`tenant '${tenant}': paging returned a package twice`);
  if (JSON.stringify([...seen].sort()) !== JSON.stringify(expected))
    throw new Error(`tenant '${tenant}': paging returned other packages than its export holds`);
}

/**
 * A list read across a kill: its first page before, the rest from the nextLink after the restart (its origin moved
 * to the new port). Tokens survive a restart: no package comes twice, and every package there before the first page
 * and still there after is listed; the one refusal allowed is the default order's expired token, when the first
 * page's last package was deleted meanwhile (docs/querying.md).
 */
export class Pager {
  private first: string[] = [];
  private before = new Set<string>();
  private next: string | undefined;

  constructor(private readonly query: string) {}

  async begin(url: string): Promise<void> {
    this.before = new Set(await exportedIds(url));
    const page = expectStatus(await call(`${url}${EM}/accessPackages?${this.query}`, 'GET', undefined, ''), [200], 'first page').body;
    this.first = (page.value as { id: string }[]).map((r) => r.id);
    this.next = page['@odata.nextLink'];
  }

  async finish(url: string): Promise<void> {
    const after = await exportedIds(url);
    const seen = [...this.first];
    let next = this.next && `${url}${new URL(this.next).pathname}${new URL(this.next).search}`;
    while (next !== undefined) {
      const answer = await call(next, 'GET', undefined, '');
      if (answer.status === 400 && /page token value has expired/.test(answer.body.error.message) && !this.query.includes('$orderby')) {
        if (after.includes(this.first.at(-1)!)) throw new Error(`the token after ${this.first.at(-1)} expired, though that package is still there`);
        return;
      }
      const page = expectStatus(answer, [200], `page after the restart (${this.query})`).body;
      seen.push(...(page.value as { id: string }[]).map((r) => r.id));
      next = page['@odata.nextLink'] && `${url}${new URL(page['@odata.nextLink']).pathname}${new URL(page['@odata.nextLink']).search}`;
    }
    if (new Set(seen).size !== seen.length) throw new Error(`paging across the restart (${this.query}) listed a package twice`);
    const missing = after.filter((id) => this.before.has(id) && !seen.includes(id));
    if (missing.length > 0) throw new Error(`paging across the restart (${this.query}) left out ${missing.join(', ')}`);
  }
}

async function exportedIds(url: string): Promise<string[]> {
  const data = expectStatus(await call(`${url}/_emulator/export`, 'GET'), [200], 'export').body as Data;
  return (data['accessPackages'] ?? []).map((r) => String(r['id']));
}
