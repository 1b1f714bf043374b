// What the request journal records of a request while it runs (journalCapture.ts), as GET /_emulator/requests
// shows it: which paths are Graph's, a body sent without a length, a $batch item's body no step read, and the time
// and duration of an exchange.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { BODY_LIMIT } from '../../server/http/requestJournal.js';
import { AUTH, PACKAGES } from '../support/graph.js';
import { listenOn } from '../support/realServer.js';
import { rawClient } from '../support/rawClient.js';

const REQUESTS = '/_emulator/requests';

async function journal(server: ReturnType<typeof createApp>) {
  const res = await request(server).get(REQUESTS).expect(200);
  return res.body.value as Array<Record<string, unknown>>;
}

/**
 * A create with `headers` and `body`, sent without a token on a socket of its own: its 401, then its entry's status,
 * request body and cut mark, once recorded (after the body is read, past the answer).
 */
async function refusedUnread(headers: string, body: string | Buffer): Promise<unknown[]> {
  const server = createApp({ store: new MemoryStore() });
  const served = await listenOn(server);
  try {
    const client = rawClient(served.port);
    client.socket.write(`POST ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n\r\n`);
    client.socket.write(body);
    expect(await client.answer(1)).toMatch(/^HTTP\/1\.1 401 /);
    let entries: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 50 && entries.length < 1; i += 1) entries = await journal(server);
    expect(entries).toHaveLength(1);
    client.socket.destroy();
    return [entries[0]!['status'], entries[0]!['requestBody'], entries[0]!['requestBodyTruncated']];
  } finally {
    await served.close();
  }
}

describe('the request journal records', () => {
  it('a version named in any case, as Express routes it, and nothing that only starts like one', async () => {
    const server = createApp({ store: new MemoryStore() });
    await request(server).get(PACKAGES.replace('/beta/', '/BETA/')).set(AUTH).expect(200);
    await request(server).get('/V1.0/identityGovernance/entitlementManagement/accessPackages').set(AUTH);
    await request(server).get('/x/beta/identityGovernance').set(AUTH).expect(404);
    await request(server).get('/v1x0/identityGovernance').set(AUTH).expect(404);
    expect((await journal(server)).map((e) => [e['method'], e['path']])).toEqual([
      ['GET', PACKAGES.replace('/beta/', '/BETA/')],
      ['GET', '/V1.0/identityGovernance/entitlementManagement/accessPackages'],
    ]);
  });

  it('each exchange at the time it arrived: an injected delay counts in its duration, not in its time', async () => {
    const server = createApp({ store: new MemoryStore() });
    const before = Date.now();
    await request(server).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'delay=50').expect(200);
    const after = Date.now();
    const [entry] = await journal(server);
    const time = Date.parse(String(entry!['time']));
    const durationMs = entry!['durationMs'] as number;
    expect(durationMs).toBeGreaterThanOrEqual(49);
    // Its time and duration end when the answer went out, before the client had it.
    expect(time).toBeGreaterThanOrEqual(before - 1);
    expect(time + durationMs).toBeLessThanOrEqual(after + 1);
  });

  it('the body of a request refused unread that came chunked, with no Content-Length', async () => {
    const body = JSON.stringify({ displayName: 'Chunked' });
    const entry = await refusedUnread('Content-Type: application/json\r\nTransfer-Encoding: chunked', `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
    expect(entry).toEqual([401, { displayName: 'Chunked' }, false]);
  });

  it('a UTF-32 body refused unread one character past the cap, after a byte order mark: its first characters, marked cut', async () => {
    const text = `{"displayName":"${'x'.repeat(BODY_LIMIT + 1 - 18)}"}`;
    // After a byte order mark, which the entry does not show.
    const bytes = Buffer.alloc(4 + text.length * 4);
    bytes.writeUInt32BE(0xfeff, 0);
    for (let i = 0; i < text.length; i += 1) bytes.writeUInt32BE(text.charCodeAt(i), 4 + i * 4);
    const entry = await refusedUnread(`Content-Type: application/json; charset=utf-32\r\nContent-Length: ${bytes.length}`, bytes);
    // Four bytes a character: the bytes kept hold one character more than the entry shows, so it knows it cut.
    expect(entry).toEqual([401, text.slice(0, BODY_LIMIT), true]);
  });

  it("a $batch item's body refused unread as a lone request's would be: none when it is empty or in a charset with no decoder", async () => {
    const server = createApp({ store: new MemoryStore() });
    const url = '/identityGovernance/entitlementManagement/accessPackages';
    const fault = { 'X-Emulator-Fault': 'status=503' };
    const requests = [
      // Sent base64url, decoded as the charset says: UTF-7 is no charset the journal can read.
      {
        id: '1',
        method: 'POST',
        url,
        headers: { ...fault, 'Content-Type': 'application/xml; charset=utf-7' },
        body: Buffer.from('<a>+AGQ-</a>').toString('base64url'),
      },
      { id: '2', method: 'POST', url, headers: { ...fault, 'Content-Type': 'application/xml' }, body: Buffer.from('<a>seen</a>').toString('base64url') },
      // An empty body, as a lone request with Content-Length: 0 has none.
      { id: '3', method: 'POST', url, headers: { ...fault, 'Content-Type': 'text/plain' }, body: '' },
    ];
    const batch = await request(server).post('/beta/$batch').set(AUTH).send({ requests }).expect(200);
    expect(batch.headers['content-type']).toBe('application/json');
    expect(batch.body.responses.map((r: { headers: Record<string, string> }) => r.headers['Content-Type'])).toEqual(Array(3).fill('application/json'));
    expect(batch.body.responses.map((r: { id: string; status: number }) => [r.id, r.status])).toEqual([
      ['1', 503],
      ['2', 503],
      ['3', 503],
    ]);
    const items = (await journal(server)).slice(1);
    expect(items.map((e) => [e['batchItemId'], e['status'], e['requestBody'], e['requestBodyTruncated']])).toEqual([
      ['1', 503, null, false],
      ['2', 503, '<a>seen</a>', false],
      ['3', 503, null, false],
    ]);
  });
});
