// The answers all connections hold, handed to Node but not yet taken by their clients, share one budget
// (answerBudget.ts): an answer that would pass what is left is Graph's 503 with Retry-After, a small answer still
// fits, and the budget comes back once the client that held it reads its answer or goes away.
import { afterEach, describe, expect, it } from '@jest/globals';
import { type Socket, connect } from 'node:net';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { installAnswerBudget } from '../../server/http/answerBudget.js';
import type { ByteBudget } from '../../server/http/byteBudget.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';
import { type Listening, type RawAnswer, listenOn, send } from '../support/realServer.js';

// 100 packages of 150 KB: a page of 15 MB, far more than the socket buffers of a client that reads nothing take (on
// loopback, up to 4 MiB sent and as much received), so Node keeps the rest of it until the client reads it.
const RECORDS = Array.from({ length: 100 }, (_, i) => accessPackage({ displayName: `Package ${i}`, description: 'x'.repeat(150_000) }));
const HEADERS = { Authorization: 'Bearer t', 'client-request-id': 'answer-budget-test' };
/** What the budget has beside one large page. */
const LEFT = 1_000;

let listening: Listening | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await listening?.close();
  listening = undefined;
});

async function serve(total: (page: number) => number): Promise<{ app: Express; port: number; budget: ByteBudget; page: number }> {
  const app = createApp({ store: new MemoryStore(datasetOf({ accessPackages: RECORDS })) });
  listening = await listenOn(app);
  const page = Buffer.byteLength((await send(listening.port, { path: PACKAGES, headers: HEADERS })).text);
  return { app, port: listening.port, budget: installAnswerBudget(app, total(page)), page };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Asks for the large page on a connection that reads nothing, until the budget holds it. */
async function heldPage(port: number, budget: ByteBudget, page: number): Promise<Socket> {
  const client = connect(port, '127.0.0.1');
  sockets.push(client);
  client.on('error', () => undefined);
  client.pause();
  client.write(`GET ${PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer t\r\n\r\n`);
  await until(() => budget.inUse === page);
  return client;
}

/** `bytes`: the refused answer's size, when the test knows it. */
function expectRefusal(answer: RawAnswer, bytes: number | undefined, total: number): void {
  const message = `The emulator holds other answers that their clients have not taken yet, and this one of ${bytes ?? 'N'} bytes would pass the ${total} bytes it holds for all of them at once. Try the request again after a delay.`;
  expectGraphError(
    answer,
    503,
    'serviceNotAvailable',
    bytes === undefined ? new RegExp(`^${message.replace(/[$.]/g, '\\$&').replace(' N ', ' \\d+ ')}$`) : message,
  );
  expect(answer.headers['retry-after']).toBe('1');
  expect(answer.headers['client-request-id']).toBe('answer-budget-test');
}

describe('an answer that would pass what the budget of answers has left', () => {
  it('is a 503 while another client holds a large answer, and the same request succeeds once that client has read it', async () => {
    const { port, budget, page } = await serve((page) => page + LEFT);
    const held = await heldPage(port, budget, page);
    expectRefusal(await send(port, { path: PACKAGES, headers: HEADERS }), page, page + LEFT);
    // The 503 itself is never counted, and gives nothing back.
    expect(budget.inUse).toBe(page);

    // Given back once the rest of the answer is handed to the system, what the client's reading makes room for.
    held.resume();
    await until(() => budget.inUse === 0);
    const again = await send(port, { path: PACKAGES, headers: HEADERS });
    expect(again.status).toBe(200);
    expect(again.body.value).toHaveLength(RECORDS.length);
  }, 30_000);

  it('a small answer still fits while the budget is nearly used', async () => {
    const { port, budget, page } = await serve((page) => page + LEFT);
    await heldPage(port, budget, page);
    const small = await send(port, { path: `${PACKAGES}?$top=1&$select=id`, headers: HEADERS });
    expect(small.status).toBe(200);
    expect(small.headers['request-id']).toBeDefined();
    expect(small.body.value).toEqual([{ id: RECORDS[0]!.id }]);
    await until(() => budget.inUse === page);
  }, 30_000);

  it("is refused on the admin API too, whose answers Express sends, with the 503's own length", async () => {
    const { port, budget, page } = await serve((page) => page + LEFT);
    await heldPage(port, budget, page);
    // The journal's list holds the large answer's entry: more than LEFT bytes.
    const answer = await send(port, { path: '/_emulator/requests', headers: HEADERS });
    expectRefusal(answer, undefined, page + LEFT);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.text)));
    expect(budget.inUse).toBe(page);
  }, 30_000);

  it('is given back when its client closes the connection half-way', async () => {
    const { port, budget, page } = await serve((page) => page + LEFT);
    const held = await heldPage(port, budget, page);
    held.destroy();
    await until(() => budget.inUse === 0);
    const again = await send(port, { path: PACKAGES, headers: HEADERS });
    expect(again.status).toBe(200);
    expect(Buffer.byteLength(again.text)).toBe(page);
  }, 30_000);
});

describe('what the budget counts', () => {
  it("a $batch's answer once, whole, not its items' answers besides", async () => {
    const requests = [1, 2].map((id) => ({ id: String(id), method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages?$top=20' }));
    const batch = { method: 'POST', path: '/beta/$batch', headers: { ...HEADERS, 'Content-Type': 'application/json' }, body: JSON.stringify({ requests }) };
    const { app, port } = await serve(() => Number.MAX_SAFE_INTEGER);
    const whole = Buffer.byteLength((await send(port, batch)).text);
    // Room for the batch's answer alone: counting its items as well would pass it.
    installAnswerBudget(app, whole + 100);
    const answer = await send(port, batch);
    expect(answer.status).toBe(200);
    expect(answer.body.responses.map((item: { status: number }) => item.status)).toEqual([200, 200]);
    expect(answer.body.responses[0].body.value).toHaveLength(20);
    installAnswerBudget(app, whole - 1);
    expectRefusal(await send(port, batch), whole, whole - 1);
  }, 30_000);

  it("nothing for an answer without a body: a DELETE's 204 is sent while the budget has 10 bytes", async () => {
    const { port, budget } = await serve(() => 10);
    const removed = await send(port, { method: 'DELETE', path: `${PACKAGES}/${RECORDS[0]!.id}`, headers: HEADERS });
    expect([removed.status, removed.text, removed.headers['odata-version'], removed.headers['client-request-id']]).toEqual([
      204,
      '',
      '4.0',
      'answer-budget-test',
    ]);
    expect(budget.inUse).toBe(0);
    // The package is gone: its GET is a 404 whose body the 10 bytes cannot hold.
    expectRefusal(await send(port, { path: `${PACKAGES}/${RECORDS[0]!.id}`, headers: HEADERS }), undefined, 10);
  }, 30_000);

  it('not an export, which goes one at a time already, nor an answer to HEAD, which has no body', async () => {
    const { port } = await serve(() => 10);
    expectRefusal(await send(port, { path: `${PACKAGES}?$top=1&$select=id`, headers: HEADERS }), undefined, 10);
    const head = await send(port, { method: 'HEAD', path: PACKAGES, headers: HEADERS });
    expect(head.status).toBe(200);
    expect(head.headers['odata-version']).toBe('4.0');
    const exported = await send(port, { path: '/_emulator/export' });
    expect(exported.status).toBe(200);
    expect(exported.body.accessPackages).toHaveLength(RECORDS.length);
  }, 30_000);
});
