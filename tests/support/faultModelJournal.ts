// The request journal as the fault model-based test's model predicts it: the entries a command added, read back
// after it, and GET /_emulator/requests with its filters, DELETE with and without ?tenant= (docs/ci.md); with
// JOURNAL=off, none of them, and a 404 for each.
import { expect } from '@jest/globals';
import type fc from 'fast-check';
import { expectAdmin } from './graphModel.js';
import { type Entry, type FaultModel, pathMatches, tenantKey } from './faultModel.js';
import { type FaultEmulator, expectJournalOff } from './faultModelEmulator.js';
import { claimsOf } from './tokens.js';

type Wire = Record<string, unknown> & { id: string; batchId: string | null; batchItemId: string | null };

/** Each body the journal keeps, in UTF-16 code units (docs/ci.md, Limits). */
const BODY_CAP = 16_384;

/**
 * A body as the journal shows it: JSON as JSON, none as null; past the cap the text cut there, and marked, where a
 * cut never splits a character's two halves.
 */
export function shown(text: string): { body: unknown; truncated: boolean } {
  if (text.length <= BODY_CAP) return { body: text === '' ? null : JSON.parse(text), truncated: false };
  const split = /[\uD800-\uDBFF]/.test(text[BODY_CAP - 1]!);
  return { body: text.slice(0, split ? BODY_CAP - 1 : BODY_CAP), truncated: true };
}

/** What the model knows of an entry, as the API shows it. */
const view = (e: Entry) => ({
  method: e.method,
  path: e.path,
  status: e.status,
  tenant: e.tenant,
  fault: e.fault,
  batchItemId: e.batchItemId,
  authorization: { scheme: 'Bearer', claims: claimsOf(e.token) },
  request: e.requestBody === null ? { body: null, truncated: false } : shown(JSON.stringify(e.requestBody)),
  response: e.responseText === undefined ? expect.anything() : shown(e.responseText),
  code: e.code,
});
const wireView = (w: Wire) => ({
  method: w['method'],
  path: w['path'],
  status: w['status'],
  tenant: w['tenant'],
  fault: w['fault'],
  batchItemId: w['batchItemId'],
  authorization: (w['requestHeaders'] as Record<string, unknown>)['authorization'],
  request: { body: w['requestBody'], truncated: w['requestBodyTruncated'] },
  response: { body: w['responseBody'], truncated: w['responseBodyTruncated'] },
  code: ((w['responseBody'] as { error?: { code?: string } } | null)?.error?.code as string | undefined) ?? null,
});

/**
 * The entries read back equal the model's, in order. A `$batch`'s items are recorded as each ends, in any order
 * among themselves: each is matched by its batchItemId, and the model takes the id it got; then the model keeps
 * the newest entries the ring holds. No entry holds a token.
 */
export function expectEntries(m: FaultModel, got: Wire[], expected: Entry[]): void {
  const items = expected.filter((e) => e.batchId !== null);
  const matched = new Set<Entry>();
  const original = new Map(items.map((e) => [e, e.id]));
  for (const w of got) {
    const e = expected.find((x) =>
      w.batchId === null ? x.batchId === null && String(x.id) === w.id : String(x.batchId) === w.batchId && x.batchItemId === w.batchItemId,
    );
    expect([w.id, w.batchId, e === undefined ? 'no such entry' : wireView(w)]).toEqual([w.id, w.batchId, e === undefined ? wireView(w) : view(e)]);
    expect(JSON.stringify(w)).not.toContain(e!.token);
    e!.id = Number(w.id);
    matched.add(e!);
  }
  // The items the ring dropped take the ids their batch's matched items did not.
  for (const batchId of new Set(items.map((e) => e.batchId))) {
    const mine = items.filter((e) => e.batchId === batchId);
    const free = mine.map((e) => original.get(e)!).filter((id) => !mine.some((x) => matched.has(x) && x.id === id));
    for (const e of mine.filter((x) => !matched.has(x))) e.id = free.shift()!;
  }
  m.journal.sort((a, b) => a.id - b.id);
  if (m.journal.length > m.size) m.journal.splice(0, m.journal.length - m.size);
  const since = expected.length === 0 ? 0 : Math.min(...expected.map((e) => e.id)) - 1;
  const kept = new Set(m.journal.map((e) => e.id));
  expect(got.map((w) => w.id)).toEqual(
    expected
      .filter((e) => e.id > since && kept.has(e.id))
      .map((e) => String(e.id))
      .sort((x, y) => Number(x) - Number(y)),
  );
}

