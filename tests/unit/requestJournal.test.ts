// The request journal's ring and query: bounded by count and by memory whatever the bodies, cut bodies marked,
// ids that keep increasing, and each filter of GET /_emulator/requests.
import { describe, expect, it } from '@jest/globals';
import { GraphError } from '../../server/graphErrors.js';
import { entryWireForm } from '../../server/http/journalEntry.js';
import { MAX_ENTRIES_PER_ANSWER, parseRequestQuery } from '../../server/http/journalQuery.js';
import {
  MAX_JOURNAL_SIZE,
  BODY_LIMIT,
  DEFAULT_JOURNAL_SIZE,
  MEMORY_BUDGET,
  MIN_MEMORY_BUDGET,
  capBody,
  RequestJournal,
  type StoredEntry,
} from '../../server/http/requestJournal.js';
import { identityOf } from '../../server/identity/claims.js';
import { CJK, noise } from '../support/noise.js';
import { unsignedJwt } from '../support/tokens.js';

const ofTenant = (tid: string) => identityOf(unsignedJwt({ tid }));

function recorded({ tenant = 'contoso', ...overrides }: Partial<StoredEntry> & { tenant?: string } = {}): StoredEntry {
  return {
    id: 0,
    batchId: null,
    bytes: 0,
    startedAt: Date.parse('2026-11-01T08:30:00.250Z'),
    identity: ofTenant(tenant),
    method: 'GET',
    path: '/beta/identityGovernance/entitlementManagement/accessPackages',
    query: '',
    requestHeaders: 'Host\nlocalhost\nAuthorization\nBearer',
    requestBody: undefined,
    requestBodyTruncated: false,
    status: 200,
    responseHeaders: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nVary: Origin\r\nVary: Accept\r\n\r\n',
    responseBody: '{"value":[]}',
    responseBodyTruncated: false,
    durationUs: 1500,
    fault: null,
    batchItemId: null,
    ...overrides,
  };
}

const all = () => true;

