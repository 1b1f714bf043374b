// What the request journal takes out, end to end: a secret in a body refused unread whatever its charset (or the
// body itself when its charset cannot be decoded), a secret of the body where the answer quotes it (alone and in a
// $batch), a secret query parameter where a nextLink repeats it percent-encoded (alone and in a $batch item), and a
// $batch item's credential header whose value is no string.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { seedPackages } from '../support/accessPackages.js';
import { AUTH, PACKAGES, expectGraphError } from '../support/graph.js';

const REQUESTS = '/_emulator/requests';

function app() {
  return createApp({ store: new MemoryStore() });
}

/** The journal's entries once `count` are recorded (a body refused unread is recorded once it has been read). */
async function entries(server: ReturnType<typeof app>, count: number) {
  let res = await request(server).get(REQUESTS);
  for (let i = 0; i < 50 && res.body.value.length < count; i += 1) res = await request(server).get(REQUESTS);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.body.value).toHaveLength(count);
  return { text: res.text, value: res.body.value as Array<Record<string, unknown>> };
}

/** A POST of these bytes as they are (superagent writes a Buffer as JSON when the type is JSON). */
function postBytes(server: ReturnType<typeof app>, type: string, bytes: Buffer) {
  return request(server)
    .post(PACKAGES)
    .set('Content-Type', type)
    .serialize(() => bytes as unknown as string)
    .send(bytes);
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

describe('the request journal takes secrets out', () => {
  it('of a broken JSON body whose secret holds a backslash before a line end', async () => {
    const server = app();
    const body = '{"displayName": "x", "password": "SEK\\\nRET"}';
    const res = await postBytes(server, 'application/json', Buffer.from(body)).set(AUTH);
    expectGraphError(res, 400, 'BadRequest', /./);
    const { text, value } = await entries(server, 1);
    expect(text).not.toMatch(/SEK/);
    expect(value[0]).toEqual(expect.objectContaining({ status: 400, requestBody: { displayName: 'x', password: 'REDACTED' } }));
  });

  it('of a body refused unread, decoded with the charset its Content-Type names', async () => {
    const server = app();
    const body = '{"displayName":"Sixteen","password":"SEKU16"}';
    const u16 = Buffer.from(body, 'utf16le');
    const post = (type: string, bytes: Buffer) => postBytes(server, type, bytes);
    expectGraphError(await post('application/json; charset=utf-16le', u16), 401, 'InvalidAuthenticationToken');
    await post('text/plain; charset=utf-16le', u16).set(AUTH).expect(415);
    await post('application/json; charset=utf-16', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(body)])).expect(401);
    // No charset: JSON's zeros tell UTF-16.
    await post('application/json', u16).expect(401);
    const { text, value } = await entries(server, 4);
    expect(text).not.toMatch(/SEKU16|S\\u0000E/);
    const redacted = { displayName: 'Sixteen', password: 'REDACTED' };
    expect(value.map((e) => [e['status'], e['requestBody'], e['requestBodyTruncated']])).toEqual([
      [401, redacted, false],
      [415, redacted, false],
      [401, redacted, false],
      [401, redacted, false],
    ]);
    expect(value[0]!['requestHeaders']).toMatchObject({ 'content-type': 'application/json; charset=utf-16le' });
  });

  it('keeps no body refused unread in a charset it cannot decode, as for a compressed one', async () => {
    const server = app();
    // UTF-7 (which body-parser reads once a token lets the request through) spells `"` as `+ACI-`.
    const res = await postBytes(server, 'application/json; charset=utf-7', Buffer.from('{+ACI-password+ACI-:+ACI-SEKU7+ACI-}'));
    expectGraphError(res, 401, 'InvalidAuthenticationToken');
    const { text, value } = await entries(server, 1);
    expect(text).not.toContain('SEKU7');
    expect(value[0]).toMatchObject({ status: 401, requestBody: null, requestBodyTruncated: false, responseBody: res.body });
  });

  it('keeps no body refused unread whose charset hides a secret its bytes name, and keeps one whose label is right', async () => {
    const server = app();
    // UTF-8 bytes labelled UTF-16: decoded, the secret is CJK text no check reads, and encoding that text as
    // UTF-16LE again gives the bytes back.
    const wrong = Buffer.from('{"displayName":"Mislabelled","client_secret":"SEKWRONG"}');
    expectGraphError(await postBytes(server, 'application/json; charset=utf-16le', wrong), 401, 'InvalidAuthenticationToken');
    // Latin-1 that names a secret, labelled Latin-1: decoded as labelled, redacted, kept.
    const latin = Buffer.from('{"displayName":"Caf\u00e9","client_secret":"SEKLATIN"}', 'latin1');
    expectGraphError(await postBytes(server, 'application/json; charset=iso-8859-1', latin), 401, 'InvalidAuthenticationToken');
    // UTF-8 with non-ASCII text, labelled UTF-8: its bytes read one per character differ from its text, and both
    // name the secret: kept, redacted.
    const utf8 = Buffer.from('{"displayName":"Café","client_secret":"SEKUTF8"}');
    expectGraphError(await postBytes(server, 'application/json; charset=utf-8', utf8), 401, 'InvalidAuthenticationToken');
    const { text, value } = await entries(server, 3);
    expect(text).not.toMatch(/SEKWRONG|SEKLATIN|SEKUTF8/);
    expect(Buffer.from(text, 'utf16le').toString('latin1')).not.toContain('SEKWRONG');
    expect(value.map((e) => [e['status'], e['requestBody'], e['requestBodyTruncated']])).toEqual([
      [401, null, false],
      [401, { displayName: 'Café', client_secret: 'REDACTED' }, false],
      [401, { displayName: 'Café', client_secret: 'REDACTED' }, false],
    ]);
  });

  it('of the answer, where it quotes a secret of the body: a literal it could not convert', async () => {
    const server = app();
    const displayName = await request(server)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: { password: 'hun"ter2' } });
    expectGraphError(displayName, 400, 'BadRequest', /cannot convert the literal '\{"password":"hun\\"ter2"\}' to the expected type 'Edm.String'/);
    const description = await request(server)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'x', description: { client_secret: 'SEKDESC' } });
    expectGraphError(description, 400, 'BadRequest', /cannot convert the literal '\{"client_secret":"SEKDESC"\}'/);
    const { text, value } = await entries(server, 2);
    expect(text).not.toMatch(/hun\\*"ter2|SEKDESC/);
    const literal = (property: string, value: string) =>
      `Invalid value for property '${property}': cannot convert the literal '${value}' to the expected type 'Edm.String'.`;
    expect(value).toEqual([
      expect.objectContaining({
        status: 400,
        requestBody: { displayName: { password: 'REDACTED' } },
        responseBody: { error: { ...displayName.body.error, message: literal('displayName', '{"password":"REDACTED"}') } },
      }),
      expect.objectContaining({
        status: 400,
        requestBody: { displayName: 'x', description: { client_secret: 'REDACTED' } },
        responseBody: { error: { ...description.body.error, message: literal('description', '{"client_secret":"REDACTED"}') } },
      }),
    ]);
  });

  it("of a $batch's answer and its item's, and a credential header whose value is no string", async () => {
    const server = app();
    const literal = { displayName: { access_token: 'SEKBATCH' } };
    const ok = await request(server)
      .post('/beta/$batch')
      .set(AUTH)
      .send({
        requests: [
          {
            id: '1',
            method: 'POST',
            url: '/identityGovernance/entitlementManagement/accessPackages',
            headers: { 'Content-Type': 'application/json' },
            body: literal,
          },
        ],
      })
      .expect(200);
    expect(ok.body.responses[0]).toMatchObject({ id: '1', status: 400, body: { error: { message: expect.stringContaining('SEKBATCH') } } });
    const headers = [{ Authorization: ['Bearer SEKARRAY'] }, { 'proxy-authorization': { v: 'Bearer SEKOBJECT' } }, { Cookie: ['sid=SEKCOOKIE'] }];
    for (const [i, itemHeaders] of headers.entries()) {
      const refused = await request(server)
        .post('/beta/$batch')
        .set(AUTH)
        .send({ requests: [{ id: String(i), method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages', headers: itemHeaders }] });
      expectGraphError(
        refused,
        400,
        'BadRequest',
        new RegExp(
          `^Invalid batch payload format: the header '${Object.keys(itemHeaders)[0]}' of request '${i}' must be a string, a number, a Boolean or null\\.$`,
        ),
      );
    }
    const { text, value } = await entries(server, 5);
    expect(text).not.toMatch(/SEKBATCH|SEKARRAY|SEKOBJECT|SEKCOOKIE/);
    const [batch, item, ...refused] = value;
    const message = "Invalid value for property 'displayName': cannot convert the literal '{\"access_token\":\"REDACTED\"}' to the expected type 'Edm.String'.";
    expect(batch!['requestBody']).toMatchObject({ requests: [expect.objectContaining({ body: { displayName: { access_token: 'REDACTED' } } })] });
    expect(batch!['responseBody']).toMatchObject({ responses: [{ id: '1', status: 400, body: { error: expect.objectContaining({ message }) } }] });
    expect(item).toMatchObject({
      batchItemId: '1',
      status: 400,
      requestBody: { displayName: { access_token: 'REDACTED' } },
      responseBody: { error: expect.objectContaining({ message }) },
    });
    expect(refused.map((e) => [e['status'], (e['requestBody'] as { requests: Array<{ headers: unknown }> }).requests[0]!.headers])).toEqual([
      [400, { Authorization: 'REDACTED' }],
      [400, { 'proxy-authorization': 'REDACTED' }],
      [400, { Cookie: 'REDACTED' }],
    ]);
  });

  it("of a $batch body that is not JSON, and of items whose body is JSON in a string or a base64url form, in the batch's entry and the item's", async () => {
    const server = app();
    const url = '/identityGovernance/entitlementManagement/accessPackages';
    const broken = `{"requests":[{"id":"1","method":"GET","url":"${url}?access_token=SEKURL","headers":{"Authorization":"Bearer SEKTOKEN","Cookie":"a=SEKCOOKIE"}}`;
    const refused = await request(server).post('/beta/$batch').set(AUTH).set('Content-Type', 'application/json').send(broken);
    expect([refused.status, refused.headers['content-type']]).toEqual([400, expect.stringContaining('application/json')]);
    const form = Buffer.from('displayName=x&client_secret=SEKFORM', 'latin1').toString('base64url');
    const items = [
      { id: '1', method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ displayName: 'q', password: 'SEKSTRING' }) },
      { id: '2', method: 'POST', url, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form },
    ];
    const ok = await request(server).post('/beta/$batch').set(AUTH).send({ requests: items }).expect(200);
    expect(ok.body.responses.map((r: { status: number }) => r.status)).toEqual([400, 415]);
    const { text, value } = await entries(server, 4);
    expect(text).not.toMatch(/SEK/);
    // Nor is any secret spelt in base64url.
    expect(text).not.toContain(Buffer.from('SEKFORM').toString('base64url').slice(0, 6));
    const [brokenEntry, batch, ...itemEntries] = value;
    expect(brokenEntry!['requestBody']).toBe(
      `{"requests":[{"id":"1","method":"GET","url":"${url}?access_token=REDACTED","headers":{"Authorization":"Bearer","Cookie":"a"}}`,
    );
    const kept = (batch!['requestBody'] as { requests: Array<{ body: string }> }).requests.map((r) => r.body);
    expect([kept[0], Buffer.from(kept[1]!, 'base64url').toString('latin1')]).toEqual([
      JSON.stringify({ displayName: 'q', password: 'REDACTED' }),
      'displayName=x&client_secret=REDACTED',
    ]);
    // Items without dependsOn run side by side: their entries come in the order they were answered.
    const byId = itemEntries.map((e) => [e['batchItemId'], e['status'], e['requestBody']]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byId).toEqual([
      ['1', 400, JSON.stringify({ displayName: 'q', password: 'REDACTED' })],
      ['2', 415, 'displayName=x&client_secret=REDACTED'],
    ]);
  });

  it("of a list's nextLink, which repeats a secret query parameter percent-encoded, alone and in a $batch item", async () => {
    const store = new MemoryStore();
    await seedPackages(store, 2);
    const server = createApp({ store });
    const values = ['SEKRET[1]', 'TOPSECRET2%7', 'SEK{R}E|T^4"', 'SEKRET5%zz'];
    for (const value of values) {
      const res = await request(server).get(`${PACKAGES}?$top=1&$select=id&access_token=${value}`).set(AUTH).expect(200);
      expect(res.body['@odata.nextLink']).toMatch(/&access_token=SEK|&access_token=TOPSECRET2%257&/);
    }
    const url = '/identityGovernance/entitlementManagement/accessPackages?$top=1&$select=id&access_token=TOP SECRET3 "é<>';
    const batch = await request(server)
      .post('/beta/$batch')
      .set(AUTH)
      .send({ requests: [{ id: '1', method: 'GET', url }] })
      .expect(200);
    expect(batch.body.responses[0].body['@odata.nextLink']).toContain('access_token=TOP%20SECRET3%20%22%C3%A9%3C%3E&');
    const { text, value } = await entries(server, values.length + 2);
    expect(text).not.toMatch(/SEKRET|SECRET2|SEK\{|SEK%7B|SECRET3/);
    const link = (body: unknown) => (body as Record<string, string>)['@odata.nextLink'];
    const redacted =
      /^http:\/\/127\.0\.0\.1:\d+\/beta\/identityGovernance\/entitlementManagement\/accessPackages\?\$top=1&\$select=id&access_token=REDACTED&\$skiptoken=[\w-]+$/;
    for (const entry of value.slice(0, values.length)) {
      expect(entry['query']).toEqual({ $top: '1', $select: 'id', access_token: 'REDACTED' });
      expect(link(entry['responseBody'])).toMatch(redacted);
    }
    const [batchEntry, itemEntry] = value.slice(values.length);
    expect(batchEntry!['requestBody']).toEqual({ requests: [{ id: '1', method: 'GET', url: url.replace(/access_token=.*$/, 'access_token=REDACTED') }] });
    expect(link((batchEntry!['responseBody'] as { responses: Array<{ body: Record<string, unknown> }> }).responses[0]!.body)).toMatch(redacted);
    expect(itemEntry).toMatchObject({ batchItemId: '1', query: { $top: '1', $select: 'id', access_token: 'REDACTED' } });
    expect(link(itemEntry!['responseBody'])).toMatch(redacted);
  });

  it('of a body nested too deep to walk, refused as too deep, and goes on answering', async () => {
    const server = app();
    const deep = `{"password":"SEKDEEP","a":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    const res = await request(server).post(PACKAGES).set(AUTH).set('Content-Type', 'application/json').send(deep);
    expectGraphError(res, 400, 'BadRequest');
    expect(res.body.error.message).toBe('The request body nests arrays and objects more than 100 levels deep.');
    await request(server).get(PACKAGES).set(AUTH).expect(200);
    const { text, value } = await entries(server, 2);
    expect(text).not.toContain('SEKDEEP');
    // Deeper than the journal shows as JSON: kept as its text, the secret taken out.
    expect(value[0]!['requestBody']).toBe(deep.replace('SEKDEEP', 'REDACTED'));
    expect(value.map((e) => e['status'])).toEqual([400, 200]);
  });

  it('of a query option named for a secret with its `$`, refused as unsupported', async () => {
    const server = app();
    const res = await request(server).get(`${PACKAGES}?$client_secret=SEKDOLLAR`).set(AUTH);
    expectGraphError(res, 400, 'BadRequest');
    const { text, value } = await entries(server, 1);
    expect(text).not.toContain('SEKDOLLAR');
    expect(value[0]!['query']).toEqual({ $client_secret: 'REDACTED' });
  });
});
