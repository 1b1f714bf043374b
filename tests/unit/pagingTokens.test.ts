// The $skiptoken's integrity check (odata/paging.ts): a token decodes only unchanged, and only for the query it was
// issued for; any edit, or a token the emulator did not make, gets the same 400 as a malformed one.
import { describe, expect, it } from '@jest/globals';
import { type Cursor, MAX_KEY_JSON_BYTES, decodeSkipToken, encodeSkipToken, fullKeys, sealedToken } from '../../server/odata/paging.js';
import { graphErrorOf } from '../support/errors.js';

const INVALID = 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.';
const QUERY = JSON.stringify(['tenant-a', '/beta/identitygovernance/entitlementmanagement/accesspackages', 'isHidden eq false', null, []]);
const CURSOR: Cursor = { id: 'c9519dd9-374f-48b3-8c8d-5e405eb106ae', keys: ['2026-01-31T00:00:00Z'], order: 'createdDateTime asc', pageSize: 2 };

function refusal(token: string, order = CURSOR.order, query = QUERY) {
  const err = graphErrorOf(() => decodeSkipToken(token, order, query));
  return { status: err.status, code: err.code, message: err.message };
}

/** The token with its JSON edited and every byte before the JSON kept, as a forger would try. */
function edited(token: string, edit: (json: Record<string, unknown>) => void): string {
  const bytes = Buffer.from(token, 'base64url');
  const start = bytes.indexOf('{"v":1');
  const json = JSON.parse(bytes.subarray(start).toString('utf8')) as Record<string, unknown>;
  edit(json);
  return Buffer.concat([bytes.subarray(0, start), Buffer.from(JSON.stringify(json))]).toString('base64url');
}

describe('$skiptoken integrity', () => {
  const issued = encodeSkipToken(CURSOR, QUERY);

  it('is opaque and URL-safe, and decodes unchanged for the query it was issued for', () => {
    expect(issued).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSkipToken(issued, CURSOR.order, QUERY)).toEqual({ ...CURSOR, seq: undefined, epoch: undefined });
  });

  it.each<[string, (json: Record<string, unknown>) => void, string]>([
    ['another id and page size', (json) => Object.assign(json, { i: 'fd5794cf-cc43-409f-99a2-438167a971f2', n: 999 }), CURSOR.order],
    ['another sort key of the same shape', (json) => Object.assign(json, { k: ['2030-01-01T00:00:00Z'] }), CURSOR.order],
    ['a well-formed key of another type', (json) => Object.assign(json, { k: [5] }), CURSOR.order],
    ['a sequence number added', (json) => Object.assign(json, { s: 1 }), CURSOR.order],
    // Sent under the order it now names: refused as changed, not as issued for another order.
    ['its order changed to the one requested', (json) => Object.assign(json, { o: 'displayName asc', k: ['A'] }), 'displayName asc'],
  ])('refuses the issued token with %s, as a malformed one', (_case, edit, order) => {
    expect(refusal(edited(issued, edit), order)).toEqual({ status: 400, code: 'BadRequest', message: INVALID });
  });

  it('refuses a well-formed token it did not issue (the JSON alone, as tokens were before)', () => {
    const bare = Buffer.from(JSON.stringify({ v: 1, i: CURSOR.id, o: CURSOR.order, n: 2, k: [5] })).toString('base64url');
    expect(refusal(bare)).toEqual({ status: 400, code: 'BadRequest', message: INVALID });
  });

  it.each([
    ['another tenant', ['tenant-b', '/beta/identitygovernance/entitlementmanagement/accesspackages', 'isHidden eq false', null, []]],
    ['another path', ['tenant-a', '/v1.0/identitygovernance/entitlementmanagement/accesspackages', 'isHidden eq false', null, []]],
    ['another $filter', ['tenant-a', '/beta/identitygovernance/entitlementmanagement/accesspackages', 'isHidden eq true', null, []]],
    ['no $filter', ['tenant-a', '/beta/identitygovernance/entitlementmanagement/accesspackages', null, null, []]],
  ])('refuses the issued token replayed under %s', (_case, query) => {
    expect(refusal(issued, CURSOR.order, JSON.stringify(query))).toEqual({ status: 400, code: 'BadRequest', message: INVALID });
  });

  it('still names another $orderby for a token that is unchanged', () => {
    expect(refusal(issued, 'displayName asc').message).toBe('The $skiptoken was issued for a different $orderby. Follow @odata.nextLink as returned.');
  });

  // docs/querying.md: tokens survive a restart. The key is the same in every process, so a token made by another
  // process (this one, written down) still decodes.
  it('decodes a token issued by another process', () => {
    const earlier = 'j6Irjs6-gn1nrtje4wVLV3sidiI6MSwiaSI6ImM5NTE5ZGQ5LTM3NGYtNDhiMy04YzhkLTVlNDA1ZWIxMDZhZSIsIm8iOiIiLCJuIjoyLCJzIjo0LCJlIjoiZTEifQ';
    expect(decodeSkipToken(earlier, '', '["t","/beta/x",null,null,[]]')).toEqual({
      id: 'c9519dd9-374f-48b3-8c8d-5e405eb106ae',
      seq: 4,
      epoch: 'e1',
      keys: undefined,
      order: '',
      pageSize: 2,
    });
  });
});