describe('RequestJournal', () => {
  it.each([0, -1, 1.5, Number.NaN, MAX_JOURNAL_SIZE + 1])('refuses a size of %p, naming the sizes it takes', (size) => {
    expect(() => new RequestJournal(size)).toThrow(new RangeError(`A request journal keeps 1 to 100000 entries; got ${size}.`));
  });

  it('takes the smallest and the largest size', () => {
    expect(new RequestJournal(1).size).toBe(1);
    expect(new RequestJournal(MAX_JOURNAL_SIZE).size).toBe(MAX_JOURNAL_SIZE);
  });

  it('keeps the newest entries up to its size, with ids that keep increasing', () => {
    const journal = new RequestJournal(3);
    for (let i = 0; i < 5; i += 1) journal.record(recorded({ method: `M${i}` }));
    expect(journal.list(all).map((e) => [e.id, e.method])).toEqual([
      [3, 'M2'],
      [4, 'M3'],
      [5, 'M4'],
    ]);
    journal.clear();
    expect(journal.count).toBe(0);
    expect(journal.record(recorded())).toBe(6);
  });

  it('stays within its memory budget whatever the bodies, cutting each at BODY_LIMIT', () => {
    const budget = 2 * 1024 * 1024;
    const journal = new RequestJournal(100_000, budget);
    // Text deflate cannot shrink: long bodies are kept deflated, and these must take their full size.
    const huge = noise(64 * 1024);
    for (let i = 0; i < 2000; i += 1) {
      const request = capBody(huge);
      journal.record(recorded({ requestBody: request.text, requestBodyTruncated: request.truncated, responseBody: capBody(huge).text }));
    }
    expect(journal.heldBytes).toBeLessThanOrEqual(budget);
    const kept = journal.list(all);
    expect(kept.length).toBe(journal.count);
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(2000);
    expect(kept.every((e) => e.requestBody!.length === BODY_LIMIT && e.requestBodyTruncated)).toBe(true);
    expect(kept.at(-1)!.id).toBe(2000);
  });

  it('selects by summaries, and decodes the bodies of the entries it keeps only', () => {
    const journal = new RequestJournal(10);
    const page = JSON.stringify({ value: Array.from({ length: 300 }, (_, i) => ({ id: i, displayName: `Package ${i}` })) });
    journal.record(recorded({ method: 'GET', responseBody: page }));
    journal.record(recorded({ method: 'POST', path: '/beta/x', status: 201, requestBody: page, responseBody: '{}' }));
    const seen: string[][] = [];
    const kept = journal.list((entry) => {
      seen.push(Object.keys(entry).sort());
      return entry.method === 'POST';
    });
    expect(seen).toEqual([
      ['id', 'identity', 'method', 'path', 'status'],
      ['id', 'identity', 'method', 'path', 'status'],
    ]);
    expect(kept.map((e) => [e.id, e.path, e.status, e.requestBody, e.responseBody])).toEqual([[2, '/beta/x', 201, page, '{}']]);
  });

  it('lists after `since`, at most `limit`, oldest first, over many evictions', () => {
    const journal = new RequestJournal(2500);
    for (let i = 0; i < 6000; i += 1) journal.record(recorded({ status: i % 2 === 0 ? 200 : 404 }));
    expect(journal.list(all, 0, 2)[0]!.id).toBe(3501);
    expect(journal.list(all, 5990).map((e) => e.id)).toEqual([5991, 5992, 5993, 5994, 5995, 5996, 5997, 5998, 5999, 6000]);
    expect(journal.list((e) => e.status === 404, 5990, 3).map((e) => e.id)).toEqual([5992, 5994, 5996]);
    expect(journal.list(all, 6000)).toEqual([]);
  });

  it("records a batch's items after it, linked to its id", () => {
    const journal = new RequestJournal();
    journal.record(recorded());
    const id = journal.record(recorded({ method: 'POST', path: '/beta/$batch' }), [recorded({ batchItemId: 'a' }), recorded({ batchItemId: 'b' })]);
    expect(journal.list(all).map((e) => [e.id, e.batchId, e.batchItemId])).toEqual([
      [1, null, null],
      [2, null, null],
      [3, 2, 'a'],
      [4, 2, 'b'],
    ]);
    expect(id).toBe(2);
  });

  it('holds its default thousand entries, both bodies cut at BODY_LIMIT, within its default budget', () => {
    const journal = new RequestJournal();
    const body = noise(BODY_LIMIT);
    for (let i = 0; i <= DEFAULT_JOURNAL_SIZE; i += 1) journal.record(recorded({ requestBody: body, responseBody: body }));
    expect(journal.count).toBe(DEFAULT_JOURNAL_SIZE);
    expect(journal.list(all, 0, 1)[0]).toMatchObject({ id: 2, requestBody: body, responseBody: body });
    expect(journal.heldBytes).toBeLessThanOrEqual(MEMORY_BUDGET);
  });

  it('takes at least MIN_MEMORY_BUDGET, room for the largest entry a request makes', () => {
    const journal = new RequestJournal(10, 0);
    const body = noise(BODY_LIMIT, 5, CJK);
    journal.record(recorded({ requestBody: body, responseBody: body }));
    expect(journal.list(all).map((e) => [e.requestBody, e.responseBody])).toEqual([[body, body]]);
    expect(journal.heldBytes).toBeLessThanOrEqual(MIN_MEMORY_BUDGET);
  });

  it('cuts a body only past BODY_LIMIT characters', () => {
    const whole = 'w'.repeat(BODY_LIMIT);
    expect(capBody(whole)).toEqual({ text: whole, truncated: false });
    expect(capBody(`${whole}!`)).toEqual({ text: whole, truncated: true });
    expect(capBody(undefined)).toEqual({ text: undefined, truncated: false });
  });

  it("forgets one tenant's entries and keeps the others'", () => {
    const journal = new RequestJournal();
    for (const tenant of ['a', 'b', 'a', 'c']) journal.record(recorded({ tenant }));
    journal.clear('a');
    expect(journal.list(all).map((e) => [e.id, e.identity.tenantId])).toEqual([
      [2, 'b'],
      [4, 'c'],
    ]);
  });
});

