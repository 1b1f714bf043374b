// readBatchPayload: what the requests of a $batch body become (method, url under the version, headers, body,
// dependencies), and the rules that fail the whole batch. How a batch answers over HTTP: tests/http/batch.test.ts.
import { describe, expect, it } from '@jest/globals';
import { GraphError } from '../../server/graphErrors.js';
import { ITEM_URL_LIMIT, MAX_BATCH_REQUESTS, readBatchPayload } from '../../server/http/batchPayload.js';

const PACKAGES = '/identityGovernance/entitlementManagement/accessPackages';
const get = (id: unknown, more: Record<string, unknown> = {}) => ({ id, method: 'GET', url: PACKAGES, ...more });

function refusal(body: unknown): unknown {
  try {
    readBatchPayload(body, 'beta');
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('readBatchPayload', () => {
  it('reads a request: its method in capitals, its url under the version, its own headers in lower case, none the batch owns', () => {
    const owned = ['Authorization', 'HOST', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Keep-Alive', 'Upgrade', 'Expect', 'TE', 'Trailer'];
    const headers = { 'X-Tag': 'kept', ...Object.fromEntries(owned.map((name) => [name, 'dropped'])) };
    const [item] = readBatchPayload({ requests: [{ id: 'a', method: 'get', url: `${PACKAGES.slice(1)}?$top=1`, headers }] }, 'beta');
    expect(item).toEqual({ id: 'a', method: 'GET', url: `/beta${PACKAGES}?$top=1`, headers: { 'x-tag': 'kept' }, body: undefined, dependsOn: [] });
  });

  it.each([
    ['application/json', { displayName: 'A' }, '{"displayName":"A"}'],
    ['application/json; charset=utf-8', ['x'], '["x"]'],
    ['application/merge-patch+json', { a: null }, '{"a":null}'],
    ['text/plain', 'plain text \u00e9', 'plain text \u00e9'],
    ['application/octet-stream', Buffer.from('bytes \u2713').toString('base64url'), 'bytes \u2713'],
    // base64 rather than base64url, padded: the same decoder reads both.
    ['image/png', 'Pz8/Pg==', '???>'],
    ['image/png', 'Pz8-Pj8', '??>>?'],
  ])('reads a body of type %s as OData JSON batching carries it', (type, body, text) => {
    const [item] = readBatchPayload({ requests: [{ id: '1', method: 'POST', url: '/x', headers: { 'Content-Type': type }, body }] }, 'v1.0');
    expect(item!.body!.toString('utf8')).toBe(text);
    expect(item!.url).toBe('/v1.0/x');
  });

  it.each([
    ['application/json; charset=utf-16', { displayName: '\u00e9' }, 'application/json; charset=utf-8', '{"displayName":"\u00e9"}'],
    ['text/plain;charset=ISO-8859-1;format=flowed', '\u00e9', 'text/plain; charset=utf-8;format=flowed', '\u00e9'],
    ['application/json', { a: 1 }, 'application/json', '{"a":1}'],
    [' Application/JSON ; charset=UTF-16', { a: 1 }, ' Application/JSON ; charset=utf-8', '{"a":1}'],
    ['application/merge-patch+json; charset=utf-16', { a: null }, 'application/merge-patch+json; charset=utf-8', '{"a":null}'],
    ['application/octet-stream; charset=utf-16', Buffer.from('\u00e9', 'utf16le').toString('base64url'), 'application/octet-stream; charset=utf-16', '\u00e9'],
  ])('declares the charset a %s body is written in', (type, body, written, text) => {
    const [item] = readBatchPayload({ requests: [{ id: '1', method: 'POST', url: '/x', headers: { 'Content-Type': type }, body }] }, 'beta');
    expect(item!.headers['content-type']).toBe(written);
    expect(item!.body!.toString(written.includes('utf-16') ? 'utf16le' : 'utf8')).toBe(text);
  });

  it('keeps header values as a request on the wire carries them: tabs, spaces and Latin-1 characters', () => {
    const value = '\tcaf\u00e9 \u00ff !~';
    const [item] = readBatchPayload({ requests: [get('1', { headers: { 'X-Tag': value, "x!#$%&'*+-.^_`|~": '' } })] }, 'beta');
    expect(item!.headers).toEqual({ 'x-tag': value, "x!#$%&'*+-.^_`|~": '' });
  });

  it('reads null headers as none, as serializers write an unset member', () => {
    const [item] = readBatchPayload({ requests: [get('1', { headers: null })] }, 'beta');
    expect(item).toEqual({ id: '1', method: 'GET', url: `/beta${PACKAGES}`, headers: {}, body: undefined, dependsOn: [] });
  });

  it('takes a url as long as a request line may be, and refuses one character more', () => {
    // The bound is that of a request on the wire: an item must not reach further than the same request sent alone.
    const url = (length: number) => `${PACKAGES}?$filter=${'x'.repeat(length - PACKAGES.length - '?$filter='.length)}`;
    const [item] = readBatchPayload({ requests: [get('1', { url: url(ITEM_URL_LIMIT) })] }, 'beta');
    expect(item!.url).toBe(`/beta${url(ITEM_URL_LIMIT)}`);
    expect(refusal({ requests: [get('1', { url: url(ITEM_URL_LIMIT + 1) })] })).toMatchObject({
      status: 400,
      code: 'BadRequest',
      message: `Invalid batch payload format: the url of request '1' is longer than ${ITEM_URL_LIMIT} characters, the most a request line holds on its own.`,
    });
  });

  it('reads a null body as none: a write with it has no body', () => {
    const write = { id: '1', method: 'POST', url: '/x', headers: { 'content-type': 'application/json' }, body: null };
    expect(() => readBatchPayload({ requests: [write] }, 'beta')).toThrow('Write request id : 1 does not contain Content-Type header or body.');
  });

  it.each(['POST', 'PATCH', 'PUT'])('refuses a %s with neither Content-Type nor body, as every write', (method) => {
    expect(refusal({ requests: [{ id: 'w', method, url: '/x' }] })).toMatchObject({
      status: 400,
      code: 'BadRequest',
      message: 'Write request id : w does not contain Content-Type header or body.',
    });
  });

  it('keeps the body of a read or a delete with its Content-Type, and a Content-Type alone makes no body', () => {
    const json = { 'content-type': 'application/json' };
    const items = readBatchPayload(
      {
        requests: [
          get('1', { headers: json, body: { a: 1 } }),
          { id: '2', method: 'DELETE', url: '/x', headers: json, body: {} },
          get('3', { headers: json }),
          get('5', { body: null }),
          get('6', { headers: { 'content-type': 'text/plain; charset=utf-16' } }),
          { id: '4', method: 'put', url: '/x', headers: json, body: { b: 2 } },
        ],
      },
      'beta',
    );
    expect(items.map((item) => [item.method, item.body?.toString('utf8')])).toEqual([
      ['GET', '{"a":1}'],
      ['DELETE', '{}'],
      ['GET', undefined],
      ['GET', undefined],
      ['GET', undefined],
      ['PUT', '{"b":2}'],
    ]);
    // With no body, nothing is re-encoded: the charset it declares is left as sent.
    expect(items[4]!.headers).toEqual({ 'content-type': 'text/plain; charset=utf-16' });
  });

  it('takes 20 requests, dependencies named in any case, and urls that only look like a scheme or $batch (an escaped $ is not $)', () => {
    const urls = ['/$batches', '/drives/d/root:/a.txt:', '/items/$batch', '/%24batch'];
    const requests = Array.from({ length: MAX_BATCH_REQUESTS }, (_, i) =>
      get(`r${i}`, { url: urls[i] ?? PACKAGES, dependsOn: i === 0 ? undefined : [`R${i - 1}`] }),
    );
    const items = readBatchPayload({ requests }, 'beta');
    expect(items).toHaveLength(MAX_BATCH_REQUESTS);
    expect(items.slice(0, 4).map((item) => item.url)).toEqual(urls.map((url) => `/beta${url}`));
    expect(items[19]!.dependsOn).toEqual(['R18']);
  });

  const badUrl = "the url of request '1' must be relative to /beta, such as /identityGovernance/entitlementManagement/accessPackages.";
  const nested = "request '1' is a $batch request: batches cannot be nested.";
  const dependsOn = "the dependsOn of request '2' must be an array of request ids.";
  it.each<[string, unknown, string]>([
    ['a body that is a list', [get('1')], "the body must be an object with a 'requests' array."],
    ['a request that is null', { requests: [null] }, 'requests[0] must be an object.'],
    ['a request that is a list', { requests: [get('1'), []] }, 'requests[1] must be an object.'],
    ['an id that is a number', { requests: [get(1)] }, "requests[0] needs an 'id': a non-empty string."],
    ['an empty id', { requests: [get('')] }, "requests[0] needs an 'id': a non-empty string."],
    ['no method', { requests: [{ id: '1', url: '/x' }] }, "request '1' needs a 'method' of GET, POST, PATCH, PUT, DELETE."],
    ['headers that are a list', { requests: [get('1', { headers: ['x'] })] }, "the headers of request '1' must be an object of strings."],
    [
      'a url with a fragment',
      { requests: [{ id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages#/x?$top=1' }] },
      "the url of request '1' holds a fragment ('#'); a request's url has none.",
    ],
    ...['\ud800', '\udfff', 'x\ud83dy'].map((half): [string, unknown, string] => [
      `a url holding ${JSON.stringify(half)}`,
      { requests: [get('1'), { id: '2', method: 'GET', url: `/identityGovernance/entitlementManagement/accessPackages?$filter=displayName eq '${half}'` }] },
      "the url of request '2' holds half of a surrogate pair (a lone \\ud800 to \\udfff), which no URL can carry; send text as UTF-8.",
    ]),
    ...['line\r\nX-Injected: 1', 'nul\u0000', 'bell\u0007', 'euro \u20ac', 'del\u007f'].map((value): [string, unknown, string] => [
      `a header value ${JSON.stringify(value)}`,
      { requests: [get('1'), get('2', { headers: { 'X-Tag': value } })] },
      "the header 'X-Tag' of request '2' holds a character an HTTP header cannot carry (a line break, a control character or one above U+00FF).",
    ]),
    ...['', 'two words', 'colon:', 'caf\u00e9'].map((name): [string, unknown, string] => [
      `a header name ${JSON.stringify(name)}`,
      { requests: [get('1', { headers: { [name]: 'x' } })] },
      `the header name ${JSON.stringify(name)} of request '1' is not a valid HTTP header name.`,
    ]),
    [
      'a body of a type that is neither JSON nor text, not as a string',
      { requests: [{ id: '1', method: 'POST', url: '/x', headers: { 'content-type': 'image/png' }, body: { a: 1 } }] },
      "the body of request '1' (image/png) must be a string (base64url unless the type is text/*).",
    ],
    ['a read with a body and no Content-Type', { requests: [get('1', { body: { a: 1 } })] }, "request '1' has a body but no Content-Type header."],
    [
      'a delete with a body and no Content-Type',
      { requests: [{ id: '1', method: 'DELETE', url: '/x', body: 'x' }] },
      "request '1' has a body but no Content-Type header.",
    ],
    ['no url', { requests: [{ id: '1', method: 'GET' }] }, "request '1' has no 'url'."],
    ['a blank url', { requests: [get('1', { url: ' ' })] }, "request '1' has no 'url'."],
    ['a url that is not a string', { requests: [get('1', { url: 5 })] }, "request '1' has no 'url'."],
    ['a url with a host and no scheme', { requests: [get('1', { url: '//graph.microsoft.com/beta/me' })] }, badUrl],
    ['a url with a scheme', { requests: [get('1', { url: 'urn:x' })] }, badUrl],
    ['a nested batch with a query and no slash', { requests: [get('1', { url: '$batch?x=1' })] }, nested],
    ['a nested batch in capitals with a trailing slash', { requests: [get('1', { url: '/$BATCH/' })] }, nested],
    ['dependsOn that is not a list', { requests: [get('1'), get('2', { dependsOn: '1' })] }, dependsOn],
    ['a dependency that is not a string', { requests: [get('1'), get('2', { dependsOn: ['1', 1] })] }, dependsOn],
    [
      'a dependency on no request of the batch, beside a request without dependencies',
      { requests: [get('1'), get('2', { dependsOn: ['3'] })] },
      "request '2' depends on '3', which is not another request of this batch.",
    ],
    [
      'a request that depends on itself',
      { requests: [get('1', { dependsOn: ['1'] })] },
      "request '1' depends on '1', which is not another request of this batch.",
    ],
  ])('fails the batch for %s', (_name, body, detail) => {
    const err = refusal(body);
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({ status: 400, code: 'BadRequest', message: `Invalid batch payload format: ${detail}` });
  });
});