describe('a long sort value in a token', () => {
  const LONG = `BIG ${'é'.repeat(13_000)}`;
  const cursor: Cursor = { id: CURSOR.id, keys: [LONG, false], order: 'displayName asc,isHidden asc', pageSize: 1 };
  const token = encodeSkipToken(cursor, QUERY);
  const decoded = decodeSkipToken(token, cursor.order, QUERY);

  it('is carried as a digest, so the token stays short, and a value that fits is carried as it is', () => {
    expect(token.length).toBeLessThan(300);
    expect(decoded.keys).toEqual([null, false]);
    expect(decoded.digests).toEqual([expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), null]);
    const fits = 'x'.repeat(MAX_KEY_JSON_BYTES - 2);
    expect(decodeSkipToken(encodeSkipToken({ ...cursor, keys: [fits, true] }, QUERY), cursor.order, QUERY)).toMatchObject({ keys: [fits, true] });
    expect(decodeSkipToken(encodeSkipToken({ ...cursor, keys: [`${fits}x`, true] }, QUERY), cursor.order, QUERY).keys).toEqual([null, true]);
  });

  it('is read back from the last record while that record still holds it, and is expired once it does not', () => {
    expect(fullKeys(decoded, [LONG, true])).toEqual([LONG, false]);
    const expired = { status: 400, code: 'BadRequest', message: 'The specified page token value has expired and can no longer be included in your request.' };
    for (const current of [undefined, [`${LONG}!`, false], ['BIG', false]]) {
      const err = graphErrorOf(() => fullKeys(decoded, current));
      expect({ status: err.status, code: err.code, message: err.message }).toEqual(expired);
    }
  });

  it('refuses the token with another digest, and a token sealed with one reads back no record', () => {
    const edit = (json: Record<string, unknown>) => Object.assign(json, { d: ['A'.repeat(22), null] });
    expect(refusal(edited(token, edit), cursor.order)).toEqual({ status: 400, code: 'BadRequest', message: INVALID });
    const bytes = Buffer.from(edited(token, edit), 'base64url');
    const sealed = decodeSkipToken(sealedToken(bytes.subarray(bytes.indexOf('{"v":1')).toString('utf8'), QUERY), cursor.order, QUERY);
    expect(graphErrorOf(() => fullKeys(sealed, [LONG, false])).message).toBe(
      'The specified page token value has expired and can no longer be included in your request.',
    );
  });

  it.each<[string, (json: Record<string, unknown>) => void]>([
    ['a digest beside a value', (json) => Object.assign(json, { k: ['BIG', false] })],
    ['digests for fewer keys', (json) => Object.assign(json, { d: [(json.d as string[])[0]] })],
  ])('refuses the token with %s, as a malformed one', (_case, edit) => {
    expect(refusal(edited(token, edit), cursor.order)).toEqual({ status: 400, code: 'BadRequest', message: INVALID });
    // The same edit sealed as the emulator would: still not a token it issues.
    const bytes = Buffer.from(edited(token, edit), 'base64url');
    const json = bytes.subarray(bytes.indexOf('{"v":1')).toString('utf8');
    expect(refusal(sealedToken(json, QUERY), cursor.order)).toEqual({ status: 400, code: 'BadRequest', message: INVALID });
  });
});
