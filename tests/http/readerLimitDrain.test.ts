// A body that body-parser reads (compressed, another charset, the OAuth form) and that passes its limit: answered at
// once, and the rest of it read and dropped within the drain's bounds (bodyDrain.ts), then the connection closed.
// body-parser itself reads the whole rest of such a body, however long it trickles, before it answers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { constants, gzipSync } from 'node:zlib';
import type { DrainLimits } from '../../server/http/bodyDrain.js';
import { errorHandler } from '../../server/http/errorHandler.js';
import { graphHeaders, installGraphHeaders } from '../../server/http/graphHeaders.js';
import { jsonBody } from '../../server/http/jsonBody.js';
import { type Listening, listenOn, realServer } from '../support/realServer.js';
import { rawClient } from '../support/rawClient.js';

const KB = 1024;
const MB = 1024 * KB;

const gzipHead = 'POST /beta/x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n';
const chunk = (data: Buffer | string) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), Buffer.from(data), Buffer.from('\r\n')]);
/** A gzip body of 10 KB once inflated, its trailer not sent: the body goes on. */
const pastLimit = chunk(gzipSync(`{"a":"${' '.repeat(10 * KB)}"}`).subarray(0, -8));

/** Writes `data`, then lets the event loop turn, so that a closed connection is seen. */
const write = async (connection: ReturnType<typeof rawClient>, data: Buffer | string) => {
  await new Promise<void>((resolve) => connection.socket.write(data, () => resolve()));
  await new Promise((resolve) => setImmediate(resolve));
};

/** Up to 64 MB more of the body, far more than the drain size and the sockets' buffers, until the connection closes. */
async function sendUntilClosed(connection: ReturnType<typeof rawClient>): Promise<void> {
  for (let sent = 0; !connection.isClosed() && sent < 64 * MB; sent += 64 * KB) await write(connection, chunk(Buffer.alloc(64 * KB, 'x')));
}

function expectTooLarge(answer: string): void {
  const [head, body] = answer.split('\r\n\r\n') as [string, string];
  expect(head).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
  expect(head).toMatch(/\r\nrequest-id: [0-9a-f-]{36}\r\n/i);
  expect(head).toMatch(/\r\ncontent-type: application\/json/i);
  expect(JSON.parse(body).error).toMatchObject({
    code: 'RequestEntityTooLarge',
    message: 'The request body exceeds the maximum allowed size of 1024 bytes.',
    innerError: { 'request-id': expect.any(String), date: expect.any(String) },
  });
}

async function serve(drain: DrainLimits): Promise<Listening> {
  const app = express();
  installGraphHeaders(app);
  app.use(graphHeaders, jsonBody(1024, { drain }), (_req, res) => res.json({}));
  app.use(errorHandler(() => undefined));
  return listenOn(app);
}

describe('a compressed body past the limit', () => {
  let bytesBound: Listening;
  let timeBound: Listening;
  beforeAll(async () => {
    bytesBound = await serve({ maxBytes: 256 * KB, maxMs: 600_000 });
    timeBound = await serve({ maxBytes: 64 * MB, maxMs: 200 });
  });
  afterAll(async () => {
    await bytesBound.close();
    await timeBound.close();
  });

  it('is answered 413 before its body ends, and the connection is closed once more than the drain size follows', async () => {
    const connection = rawClient(bytesBound.port);
    await write(connection, Buffer.concat([Buffer.from(gzipHead), pastLimit]));
    await sendUntilClosed(connection);
    expect(connection.isClosed()).toBe(true);
    expectTooLarge(await connection.answer(1));
  });

  it('that is not gzip is answered 400 before its body ends, and the connection is closed once more than the drain size follows', async () => {
    const connection = rawClient(bytesBound.port);
    await write(connection, Buffer.concat([Buffer.from(gzipHead), chunk('not gzip at all')]));
    await sendUntilClosed(connection);
    expect(connection.isClosed()).toBe(true);
    const [head, body] = (await connection.answer(1)).split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nrequest-id: [0-9a-f-]{36}\r\n/i);
    expect(JSON.parse(body).error).toMatchObject({
      code: 'BadRequest',
      message: "The request body could not be decompressed: it is not valid 'gzip' data, as its Content-Encoding says.",
    });
  });

  it('is answered 413 before its body ends, and a rest that trickles is not waited for past the drain time', async () => {
    const connection = rawClient(timeBound.port);
    await write(connection, Buffer.concat([Buffer.from(gzipHead), pastLimit]));
    // A byte every 10 ms, 2 s in all at the least, against a drain time of 200 ms on the same event loop.
    for (let bytes = 0; !connection.isClosed() && bytes < 200; bytes += 1) {
      await write(connection, chunk('x'));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(connection.isClosed()).toBe(true);
    expectTooLarge(await connection.answer(1));
  });

  it('is read when it inflates to exactly the limit, and answered 413 before its body ends at one byte past it', async () => {
    const exact = rawClient(bytesBound.port);
    // `{"a":"…"}`: 8 bytes around the spaces, 1,024 in all.
    await write(exact, Buffer.concat([Buffer.from(gzipHead), chunk(gzipSync(`{"a":"${' '.repeat(1016)}"}`)), Buffer.from('0\r\n\r\n')]));
    const [head, body] = (await exact.answer(1)).split('\r\n\r\n') as [string, string];
    expect([head.split('\r\n')[0], body]).toEqual(['HTTP/1.1 200 OK', '{}']);
    exact.socket.destroy();
    const past = rawClient(bytesBound.port);
    // 1,025 bytes once inflated, the gzip trailer and the end of the body never sent.
    await write(past, Buffer.concat([Buffer.from(gzipHead), chunk(gzipSync(`{"a":"${' '.repeat(1017)}"}`).subarray(0, -8))]));
    expectTooLarge(await past.answer(1));
    past.socket.destroy();
  });
});