describe('parseRequestQuery', () => {
  const journal = new RequestJournal();
  journal.record(recorded({ method: 'POST', status: 201, tenant: 'contoso' }));
  journal.record(recorded({ method: 'GET', status: 404, path: '/beta/identityGovernance/entitlementManagement/accessPackages/x/', tenant: 'fabrikam' }));
  journal.record(recorded({ method: 'GET', status: null, path: '/v1.0/identityGovernance/entitlementManagement/catalogs' }));
  const ids = (params: Record<string, string>) => {
    const { keep, since, limit } = parseRequestQuery(params);
    return journal.list(keep, since, limit).map((e) => e.id);
  };

  it.each([
    [{}, [1, 2, 3]],
    [{ method: 'get' }, [2, 3]],
    [{ status: '201' }, [1]],
    [{ status: '4xx' }, [2]],
    // A class in capitals is the same class; an entry whose answer never came has none.
    [{ status: '4XX' }, [2]],
    [{ path: '/beta/**' }, [1, 2]],
    [{ path: '/BETA/identityGovernance/entitlementManagement/accessPackages/*' }, [2]],
    [{ path: '/v1.0/**/{catalogs,assignmentPolicies}' }, [3]],
    [{ tenant: 'FABRIKAM' }, [2]],
    [{ since: '1', limit: '1' }, [2]],
    [{ method: 'GET', tenant: 'contoso' }, [3]],
    // A path is matched without its trailing slashes, in the entry and in the pattern.
    [{ path: '/beta/identityGovernance/entitlementManagement/accessPackages/x' }, [2]],
    [{ path: '/beta/identityGovernance/entitlementManagement/accessPackages/x//' }, [2]],
    [{ path: '/' }, []],
    [{ since: '0', limit: String(MAX_ENTRIES_PER_ANSWER) }, [1, 2, 3]],
    [{ since: '12' }, []],
  ])('%j selects %j', (params, expected) => {
    expect(ids(params as Record<string, string>)).toEqual(expected);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ verb: 'GET' }, "Unknown query parameter 'verb'; the filters are method, path, status, tenant, since, limit."],
    [{ status: '20' }, "Invalid value for 'status': '20'. Use a status such as 201, or a class such as 4xx."],
    [{ since: '-1' }, "Invalid value for 'since': '-1'. Use a whole number from 0 to 9007199254740991."],
    [{ limit: String(MAX_ENTRIES_PER_ANSWER + 1) }, "Invalid value for 'limit': '1001'. Use a whole number from 1 to 1000."],
    [{ path: '/beta/@(a|b)' }, "Invalid value for 'path': the pattern uses an extglob such as @(a|b); write {a,b} or several rules instead."],
    [{ method: ['GET', 'POST'] }, "The filter 'method' is given more than once."],
    ...['2011', '1201', '4xxx', '14xx'].map((status): [Record<string, unknown>, string] => [
      { status },
      `Invalid value for 'status': '${status}'. Use a status such as 201, or a class such as 4xx.`,
    ]),
    ...['1.5', 'x1', ' 1'].map((since): [Record<string, unknown>, string] => [
      { since },
      `Invalid value for 'since': '${since}'. Use a whole number from 0 to 9007199254740991.`,
    ]),
    ...['method', 'path', 'status', 'tenant', 'since', 'limit'].map((name): [Record<string, unknown>, string] => [
      { [name]: '' },
      `The filter '${name}' is empty; leave it out to select every entry.`,
    ]),
    [{ limit: '0' }, "Invalid value for 'limit': '0'. Use a whole number from 1 to 1000."],
  ])('%j is a 400: %s', (params, message) => {
    let thrown: unknown;
    try {
      parseRequestQuery(params);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GraphError);
    expect(thrown).toMatchObject({ status: 400, code: 'BadRequest', message });
  });

  it('answers at most MAX_ENTRIES_PER_ANSWER entries without a limit, the oldest first', () => {
    const full = new RequestJournal(MAX_ENTRIES_PER_ANSWER + 5);
    for (let i = 0; i < MAX_ENTRIES_PER_ANSWER + 5; i++) full.record(recorded());
    const { keep, since, limit } = parseRequestQuery({});
    const listed = full.list(keep, since, limit).map((e) => e.id);
    expect(listed).toHaveLength(MAX_ENTRIES_PER_ANSWER);
    expect([listed[0], listed.at(-1)]).toEqual([1, MAX_ENTRIES_PER_ANSWER]);
  });
});

