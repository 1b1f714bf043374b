// The model of the fault model-based test (tests/http/faultModel.test.ts): the fault rules with their counters,
// the throttling profile's buckets and the Retry-After an injected 429 leaves, on a clock the test moves by hand,
// and the request journal's ring; for each Graph request it predicts whether a throttle, a pending Retry-After or
// a rule answers it (docs/faults.md), and what the journal records.
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { tenantKey } from './graphModel.js';
import { type Bucket, throttle } from './faultModelThrottle.js';
import { type Client, tokenOf } from './faultModelClients.js';
import type { Draws, Latency } from './faultModelDraws.js';
import { pathMatches } from './faultModelPaths.js';

export { APP_ID, CLIENT_ROLES, type Client, INJECTED, MINTED, authOf, tokenOf } from './faultModelClients.js';

export { DEFAULT_TENANT_ID, tenantKey };
export { concrete, pathMatches } from './faultModelPaths.js';

export interface Rule {
  name?: string;
  tenant?: string;
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path?: string;
  headers?: Record<string, string>;
  probability?: number;
  after?: number;
  every?: number;
  times?: number;
  status?: number;
  code?: string;
  message?: string;
  retryAfter?: number;
  latency?: Latency;
  drop?: Drop;
  phase?: 'after';
}
export type Drop = 'reset' | 'empty' | 'malformed' | 'hang';
export interface Profile {
  capacity: number;
  refillPerSecond: number;
  tenant?: string;
  key?: 'client-request-id';
  headers?: false;
}
export interface Applied {
  source: string;
  effect: string;
}
/** A journal entry as the model predicts it (the fields GET /_emulator/requests shows that it can know). */
export interface Entry {
  id: number;
  method: string;
  /** As sent. */
  path: string;
  /** As the journal's path filter reads it (the key forms as a segment). */
  matched: string;
  status: number | null;
  tenant: string;
  fault: Applied | null;
  batchId: number | null;
  batchItemId: string | null;
  /** The token the request carried: its entry shows the claims, never the token. */
  token: string;
  /** As sent: the journal keeps a JSON body as JSON, refused unread or not, cut past its cap. */
  requestBody: unknown;
  /** The answer's text as the client read it ('' for none); undefined where the model does not check the body. */
  responseText?: string;
  /** The code of the error the answer's body holds, or null. */
  code: string | null;
}
export const PACKAGES_PATH = '/beta/identityGovernance/entitlementManagement/accessPackages';
export const DROP_HEADER = 'x-model-drop';

export interface FaultModel {
  /** The fault engine's clock, in ms: moved by the Wait command only. */
  now: number;
  /** Each tenant's random sequences, from the emulator's seed. */
  draws: Draws;
  rules: { rule: Rule; matched: number; fired: number }[];
  profile: Profile | undefined;
  buckets: Map<string, Bucket>;
  /** An injected 429's Retry-After: client and request → until when, and the $batch that earned it. */
  pending: Map<string, { until: number; batch: number | undefined }>;
  journal: Entry[];
  size: number;
  lastId: number;
  /** Tenant → the packages known to exist (the fixtures' first few and those created since). */
  packages: Map<string, string[]>;
  /** Tenant → packages made by a create whose answer was a fault (committed, id unknown). */
  unseen: Map<string, number>;
  /** The last lone request: what a client's retry sends again. */
  lastSend?: { client: Client; kind: string; n: number; long?: boolean };
}

/** What the model expects of one Graph request that passed the bearer check and its permissions. */
export interface Decision {
  /** Headers the throttling profile adds, whatever the answer. */
  throttleHeaders: Record<string, string>;
  /** The answer decided before the request runs: a 429 (throttle, Retry-After), a status or drop rule (phase before). */
  early?: { status: number | Drop; headers: Record<string, string>; code?: string; message?: string };
  /** A status rule in phase after: answered once the request succeeded on its own. */
  late?: { rule: Rule; index: number };
  /** The journal's fault, for an early answer, a latency, or a phase-after fault that is applied. */
  fault: Applied | null;
  /** The fault the journal shows when the phase-after failure is not applied (the request failed on its own). */
  unapplied: Applied | null;
}