describe('a body in another charset past the limit', () => {
  it('sent in chunks, is answered 413 before its body ends', async () => {
    const listening = await serve({ maxBytes: 256 * KB, maxMs: 600_000 });
    try {
      const connection = rawClient(listening.port);
      const head = gzipHead.replace('Content-Type: application/json\r\nContent-Encoding: gzip', 'Content-Type: application/json; charset=utf-16le');
      // 2,000 bytes of a body that goes on: no length declared, the limit is met as the bytes come.
      await write(connection, Buffer.concat([Buffer.from(head), chunk(Buffer.from(`{"a":"${'x'.repeat(994)}`, 'utf16le'))]));
      expectTooLarge(await connection.answer(1));
      connection.socket.destroy();
    } finally {
      await listening.close();
    }
  });
});

describe('an OAuth token form past its 64 KiB', () => {
  // `Identity` is no content coding, whatever its case, as body-parser reads it.
  it.each(['', 'Content-Encoding: Identity\r\n'])('is answered before a byte of the body is sent, with the OAuth error (%j)', async (encoding) => {
    const server = await realServer();
    try {
      const connection = rawClient(server.port);
      connection.socket.write(
        `POST /common/oauth2/v2.0/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n${encoding}Content-Length: 10485760\r\n\r\n`,
      );
      const [head, body] = (await connection.answer(1)).split('\r\n\r\n') as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(body)).toMatchObject({
        error: 'invalid_request',
        error_description: expect.stringContaining('The request body could not be read as application/x-www-form-urlencoded: it is larger than 64 KiB.'),
      });
      expect(connection.isClosed()).toBe(false);
      connection.socket.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('an OAuth token form past its 64 KiB, its body sent after the answer', () => {
  it('is dropped as it comes, and the connection serves the next request', async () => {
    const server = await realServer();
    try {
      const connection = rawClient(server.port);
      connection.socket.write(
        'POST /common/oauth2/v2.0/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 70000\r\n\r\n',
      );
      expect(await connection.answer(1)).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      await write(connection, 'x'.repeat(70_000));
      connection.socket.write('GET /common/v2.0/.well-known/openid-configuration HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const [head, body] = (await connection.answer(2)).split('\r\n\r\n') as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(JSON.parse(body)).toMatchObject({ token_endpoint: 'http://localhost/common/oauth2/v2.0/token' });
      connection.socket.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('an OAuth token form of exactly 64 KiB', () => {
  const FORM = 'grant_type=client_credentials&client_id=backend&client_secret=s&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&pad=';
  const form = FORM + 'x'.repeat(64 * KB - FORM.length);

  it.each<[string, Record<string, string>, Buffer | string]>([
    ['as sent', {}, form],
    // Stored, not compressed: its 65,564 bytes pass 64 KiB, what they inflate to does not.
    ['gzip whose compressed bytes pass 64 KiB', { 'Content-Encoding': 'gzip' }, gzipSync(form, { level: constants.Z_NO_COMPRESSION })],
  ])('is read, %s: a token', async (_case, headers, body) => {
    expect([Buffer.byteLength(form), Buffer.byteLength(body) > 64 * KB || body === form]).toEqual([64 * KB, true]);
    const server = await realServer();
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/common/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
      expect([res.status, res.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^application\/json/)]);
      expect(await res.json()).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    } finally {
      await server.close();
    }
  });
});
