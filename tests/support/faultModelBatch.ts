// The fault model-based test's `$batch` (tests/http/faultModel.test.ts): a client's requests as the items of one
// batch, independent (one round: every item meets the fault step before any has run) or chained with dependsOn (an
// item after a failure is a 424 that meets no fault), each item's answer checked as a lone request's is
// (faultModelRequests.ts), and the batch's entry in the journal followed by its items' (docs/ci.md, Batching).
import { expect } from '@jest/globals';
import type { Answer } from './graph.js';
import { type FaultModel, PACKAGES_PATH, authOf, record, tenantKey, type Client } from './faultModel.js';
import type { FaultEmulator } from './faultModelEmulator.js';
import { expectJournalSince } from './faultModelJournal.js';
import {
  type FaultCommand,
  type HeaderFault,
  type Req,
  type Resolved,
  apply,
  codeOf,
  cridOf,
  expectAnswer,
  headerOf,
  resolve,
  through,
} from './faultModelRequests.js';

/** Several requests of one client in one `$batch`, none on a package another touches; chained, a failure makes the rest 424. */
export class Batch implements FaultCommand {
  private label = 'batch';
  private static count = 0;
  constructor(
    private readonly client: Client,
    private readonly reqs: Req[],
    private readonly chain: boolean,
  ) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    const chosen: Resolved[] = [];
    const faults: (HeaderFault | null)[] = [];
    for (const q of this.reqs) {
      // A HEAD is sent alone.
      const r = resolve(m, this.client, q.kind === 'head' ? { ...q, kind: 'get' } : q);
      if (r.id === undefined ? chosen.some((o) => o.id === undefined) : chosen.some((o) => o.id === r.id)) continue;
      chosen.push(r);
      faults.push(q.fault ?? null);
    }
    this.label = `${this.chain ? 'chained ' : ''}$batch of ${this.client.kind}@${this.client.tid} [${chosen.map((r) => `${r.method} ${r.sent.slice(PACKAGES_PATH.length)}`).join('; ')}]`;
    const batch = ++Batch.count;
    const before = m.lastId;
    const token = authOf(this.client).Authorization.slice('Bearer '.length);
    const requests = chosen.map((r, i) => ({
      id: String(i + 1),
      method: r.method,
      url: r.sent.slice('/beta'.length),
      ...(r.body === undefined && faults[i] === null
        ? {}
        : { headers: { ...(r.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headerOf(faults[i]!) } }),
      ...(r.body === undefined ? {} : { body: r.body }),
      ...(this.chain && i > 0 ? { dependsOn: [String(i)] } : {}),
    }));
    const res = await real
      .api()
      .post('/beta/$batch')
      .set({ ...authOf(this.client), ...cridOf(this.client) })
      .send({ requests });
    expect(res.status).toBe(200);
    expect(res.headers['x-ms-resource-unit']).toBeUndefined();
    const answers = res.body.responses as { id: string; status: number; headers: Record<string, string>; body?: unknown }[];
    const batchEntry = record(m, {
      method: 'POST',
      path: '/beta/$batch',
      matched: '/beta/$batch',
      status: 200,
      tenant: tenantKey(this.client.tid),
      fault: null,
      batchId: null,
      batchItemId: null,
      token,
      requestBody: { requests },
      responseText: res.text,
      code: null,
    });
    // Without dependsOn the items are one round: each meets the fault step before any has run.
    const round = this.chain ? [] : chosen.map((r, i) => through(m, this.client, r, faults[i]!, batch));
    let failed = false;
    for (const [i, r] of chosen.entries()) {
      const got = answers.find((x) => x.id === String(i + 1))!;
      const a: Answer = { status: got.status, headers: Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k.toLowerCase(), v])), body: got.body };
      const entry = {
        method: r.method,
        path: r.sent,
        matched: r.path,
        tenant: tenantKey(this.client.tid),
        batchId: batchEntry.id,
        batchItemId: String(i + 1),
        token,
        requestBody: r.body ?? null,
      };
      if (failed) {
        expect([a.status, a.body]).toEqual([424, { error: expect.objectContaining({ code: 'FailedDependency' }) }]);
        record(m, { ...entry, status: 424, fault: null, code: 'FailedDependency' });
        continue;
      }
      const expected = this.chain ? through(m, this.client, r, faults[i]!, batch)() : round[i]!();
      if (typeof expected.status === 'string') throw new Error('a $batch item carries no drop header');
      try {
        expectAnswer(a, expected.status, expected.headers, false, r, expected.override);
      } catch (err) {
        throw new Error(`$batch item ${i + 1}: ${(err as Error).message}`);
      }
      if (expected.status < 300 || expected.late) apply(m, this.client, r, a, expected.late);
      record(m, { ...entry, status: expected.status, fault: expected.fault, code: codeOf(expected.status, r, expected.override) });
      if (this.chain && expected.status >= 400) failed = true;
    }
    await expectJournalSince(m, real, before);
  }
  toString = () => this.label;
}