/** Every entry the model predicts after `since`, read back (an entry is added as its answer's connection closes). */
export async function expectJournalSince(m: FaultModel, real: FaultEmulator, since: number): Promise<void> {
  if (!real.settings.journal) {
    // Nothing recorded: the model keeps no entry either.
    expectJournalOff(await real.admin().get(`/_emulator/requests?since=${since}`));
    m.journal = [];
    return;
  }
  const expected = m.journal.filter((e) => e.id > since);
  let got: Wire[] = [];
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const res = await real.admin().get(`/_emulator/requests?since=${since}`);
    expectAdmin(res, 200);
    got = res.body.value as Wire[];
    if (got.length >= expected.length) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expectEntries(m, got, expected);
}

export interface JournalFilter {
  method?: string;
  path?: string;
  status?: string;
  tenant?: string;
  /** Picks an entry the model holds, whose id is the `since`. */
  since?: number;
  limit?: number;
  /** Picks an entry whose path, as recorded (key form included), is the `path` filter. */
  pathOf?: number;
}

/** GET /_emulator/requests with filters: the entries the model selects, oldest first. */
export class ReadJournal implements fc.AsyncCommand<FaultModel, FaultEmulator> {
  private label = 'read the journal';
  constructor(private readonly filter: JournalFilter) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    const { method, status, tenant, since: pick, limit, pathOf } = this.filter;
    const recorded = pathOf === undefined ? undefined : m.journal[pathOf % Math.max(1, m.journal.length)];
    // An entry's path as recorded finds the entries whose path reads alike (docs/ci.md, the `path` filter).
    const path = recorded?.path ?? this.filter.path;
    const pattern = recorded?.matched ?? path;
    const since = pick === undefined ? undefined : (m.journal[pick % (m.journal.length + 1)]?.id ?? m.lastId);
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries({ method, path, status, tenant, since, limit })) if (value !== undefined) query.set(name, String(value));
    this.label = `GET /_emulator/requests?${query}`;
    const res = await real.admin().get(`/_emulator/requests?${query}`);
    if (!real.settings.journal) return expectJournalOff(res);
    expectAdmin(res, 200);
    const statusOk = (s: number | null) =>
      status === undefined || (s !== null && (status.endsWith('xx') ? Math.floor(s / 100) === Number(status[0]) : s === Number(status)));
    const selected = m.journal
      .filter((e) => since === undefined || e.id > since)
      .filter((e) => method === undefined || e.method === method.toUpperCase())
      .filter((e) => pattern === undefined || pathMatches(pattern, e.matched))
      .filter((e) => statusOk(e.status) && (tenant === undefined || e.tenant === tenantKey(tenant)))
      .slice(0, limit ?? 1000);
    expectEntries(m, res.body.value as Wire[], selected);
  }
  toString = () => this.label;
}

/** DELETE /_emulator/requests, of every tenant or one: ids go on from where they were. */
export class ClearJournal implements fc.AsyncCommand<FaultModel, FaultEmulator> {
  constructor(private readonly tenant: string | undefined) {}
  check = () => true;
  async run(m: FaultModel, real: FaultEmulator): Promise<void> {
    const res = await real.admin().delete(`/_emulator/requests${this.tenant === undefined ? '' : `?tenant=${this.tenant}`}`);
    if (!real.settings.journal) return expectJournalOff(res);
    expectAdmin(res, 204);
    m.journal = this.tenant === undefined ? [] : m.journal.filter((e) => e.tenant !== tenantKey(this.tenant!));
    await expectJournalSince(m, real, 0);
  }
  toString = () => `DELETE /_emulator/requests${this.tenant === undefined ? '' : `?tenant=${this.tenant}`}`;
}
