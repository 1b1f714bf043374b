// JSON batching at POST /beta/$batch and /v1.0/$batch: each item answered with its own status, headers and body
// through the same steps as a request on the wire (auth, permissions, faults, throttling, body checks, routes),
// dependsOn ordering and 424, the payload rules that fail a whole batch, and the journal's entries for each item.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { BATCH_ANSWER_LIMIT } from '../../server/http/batch.js';
import { startEmulator } from '../../server/index.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { accessPackage } from '../support/accessPackages.js';
import { AUTH, GUID, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { READ, bearer, unsignedJwt } from '../support/tokens.js';

const BATCH = '/beta/$batch';
const EM = '/identityGovernance/entitlementManagement';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

type Item = { id: string; status: number; headers: Record<string, string>; body?: unknown };

function setup(faults?: FaultEngine) {
  const store = new MemoryStore();
  return { store, app: createApp({ store, faults }) };
}

async function batch(app: ReturnType<typeof setup>['app'], requests: unknown[], headers: Record<string, string> = AUTH, path = BATCH) {
  const res = await request(app).post(path).set(headers).send({ requests });
  expect(res.status).toBe(200);
  expectGraphHeaders(res);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['odata-version']).toBe('4.0');
  return res.body.responses as Item[];
}

describe('POST /beta/$batch', () => {
  it('refuses, with a 400 and not a crash, a batch whose answers together would pass BATCH_ANSWER_LIMIT; the server goes on', async () => {
    const { app } = setup();
    // Four packages of about 1 MB each: an item listing them answers some 4 MB, twenty of them about 80 MB.
    for (let i = 0; i < 4; i += 1) {
      await request(app)
        .post(PACKAGES)
        .set(AUTH)
        .send({ displayName: 'big', description: 'x'.repeat(999_000) })
        .expect(201);
    }
    const items = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `${EM}/accessPackages?$filter=displayName eq 'big'` }));
    const refused = await request(app).post(BATCH).set(AUTH).send({ requests: items });
    expectGraphError(
      refused,
      400,
      'BadRequest',
      `The batch's answers together exceed ${BATCH_ANSWER_LIMIT} characters, the most one answer holds: ask for fewer or smaller records in one batch.`,
    );
    const small = await batch(app, [{ id: '1', method: 'GET', url: `${EM}/accessPackages?$select=id&$top=1` }]);
    expect(small[0]!.status).toBe(200);
  });

  it('answers each request with its own status, headers and body, in request order', async () => {
    const { app, store } = setup();
    const [created, list, bad, missing] = await batch(app, [
      { id: '1', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'Sales' } },
      { id: '2', method: 'GET', url: `${EM}/accessPackages?$select=displayName`, dependsOn: ['1'] },
      { id: 'three', method: 'GET', url: `${EM}/accessPackages/not-a-guid` },
      { id: '4', method: 'GET', url: 'identityGovernance/entitlementManagement/nothing' },
    ]);
    const id = store.list('accessPackages')[0]!.id;
    expect(created).toEqual({
      id: '1',
      status: 201,
      headers: {
        'Cache-Control': 'no-cache',
        Location: expect.stringMatching(new RegExp(`/beta/identityGovernance/entitlementManagement/accessPackages/${id}$`)),
        'OData-Version': '4.0',
        'Content-Type': ODATA_JSON,
      },
      body: expect.objectContaining({
        id,
        displayName: 'Sales',
        '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages/$entity',
      }),
    });
    expect(list).toEqual({
      id: '2',
      status: 200,
      headers: { 'Cache-Control': 'no-cache', 'OData-Version': '4.0', 'Content-Type': ODATA_JSON },
      body: {
        '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages(displayName)',
        value: [{ id, displayName: 'Sales' }],
      },
    });
    expect(bad).toMatchObject({
      id: 'three',
      status: 400,
      headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/json' },
      body: { error: { code: 'BadRequest' } },
    });
    expect((bad!.body as { error: { innerError: { 'request-id': string } } }).error.innerError['request-id']).toMatch(GUID);
    expect(missing).toMatchObject({ status: 400, body: { error: { message: "Resource not found for the segment 'nothing'." } } });
  });

  it("gives each item its own request-id, and its client-request-id unless blank (an item's headers are not trimmed)", async () => {
    const { app } = setup();
    const missing = `${EM}/accessPackages/00000000-0000-4000-8000-000000000000`;
    const [mine, blank] = await batch(app, [
      { id: '1', method: 'GET', url: missing, headers: { 'client-request-id': 'mine-1' } },
      { id: '2', method: 'GET', url: missing, headers: { 'client-request-id': '   ' } },
    ]);
    type Inner = { error: { innerError: { 'request-id': string; 'client-request-id': string } } };
    const [first, second] = [(mine!.body as Inner).error.innerError, (blank!.body as Inner).error.innerError];
    expect(first['client-request-id']).toBe('mine-1');
    expect(first['request-id']).toMatch(GUID);
    expect(second['client-request-id']).toBe(second['request-id']);
    expect(second['request-id']).toMatch(GUID);
    expect(second['request-id']).not.toBe(first['request-id']);
  });

  it("gives an item without a client-request-id the batch's own", async () => {
    const { app } = setup();
    const missing = `${EM}/accessPackages/00000000-0000-4000-8000-000000000000`;
    const answers = await batch(
      app,
      [
        { id: '1', method: 'GET', url: missing },
        { id: '2', method: 'GET', url: missing, headers: { 'client-request-id': 'mine-2' } },
      ],
      { ...AUTH, 'client-request-id': 'batch-7' },
    );
    type Inner = { error: { innerError: { 'client-request-id': string } } };
    expect(answers.map((a) => (a.body as Inner).error.innerError['client-request-id'])).toEqual(['batch-7', 'mine-2']);
  });

  it('carries each body as OData JSON batching does: JSON as JSON, another type as base64url, none when empty', async () => {
    const { app } = setup();
    const created = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Short-lived' }).expect(201);
    const [metadata, read, deleted] = await batch(app, [
      { id: 'm', method: 'GET', url: '/$metadata' },
      { id: 'r', method: 'GET', url: `${EM}/accessPackages/${created.body.id}?$select=displayName` },
      { id: 'd', method: 'DELETE', url: `${EM}/accessPackages/${created.body.id}`, dependsOn: ['r'] },
    ]);
    expect(metadata).toMatchObject({ status: 200, headers: { 'Content-Type': expect.stringMatching(/^application\/xml/) } });
    expect(Buffer.from(metadata!.body as string, 'base64url').toString('utf8')).toMatch(/^<\?xml[\s\S]*<edmx:Edmx/);
    expect(read).toMatchObject({ status: 200, body: { displayName: 'Short-lived' } });
    expect(deleted).toEqual({ id: 'd', status: 204, headers: expect.any(Object) });
  });

  it('answers 424 to what depends on a request answered 400', async () => {
    const { app } = setup();
    const answers = await batch(app, [
      { id: 'bad', method: 'GET', url: `${EM}/accessPackages/not-a-guid` },
      { id: 'next', method: 'GET', url: `${EM}/accessPackages`, dependsOn: ['bad'] },
    ]);
    expect(answers.map((a) => [a.id, a.status])).toEqual([
      ['bad', 400],
      ['next', 424],
    ]);
  });

  it('creates from an item whose JSON body declares another charset: the body arrives decoded and is read as UTF-8', async () => {
    const { app, store } = setup();
    const [created] = await batch(app, [
      {
        id: '1',
        method: 'POST',
        url: `${EM}/accessPackages`,
        headers: { 'Content-Type': 'application/json; charset=utf-16' },
        body: { displayName: 'Caf\u00e9' },
      },
    ]);
    expect(created).toMatchObject({ id: '1', status: 201, body: { displayName: 'Caf\u00e9' } });
    expect(store.count('accessPackages')).toBe(1);
  });

  it('answers 424 to a $metadata request that depends on a failure, without running it', async () => {
    const { app } = setup();
    const [missing, metadata] = await batch(app, [
      { id: '1', method: 'GET', url: `${EM}/accessPackages/00000000-0000-4000-8000-000000000000` },
      { id: '2', method: 'GET', url: '/$metadata', dependsOn: ['1'] },
    ]);
    expect(missing).toMatchObject({ id: '1', status: 404 });
    expect(metadata).toMatchObject({
      id: '2',
      status: 424,
      headers: { 'Content-Type': 'application/json' },
      body: { error: { code: 'FailedDependency', message: "The request depends on request '1', which failed." } },
    });
  });

  it("keeps a Latin-1 client-request-id of an item, and echoes it on the item's error", async () => {
    const { app } = setup();
    const [missing] = await batch(app, [
      { id: '1', method: 'GET', url: `${EM}/accessPackages/00000000-0000-4000-8000-000000000000`, headers: { 'client-request-id': 'caf\u00e9\tid' } },
    ]);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'ResourceNotFound', innerError: { 'client-request-id': 'caf\u00e9\tid' } } } });
  });

  it('runs dependsOn in order and answers 424 to what depends on a failure, however far down', async () => {
    const { app, store } = setup();
    const answers = await batch(app, [
      { id: 'c', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'Third' }, dependsOn: ['b'] },
      { id: 'a', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'First' } },
      { id: 'b', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'Second' }, dependsOn: ['A'] },
      { id: 'bad', method: 'PATCH', url: `${EM}/accessPackages/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, headers: JSON_HEADERS, body: {} },
      { id: 'after-bad', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'Never' }, dependsOn: ['bad'] },
      { id: 'after-after', method: 'GET', url: `${EM}/accessPackages`, dependsOn: ['after-bad', 'a'] },
    ]);
    expect(answers.map((a) => [a.id, a.status])).toEqual([
      ['c', 201],
      ['a', 201],
      ['b', 201],
      ['bad', 404],
      ['after-bad', 424],
      ['after-after', 424],
    ]);
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['First', 'Second', 'Third']);
    expect(answers[4]).toEqual({
      id: 'after-bad',
      status: 424,
      headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/json' },
      body: {
        error: {
          code: 'FailedDependency',
          message: "The request depends on request 'bad', which failed.",
          innerError: expect.objectContaining({ 'request-id': expect.stringMatching(GUID) }),
        },
      },
    });
    expect(answers[5]!.body).toMatchObject({ error: { message: "The request depends on request 'after-bad', which failed." } });
  });

  it("authenticates and authorizes each item with the batch's token", async () => {
    const { app } = setup();
    const reader = bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', upn: 'r@contoso.com', scp: READ }));
    const [read, write] = await batch(
      app,
      [
        { id: '1', method: 'GET', url: `${EM}/accessPackages` },
        { id: '2', method: 'POST', url: `${EM}/accessPackages`, headers: { ...JSON_HEADERS, Authorization: 'Bearer ignored' }, body: { displayName: 'No' } },
      ],
      reader,
    );
    expect(read!.status).toBe(200);
    expect(write).toMatchObject({ status: 403, body: { error: { code: 'UnAuthorized', details: [] } } });
    expectGraphError(
      await request(app)
        .post(BATCH)
        .send({ requests: [{ id: '1', method: 'GET', url: `${EM}/accessPackages` }] }),
      401,
      'InvalidAuthenticationToken',
      'Access token is empty.',
    );
  });

  it("faults each item by its own method and path, from rules or the item's X-Emulator-Fault header", async () => {
    const faults = new FaultEngine({ rules: [{ method: 'GET', path: '/beta/**/accessPackageCatalogs', status: 503, retryAfter: 7 }] });
    const { app } = setup(faults);
    const answers = await batch(app, [
      { id: '1', method: 'GET', url: `${EM}/accessPackageCatalogs` },
      { id: '2', method: 'GET', url: `${EM}/accessPackages` },
      { id: '3', method: 'GET', url: `${EM}/accessPackages`, headers: { 'X-Emulator-Fault': 'status=429; retry-after=3' } },
    ]);
    expect(answers[0]).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '7', 'Content-Type': 'application/json' },
      body: { error: { code: 'ServiceUnavailable' } },
    });
    expect(answers[1]!.status).toBe(200);
    expect(answers[2]).toMatchObject({ status: 429, headers: { 'Retry-After': '3' }, body: { error: { code: 'TooManyRequests' } } });
    expect(faults.describe().rules[0]).toMatchObject({ matched: 1, fired: 1 });
  });

  it('throttles each item on its own: the ones past the bucket answer 429 with their own Retry-After', async () => {
    let now = 0;
    const { app } = setup(new FaultEngine({ throttle: { capacity: 3, refillPerSecond: 1 }, clock: () => now }));
    const answers = await batch(
      app,
      Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `${EM}/accessPackages` })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[3]!.headers).toMatchObject({
      'Retry-After': '1',
      'x-ms-throttle-scope': expect.stringContaining('Tenant_Application'),
      'x-ms-resource-unit': '1',
    });
    now += 2000;
    expect((await batch(app, [{ id: '1', method: 'GET', url: `${EM}/accessPackages` }]))[0]!.status).toBe(200);
  });

  it('checks each body as a request on the wire: its content type and its size', async () => {
    const store = new MemoryStore();
    const app = createApp({ store, bodyLimit: 100 });
    const answers = await batch(app, [
      { id: '1', method: 'POST', url: `${EM}/accessPackages`, headers: { 'Content-Type': 'text/plain' }, body: 'displayName=Sales' },
      { id: '2', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'x'.repeat(200) } },
      { id: '3', method: 'POST', url: `${EM}/accessPackages`, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { displayName: 'Fits' } },
    ]);
    expect(answers.map((a) => [a.status, (a.body as { error?: { code: string } }).error?.code])).toEqual([
      [415, 'UnsupportedMediaType'],
      [413, 'RequestEntityTooLarge'],
      [201, undefined],
    ]);
  });

  it('serves /v1.0/$batch with v1.0 urls, and refuses other methods on $batch with 405', async () => {
    const { app } = setup();
    const [catalogs] = await batch(app, [{ id: '1', method: 'get', url: '/identityGovernance/entitlementManagement/catalogs?$top=1' }], AUTH, '/v1.0/$batch');
    expect(catalogs).toMatchObject({
      status: 200,
      body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/catalogs' },
    });
    const get = await request(app).get(BATCH).set(AUTH);
    expectGraphError(get, 405, 'MethodNotAllowed', "The HTTP method 'GET' is not allowed for the requested resource.");
    expect(get.headers['allow']).toBe('POST');
  });

  it('answers an item url %24batch as that request alone is answered: an escaped $ is no OData segment', async () => {
    const { app } = setup();
    const alone = await request(app).post('/beta/%24batch').set(AUTH).send({ requests: [] });
    const message = "Resource not found for the segment '%24batch'.";
    expectGraphError(alone, 400, 'BadRequest', message);
    const [item] = await batch(app, [{ id: '1', method: 'POST', url: '/%24batch', headers: JSON_HEADERS, body: { requests: [] } }]);
    expect(item).toEqual({
      id: '1',
      status: 400,
      headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/json' },
      body: { error: { code: 'BadRequest', message, innerError: expect.objectContaining({ date: expect.any(String) }) } },
    });
  });

  it('answers a url that repeats the version as Graph does: the version is an unknown segment', async () => {
    const { app } = setup();
    const [item] = await batch(app, [{ id: '1', method: 'GET', url: `/beta${EM}/accessPackages` }]);
    expect(item).toMatchObject({ status: 400, body: { error: { message: "Resource not found for the segment 'beta'." } } });
  });

  it.each([
    ['no requests array', { value: [] }, "Invalid batch payload format: the body must be an object with a 'requests' array."],
    ['an empty batch', { requests: [] }, "Invalid batch payload format: 'requests' is empty; a batch holds 1 to 20 requests."],
    [
      '21 requests',
      { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: `${EM}/accessPackages` })) },
      'Invalid batch payload format: the batch holds 21 requests; a batch may hold at most 20.',
    ],
    [
      'ids that differ only in case',
      {
        requests: [
          { id: 'a', method: 'GET', url: '/x' },
          { id: 'A', method: 'GET', url: '/y' },
        ],
      },
      "Invalid batch payload format: the id 'A' is used by more than one request; ids must be unique (not case-sensitive).",
    ],
    ['no id', { requests: [{ method: 'GET', url: '/x' }] }, "Invalid batch payload format: requests[0] needs an 'id': a non-empty string."],
    // A null item passes the reader's name checks and is refused by the payload's own.
    ['a request that is null', { requests: [null, { id: '1', method: 'GET', url: '/x' }] }, 'Invalid batch payload format: requests[0] must be an object.'],

    [
      'an unknown method',
      { requests: [{ id: '1', method: 'HEAD', url: '/x' }] },
      "Invalid batch payload format: request '1' needs a 'method' of GET, POST, PATCH, PUT, DELETE.",
    ],
    [
      'an absolute url',
      { requests: [{ id: '1', method: 'GET', url: `https://graph.microsoft.com/beta${EM}/accessPackages` }] },
      "Invalid batch payload format: the url of request '1' must be relative to /beta, such as /identityGovernance/entitlementManagement/accessPackages.",
    ],
    [
      'an item url longer than a request line',
      { requests: [{ id: '9', method: 'GET', url: `${EM}/accessPackages?$filter=${'a'.repeat(16_384)}` }] },
      "Invalid batch payload format: the url of request '9' is longer than 16384 characters, the most a request line holds on its own.",
    ],
    [
      'a nested batch',
      { requests: [{ id: '1', method: 'POST', url: '/$batch', headers: JSON_HEADERS, body: {} }] },
      "Invalid batch payload format: request '1' is a $batch request: batches cannot be nested.",
    ],
    [
      'a write without Content-Type',
      { requests: [{ id: '7', method: 'POST', url: `${EM}/accessPackages`, body: { displayName: 'x' } }] },
      'Write request id : 7 does not contain Content-Type header or body.',
    ],
    [
      'a write without a body',
      { requests: [{ id: '8', method: 'PATCH', url: `${EM}/accessPackages/x`, headers: JSON_HEADERS }] },
      'Write request id : 8 does not contain Content-Type header or body.',
    ],
    [
      'a body of a type that travels base64url that is not base64url',
      {
        requests: [{ id: '4', method: 'POST', url: `${EM}/accessPackages`, headers: { 'Content-Type': 'application/octet-stream' }, body: '@@@' }],
      },
      "Invalid batch payload format: the body of request '4' (application/octet-stream) must be base64url, and it is not.",
    ],
    [
      'a header that is no JSON primitive',
      { requests: [{ id: '1', method: 'GET', url: '/x', headers: { 'x-n': { n: 1 } } }] },
      "Invalid batch payload format: the header 'x-n' of request '1' must be a string, a number, a Boolean or null.",
    ],
    [
      'a client-request-id no HTTP header can carry, on an item that fails after a create in the same wave',
      {
        requests: [
          { id: '1', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'Not created' } },
          { id: '2', method: 'GET', url: `${EM}/accessPackages/00000000-0000-4000-8000-000000000000`, headers: { 'client-request-id': 'price \u20ac' } },
        ],
      },
      "Invalid batch payload format: the header 'client-request-id' of request '2' holds a character an HTTP header cannot carry (a line break, a control character or one above U+00FF).",
    ],
    [
      'a dependency on no request of the batch',
      { requests: [{ id: '1', method: 'GET', url: '/x', dependsOn: ['2'] }] },
      "Invalid batch payload format: request '1' depends on '2', which is not another request of this batch.",
    ],
    [
      'a cycle of dependencies',
      {
        requests: [
          { id: '1', method: 'GET', url: '/x', dependsOn: ['2'] },
          { id: '2', method: 'GET', url: '/y', dependsOn: ['1'] },
        ],
      },
      "Invalid batch payload format: the dependsOn of request '1' leads back to itself.",
    ],
  ])('fails the whole batch with a 400 for %s', async (_name, body, message) => {
    const { app, store } = setup();
    expectGraphError(await request(app).post(BATCH).set(AUTH).send(body), 400, 'BadRequest', message);
    expect(store.count('accessPackages')).toBe(0);
  });

  // Graph's OData JSON batch reader (Microsoft.OData.Core, ODataJsonBatchPayloadItemPropertiesCache) in its words.
  const item = `{"id":"1","method":"GET","url":"${EM}/accessPackages"`;
  const remove = `{"id":"1","method":"DELETE","url":"${EM}/accessPackages/00000000-0000-4000-8000-000000000000"}`;
  it.each([
    [
      'a repeated requests list',
      `{"requests":[${remove}],"requests":[${item}}]}`,
      "Multiple properties with the name 'requests' were detected in a resource or a complex value. In OData, duplicate property names are not allowed.",
    ],
    ['an id written twice in two cases', `{"requests":[{"id":"1","method":"GET","ID":"2","url":"/x"}]}`, "Duplicate property name 'ID' for request in batch."],
    ['a repeated method', `{"requests":[{"id":"1","method":"DELETE","method":"GET","url":"/x"}]}`, "Duplicate property name 'METHOD' for request in batch."],
    ['a repeated header', `{"requests":[${item},"headers":{"X-Tag":"a","x-tag":"b"}}]}`, "Duplicate header name 'x-tag' for request in batch."],
    ['an unknown item property', `{"requests":[{"id":"a","method":"GET","url":"/x"},${item},"foo":1}]}`, "Unknown property name 'FOO' for message in batch."],
    // The reader checks every name of an item, where it knows none, and an item's headers where the item names them.
    ['an item of an unknown property alone', `{"requests":[{"foo":1}]}`, "Unknown property name 'FOO' for message in batch."],
    [
      'a repeated header in an item of headers alone',
      `{"requests":[{"headers":{"X-Tag":"a","x-tag":"b"}}]}`,
      "Duplicate header name 'x-tag' for request in batch.",
    ],
    [
      'an unknown property ahead of a repeated header',
      `{"requests":[{"id":"1","foo":1,"headers":{"X-Tag":"a","x-tag":"b"}}]}`,
      "Unknown property name 'FOO' for message in batch.",
    ],
  ])('fails the whole batch with the OData batch reader’s 400 for %s', async (_name, text, message) => {
    const { app, store } = setup();
    await store.create('accessPackages', accessPackage({ id: '00000000-0000-4000-8000-000000000000', displayName: 'Kept' }));
    const res = await request(app).post(BATCH).set(AUTH).set('Content-Type', 'application/json').send(text);
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackages')).toBe(1);
  });

  it('reads null headers as no headers, after the reader has read the names of the items that follow', async () => {
    const { app } = setup();
    const items = await batch(app, [
      { id: '1', method: 'GET', url: `${EM}/accessPackages?$select=id`, headers: null },
      { id: '2', method: 'GET', url: `${EM}/accessPackages?$select=id`, headers: { ConsistencyLevel: 'eventual' } },
    ]);
    expect(items.map((item) => [item.id, item.status, item.body])).toEqual([
      ['1', 200, expect.objectContaining({ value: [] })],
      ['2', 200, expect.objectContaining({ value: [] })],
    ]);
    expect(items[0]!.headers).toEqual({ 'Cache-Control': 'no-cache', 'Content-Type': ODATA_JSON, 'OData-Version': '4.0' });
  });

  it('reads item properties whatever their case, and leaves repeats inside an item body to its last value', async () => {
    const { app, store } = setup();
    const text =
      `{"requests":[{"ID":"1","Method":"POST","URL":"${EM}/accessPackages","Headers":{"Content-Type":"application/json"},` +
      `"BODY":{"displayName":"a","displayName":"b"},"atomicityGroup":"g"}]}`;
    const res = await request(app).post(BATCH).set(AUTH).set('Content-Type', 'application/json').send(text);
    expect(res.status).toBe(200);
    expect(res.body.responses).toEqual([expect.objectContaining({ id: '1', status: 201, body: expect.objectContaining({ displayName: 'b' }) })]);
    expect(store.list('accessPackages').map((record) => record.displayName)).toEqual(['b']);
  });

  it('refuses a batch body that is not JSON, or too large, as any request body', async () => {
    const { app } = setup();
    expectGraphError(await request(app).post(BATCH).set(AUTH).set('Content-Type', 'text/plain').send('requests'), 415, 'UnsupportedMediaType');
    const huge = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/x', headers: { pad: 'p'.repeat(5 * 1024 * 1024) } }] });
    expectGraphError(
      await request(app).post(BATCH).set(AUTH).set('Content-Type', 'application/json').send(huge),
      413,
      'RequestEntityTooLarge',
      'The request body exceeds the maximum allowed size of 4194304 bytes.',
    );
  });

  it('lets an item’s body nest 100 levels, as any request body; one level more refuses the batch (5,000 answered a 500)', async () => {
    const { app, store } = setup();
    const item = (levels: number) =>
      `{"requests":[{"id":"1","method":"POST","url":"${EM}/accessPackages","headers":{"Content-Type":"application/json"},` +
      `"body":{"displayName":"a","@odata.x":${'['.repeat(levels)}${']'.repeat(levels)}}}]}`;
    const fits = await request(app).post(BATCH).set(AUTH).set('Content-Type', 'application/json').send(item(99));
    expect(fits.status).toBe(200);
    expect(fits.body.responses).toEqual([expect.objectContaining({ id: '1', status: 201, body: expect.objectContaining({ displayName: 'a' }) })]);
    for (const levels of [100, 5000]) {
      const res = await request(app).post(BATCH).set(AUTH).set('Content-Type', 'application/json').send(item(levels));
      expectGraphError(res, 400, 'BadRequest', 'The request body nests arrays and objects more than 100 levels deep.');
    }
    expect(store.count('accessPackages')).toBe(1);
  });

  it('journals the batch, then each item linked to it, with the token reduced and each answer', async () => {
    const { app } = setup();
    await batch(app, [
      { id: 'x', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'Sales' } },
      { id: 'y', method: 'GET', url: `${EM}/accessPackages?$top=1`, dependsOn: ['x'] },
    ]);
    const { value } = (await request(app).get('/_emulator/requests').expect(200)).body;
    const answered = value[0].responseBody.responses.find((item: { id: string }) => item.id === 'x').headers;
    expect(answered).toMatchObject({ Location: expect.stringContaining(PACKAGES), 'Content-Type': expect.stringMatching(/^application\/json/) });
    expect(value.map((e: Record<string, unknown>) => [e.id, e.method, e.path, e.status, e.batchId, e.batchItemId])).toEqual([
      ['1', 'POST', BATCH, 200, null, null],
      ['2', 'POST', PACKAGES, 201, '1', 'x'],
      ['3', 'GET', PACKAGES, 200, '1', 'y'],
    ]);
    expect(value[1]).toMatchObject({
      requestBody: { displayName: 'Sales' },
      requestHeaders: { 'content-type': 'application/json', authorization: { scheme: 'Bearer', claims: null } },
      // The item's own answer headers, as its entry in the batch's answer has them.
      responseHeaders: { location: answered.Location, 'content-type': answered['Content-Type'] },
      responseBody: { displayName: 'Sales' },
    });
    expect(value[2]).toMatchObject({ query: { $top: '1' }, responseBody: { value: [expect.objectContaining({ displayName: 'Sales' })] } });
    expect(value[0].responseBody.responses).toHaveLength(2);
  });
});

