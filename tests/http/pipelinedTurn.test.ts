// Requests pipelined on one connection are handled one at a time (server/http/pipelinedTurn.ts): the next is handled
// once the answer before it is handed to the socket, so a client that pipelines and reads nothing holds one answer,
// not one per request. Answers come in the order the requests were sent, each its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { RequestJournal } from '../../server/http/requestJournal.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { CATALOGS, PACKAGES as PATH } from '../support/graph.js';
import { rawClient } from '../support/rawClient.js';

const store = new MemoryStore();
const journal = new RequestJournal();
const faults = new FaultEngine();
const server = http.createServer(createApp({ store, journal, faults }));
let port = 0;
let catalogId = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const made = await fetch(`http://127.0.0.1:${port}${CATALOGS}`, {
    method: 'POST',
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName: 'Pipelined' }),
  });
  catalogId = ((await made.json()) as { id: string }).id;
});

afterAll(async () => {
  faults.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function head(method: string, path: string, extra: string[] = []): string {
  return [`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Authorization: Bearer t', ...extra].join('\r\n');
}

function create(name: string): string {
  const body = JSON.stringify({ displayName: name, catalogId });
  return `${head('POST', PATH, ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`])}\r\n\r\n${body}`;
}

function entryOf(path: string, method: string) {
  return journal.list((entry) => entry.method === method && entry.path === path).at(-1);
}

const parsed = (answer: string) => JSON.parse(answer.split('\r\n\r\n')[1]!) as Record<string, unknown>;

describe('requests pipelined on one connection', () => {
  it('are handled in turn: the create sent behind a slow get starts once the get is answered, and both answers come in order', async () => {
    const client = rawClient(port);
    // Both in one write: Node parses them in one read and, without the turn, handled the create at once.
    client.socket.write(`${head('GET', `${PATH}?$top=1`, ['X-Emulator-Fault: delay=300'])}\r\n\r\n${create('pipelined second')}`);
    const [first, second] = [await client.answer(1), await client.answer(2)];
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toMatch(/\r\nrequest-id: [0-9a-f-]{36}\r\n/i);
    expect(parsed(first)).toMatchObject({ '@odata.context': expect.stringContaining('accessPackages'), value: expect.any(Array) });
    expect(second).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(second).toMatch(/\r\nlocation: http:\/\/localhost\/beta\/identityGovernance\/entitlementManagement\/accessPackages\/[0-9a-f-]{36}\r\n/i);
    expect(parsed(second)).toMatchObject({ displayName: 'pipelined second' });
    const get = entryOf(PATH, 'GET')!;
    const post = entryOf(PATH, 'POST')!;
    // A timer may fire up to a millisecond before the clock the journal reads says its time is up.
    expect(get.durationUs).toBeGreaterThanOrEqual(295_000);
    // The create's entry starts when its step ran: not before the get's answer, held by its 300 ms delay, was handed
    // to the socket (handled at once, it would start within a millisecond of the get). The get's own entry ends later,
    // when its answer's write is done, which on a loaded machine can come after the create has started: the bound is
    // the delay, less the entries' whole-millisecond start times read from two clocks.
    expect(post.startedAt).toBeGreaterThanOrEqual(get.startedAt + 300 - 3);
    client.socket.destroy();
  });

  it('behind an answer that never comes is never handled once the connection closes: nothing is written', async () => {
    const client = rawClient(port);
    client.socket.write(`${head('GET', `${PATH}?$top=1`, ['X-Emulator-Fault: drop=hang'])}\r\n\r\n${create('never handled')}`);
    // The hung get is journaled when its connection closes (status null); the create behind it never ran.
    const hungCount = journal.list((entry) => entry.status === null).length;
    // The get is hung (so both requests, sent in one write, were read) before the client goes.
    await new Promise<void>((resolve) => {
      const look = () => (faults.hungConnections > 0 ? resolve() : setTimeout(look, 10));
      look();
    });
    client.socket.destroy();
    await new Promise<void>((resolve) => {
      const look = () => (journal.list((entry) => entry.status === null).length > hungCount ? resolve() : setTimeout(look, 10));
      look();
    });
    const answer = await new Promise<{ status?: number; body: string }>((resolve) => {
      http.get(
        `http://127.0.0.1:${port}${PATH}?$filter=displayName eq 'never handled'`.replaceAll(' ', '%20'),
        { headers: { Authorization: 'Bearer t' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode, body }));
        },
      );
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ value: [] });
    expect(journal.list((entry) => entry.method === 'POST' && entry.path === PATH).map((e) => e.status)).not.toContain(null);
  });
});
