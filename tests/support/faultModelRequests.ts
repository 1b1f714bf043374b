// The fault model-based test's Graph requests (tests/http/faultModel.test.ts): reads, creates, updates and deletes
// of packages by clients of several tenants and permissions, alone or as the items of a `$batch` (independent or
// chained), each answer checked against what faultModel.ts decides: the bearer's permissions first (a 403 takes
// no token and no turn of the rules), then the throttle, a pending Retry-After, the rules, and the journal's entry.
import { expect } from '@jest/globals';
import type fc from 'fast-check';
import type { Answer } from './graph.js';
import { GUID, expectGraphError } from './graph.js';
import { UNKNOWN_ID } from './graphModel.js';
import {
  type Applied,
  type Client,
  DROP_HEADER,
  type FaultModel,
  INJECTED,
  PACKAGES_PATH,
  authOf,
  decide,
  injectedHeaders,
  record,
  settle,
  tenantKey,
} from './faultModel.js';
import { type FaultEmulator, expectJournalSince } from './faultModelJournal.js';

export type FaultCommand = fc.AsyncCommand<FaultModel, FaultEmulator>;
export type Kind = 'get' | 'head' | 'create' | 'patch' | 'delete';
export interface Req {
  kind: Kind;
  n: number;
}

const METHOD = { get: 'GET', head: 'HEAD', create: 'POST', patch: 'PATCH', delete: 'DELETE' } as const;
const BEARER = /^Bearer realm="", authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize"/;

/** Headers an answer carries only when the model says so. */
const PREDICTED = ['retry-after', 'x-ms-resource-unit', 'x-ms-throttle-limit-percentage', 'x-ms-throttle-scope', 'x-ms-throttle-information'];

interface Resolved {
  method: 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'DELETE';
  /** The method the fault step reads: a HEAD is the GET it is served as (docs/faults.md, `method`). */
  faulted: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** As rules and the Retry-After read it: the key as a segment. */
  path: string;
  /** As sent and journaled: the key in one of OData's forms, `/{id}`, `('{id}')` or `({id})`. */
  sent: string;
  id: string | undefined;
  body: Record<string, unknown> | undefined;
  /** The status the request gets on its own, with no fault. */
  own: number;
}

/** A request made concrete against the model: packages it knows of, or one that does not exist. */
function resolve(m: FaultModel, c: Client, { kind, n }: Req): Resolved {
  const known = m.packages.get(tenantKey(c.tid))!;
  const pool = kind === 'delete' ? known.slice(3) : known;
  const id = kind === 'create' ? undefined : (pool[n % (pool.length + 1)] ?? UNKNOWN_ID);
  const method = METHOD[kind];
  const body = kind === 'create' ? { displayName: `Model ${n}` } : kind === 'patch' ? { description: `Changed ${n}` } : undefined;
  const faulted = method === 'HEAD' ? 'GET' : method;
  const own =
    faulted !== 'GET' && (c.kind === 'ro' || c.kind === 'reporting') ? 403 : kind === 'create' ? 201 : id === UNKNOWN_ID ? 404 : faulted === 'GET' ? 200 : 204;
  const sent = id === undefined ? PACKAGES_PATH : [`${PACKAGES_PATH}/${id}`, `${PACKAGES_PATH}('${id}')`, `${PACKAGES_PATH}(${id})`][Math.floor(n / 7) % 3]!;
  return { method, faulted, path: id === undefined ? PACKAGES_PATH : `${PACKAGES_PATH}/${id}`, sent, id, body, own };
}

/** The answer's status and envelope, and the headers the decision predicts. */
function expectAnswer(a: Answer, status: number, headers: Record<string, string>, alone: boolean, r: Resolved): void {
  if (a.status !== status) throw new Error(`${r.method} ${r.sent}: expected ${status}, got ${a.status}: ${JSON.stringify(a.body)}`);
  for (const [name, value] of Object.entries(headers)) expect([name, a.headers[name]]).toEqual([name, value]);
  for (const name of PREDICTED) if (headers[name] === undefined) expect([name, a.headers[name]]).toEqual([name, undefined]);
  if (status >= 400 && r.method !== 'HEAD') {
    // The emulator's own 403 and 404 have the wording an injected one has.
    const { code, message } = INJECTED[status]!;
    if (alone) expectGraphError(a, status, code, message);
    else expect([a.headers['content-type'], a.body.error.code, a.body.error.message]).toEqual(['application/json', code, message]);
    if (status === 401) expect(a.headers['www-authenticate']).toMatch(BEARER);
  }
}

/** What a lone request carries besides its token: the header drop rules ask for, or an X-Emulator-Fault. */
export type Extra = 'drop' | { status: 429 | 500 | 503; retryAfter?: number } | null;
const headerOf = (extra: Extra): Record<string, string> => {
  if (extra === null) return {};
  if (extra === 'drop') return { [DROP_HEADER]: 'yes' };
  return { 'X-Emulator-Fault': `status=${extra.status}${extra.retryAfter === undefined ? '' : `; retry-after=${extra.retryAfter}`}` };
};

interface Outcome {
  status: number | 'reset';
  headers: Record<string, string>;
  fault: Applied | null;
  /** A phase-after failure answered in place of the success. */
  late: boolean;
}

/**
 * One request through the model, in two steps as the emulator takes them: the fault step's decision when it
 * arrives, and the outcome once it has run (a phase-after failure given back when the request failed on its own).
 * The items of one round of a `$batch` all arrive before any has run.
 */