describe('a batch on a real connection', () => {
  const postBatch = (url: string, requests: unknown[]) =>
    fetch(`${url}${BATCH}`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: JSON.stringify({ requests }) });

  it("shares its connection with its items: an item's dropped connection drops the batch, and both are journaled", async () => {
    const emulator = await startEmulator();
    try {
      const send = postBatch(emulator.url, [
        { id: 'slow', method: 'GET', url: `${EM}/accessPackages`, headers: { 'X-Emulator-Fault': 'delay=5000' } },
        { id: 'dropped', method: 'GET', url: `${EM}/accessPackageCatalogs`, headers: { 'X-Emulator-Fault': 'drop=reset' } },
      ]);
      await expect(send).rejects.toThrow('fetch failed');
      const entries = await emulator.requests();
      expect(entries.map((e) => [e.path, e.status, e.batchId, e.batchItemId, e.fault?.effect])).toEqual([
        [BATCH, null, null, null, undefined],
        [PACKAGES, null, '1', 'slow', 'latency 5000ms'],
        [`${PACKAGES.replace('accessPackages', 'accessPackageCatalogs')}`, null, '1', 'dropped', 'drop reset'],
      ]);
    } finally {
      await emulator.close();
    }
  });

  it('runs nothing after its connection is gone: what depends on a dropped item neither runs nor writes', async () => {
    const emulator = await startEmulator();
    try {
      const send = postBatch(emulator.url, [
        { id: 'dropped', method: 'GET', url: `${EM}/accessPackageCatalogs`, headers: { 'X-Emulator-Fault': 'drop=reset' } },
        { id: 'after', method: 'POST', url: `${EM}/accessPackages`, headers: JSON_HEADERS, body: { displayName: 'Never' }, dependsOn: ['dropped'] },
      ]);
      await expect(send).rejects.toThrow('fetch failed');
      const list = await fetch(`${emulator.url}${PACKAGES}?$filter=displayName eq 'Never'&$count=true`, { headers: AUTH });
      expect(await list.json()).toMatchObject({ '@odata.count': 0, value: [] });
      const entries = await emulator.requests();
      expect(entries.map((e) => [e.method, e.path, e.batchItemId])).toEqual([
        ['POST', BATCH, null],
        ['GET', `${PACKAGES.replace('accessPackages', 'accessPackageCatalogs')}`, 'dropped'],
        ['GET', PACKAGES, null],
      ]);
    } finally {
      await emulator.close();
    }
  });
});
