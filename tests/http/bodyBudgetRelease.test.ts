// What the bodies being received hold of their budget (bodyBudget.ts) comes back to zero however each ends: read
// and answered, refused (413, 503), its client gone mid-body (closed, reset), its request past the server's timeout,
// on the plain path and on body-parser's, over real sockets.
import { afterEach, describe, expect, it } from '@jest/globals';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createApp } from '../../server/app.js';
import { type BodyBudget, bodyBudgetOf } from '../../server/http/bodyBudget.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES } from '../support/graph.js';
import { rawClient } from '../support/rawClient.js';

const HEADERS = 'Host: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\n';
const KB = 1024;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** The emulator's app on port 0; a request not received within `requestTimeoutMs` is Node's 408. */
async function serve(requestTimeoutMs = 60_000): Promise<{ port: number; budget: BodyBudget }> {
  const app = createApp({ store: new MemoryStore() });
  server = createServer({ requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: 50 }, app);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, budget: bodyBudgetOf(app) };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const SPACES = Buffer.alloc(48 * KB, ' ');

/** `count` uploads of 64 KiB declared, `sent` of each sent: the budget holds all of it (and what a decompressor made of it). */
async function startUploads(
  port: number,
  budget: BodyBudget,
  count: number,
  head = `POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Content-Length: ${64 * KB}\r\n\r\n`,
  sent = SPACES,
) {
  const uploads = Array.from({ length: count }, () => rawClient(port));
  for (const upload of uploads) upload.socket.write(Buffer.concat([Buffer.from(head), sent]));
  await until(() => budget.inUse >= count * sent.length);
  return uploads;
}

describe('the budget comes back to zero', () => {
  it('when the clients close their connections mid-body', async () => {
    const { port, budget } = await serve();
    for (const upload of await startUploads(port, budget, 20)) upload.socket.destroy();
    await until(() => budget.inUse === 0);
  });

  it('when the clients reset their connections mid-body (a socket error on the server)', async () => {
    const { port, budget } = await serve();
    for (const upload of await startUploads(port, budget, 20)) upload.socket.resetAndDestroy();
    await until(() => budget.inUse === 0);
  });

  it('when the requests pass the time a request may take (408)', async () => {
    const { port, budget } = await serve(400);
    const uploads = await startUploads(port, budget, 5);
    for (const upload of uploads) expect(await upload.answer(1)).toMatch(/^HTTP\/1\.1 408 /);
    await until(() => budget.inUse === 0);
  });

  it('when the bodies end and are answered', async () => {
    const { port, budget } = await serve();
    const uploads = await startUploads(port, budget, 10);
    for (const upload of uploads) upload.socket.write(`${' '.repeat(16 * KB - 2)}{}`);
    for (const upload of uploads) expect(await upload.answer(1)).toMatch(/^HTTP\/1\.1 201 Created/);
    await until(() => budget.inUse === 0);
  });

  it('when chunked bodies pass the limit of one body (413), their rest dropped', async () => {
    const { port, budget } = await serve();
    const chunked = `POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Transfer-Encoding: chunked\r\n\r\n`;
    const uploads = Array.from({ length: 5 }, () => rawClient(port));
    for (const upload of uploads) upload.socket.write(`${chunked}${(1100 * KB).toString(16)}\r\n${' '.repeat(1100 * KB)}`);
    for (const upload of uploads) expect(await upload.answer(1)).toMatch(/^HTTP\/1\.1 413 [\s\S]*"code":"RequestEntityTooLarge"/);
    expect(budget.inUse).toBe(0);
  });

  it('when bodies body-parser reads (gzip) are cut off mid-body', async () => {
    const { port, budget } = await serve();
    const head = `POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Content-Encoding: gzip\r\nContent-Length: ${64 * KB}\r\n\r\n`;
    // The start of a gzip stream stored, not compressed: what it inflates to is counted as it comes.
    const start = gzipSync(Buffer.concat([Buffer.from('{"displayName":"x"'), randomBytes(64 * KB)]), { level: 0 }).subarray(0, 48 * KB);
    for (const upload of await startUploads(port, budget, 10, head, start)) upload.socket.destroy();
    await until(() => budget.inUse === 0);
  });

  it('when a gzip body inflates past the limit of one body (413): at once, while the rest of its body still comes', async () => {
    const { port, budget } = await serve();
    const taken: number[] = [];
    const given: number[] = [];
    const [take, give] = [budget.take.bind(budget), budget.give.bind(budget)];
    budget.take = (bytes) => {
      taken.push(bytes);
      return take(bytes);
    };
    budget.give = (bytes) => {
      given.push(bytes);
      give(bytes);
    };
    // 2 MB of JSON in a few KB of gzip; 64 KiB more declared, sent only once what it held is given back.
    const gzip = gzipSync(Buffer.from(`{"displayName":"x"${' '.repeat(2_000_000)}}`));
    const upload = rawClient(port);
    upload.socket.write(`POST ${PACKAGES} HTTP/1.1\r\n${HEADERS}Content-Encoding: gzip\r\nContent-Length: ${gzip.length + 64 * KB}\r\n\r\n`);
    upload.socket.write(gzip);
    await until(() => given.some((bytes) => bytes > 1_000_000));
    expect([budget.inUse, upload.isClosed()]).toEqual([0, false]);
    const takenBefore = taken.length;
    // The rest is read and dropped uncounted; the 413 comes once it is all in.
    upload.socket.write(Buffer.alloc(64 * KB, ' '));
    expect(await upload.answer(1)).toMatch(/^HTTP\/1\.1 413 [\s\S]*"code":"RequestEntityTooLarge"/);
    expect([taken.length, budget.inUse]).toEqual([takenBefore, 0]);
  });

  it('when a $batch body is cut off mid-body', async () => {
    const { port, budget } = await serve();
    const head = `POST /beta/$batch HTTP/1.1\r\n${HEADERS}Content-Length: ${64 * KB}\r\n\r\n`;
    for (const upload of await startUploads(port, budget, 10, head)) upload.socket.destroy();
    await until(() => budget.inUse === 0);
  });
});