function through(m: FaultModel, c: Client, r: Resolved, extra: Extra, batch: number | undefined): () => Outcome {
  if (r.own === 403) return () => ({ status: 403, headers: {}, fault: null, late: false });
  const d = decide(m, c, r.faulted, r.path, extra === 'drop', extra === null || extra === 'drop' ? undefined : extra, batch);
  return () => {
    if (d.early !== undefined) return { status: d.early.status, headers: { ...d.throttleHeaders, ...d.early.headers }, fault: d.fault, late: false };
    const succeeded = r.own < 300;
    const fault = settle(m, d, c, r.faulted, r.path, succeeded, batch);
    if (d.late === undefined || !succeeded) return { status: r.own, headers: d.throttleHeaders, fault, late: false };
    return { status: d.late.rule.status!, headers: { ...d.throttleHeaders, ...injectedHeaders(d.late.rule) }, fault, late: true };
  };
}

/** The error code the journal's answer body holds: none for a success, a HEAD (no body) or a dropped connection. */
const codeOf = (status: number | null, r: Resolved) => (status === null || status < 400 || r.method === 'HEAD' ? null : INJECTED[status]!.code);

/** The model after a request the emulator executed: a package made or removed. */
function apply(m: FaultModel, c: Client, r: Resolved, a: Answer | undefined, late: boolean): void {
  const known = m.packages.get(tenantKey(c.tid))!;
  if (r.own === 201) {
    if (late) m.unseen.set(tenantKey(c.tid), (m.unseen.get(tenantKey(c.tid)) ?? 0) + 1);
    else {
      expect(a!.body).toMatchObject({ displayName: r.body!['displayName'], id: expect.stringMatching(GUID) });
      known.push(a!.body.id as string);
    }
  }
  if (r.own === 200 && !late && r.method === 'GET') expect(a!.body.id).toBe(r.id);
  if (r.own === 204 && r.method === 'DELETE') known.splice(known.indexOf(r.id!), 1);
}

/** One request of one client, alone, with the header drop rules ask for or an X-Emulator-Fault. */
export class Send implements FaultCommand {
  private label = 'send';
  constructor(
    private readonly client: Client,
    private readonly req: Req,
    private readonly extra: Extra,
  ) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    const r = resolve(m, this.client, this.req);
    this.label = `${this.client.kind}@${this.client.tid} ${r.method} ${r.sent} ${JSON.stringify(headerOf(this.extra))}`;
    const before = m.lastId;
    const token = authOf(this.client).Authorization.slice('Bearer '.length);
    const expected = through(m, this.client, r, this.extra, undefined)();
    const call = real
      .api()
      [r.method.toLowerCase() as 'get'](r.sent)
      .set({ ...authOf(this.client), ...headerOf(this.extra) });
    const sent = r.body === undefined ? call : call.send(r.body);
    if (expected.status === 'reset') {
      await expect(sent).rejects.toThrow(/ECONNRESET|socket hang up/);
    } else {
      const a: Answer = await sent;
      expectAnswer(a, expected.status, expected.headers, true, r);
      if (expected.status < 300 || expected.late) apply(m, this.client, r, a, expected.late);
    }
    const status = expected.status === 'reset' ? null : expected.status;
    record(m, {
      method: r.method,
      path: r.sent,
      matched: r.path,
      status,
      tenant: tenantKey(this.client.tid),
      fault: expected.fault,
      batchId: null,
      batchItemId: null,
      token,
      // A reset connection's entry keeps no body (docs/ci.md).
      requestBody: status === null ? null : (r.body ?? null),
      code: codeOf(status, r),
    });
    await expectJournalSince(m, real, before);
  }
  toString = () => this.label;
}

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
    for (const q of this.reqs) {
      // A HEAD is sent alone.
      const r = resolve(m, this.client, q.kind === 'head' ? { ...q, kind: 'get' } : q);
      if (r.id === undefined ? !chosen.some((o) => o.id === undefined) : !chosen.some((o) => o.id === r.id)) chosen.push(r);
    }
    this.label = `${this.chain ? 'chained ' : ''}$batch of ${this.client.kind}@${this.client.tid} [${chosen.map((r) => `${r.method} ${r.sent.slice(PACKAGES_PATH.length)}`).join('; ')}]`;
    const batch = ++Batch.count;
    const before = m.lastId;
    const token = authOf(this.client).Authorization.slice('Bearer '.length);
    const requests = chosen.map((r, i) => ({
      id: String(i + 1),
      method: r.method,
      url: r.sent.slice('/beta'.length),
      ...(r.body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: r.body }),
      ...(this.chain && i > 0 ? { dependsOn: [String(i)] } : {}),
    }));
    const res = await real.api().post('/beta/$batch').set(authOf(this.client)).send({ requests });
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
      code: null,
    });
    // Without dependsOn the items are one round: each meets the fault step before any has run.
    const round = this.chain ? [] : chosen.map((r) => through(m, this.client, r, null, batch));
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
      const expected = this.chain ? through(m, this.client, r, null, batch)() : round[i]!();
      if (expected.status === 'reset') throw new Error('a $batch item carries no drop header');
      try {
        expectAnswer(a, expected.status, expected.headers, false, r);
      } catch (err) {
        throw new Error(`$batch item ${i + 1}: ${(err as Error).message}`);
      }
      if (expected.status < 300 || expected.late) apply(m, this.client, r, a, expected.late);
      record(m, { ...entry, status: expected.status, fault: expected.fault, code: codeOf(expected.status, r) });
      if (this.chain && expected.status >= 400) failed = true;
    }
    await expectJournalSince(m, real, before);
  }
  toString = () => this.label;
}
