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
  type Drop,
  decide,
  earlyOf,
  record,
  settle,
  tenantKey,
} from './faultModel.js';
import type { FaultEmulator } from './faultModelEmulator.js';
import { expectJournalSince } from './faultModelJournal.js';
import { droppedBody, droppedStatus, expectDropped, expectFetchDropped } from './faultModelDrops.js';

export type FaultCommand = fc.AsyncCommand<FaultModel, FaultEmulator>;
export type Kind = 'get' | 'head' | 'offered' | 'create' | 'patch' | 'delete';
export interface Req {
  kind: Kind;
  n: number;
  /** An update whose description takes the journal past its body cap, an emoji across the cut. */
  long?: boolean;
  /** A `$batch` item's own X-Emulator-Fault, in its `headers`. */
  fault?: HeaderFault;
}

/** A description whose update's JSON text, `{"description":"…"}`, has an emoji's first half as its 16,384th character. */
export const LONG = `${'Ü'.repeat(16_383 - '{"description":"'.length)}🚦 and more`;

const METHOD = { get: 'GET', head: 'HEAD', offered: 'GET', create: 'POST', patch: 'PATCH', delete: 'DELETE' } as const;
const OFFERED = `${PACKAGES_PATH}/filterByCurrentUser(on='allowedRequestor')`;
/** Tokens with roles, not scp: an application's, which filterByCurrentUser does not serve (docs/identity.md). */
const APPLICATION = ['app', 'backend', 'reporting'];
const BEARER = /^Bearer realm="", authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize"/;

/** Headers an answer carries only when the model says so. */
const PREDICTED = ['retry-after', 'x-ms-resource-unit', 'x-ms-throttle-limit-percentage', 'x-ms-throttle-scope', 'x-ms-throttle-information'];

