// The bodies all requests are receiving at once share one budget (bodyBudget.ts): a body that would pass what is
// left is answered at once, 503 serviceNotAvailable with Retry-After in Graph's envelope, on every route that reads
// a body, and the budget comes back to zero however a body ends.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { gzipSync } from 'node:zlib';
import { createApp } from '../../server/app.js';
import { type BodyBudget, installBodyBudget } from '../../server/http/bodyBudget.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES, expectGraphError } from '../support/graph.js';
import { type Listening, listenOn } from '../support/realServer.js';
import { rawClient } from '../support/rawClient.js';

/** The budget of these tests: one body of HOLD bytes leaves LEFT. */
const HOLD = 100_000;
const LEFT = 1_000;
const HEADERS = 'Host: localhost\r\nAuthorization: Bearer t\r\nclient-request-id: budget-test\r\n';

let listening: Listening | undefined;
afterEach(async () => {
  await listening?.close();
  listening = undefined;
});

async function serve(): Promise<{ port: number; budget: BodyBudget }> {
  const app = createApp({ store: new MemoryStore() });
  const budget = installBodyBudget(app, HOLD + LEFT);
  listening = await listenOn(app);
  return { port: listening.port, budget };
}

/** Resolves once `check` holds, looked at as the server's turns pass. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A create of HOLD bytes of which all but the last 10 are sent: it holds HOLD - 10 bytes of the budget. */
async function holdingUpload(port: number, budget: BodyBudget) {
  const body = `{"displayName":"held"}${' '.repeat(HOLD - 22)}`;
  const connection = rawClient(port);
  connection.socket.write(`POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Content-Type: application/json\r\nContent-Length: ${HOLD}\r\n\r\n`);
  connection.socket.write(body.slice(0, -10));
  await until(() => budget.inUse === HOLD - 10);
  return { connection, finish: () => connection.socket.write(body.slice(-10)) };
}

/** A raw answer as supertest gives it, for expectGraphError. */
function parsed(answer: string): Response {
  const [head, body] = answer.split('\r\n\r\n') as [string, string];
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(body) } as unknown as Response;
}

const MESSAGE = `The emulator holds other request bodies (being received, or a $batch's while its requests run), and this one would pass the ${HOLD + LEFT} bytes it holds for all of them at once. Try the request again after a delay.`;

function expectRefusal(answer: string): void {
  const res = parsed(answer);
  expectGraphError(res, 503, 'serviceNotAvailable', MESSAGE);
  expect(res.headers['retry-after']).toBe('1');
  expect(res.headers['client-request-id']).toBe('budget-test');
}

describe('a body that would pass what the budget has left', () => {
  const routes = [
    ['a Graph create', `POST ${PACKAGES}`, 'application/json'],
    ['a $batch', 'POST /beta/$batch', 'application/json'],
    ['a reset', 'POST /_emulator/reset', 'application/json'],
    ['a baseline saved', 'PUT /_emulator/snapshots/b1', 'application/json'],
    ['fault rules', 'PUT /_emulator/faults', 'application/json'],
    ['a token of the admin API', 'POST /_emulator/token', 'application/json'],
    ['the OAuth token form', 'POST /common/oauth2/v2.0/token', 'application/x-www-form-urlencoded'],
  ] as const;

  it.each(routes)('%s: its declared length is answered at once, before a byte of it is sent', async (_name, line, type) => {
    const { port, budget } = await serve();
    const held = await holdingUpload(port, budget);
    const refused = rawClient(port);
    refused.socket.write(`${line} HTTP/1.1\r\n${HEADERS}Content-Type: ${type}\r\nContent-Length: ${LEFT + 20}\r\n\r\n`);
    expectRefusal(await refused.answer(1));
    expect(budget.inUse).toBe(HOLD - 10);
    held.finish();
    expect(await held.connection.answer(1)).toMatch(/^HTTP\/1\.1 201 [\s\S]*"displayName":"held"/);
    await until(() => budget.inUse === 0);
  });

  it('a chunked body is answered as it passes, the rest is dropped and the connection serves its next request', async () => {
    const { port, budget } = await serve();
    const held = await holdingUpload(port, budget);
    const refused = rawClient(port);
    refused.socket.write(`POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    refused.socket.write(`${(LEFT + 20).toString(16)}\r\n${' '.repeat(LEFT + 20)}\r\n`);
    expectRefusal(await refused.answer(1));
    refused.socket.write(`${(5_000).toString(16)}\r\n${' '.repeat(5_000)}\r\n0\r\n\r\nGET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(await refused.answer(2)).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*"status":"ok"/);
    held.finish();
    expect(await held.connection.answer(1)).toMatch(/^HTTP\/1\.1 201 /);
    await until(() => budget.inUse === 0);
  });

  // Bodies that body-parser reads (a content coding, another charset): its reader is let go of, and never answers.
  it.each([
    ['gzip', 'Content-Encoding: gzip\r\n', gzipSync(Buffer.from(JSON.stringify({ displayName: 'x'.repeat(50_000) })), { level: 0 })],
    ['UTF-16', '', Buffer.from(JSON.stringify({ displayName: 'x'.repeat(5_000) }), 'utf16le')],
  ] as const)('a chunked %s body too, read by the library, with nothing left of its reader', async (name, coding, body) => {
    const { port, budget } = await serve();
    const held = await holdingUpload(port, budget);
    const refused = rawClient(port);
    const type = name === 'UTF-16' ? 'application/json; charset=utf-16le' : 'application/json';
    refused.socket.write(`POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Content-Type: ${type}\r\n${coding}Transfer-Encoding: chunked\r\n\r\n`);
    refused.socket.write(Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]));
    expectRefusal(await refused.answer(1));
    refused.socket.write('0\r\n\r\nGET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await refused.answer(2)).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*"status":"ok"/);
    held.finish();
    expect(await held.connection.answer(1)).toMatch(/^HTTP\/1\.1 201 /);
    await until(() => budget.inUse === 0);
  });

  it('a gzip body that fits on the wire but not once inflated is counted as it inflates', async () => {
    const { port, budget } = await serve();
    const held = await holdingUpload(port, budget);
    const inflated = JSON.stringify({ displayName: 'x' }) + ' '.repeat(50_000);
    const body = gzipSync(Buffer.from(inflated));
    expect(body.length).toBeLessThan(LEFT);
    const refused = rawClient(port);
    refused.socket.write(
      `POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    refused.socket.write(body);
    expectRefusal(await refused.answer(1));
    held.finish();
    expect(await held.connection.answer(1)).toMatch(/^HTTP\/1\.1 201 /);
    await until(() => budget.inUse === 0);
    // With the budget free again, the same body is read and stored.
    refused.socket.write(
      `POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    refused.socket.write(body);
    expect(await refused.answer(2)).toMatch(/^HTTP\/1\.1 201 [\s\S]*"displayName":"x"/);
    await until(() => budget.inUse === 0);
  });

  it('a GET is served while the budget is taken', async () => {
    const { port, budget } = await serve();
    await holdingUpload(port, budget);
    const reader = rawClient(port);
    reader.socket.write(`GET ${PACKAGES}?$top=1 HTTP/1.1\r\n${HEADERS}\r\n`);
    expect(await reader.answer(1)).toMatch(/^HTTP\/1\.1 200 OK/);
  });
});