describe('entryWireForm', () => {
  /** What GET /_emulator/requests shows after a fresh journal recorded each request in turn (with its batch's items). */
  const shownAfter = (...recordings: [StoredEntry, StoredEntry[]?][]) => {
    const journal = new RequestJournal();
    for (const [entry, items] of recordings) journal.record(entry, items);
    return journal.list(all).map(entryWireForm);
  };

  it("shows a proxy's credential by its scheme alone, an empty body as null, and a body of another type as text", () => {
    const [entry, item] = shownAfter([
      recorded({
        requestHeaders: 'Proxy-Authorization\nBasic',
        requestBody: '',
        responseHeaders: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n',
        responseBody: '{"looks":"like JSON"}',
      }),
      [recorded({ batchItemId: '1' })],
    ]);
    expect(entry).toMatchObject({
      requestHeaders: { 'proxy-authorization': { scheme: 'Basic', claims: null } },
      requestBody: null,
      responseBody: '{"looks":"like JSON"}',
      batchId: null,
    });
    expect(item).toMatchObject({ id: '2', batchId: '1', batchItemId: '1' });
  });

  it('makes objects of the header pairs and of the header block, a credential shown with its claims', () => {
    const [entry] = shownAfter([recorded({ requestHeaders: 'Host\na\nX-Tag\n1\nx-tag\n2\nAuthorization\nBearer' })]);
    expect(entry!.requestHeaders).toEqual({ host: 'a', 'x-tag': '1, 2', authorization: { scheme: 'Bearer', claims: { tid: 'contoso' } } });
    expect(entry!.responseHeaders).toEqual({ 'content-type': 'application/json', vary: ['Origin', 'Accept'] });
    expect(entry!.responseBody).toEqual({ value: [] });
  });

  it('parses whole JSON bodies back, and shows cut or other bodies as text', () => {
    const [first, second] = shownAfter(
      [
        recorded({
          query: '%24filter=displayName%20eq%20%27a%27&%24top=5',
          requestBody: '{"displayName":"A"}',
          responseBody: '<edmx/>',
          responseHeaders: 'HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\ncontent-length: 7\r\n\r\n',
        }),
      ],
      [recorded({ responseBody: '{"value":[', responseBodyTruncated: true })],
    );
    expect(first).toMatchObject({
      id: '1',
      time: '2026-11-01T08:30:00.250Z',
      tenant: 'contoso',
      durationMs: 1.5,
      query: { $filter: "displayName eq 'a'", $top: '5' },
      requestBody: { displayName: 'A' },
      responseBody: '<edmx/>',
      responseHeaders: { 'content-length': '7' },
      batchId: null,
    });
    expect(second).toMatchObject({ requestBody: null, responseBody: '{"value":[', responseBodyTruncated: true });
  });

  it('decodes escaped characters at either end of each UTF-8 length, and keeps the escape of a byte that is none', () => {
    // £ (C2 A3), U+07FF (DF BF), U+0800 (E0 A0 80), a byte order mark (EF BB BF), U+10FFFF (F4 8F BF BF), then Latin-1 é.
    const [entry] = shownAfter([recorded({ query: 'x=%C2%A3%DF%BF%E0%A0%80%EF%BB%BF%F4%8F%BF%BF%E9&y=%F5%80%80%80%C2' })]);
    expect(entry!.query).toEqual({ x: '£\u07ff\u0800\ufeff\u{10ffff}%E9', y: '%F5%80%80%80%C2' });
  });
});