const retryKey = (tenant: string, token: string, method: string, path: string) => `${tenant}\u0000${token} ${method} ${path.toLowerCase()}`;

const named = (list: { index: number; rule: Rule }[]) => list.map(({ index, rule }) => `rules[${index}]${rule.name ? ` (${rule.name})` : ''}`).join(', ');

/** The journal's effect: the delay when a rule that fired has a latency (0 ms too), then the failure. */
function effectOf(failure: Rule | undefined, latency: number | undefined): string {
  return [
    latency !== undefined ? `latency ${latency}ms` : '',
    failure?.status !== undefined ? `status ${failure.status}` : '',
    failure?.drop !== undefined ? `drop ${failure.drop}` : '',
    failure?.phase === 'after' ? 'after execution' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** Retry-After of an injected status: the rule's, or 10 s for a 429 that names none; an injected 401 adds the bearer challenge. */
export function injectedHeaders(rule: Rule): Record<string, string> {
  const retryAfter = rule.retryAfter ?? (rule.status === 429 ? 10 : undefined);
  return retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
}

/** What the fault step does with a request (faultInjection.ts's order: throttle, Retry-After, the rules). */
export function decide(
  m: FaultModel,
  c: Client,
  method: string,
  path: string,
  dropHeader: boolean,
  header: Rule | undefined,
  batch: number | undefined,
): Decision {
  const tenant = tenantKey(c.tid);
  const token = tokenOf(c);
  const t = throttle(m, tenant, c, token);
  const throttleHeaders = t.headers;
  const tooMany = (retryAfter: number, source: string) => ({
    throttleHeaders,
    early: { status: 429, headers: { 'retry-after': String(retryAfter) } },
    fault: { source, effect: `status 429, Retry-After ${retryAfter}` },
    unapplied: null,
  });
  if (t.retryAfter !== undefined) return tooMany(t.retryAfter, 'throttle');
  // X-Emulator-Fault wins over a pending Retry-After and the rules, which do not count the request; its 429 leaves no wait.
  if (header !== undefined) {
    // The header's delay draws from a sequence of its own, which leaves the rules' where it was.
    const latency = header.latency === undefined ? undefined : m.draws.latency(tenant, 'header', header.latency);
    const fault = { source: 'X-Emulator-Fault', effect: effectOf(header, latency) };
    const unapplied = latency !== undefined ? { source: 'X-Emulator-Fault', effect: effectOf(undefined, latency) } : null;
    if (header.status === undefined && header.drop === undefined) return { throttleHeaders, fault, unapplied: fault };
    if (header.phase === 'after') return { throttleHeaders, late: { rule: header, index: -1 }, fault, unapplied };
    return { throttleHeaders, early: earlyOf(header), fault, unapplied };
  }
  const key = retryKey(tenant, token, method, path);
  const waiting = m.pending.get(key);
  if (waiting !== undefined && !(batch !== undefined && waiting.batch === batch)) {
    if (waiting.until > m.now) return tooMany(Math.ceil((waiting.until - m.now) / 1000), 'Retry-After');
    m.pending.delete(key);
  }
  const fired: { index: number; rule: Rule }[] = [];
  for (const [index, s] of m.rules.entries()) {
    const { rule } = s;
    if (rule.tenant !== undefined && rule.tenant.toLowerCase() !== tenant) continue;
    if ((rule.method !== undefined && rule.method !== method) || !pathMatches(rule.path, path)) continue;
    if (rule.headers !== undefined && !dropHeader) continue;
    s.matched += 1;
    const eligible = s.matched - (rule.after ?? 0);
    if (eligible <= 0 || eligible % (rule.every ?? 1) !== 0) continue;
    if ((rule.times !== undefined && s.fired >= rule.times) || !m.draws.fires(tenant, rule.probability)) continue;
    s.fired += 1;
    fired.push({ index, rule });
    if (rule.status !== undefined || rule.drop !== undefined) break;
  }
  // The delays are drawn once the rules have decided, in the order the rules fired.
  const slow = fired.filter((f) => f.rule.latency !== undefined);
  const latency = slow.length === 0 ? undefined : slow.reduce((sum, f) => sum + m.draws.latency(tenant, 'rules', f.rule.latency), 0);
  const failing = fired.find((f) => f.rule.status !== undefined || f.rule.drop !== undefined);
  const fault = fired.length === 0 ? null : { source: named(fired), effect: effectOf(failing?.rule, latency) };
  const unapplied = latency !== undefined ? { source: named(slow), effect: effectOf(undefined, latency) } : null;
  if (failing === undefined) return { throttleHeaders, fault, unapplied: fault };
  if (failing.rule.phase === 'after') return { throttleHeaders, late: failing, fault, unapplied };
  if (failing.rule.status === 429) note(m, key, failing.rule, batch);
  return { throttleHeaders, early: earlyOf(failing.rule), fault, unapplied };
}

/** A status or drop rule's answer: a drop, or Graph's error with its headers and the rule's code and message. */
export function earlyOf(rule: Rule): NonNullable<Decision['early']> {
  if (rule.drop !== undefined) return { status: rule.drop, headers: {} };
  return {
    status: rule.status!,
    headers: injectedHeaders(rule),
    ...(rule.code === undefined ? {} : { code: rule.code }),
    ...(rule.message === undefined ? {} : { message: rule.message }),
  };
}

/** An injected 429 leaves its Retry-After for the same client and request (faults.md, `retryAfter`). */
function note(m: FaultModel, key: string, rule: Rule, batch: number | undefined): void {
  const seconds = rule.retryAfter ?? 10;
  m.pending.set(key, { until: m.now + seconds * 1000, batch });
}

/** The outcome of a request whose phase-after failure is known: applied (the request succeeded) or not. */
export function settle(m: FaultModel, d: Decision, c: Client, method: string, path: string, succeeded: boolean, batch: number | undefined): Applied | null {
  if (d.late === undefined) return d.fault;
  // The header's fault (index -1) is no rule's turn, and leaves no Retry-After.
  if (!succeeded) {
    if (d.late.index >= 0) m.rules[d.late.index]!.fired -= 1;
    return d.unapplied;
  }
  if (d.late.rule.status === 429 && d.late.index >= 0) note(m, retryKey(tenantKey(c.tid), tokenOf(c), method, path), d.late.rule, batch);
  return d.fault;
}

/** How many requests ended each way (method, status, the fault's source and effect): what a run covered. */
export const TALLY = new Map<string, number>();

/**
 * Adds an entry (ids go on across clears). The ring keeps the newest `size`: which those are among a `$batch`'s
 * items is known once the journal is read back (faultModelJournal.ts), which drops the older ones from the model.
 */
export function record(m: FaultModel, entry: Omit<Entry, 'id'>): Entry {
  const added = { ...entry, id: ++m.lastId };
  const kind = entry.fault === null ? 'none' : `${entry.fault.source.replace(/\[\d+\]|\s\(.*?\)/g, '')}: ${entry.fault.effect.replace(/\d+/g, 'N')}`;
  const key = `${entry.batchId === null ? '' : 'item '}${entry.method} ${entry.status} ${kind}`;
  const cut = [
    (entry.responseText?.length ?? 0) > 16_384 ? '(answers past the cap)' : '',
    JSON.stringify(entry.requestBody).length > 16_384 ? '(bodies past the cap)' : '',
  ];
  for (const k of [key, ...cut.filter(Boolean)]) TALLY.set(k, (TALLY.get(k) ?? 0) + 1);
  m.journal.push(added);
  return added;
}

/** Forget every client's state of one tenant (or every tenant's), and start its draws again: a PUT or DELETE of its faults. */
export function restartClients(m: FaultModel, tenant?: string): void {
  m.draws.restart(tenant);
  const mine = (key: string) => tenant === undefined || key.startsWith(`${tenant}\u0000`);
  for (const key of [...m.pending.keys()]) if (mine(key)) m.pending.delete(key);
  for (const key of [...m.buckets.keys()]) if (mine(key)) m.buckets.delete(key);
}
