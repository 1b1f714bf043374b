// The start of a body refused unread that the request journal keeps is memory like any body being received: its
// bytes are taken from the budget all bodies share (bodyBudget.ts) as they come and given back once the request's
// entry is recorded, however the request ends. With no room left, nothing is kept and the entry marks the body cut;
// the request's own answer is the same.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Socket } from 'node:net';
import { createApp } from '../../server/app.js';
import { type BodyBudget, installBodyBudget } from '../../server/http/bodyBudget.js';
import { BODY_LIMIT } from '../../server/http/requestJournal.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES } from '../support/graph.js';
import { type Listening, listenOn } from '../support/realServer.js';
import { rawClient } from '../support/rawClient.js';

/** A create of `length` bytes: `{"displayName":"xx…"}`. */
const body = (length: number) => `{"displayName":"${'x'.repeat(length - 18)}"}`;
const post = (length: number, auth = '') =>
  `POST ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\n${auth}client-request-id: kept-test\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
const AUTH_LINE = 'Authorization: Bearer t\r\n';

let listening: Listening | undefined;
afterEach(async () => {
  await listening?.close();
  listening = undefined;
});

async function serve(total: number): Promise<{ port: number; budget: BodyBudget }> {
  const app = createApp({ store: new MemoryStore() });
  const budget = installBodyBudget(app, total);
  listening = await listenOn(app);
  return { port: listening.port, budget };
}

/** Resolves once `check` holds, looked at as the server's turns pass. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The journal's entries once `count` are recorded. */
async function entries(port: number, count: number): Promise<Array<Record<string, unknown>>> {
  for (;;) {
    const value = ((await (await fetch(`http://127.0.0.1:${port}/_emulator/requests`)).json()) as { value: Array<Record<string, unknown>> }).value;
    if (value.length >= count) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The 401 a request without a token gets, whatever the journal keeps of its body. */
function expectNoToken(answer: string): void {
  const [head, text] = answer.split('\r\n\r\n') as [string, string];
  expect(head).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
  expect(head).toMatch(/\r\nclient-request-id: kept-test\r\n/i);
  expect(head).toMatch(/\r\nWWW-Authenticate: Bearer /i);
  expect(JSON.parse(text).error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
}

/** A budget of `total` bytes, a request refused unread whose `length` bytes are all sent, and its entry. */
async function refusedWhole(total: number, length: number) {
  const { port, budget } = await serve(total);
  const refused = rawClient(port);
  refused.socket.write(post(length) + body(length));
  expectNoToken(await refused.answer(1));
  const [entry] = await entries(port, 1);
  return { entry, budget, port, refused };
}

/** A budget of 10,500 bytes, and a request refused unread whose 10,000 bytes sent, all but the last, it holds. */
async function holdingRefused() {
  const { port, budget } = await serve(10_500);
  const refused = rawClient(port);
  // All but its last byte: the request goes on, its entry not yet recorded.
  refused.socket.write(post(10_001) + body(10_001).slice(0, -1));
  expectNoToken(await refused.answer(1));
  await until(() => budget.inUse === 10_000);
  return { port, budget, refused };
}

describe('the start of a body refused unread, kept for the journal', () => {
  it('holds its bytes of the budget while it comes: a body past what is left is refused, until its entry is recorded', async () => {
    const { port, budget, refused } = await holdingRefused();
    const create = rawClient(port);
    create.socket.write(post(1_000, AUTH_LINE) + body(1_000));
    const [head, text] = (await create.answer(1)).split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(head).toMatch(/\r\nRetry-After: 1\r\n/);
    expect(JSON.parse(text).error).toMatchObject({ code: 'serviceNotAvailable', innerError: { 'client-request-id': 'kept-test' } });
    refused.socket.write('}');
    const entry = (await entries(port, 2)).find((e) => e['status'] === 401);
    expect(entry).toMatchObject({ status: 401, requestBody: { displayName: 'x'.repeat(10_001 - 18) }, requestBodyTruncated: false });
    expect(budget.inUse).toBe(0);
    create.socket.write(post(1_000, AUTH_LINE) + body(1_000));
    expect(await create.answer(2)).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
  });

  it('takes no more than the start the entry shows: a body past what is left, refused unread, is shown cut, not dropped', async () => {
    // 200,000 bytes against a budget of 100,000: its first 65,544 bytes (BODY_LIMIT characters and one more, 4
    // bytes each) are all the entry needs, and all it takes.
    const { entry, budget } = await refusedWhole(100_000, 200_000);
    expect(entry).toMatchObject({ status: 401, requestBody: body(200_000).slice(0, BODY_LIMIT), requestBodyTruncated: true });
    expect(budget.inUse).toBe(0);
  });

  it('gives them back when its client leaves before the body ends', async () => {
    const { port, budget, refused } = await holdingRefused();
    refused.socket.destroy();
    const [entry] = await entries(port, 1);
    expect(entry).toMatchObject({ status: 401, requestBodyTruncated: false });
    expect(budget.inUse).toBe(0);
  });

  it('is not kept when the budget has no room for it: the entry shows no body, marked cut, the answer the same', async () => {
    const { entry, budget, port, refused } = await refusedWhole(1_000, 5_000);
    expect(entry).toMatchObject({ status: 401, requestBody: null, requestBodyTruncated: true });
    expect(budget.inUse).toBe(0);
    // A body that fits is kept whole, as before.
    refused.socket.write(post(500) + body(500));
    expectNoToken(await refused.answer(2));
    const [, second] = await entries(port, 2);
    expect(second).toMatchObject({ status: 401, requestBody: { displayName: 'x'.repeat(500 - 18) }, requestBodyTruncated: false });
    expect(budget.inUse).toBe(0);
  });

  it('once a later chunk finds no room, gives back what it held at once and keeps nothing after: the entry shows no body, marked cut', async () => {
    const { port, budget } = await serve(3_000);
    let connection: Socket | undefined;
    listening!.server.once('connection', (socket: Socket) => {
      connection = socket;
    });
    const refused = rawClient(port);
    const sent = body(4_500);
    refused.socket.write(post(4_500) + sent.slice(0, 2_000));
    expectNoToken(await refused.answer(1));
    await until(() => budget.inUse === 2_000);
    // 2,000 more find no room: the 2,000 held are given back as they are read, while the body still comes.
    const read = connection!.bytesRead;
    refused.socket.write(sent.slice(2_000, 4_000));
    await until(() => connection!.bytesRead === read + 2_000);
    expect(budget.inUse).toBe(0);
    const create = rawClient(port);
    create.socket.write(post(1_500, AUTH_LINE) + body(1_500));
    expect(await create.answer(1)).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    // The last 500 bytes would fit, but a start with a hole in it is no start: nothing of it is kept.
    refused.socket.write(sent.slice(4_000));
    const entry = (await entries(port, 2)).find((e) => e['status'] === 401);
    expect(entry).toMatchObject({ status: 401, requestBody: null, requestBodyTruncated: true });
    expect(budget.inUse).toBe(0);
  });
});
