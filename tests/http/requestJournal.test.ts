// GET and DELETE /_emulator/requests: every Graph request recorded with its answer, secrets never kept, the
// admin and OAuth routes left out, filters, polling with `since`, per-tenant clearing, cut bodies, JOURNAL=off.
import { describe, expect, it, jest } from '@jest/globals';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { BODY_LIMIT, RequestJournal } from '../../server/http/requestJournal.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { DEFAULT_TENANT_ID } from '../../server/identity/tokens.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, GUID, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { listenOn, send } from '../support/realServer.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';
import { fences, section } from '../support/markdown.js';

const REQUESTS = '/_emulator/requests';

function app(options: Partial<Parameters<typeof createApp>[0]> = {}) {
  return createApp({ store: new MemoryStore(), ...options });
}

async function journal(server: ReturnType<typeof app>, query = '') {
  const res = await request(server).get(`${REQUESTS}${query}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['request-id']).toMatch(GUID);
  return res.body.value as Array<Record<string, unknown>>;
}

describe('the request journal', () => {
  it('keeps no body for a compressed one refused unread (its bytes are no text), nor for one refused as too large mid-read', async () => {
    const server = app({ bodyLimit: 1024 });
    await request(server)
      .post(PACKAGES)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(JSON.stringify({ displayName: 'Zipped' })))
      .expect(401);
    await request(server)
      .post(PACKAGES)
      .set(AUTH)
      .set('Content-Type', 'application/json')
      // Long enough to be still arriving when the 413 goes out: the refusal's own drain reads the rest.
      .send(JSON.stringify({ displayName: 'x'.repeat(3_000_000) }))
      .expect(413);
    let entries: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 50 && entries.length < 2; i += 1) entries = await journal(server);
    expect(entries.map((e) => [e['status'], e['requestBody']])).toEqual([
      [401, null],
      [413, null],
    ]);
  });

  it('keeps the body of a request refused before it was read: no token, a fault, a wrong content type, a long one marked cut', async () => {
    const server = app();
    const body = { displayName: 'Refused' };
    await request(server).post(PACKAGES).send(body).expect(401);
    await request(server).post(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'status=503').send(body).expect(503);
    await request(server).post(PACKAGES).set(AUTH).set('Content-Type', 'text/plain').send('plain words').expect(415);
    const long = JSON.stringify({ displayName: 'é'.repeat(20_000) });
    await request(server).post(PACKAGES).send(long).set('Content-Type', 'application/json').expect(401);
    let entries: Array<Record<string, unknown>> = [];
    // Each is recorded once its body has been read after the answer.
    for (let i = 0; i < 50 && entries.length < 4; i += 1) entries = await journal(server);
    expect(entries.map((e) => [e['status'], e['requestBody'], e['requestBodyTruncated']])).toEqual([
      [401, body, false],
      [503, body, false],
      [415, 'plain words', false],
      [401, long.slice(0, 16_384), true],
    ]);
    expect(entries[1]!['fault']).toEqual({ source: 'X-Emulator-Fault', effect: 'status 503' });
  });

  it("keeps a $batch item's body when the item was refused before it was read: a fault, a wrong content type, a secret taken out; none of one said to be compressed", async () => {
    const server = app();
    const url = '/identityGovernance/entitlementManagement/accessPackages';
    const json = { 'Content-Type': 'application/json' };
    const requests = [
      { id: '1', method: 'POST', url, headers: { ...json, 'X-Emulator-Fault': 'status=503' }, body: { displayName: 'Faulted' } },
      { id: '2', method: 'POST', url, headers: { 'Content-Type': 'text/plain' }, body: 'plain words' },
      { id: '3', method: 'POST', url, headers: { ...json, 'X-Emulator-Fault': 'status=500' }, body: { displayName: 'x', client_secret: 'ITEMSECRET' } },
      // Said to be compressed, as a lone request's body refused unread is: its bytes are no text, none is kept.
      { id: '4', method: 'POST', url, headers: { ...json, 'Content-Encoding': 'gzip', 'X-Emulator-Fault': 'status=503' }, body: { displayName: 'Zipped' } },
    ];
    const batch = await request(server).post('/beta/$batch').set(AUTH).send({ requests }).expect(200);
    expect(batch.body.responses.map((r: { status: number }) => r.status)).toEqual([503, 415, 500, 503]);
    const res = await request(server).get(REQUESTS);
    expect(res.text).not.toContain('ITEMSECRET');
    const items = (res.body.value as Array<Record<string, unknown>>).slice(1);
    expect(items.map((e) => [e['batchItemId'], e['status'], e['requestBody'], e['requestBodyTruncated']])).toEqual([
      ['1', 503, { displayName: 'Faulted' }, false],
      ['2', 415, 'plain words', false],
      ['3', 500, { displayName: 'x', client_secret: 'REDACTED' }, false],
      ['4', 503, null, false],
    ]);
    expect(items[0]!['fault']).toEqual({ source: 'X-Emulator-Fault', effect: 'status 503' });
  });

  it('shows a body nested past 256 levels as its text, so reading the journal never overflows the stack', async () => {
    const server = app();
    const deep = `{"displayName":"d","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const edge = `{"displayName":"e","x":${'['.repeat(255)}"[[[["${']'.repeat(255)}}`;
    for (const body of [deep, edge]) await request(server).post(PACKAGES).set(AUTH).set('Content-Type', 'application/json').send(body).expect(400);
    const [first, second] = await journal(server);
    expect(first!['requestBody']).toBe(deep);
    expect(second!['requestBody']).toEqual(JSON.parse(edge));
  });

  it('shows a body that is not JSON as the text sent, with charset=utf-8 or Content-Encoding: identity named', async () => {
    const server = app();
    const sent = [
      ['application/json', undefined],
      ['application/json; charset=utf-8', undefined],
      ['application/json;charset=utf-8', undefined],
      ['application/json', 'Identity'],
    ] as const;
    for (const [type, coding] of sent) {
      const post = request(server).post(PACKAGES).set(AUTH).set('Content-Type', type);
      if (coding !== undefined) post.set('Content-Encoding', coding);
      await post.send('{"displayName": "Caf\u00e9",').expect(400);
    }
    const entries = await journal(server);
    expect(entries.map((e) => [e['status'], e['requestBody']])).toEqual(sent.map(() => [400, '{"displayName": "Caf\u00e9",']));
  });

  it('records a create with its query, headers, body, answer, duration and tenant', async () => {
    const server = app();
    const created = await request(server).post(`${PACKAGES}?$select=id`).set(AUTH).set('client-request-id', 'ci-1').send({ displayName: 'Sales' }).expect(201);
    const [entry] = await journal(server);
    expect(entry).toEqual({
      id: '1',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      tenant: DEFAULT_TENANT_ID,
      method: 'POST',
      path: PACKAGES,
      query: { $select: 'id' },
      requestHeaders: expect.objectContaining({
        authorization: { scheme: 'Bearer', claims: null },
        'client-request-id': 'ci-1',
        'content-type': 'application/json',
      }),
      requestBody: { displayName: 'Sales' },
      requestBodyTruncated: false,
      status: 201,
      responseHeaders: expect.objectContaining({
        'request-id': created.headers['request-id'],
        location: created.headers['location'],
        'content-type': ODATA_JSON,
      }),
      responseBody: created.body,
      responseBodyTruncated: false,
      durationMs: expect.any(Number),
      fault: null,
      batchId: null,
      batchItemId: null,
    });
    // The entry docs/ci.md shows in full has the same fields, in the same order, and the same credential.
    const shown = fences(section('docs/ci.md', 'Request journal and verification')).find((f) => f.lang === 'json' && f.before.includes('One entry, in full'));
    const documented = JSON.parse(shown!.body) as Record<string, unknown>;
    expect(Object.keys(documented)).toEqual(Object.keys(entry!));
    expect((documented['requestHeaders'] as Record<string, unknown>)['authorization']).toEqual({ scheme: 'Bearer', claims: null });
  });

  it("keeps a JWT's claims and a credential's scheme, never the token or a password", async () => {
    const server = app();
    const token = unsignedJwt({ aud: 'https://graph.microsoft.com', tid: 'A1B2C3D4-0000-4000-8000-000000000001', upn: 'ci@contoso.com', scp: READ_WRITE });
    await request(server).get(PACKAGES).set(bearer(token)).expect(200);
    await request(server).get(PACKAGES).set('Authorization', 'Basic Y2xpZW50OnMzY3JldA==').expect(401);
    // A proxy's credential is cut like the caller's; other headers, however long their names, keep their values.
    await request(server)
      .get(PACKAGES)
      .set(AUTH)
      .set('Proxy-Authorization', 'Basic cHJveHk6czNjcmV0')
      .set('X-Correlation-Context', 'suite one, test two')
      .expect(200);
    const res = await request(server).get(REQUESTS);
    expect(res.text).not.toContain(token.split('.')[1]);
    expect(res.text).not.toContain('Y2xpZW50OnMzY3JldA');
    expect(res.text).not.toContain('cHJveHk6czNjcmV0');
    const [jwt, basic, proxied] = res.body.value;
    expect(jwt).toMatchObject({ tenant: 'a1b2c3d4-0000-4000-8000-000000000001', status: 200 });
    expect(jwt.requestHeaders.authorization).toEqual({
      scheme: 'Bearer',
      claims: { aud: 'https://graph.microsoft.com', tid: 'A1B2C3D4-0000-4000-8000-000000000001', upn: 'ci@contoso.com', scp: READ_WRITE },
    });
    expect(basic).toMatchObject({
      status: 401,
      requestHeaders: { authorization: { scheme: 'Basic', claims: null } },
      responseBody: { error: { code: 'InvalidAuthenticationToken' } },
    });
    expect(proxied.requestHeaders).toMatchObject({
      authorization: { scheme: 'Bearer', claims: null },
      'proxy-authorization': { scheme: 'Basic', claims: null },
      'x-correlation-context': 'suite one, test two',
    });
  });

  it('keeps no token or secret wherever it is sent: a bare token, a query, a body, a $batch item, a cookie', async () => {
    const server = app();
    for (const displayName of ['One', 'Two']) await request(server).post(PACKAGES).set(AUTH).send({ displayName }).expect(201);
    await request(server).delete(REQUESTS).expect(204);
    const bare = 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.BARESIG';
    await request(server).get(PACKAGES).set('Authorization', bare).expect(401);
    const page = await request(server)
      .get(`${PACKAGES}?$top=1&access_token=QUERYTOKEN&client_secret=QUERYSECRET`)
      .set(AUTH)
      .set('Cookie', 'sid=COOKIEVALUE; theme=dark');
    expect(page.status).toBe(200);
    expect(page.body['@odata.nextLink']).toContain('access_token=QUERYTOKEN');
    const refused = await request(server).post(PACKAGES).set(AUTH).send({ displayName: 'x', client_secret: 'BODYSECRET' });
    expectGraphError(refused, 400, 'BadRequest', /client_secret/);
    const items = [{ id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages', headers: { Authorization: 'Bearer ITEMTOKEN' } }];
    await request(server).post('/beta/$batch').set(AUTH).send({ requests: items }).expect(200);
    const res = await request(server).get(REQUESTS);
    expect(res.text).not.toMatch(/BARESIG|QUERYTOKEN|QUERYSECRET|COOKIEVALUE|BODYSECRET|ITEMTOKEN/);
    const [token, list, create, batch, item] = res.body.value;
    expect(token).toMatchObject({ status: 401, requestHeaders: { authorization: { scheme: '', claims: null } } });
    expect(list).toMatchObject({
      query: { $top: '1', access_token: 'REDACTED', client_secret: 'REDACTED' },
      requestHeaders: { cookie: 'sid; theme' },
      responseBody: { '@odata.nextLink': expect.stringContaining('access_token=REDACTED&client_secret=REDACTED&') },
    });
    expect(create).toMatchObject({ status: 400, requestBody: { displayName: 'x', client_secret: 'REDACTED' } });
    expect(batch.requestBody).toEqual({ requests: [{ ...items[0], headers: { Authorization: 'Bearer' } }] });
    expect(item).toMatchObject({ batchItemId: '1', status: 200, requestHeaders: { authorization: { scheme: 'Bearer', claims: null } } });
  });

  it('keeps no secret whose name is escaped or percent-encoded: a JSON field, a form field, a $batch item url and its nextLink', async () => {
    const server = app();
    for (const displayName of ['One', 'Two']) await request(server).post(PACKAGES).set(AUTH).send({ displayName }).expect(201);
    await request(server).delete(REQUESTS).expect(204);
    // The escapes as sent: `\u0073` in the JSON text, `%73` in the form and the url.
    const escaped = '{"displayName":"f2","client_\\u0073ecret":"SEKRETF2","access_\\u0074oken":"SEKRETT2"}';
    const json = await request(server).post(PACKAGES).set(AUTH).set('Content-Type', 'application/json').send(escaped);
    expectGraphError(json, 400, 'BadRequest', /client_secret/);
    await request(server).post(PACKAGES).set(AUTH).type('form').send('client_%73ecret=SEKRETF1&displayName=f1').expect(415);
    const url = '/identityGovernance/entitlementManagement/accessPackages?$top=1&client_%73ecret=SEKBURL';
    const batch = await request(server)
      .post('/beta/$batch')
      .set(AUTH)
      .send({ requests: [{ id: '1', method: 'GET', url }] })
      .expect(200);
    expect(batch.body.responses[0].body['@odata.nextLink']).toContain('client_%73ecret=SEKBURL');
    const res = await request(server).get(REQUESTS).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).not.toMatch(/SEKRETF2|SEKRETT2|SEKRETF1|SEKBURL/);
    const [jsonEntry, form, batchEntry, item] = res.body.value;
    expect(jsonEntry).toMatchObject({ status: 400, requestBody: { displayName: 'f2', client_secret: 'REDACTED', access_token: 'REDACTED' } });
    expect(form).toMatchObject({ status: 415, requestBody: 'client_%73ecret=REDACTED&displayName=f1' });
    const redactedUrl = url.replace('SEKBURL', 'REDACTED');
    expect(batchEntry.requestBody).toEqual({ requests: [{ id: '1', method: 'GET', url: redactedUrl }] });
    expect(batchEntry.responseBody.responses[0].body['@odata.nextLink']).toContain('client_%73ecret=REDACTED&');
    expect(item).toMatchObject({
      batchItemId: '1',
      query: { $top: '1', client_secret: 'REDACTED' },
      responseBody: { '@odata.nextLink': expect.stringContaining('client_%73ecret=REDACTED&') },
    });
  });

  it('keeps nothing of a credential that does not start with a scheme, and only the names of cookies, never a nameless one', async () => {
    const server = app();
    await request(server).get(PACKAGES).set('Authorization', 'SEKLOG9 Bearer').expect(401);
    const jwt = unsignedJwt({ tid: 'contoso', scp: READ_WRITE });
    await request(server).get(PACKAGES).set('Authorization', `${jwt} Bearer`).expect(401);
    await request(server).get(PACKAGES).set('Authorization', 'bearer lower-case-token').set('Cookie', 'SEKRETH9; sid=SEKRETSID').expect(200);
    const items = [{ id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages', headers: { COOKIE: 'SEKRETB9; theme=dark' } }];
    await request(server).post('/beta/$batch').set(AUTH).send({ requests: items }).expect(200);
    const res = await request(server).get(REQUESTS).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).not.toMatch(/SEKLOG9|SEKRETH9|SEKRETSID|SEKRETB9|lower-case-token/);
    expect(res.text).not.toContain(jwt.split('.')[1]);
    const [backwards, backwardsJwt, cookies, batch, item] = res.body.value;
    expect(backwards.requestHeaders.authorization).toEqual({ scheme: '', claims: null });
    expect(backwardsJwt.requestHeaders.authorization).toEqual({ scheme: '', claims: null });
    expect(cookies.requestHeaders).toMatchObject({ authorization: { scheme: 'bearer', claims: null }, cookie: 'sid' });
    expect(batch.requestBody).toEqual({ requests: [{ ...items[0], headers: { COOKIE: 'theme' } }] });
    expect(item.requestHeaders).toMatchObject({ cookie: 'theme' });
  });

  it('shows the first of two credentials, the one used, with its claims', async () => {
    const server = app();
    const token = unsignedJwt({ tid: 'contoso', scp: READ_WRITE });
    const listening = await listenOn(server);
    try {
      const answer = await send(listening.port, { method: 'GET', path: PACKAGES, headers: { Authorization: [`Bearer ${token}`, 'Basic c2Vjb25k'] } });
      expect(answer.status).toBe(200);
    } finally {
      await listening.close();
    }
    const [entry] = await journal(server);
    expect(entry).toMatchObject({ tenant: 'contoso', requestHeaders: { authorization: { scheme: 'Bearer', claims: { tid: 'contoso', scp: READ_WRITE } } } });
  });

  it('shows a parameter sent twice as the list of its values, and no body on an answer to HEAD', async () => {
    const server = app();
    await request(server).head(`${PACKAGES}?$top=1&x=a&x=b&x=c`).set(AUTH).expect(200);
    const [entry] = await journal(server);
    expect(entry).toMatchObject({ method: 'HEAD', status: 200, query: { $top: '1', x: ['a', 'b', 'c'] }, responseBody: null });
    expect(entry!.responseHeaders).toMatchObject({ 'content-type': ODATA_JSON });
  });

  it('shows an escaped byte that is no UTF-8 as it was sent, as its 400 quotes it, and the rest of the query decoded as a form is', async () => {
    const server = app();
    await request(server).get(`${PACKAGES}?$filter=displayName%20eq%20'caf%E9'`).set(AUTH).expect(400);
    await request(server).get(`${PACKAGES}?$top=1&x=caf%C3%A9+au+lait&y=a%2Bb&&z&w=%E9%C3%A9%e9`).set(AUTH).expect(200);
    const [refused, read] = await journal(server);
    expect(refused!.query).toEqual({ $filter: "displayName eq 'caf%E9'" });
    expect(read!.query).toEqual({ $top: '1', x: 'café au lait', y: 'a+b', z: '', w: '%E9é%e9' });
  });

  it("dates each entry by the wall clock, which a machine's sleep moves on, not by the time the process has run", async () => {
    const server = app();
    // The wall clock eight hours on from the process's own count, as after a laptop slept through a night.
    const real = Date.now.bind(Date);
    const slept = jest.spyOn(Date, 'now').mockImplementation(() => real() + 8 * 3_600_000);
    let entry: Awaited<ReturnType<typeof journal>>[number] | undefined;
    try {
      const before = Date.now();
      await request(server).get(PACKAGES).set(AUTH).expect(200);
      const after = Date.now();
      [entry] = await journal(server);
      const time = Date.parse(String(entry!.time));
      expect(time).toBeGreaterThanOrEqual(before - 1);
      expect(time).toBeLessThanOrEqual(after);
    } finally {
      slept.mockRestore();
    }
    expect(entry!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('times each exchange from its arrival to its answer, an injected delay included, and shows an absent query as {}', async () => {
    const server = app();
    const sent = performance.now();
    await request(server).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'delay=40').expect(200);
    const elapsed = performance.now() - sent;
    const [entry] = await journal(server);
    expect(entry).toMatchObject({ path: PACKAGES, status: 200, fault: { source: 'X-Emulator-Fault', effect: 'latency 40ms' } });
    expect(entry!.query).toEqual({});
    // A timer may fire up to a millisecond before its delay as performance.now() counts it.
    expect(entry!.durationMs).toBeGreaterThanOrEqual(39);
    expect(entry!.durationMs).toBeLessThanOrEqual(elapsed);
  });

  it('records refusals and faults as the client saw them, and a dropped connection with no status', async () => {
    const server = app({ faults: new FaultEngine({ rules: [{ method: 'DELETE', drop: 'reset' }] }) });
    await request(server).get(PACKAGES).expect(401);
    await request(server).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'status=503').expect(503);
    await request(server)
      .delete(`${PACKAGES}/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)
      .set(AUTH)
      .catch(() => undefined);
    const entries = await journal(server);
    expect(entries.map((e) => [e.method, e.status, e.fault])).toEqual([
      ['GET', 401, null],
      ['GET', 503, { source: 'X-Emulator-Fault', effect: 'status 503' }],
      ['DELETE', null, { source: 'rules[0]', effect: 'drop reset' }],
    ]);
    expect(entries[1]!.responseBody).toMatchObject({ error: { code: 'ServiceUnavailable' } });
    expect(entries[2]).toMatchObject({ responseHeaders: {}, responseBody: null });
  });

  it('keeps the body of a request whose connection a fault dropped before it was read, but for a reset', async () => {
    const server = app();
    const served = await listenOn(server);
    try {
      const body = JSON.stringify({ displayName: 'Dropped' });
      for (const drop of ['empty', 'malformed', 'reset']) {
        // Two packets: the body is still on its way when the fault drops the connection. Half-open, as curl is: the
        // client goes on sending after the emulator's side has ended.
        const socket = connect({ port: served.port, host: '127.0.0.1', allowHalfOpen: true });
        const closed = new Promise((resolve) => socket.once('close', resolve));
        socket.on('error', () => {});
        socket.resume();
        socket.write(
          `POST ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${AUTH.Authorization}\r\nX-Emulator-Fault: drop=${drop}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        socket.end(body);
        await closed;
      }
      let entries: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 100 && entries.length < 3; i += 1) entries = await journal(server);
      expect(entries.map((e) => [e['fault'], e['status'], e['requestBody'], e['requestBodyTruncated']])).toEqual([
        [{ source: 'X-Emulator-Fault', effect: 'drop empty' }, null, { displayName: 'Dropped' }, false],
        // `malformed` sends a status line and headers before its broken chunk: the status the client received.
        [{ source: 'X-Emulator-Fault', effect: 'drop malformed' }, 200, { displayName: 'Dropped' }, false],
        // A reset ends the connection at once: nothing more of the body is read.
        [{ source: 'X-Emulator-Fault', effect: 'drop reset' }, null, null, false],
      ]);
      const malformed = entries[1]!;
      expect(malformed['responseHeaders']).toMatchObject({ 'content-type': ODATA_JSON, 'transfer-encoding': 'chunked' });
      expect((malformed['responseHeaders'] as Record<string, string>)['request-id']).toMatch(GUID);
      expect(malformed['responseBody']).toBe('zz\r\n{"@odata.context":"https://graph.microsoft.com/beta/$metadata#');
    } finally {
      await served.close();
    }
  });

  it('leaves out the admin API, the OAuth endpoints (no client_secret is kept) and what is not under a version', async () => {
    const server = app();
    await request(server).get('/_emulator/health').expect(200);
    await request(server)
      .post('/common/oauth2/v2.0/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'ci', client_secret: 's3cret', scope: 'https://graph.microsoft.com/.default' });
    await request(server).get('/nothing-here').set(AUTH).expect(404);
    await request(server).get('/nothing-here/beta/identityGovernance').set(AUTH).expect(404);
    await request(server).get('/beta/$metadata').expect(200);
    // A version alone is under it; a segment that only starts like one is not.
    await request(server).get('/v1.0').set(AUTH);
    await request(server).get('/betamax').set(AUTH).expect(404);
    const res = await request(server).get(REQUESTS);
    expect(res.text).not.toContain('s3cret');
    expect(res.body.value.map((e: { path: string }) => e.path)).toEqual(['/beta/$metadata', '/v1.0']);
    expect(res.body.value[0]).toMatchObject({ status: 200, responseBody: expect.stringContaining('<edmx:Edmx') });
  });

  it('filters by method, path glob, status and tenant, and pages forward with since and limit', async () => {
    const server = app();
    const contoso = bearer(unsignedJwt({ tid: 'contoso', scp: READ_WRITE }));
    await request(server).post(PACKAGES).set(contoso).send({ displayName: 'A' }).expect(201);
    await request(server).get(`${PACKAGES}/nope`).set(AUTH).expect(400);
    await request(server).get('/v1.0/identityGovernance/entitlementManagement/catalogs').set(contoso).expect(200);
    const ids = async (query: string) => (await journal(server, query)).map((e) => e.id);
    expect(await ids('?method=POST')).toEqual(['1']);
    expect(await ids(`?path=${encodeURIComponent('/beta/**/accessPackages/*')}`)).toEqual(['2']);
    expect(await ids('?status=4xx')).toEqual(['2']);
    expect(await ids('?tenant=CONTOSO')).toEqual(['1', '3']);
    expect(await ids('?since=1&limit=1')).toEqual(['2']);
    expect(await ids('?since=3')).toEqual([]);
    expectGraphError(await request(server).get(`${REQUESTS}?status=teapot`), 400, 'BadRequest', /^Invalid value for 'status': 'teapot'\./);
  });

  it('filters by path as a rule matches it: a key named or an alternate key is the package', async () => {
    const server = app();
    const id = (await request(server).post(PACKAGES).set(AUTH).send({ displayName: 'A', uniqueName: 'a' }).expect(201)).body.id as string;
    await request(server).get(`${PACKAGES}(id='${id}')`).set(AUTH).expect(200);
    await request(server).get(`${PACKAGES}(uniqueName='a')`).set(AUTH).expect(200);
    await request(server).get(`${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`).set(AUTH);
    const encoded = await request(server).get(`${PACKAGES}/%28%27${id}%27%29`).set(AUTH).expect(200);
    expect(encoded.body).toMatchObject({ id, displayName: 'A' });
    const entries = await journal(server, `?path=${encodeURIComponent('/beta/**/accessPackages/*')}`);
    expect(entries.map((e) => [e.id, e.path])).toEqual([
      ['2', `${PACKAGES}(id='${id}')`],
      ['3', `${PACKAGES}(uniqueName='a')`],
      ['4', `${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`],
      ['5', `${PACKAGES}/%28%27${id}%27%29`],
    ]);
    expect((await journal(server, `?path=${encodeURIComponent(`/beta/**/accessPackages/${id}`)}`)).map((e) => e.id)).toEqual(['2', '5']);
    expect((await journal(server, `?path=${encodeURIComponent("/beta/**/accessPackages/(uniqueName='a')")}`)).map((e) => e.id)).toEqual(['3']);
    // A filter written as the path was sent, key form included, finds it.
    const asSent = await journal(server, `?path=${encodeURIComponent(`${PACKAGES}(id='${id}')`)}`);
    expect(asSent.map((e) => [e.id, e.path])).toEqual([
      ['2', `${PACKAGES}(id='${id}')`],
      ['5', `${PACKAGES}/%28%27${id}%27%29`],
    ]);
    expect((await journal(server, `?path=${encodeURIComponent(`${PACKAGES}(uniqueName='a')`)}`)).map((e) => e.id)).toEqual(['3']);
    const glob = await request(server).get(`${REQUESTS}?path=${encodeURIComponent('/beta/**/accessPackages(*)')}`);
    expectGraphError(
      glob,
      400,
      'BadRequest',
      "Invalid value for 'path': the pattern writes a key in parentheses with glob characters ('accessPackages(*)'), which matches no path: paths are matched with the key as a segment of its own; write 'accessPackages/*' instead.",
    );
  });

  it("DELETE forgets every entry, or one tenant's; ids go on from where they were", async () => {
    const server = app();
    await request(server)
      .get(PACKAGES)
      .set(bearer(unsignedJwt({ tid: 'a', scp: READ_WRITE })))
      .expect(200);
    await request(server)
      .get(PACKAGES)
      .set(bearer(unsignedJwt({ tid: 'b', scp: READ_WRITE })))
      .expect(200);
    const cleared = await request(server).delete(`${REQUESTS}?tenant=A`);
    expect(cleared.status).toBe(204);
    expect(cleared.text).toBe('');
    expectGraphHeaders(cleared);
    expect((await journal(server)).map((e) => [e.id, e.tenant])).toEqual([['2', 'b']]);
    await request(server).delete(REQUESTS).expect(204);
    await request(server).get(PACKAGES).set(AUTH).expect(200);
    expect((await journal(server)).map((e) => e.id)).toEqual(['3']);
    expectGraphError(
      await request(server).delete(`${REQUESTS}?method=GET`),
      400,
      'BadRequest',
      "Unknown query parameter 'method'; DELETE /_emulator/requests takes only 'tenant'.",
    );
    // The answer and the refusal docs/ci.md gives a reader of DELETE /_emulator/requests.
    expect(section('docs/ci.md', 'Request journal and verification')).toContain(
      "one tenant's (ids go on increasing), and answers\n`204`; it takes no other parameter",
    );
    // A tenant given empty or twice clears nothing.
    await request(server).get(PACKAGES).set(AUTH).expect(200);
    for (const query of ['tenant=', 'tenant=a&tenant=b']) {
      expectGraphError(await request(server).delete(`${REQUESTS}?${query}`), 400, 'BadRequest', "Invalid value for 'tenant': give one tenant id.");
    }
    expect((await journal(server)).map((e) => e.id)).toEqual(['3', '4']);
  });

  it('refuses a method filter that is no HTTP method, which could match no entry', async () => {
    const server = app();
    await request(server)
      .delete(`${PACKAGES}/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)
      .set(AUTH);
    expectGraphError(
      await request(server).get(`${REQUESTS}?method=DELET`),
      400,
      'BadRequest',
      "Invalid value for 'method': 'DELET' is no HTTP method (GET, POST, PATCH, PUT, DELETE, …).",
    );
    expect((await journal(server, '?method=delete')).map((e) => e.id)).toEqual(['1']);
    expect(await journal(server, '?method=PROPFIND')).toEqual([]);
  });

  it("refuses a path filter that starts with neither '/' nor a glob, which could match no path", async () => {
    const server = app();
    await request(server).get(PACKAGES).set(AUTH).expect(200);
    for (const pattern of ['beta/**', 'identityGovernance', '%5C*']) {
      const shown = decodeURIComponent(pattern);
      expectGraphError(
        await request(server).get(`${REQUESTS}?path=${pattern}`),
        400,
        'BadRequest',
        `Invalid value for 'path': '${shown}' matches no path, since every path starts with '/' (/beta/**).`,
      );
    }
    for (const pattern of ['/beta/**', '**/accessPackages', '{/beta,/v1.0}/**']) {
      expect((await journal(server, `?path=${encodeURIComponent(pattern)}`)).map((e) => e.id)).toEqual(['1']);
    }
  });

  it('records a request under the tenant whose data it used: with AUTH=none, a tid that is no tenant id is the default tenant', async () => {
    const server = app({ auth: 'none' });
    for (const tid of ['a b', 7]) {
      await request(server)
        .post(PACKAGES)
        .set(bearer(unsignedJwt({ tid })))
        .send({ displayName: `tid ${tid}` })
        .expect(201);
    }
    expect(
      (await request(server).get(`${PACKAGES}?$select=displayName`).set(AUTH).expect(200)).body.value.map((p: { displayName: string }) => p.displayName),
    ).toEqual(['tid a b', 'tid 7']);
    expect((await journal(server)).map((e) => e.tenant)).toEqual([DEFAULT_TENANT_ID, DEFAULT_TENANT_ID, DEFAULT_TENANT_ID]);
    expect((await journal(server, `?tenant=${DEFAULT_TENANT_ID}&method=POST`)).map((e) => e.id)).toEqual(['1', '2']);
  });

  it('refuses a tenant filter that is no tenant id, on GET and DELETE, rather than selecting or clearing nothing', async () => {
    const server = app();
    await request(server).get(PACKAGES).set(AUTH).expect(200);
    const message = "Invalid value for 'tenant': 'worker 1'. Use a tenant id: 1 to 128 letters, digits, '.', '-' or '_'.";
    expectGraphError(await request(server).get(`${REQUESTS}?tenant=worker%201`), 400, 'BadRequest', message);
    expectGraphError(await request(server).delete(`${REQUESTS}?tenant=worker%201`), 400, 'BadRequest', message);
    expectGraphError(
      await request(server).get(`${REQUESTS}?tenant=${'x'.repeat(129)}`),
      400,
      'BadRequest',
      `Invalid value for 'tenant': '${'x'.repeat(129)}'. Use a tenant id: 1 to 128 letters, digits, '.', '-' or '_'.`,
    );
    expect((await journal(server)).map((e) => e.id)).toEqual(['1']);
  });

  it('keeps the body as the client sent it: its spacing in a cut body, and a body that is not JSON as text', async () => {
    const server = app();
    const spaced = `{ "displayName" : "Spaced",\n  "description": "${'s'.repeat(BODY_LIMIT)}" }`;
    await request(server).post(PACKAGES).set(AUTH).set('content-type', 'application/json').send(spaced).expect(201);
    const malformed = await request(server).post(PACKAGES).set(AUTH).set('content-type', 'application/json').send('{"displayName": ');
    expectGraphError(malformed, 400, 'BadRequest', /Unable to read JSON request payload/);
    const [cut, refused] = await journal(server);
    expect(cut).toMatchObject({ requestBody: spaced.slice(0, BODY_LIMIT), requestBodyTruncated: true, status: 201 });
    expect(refused).toMatchObject({ requestBody: '{"displayName": ', requestBodyTruncated: false, status: 400 });
  });

  it('keeps texts in any script as sent and answered: header values as Node read them, bodies past ASCII, $batch items', async () => {
    const server = app();
    const displayName = 'Caf\u00e9 \u2713 \u{1f600}';
    // The client sends the header value's UTF-8 bytes, and Node reads a header a byte a character: the journal
    // shows what the emulator read, as req.headers does.
    const created = await request(server).post(PACKAGES).set(AUTH).set('x-note', 'd\u00e9j\u00e0').send({ displayName }).expect(201);
    const asRead = Buffer.from('d\u00e9j\u00e0').toString('latin1');
    await request(server).get(`${PACKAGES}/${created.body.id}`).set(AUTH).expect(200);
    const batch = {
      requests: [
        { id: '\u2713', method: 'GET', url: `/identityGovernance/entitlementManagement/accessPackages?x=\u2713`, headers: { 'x-note': 'd\u00e9j\u00e0' } },
      ],
    };
    await request(server).post('/beta/$batch').set(AUTH).send(batch).expect(200);
    const [create, get, , item] = await journal(server);
    expect(create).toMatchObject({
      requestHeaders: expect.objectContaining({ 'x-note': asRead }),
      requestBody: { displayName },
      responseBody: { displayName },
    });
    expect(get).toMatchObject({ responseBody: { displayName } });
    expect(item).toMatchObject({ batchItemId: '\u2713', query: { x: '\u2713' }, requestHeaders: expect.objectContaining({ 'x-note': 'd\u00e9j\u00e0' }) });
  });

  it('keeps a chunked body (no Content-Length) as sent: one that is not JSON with its 400, a number JSON cannot hold exactly', async () => {
    const kept = new RequestJournal();
    const listening = await listenOn(app({ journal: kept }));
    try {
      const chunked = (body: string) =>
        send(listening.port, {
          method: 'POST',
          path: PACKAGES,
          headers: { ...AUTH, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
          body,
        });
      const refused = await chunked('not json');
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: 'BadRequest', message: expect.stringMatching(/^Unable to read JSON request payload/) } });
      // JSON, so read as such (and refused for its unknown property): kept as text all the same.
      const big = '{"displayName": "Big", "x": 12345678901234567890}';
      const parsed = await chunked(big);
      expect(parsed.status).toBe(400);
      expect(parsed.body).toMatchObject({ error: { code: 'BadRequest', message: expect.stringMatching(/^The property 'x' does not exist/) } });
      const entries = await journal(listening.server as unknown as ReturnType<typeof app>);
      expect(entries[0]).toMatchObject({
        requestHeaders: expect.objectContaining({ 'transfer-encoding': 'chunked' }),
        requestBody: 'not json',
        requestBodyTruncated: false,
        status: 400,
        responseBody: refused.body,
      });
      expect(entries[0]!.requestHeaders).not.toHaveProperty('content-length');
      // The API shows a JSON body parsed; the stored text is what the client sent, digit for digit.
      expect(kept.list(() => true).map((e) => e.requestBody)).toEqual(['not json', big]);
    } finally {
      await listening.close();
    }
  });

  it.each([
    ['with a Content-Length', 'Content-Length: 200\r\n\r\n{"dis'],
    ['chunked', 'Transfer-Encoding: chunked\r\n\r\n5\r\n{"dis'],
  ])('records a body its client abandoned (%s) with no status: no answer reached it', async (_name, rest) => {
    const kept = new RequestJournal();
    const listening = await listenOn(app({ journal: kept }));
    try {
      const received = await new Promise<string>((resolve) => {
        const socket = connect(listening.port, '127.0.0.1', () => {
          socket.write(`POST ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\n${rest}`);
          setTimeout(() => socket.destroy(), 50);
        });
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        socket.on('error', () => undefined).on('close', () => resolve(text));
      });
      expect(received).toBe('');
      // The entry is recorded when the server sees the connection close.
      for (let waited = 0; kept.count === 0 && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      const entries = await journal(listening.server as unknown as ReturnType<typeof app>);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ method: 'POST', path: PACKAGES, requestBody: null, status: null, responseHeaders: {}, responseBody: null });
    } finally {
      await listening.close();
    }
  });

  it('keeps a body sent gzip-encoded as the JSON it held', async () => {
    const server = app();
    await request(server)
      .post(PACKAGES)
      .set(AUTH)
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      // As bytes: superagent would write a Buffer as JSON under this content type.
      .serialize((body: Buffer) => body as unknown as string)
      .send(gzipSync(JSON.stringify({ displayName: 'Zipped' })))
      .expect(201);
    const [entry] = await journal(server);
    expect(entry).toMatchObject({
      requestHeaders: expect.objectContaining({ 'content-encoding': 'gzip' }),
      requestBody: { displayName: 'Zipped' },
      status: 201,
    });
  });

  it('cuts a body past BODY_LIMIT characters and marks it', async () => {
    const server = app();
    const description = 'd'.repeat(BODY_LIMIT * 2);
    await request(server).post(PACKAGES).set(AUTH).send({ displayName: 'Long', description }).expect(201);
    const [entry] = await journal(server);
    expect(entry).toMatchObject({ requestBodyTruncated: true, responseBodyTruncated: true });
    expect(entry!.requestBody).toBe(JSON.stringify({ displayName: 'Long', description }).slice(0, BODY_LIMIT));
    expect((entry!.responseBody as string).length).toBe(BODY_LIMIT);
  });

  it('cuts a body before a surrogate pair the limit would split', async () => {
    const server = app();
    const text = `{"displayName":"${'a'.repeat(BODY_LIMIT - 17)}\u{1f600}"}`;
    expect(text.charCodeAt(BODY_LIMIT - 1)).toBe(0xd83d);
    await request(server).post(PACKAGES).set(AUTH).set('content-type', 'application/json').send(text).expect(201);
    const [entry] = await journal(server);
    expect(entry).toMatchObject({ requestBody: text.slice(0, BODY_LIMIT - 1), requestBodyTruncated: true });
  });

  it('keeps as many entries as its size', async () => {
    const server = app({ journal: new RequestJournal(2) });
    for (let i = 0; i < 3; i += 1) await request(server).get(PACKAGES).set(AUTH).expect(200);
    expect((await journal(server)).map((e) => e.id)).toEqual(['2', '3']);
  });

  it('is a 404 naming the setting when it is off', async () => {
    const server = app({ journal: null });
    await request(server).get(PACKAGES).set(AUTH).expect(200);
    expectGraphError(
      await request(server).get(REQUESTS),
      404,
      'ResourceNotFound',
      "The request journal is off: start the emulator with JOURNAL=on (--journal on; the library's option journal: 'on') to record requests.",
    );
    expectGraphError(await request(server).delete(REQUESTS), 404, 'ResourceNotFound', /JOURNAL=on/);
  });
});