export interface Resolved {
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
export function resolve(m: FaultModel, c: Client, { kind, n, long }: Req): Resolved {
  const method = METHOD[kind];
  if (kind === 'offered') {
    const own = APPLICATION.includes(c.kind) ? 403 : 200;
    return { method, faulted: 'GET', path: OFFERED, sent: OFFERED, id: undefined, body: undefined, own };
  }
  const known = m.packages.get(tenantKey(c.tid))!;
  const pool = kind === 'delete' ? known.slice(3) : known;
  const id = kind === 'create' ? undefined : (pool[n % (pool.length + 1)] ?? UNKNOWN_ID);
  const body = kind === 'create' ? { displayName: `Model ${n}` } : kind === 'patch' ? { description: long ? LONG : `Changed ${n}` } : undefined;
  const faulted = method === 'HEAD' ? 'GET' : method;
  const own =
    faulted !== 'GET' && (c.kind === 'ro' || c.kind === 'reporting') ? 403 : kind === 'create' ? 201 : id === UNKNOWN_ID ? 404 : faulted === 'GET' ? 200 : 204;
  const sent = id === undefined ? PACKAGES_PATH : [`${PACKAGES_PATH}/${id}`, `${PACKAGES_PATH}('${id}')`, `${PACKAGES_PATH}(${id})`][Math.floor(n / 7) % 3]!;
  return { method, faulted, path: id === undefined ? PACKAGES_PATH : `${PACKAGES_PATH}/${id}`, sent, id, body, own };
}

/** The code and message a rule (or the header) puts in place of Graph's. */
export type Override = { code?: string; message?: string };

/** The answer's status and envelope (Graph's code and message, or the fault's own), and the headers the decision predicts. */
export function expectAnswer(a: Answer, status: number, headers: Record<string, string>, alone: boolean, r: Resolved, override: Override = {}): void {
  if (a.status !== status) throw new Error(`${r.method} ${r.sent}: expected ${status}, got ${a.status}: ${JSON.stringify(a.body)}`);
  for (const [name, value] of Object.entries(headers)) expect([name, a.headers[name]]).toEqual([name, value]);
  for (const name of PREDICTED) if (headers[name] === undefined) expect([name, a.headers[name]]).toEqual([name, undefined]);
  if (status >= 400 && r.method !== 'HEAD') {
    // The emulator's own 403 and 404 have the wording an injected one has.
    const code = override.code ?? INJECTED[status]!.code;
    const message = override.message ?? INJECTED[status]!.message;
    if (alone) expectGraphError(a, status, code, message);
    else expect([a.headers['content-type'], a.body.error.code, a.body.error.message]).toEqual(['application/json', code, message]);
    if (status === 401) expect(a.headers['www-authenticate']).toMatch(BEARER);
  }
}

/** What a lone request carries besides its token: the header drop rules ask for, or an X-Emulator-Fault. */
export type Extra = 'drop' | HeaderFault | null;
/** An X-Emulator-Fault: a status (with its Retry-After, code, message, phase), a delay range, or both. */
export interface HeaderFault {
  status?: 429 | 500 | 503;
  retryAfter?: number;
  code?: string;
  message?: string;
  latency?: { min: number; max: number };
  phase?: 'after';
}
export const headerOf = (extra: Extra): Record<string, string> => {
  if (extra === null) return {};
  if (extra === 'drop') return { [DROP_HEADER]: 'yes' };
  const { status, retryAfter, code, message, latency, phase } = extra;
  const pairs = { status, 'retry-after': retryAfter, code, message, delay: latency && `${latency.min}-${latency.max}`, phase };
  return {
    'X-Emulator-Fault': Object.entries(pairs)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
  };
};

export const cridOf = (c: Client): Record<string, string> => (c.crid === undefined ? {} : { 'client-request-id': c.crid });

interface Outcome {
  status: number | Drop;
  headers: Record<string, string>;
  override: Override;
  fault: Applied | null;
  /** A phase-after failure answered in place of the success. */
  late: boolean;
}

/**
 * One request through the model, in two steps as the emulator takes them: the fault step's decision when it
 * arrives, and the outcome once it has run (a phase-after failure given back when the request failed on its own).
 * The items of one round of a `$batch` all arrive before any has run.
 */
export function through(m: FaultModel, c: Client, r: Resolved, extra: Extra, batch: number | undefined): () => Outcome {
  if (r.own === 403) return () => ({ status: 403, headers: {}, override: {}, fault: null, late: false });
  const d = decide(m, c, r.faulted, r.path, extra === 'drop', extra === null || extra === 'drop' ? undefined : extra, batch);
  return () => {
    if (d.early !== undefined) {
      const { status, headers, ...override } = d.early;
      return { status, headers: { ...d.throttleHeaders, ...headers }, override, fault: d.fault, late: false };
    }
    const succeeded = r.own < 300;
    const fault = settle(m, d, c, r.faulted, r.path, succeeded, batch);
    if (d.late === undefined || !succeeded) return { status: r.own, headers: d.throttleHeaders, override: {}, fault, late: false };
    const { status, headers, ...override } = earlyOf(d.late.rule);
    return { status, headers: typeof status === 'string' ? {} : { ...d.throttleHeaders, ...headers }, override, fault, late: true };
  };
}

/** The error code the journal's answer body holds: none for a success, a HEAD (no body) or a dropped connection. */
export const codeOf = (status: number | null, r: Resolved, override: Override = {}) =>
  status === null || status < 400 || r.method === 'HEAD' ? null : (override.code ?? INJECTED[status]!.code);

/** The model after a request the emulator executed: a package made or removed. */
export function apply(m: FaultModel, c: Client, r: Resolved, a: Answer | undefined, late: boolean): void {
  const known = m.packages.get(tenantKey(c.tid))!;
  if (r.own === 201) {
    if (late) m.unseen.set(tenantKey(c.tid), (m.unseen.get(tenantKey(c.tid)) ?? 0) + 1);
    else {
      expect(a!.body).toMatchObject({ displayName: r.body!['displayName'], id: expect.stringMatching(GUID) });
      known.push(a!.body.id as string);
    }
  }
  if (r.own === 200 && !late && r.method === 'GET') {
    if (r.id === undefined) expect(a!.body.value).toEqual(expect.any(Array));
    else expect(a!.body.id).toBe(r.id);
  }
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
    m.lastSend = { client: this.client, ...this.req };
    const token = authOf(this.client).Authorization.slice('Bearer '.length);
    const expected = through(m, this.client, r, this.extra, undefined)();
    const call = real
      .api()
      [r.method.toLowerCase() as 'get'](r.sent)
      .set({ ...authOf(this.client), ...headerOf(this.extra), ...cridOf(this.client) });
    const sent = r.body === undefined ? call : call.send(r.body);
    const dropped = typeof expected.status === 'string' ? expected.status : undefined;
    // The answer's text, which the journal keeps (cut past its cap); a dropped connection's is not checked.
    let responseText: string | undefined;
    if (dropped !== undefined) {
      // Half of them through fetch, as the Graph SDKs send: undici names each kind its own way.
      if (this.req.n % 2 === 1) {
        const headers = { ...authOf(this.client), ...headerOf(this.extra), ...cridOf(this.client), ...(r.body && { 'Content-Type': 'application/json' }) };
        const body = r.body && JSON.stringify(r.body);
        await expectFetchDropped((signal) => fetch(real.url(r.sent), { method: r.method, headers, body, signal }), dropped, r.method);
      } else await expectDropped(sent, dropped, r.method);
      if (expected.late) apply(m, this.client, r, undefined, true);
    } else {
      const a: Answer & { text?: string } = await sent;
      responseText = r.method === 'HEAD' ? '' : (a.text ?? '');
      expectAnswer(a, expected.status as number, expected.headers, true, r, expected.override);
      if ((expected.status as number) < 300 || expected.late) apply(m, this.client, r, a, expected.late);
    }
    const status = dropped === undefined ? (expected.status as number) : droppedStatus(dropped);
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
      requestBody: dropped === undefined ? (r.body ?? null) : droppedBody(dropped, expected.late, r.body),
      code: codeOf(status, r, expected.override),
      ...(responseText === undefined ? {} : { responseText }),
    });
    await expectJournalSince(m, real, before);
  }
  toString = () => this.label;
}

/** The last lone request sent again by its client, without extra headers, as a client retries after a 429 or a 5xx. */
export class Retry implements FaultCommand {
  private label = 'retry (nothing sent yet)';
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    if (m.lastSend === undefined) return;
    const { client, kind, ...rest } = m.lastSend;
    const send = new Send(client, { kind: kind as Kind, ...rest }, null);
    await send.run(m, real);
    this.label = `retry: ${send}`;
  }
  toString = () => this.label;
}
