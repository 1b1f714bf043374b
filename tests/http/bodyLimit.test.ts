// A body over the limit: the 413 goes out before a byte of the body is read, then the rest of the body is read
// and dropped (within bounds), so a client still sending it receives the answer and can use the connection again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { createApp } from '../../server/app.js';
import { errorHandler } from '../../server/http/errorHandler.js';
import { graphHeaders, installGraphHeaders } from '../../server/http/graphHeaders.js';
import { jsonBody } from '../../server/http/jsonBody.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES } from '../support/graph.js';
import { type Listening, listenOn } from '../support/realServer.js';
import { rawClient as client } from '../support/rawClient.js';

const MB = 1024 * 1024;

const head = (length: number) =>
  `POST ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

const chunkedHead = `POST ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;

describe('declared Content-Length over the limit', () => {
  let listening: Listening;
  let port: number;
  beforeAll(async () => ({ port } = listening = await listenOn(createApp({ store: new MemoryStore() }))));
  afterAll(() => listening.close());

  it('answers 413 at once, in Graph envelope, before a byte of the body is sent', async () => {
    const connection = client(port);
    connection.socket.write(head(50 * MB));
    const answer = await connection.answer(1);
    const [status, body] = answer.split('\r\n\r\n');
    expect(status).toMatch(/^HTTP\/1\.1 413 Payload Too Large/);
    expect(status).toMatch(/\r\nrequest-id: [0-9a-f-]{36}/);
    expect(JSON.parse(body!).error).toMatchObject({
      code: 'RequestEntityTooLarge',
      message: 'The request body exceeds the maximum allowed size of 1048576 bytes.',
    });
    expect(connection.isClosed()).toBe(false);
    connection.socket.destroy();
  });

  it('reads and drops the 50 MB that follow, then serves the next request on the same connection', async () => {
    const connection = client(port);
    connection.socket.write(head(50 * MB));
    expect(await connection.answer(1)).toMatch(/^HTTP\/1\.1 413 /);
    connection.socket.write(Buffer.alloc(50 * MB, ' '));
    connection.socket.write('GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await connection.answer(2)).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*"status":"ok"/);
    connection.socket.destroy();
  });
});

describe('a chunked body over the limit', () => {
  let listening: Listening;
  let port: number;
  beforeAll(async () => ({ port } = listening = await listenOn(createApp({ store: new MemoryStore() }))));
  afterAll(() => listening.close());

  it('answers 413 once past the limit, before the body ends; the rest is read and dropped, and the connection serves the next request', async () => {
    const connection = client(port);
    const chunk = (size: number) => `${size.toString(16)}\r\n${' '.repeat(size)}\r\n`;
    connection.socket.write(`${chunkedHead}${chunk(MB)}${chunk(MB)}`);
    const [status, body] = (await connection.answer(1)).split('\r\n\r\n');
    expect(status).toMatch(/^HTTP\/1\.1 413 Payload Too Large/);
    expect(status).toMatch(/\r\nrequest-id: [0-9a-f-]{36}/);
    expect(JSON.parse(body!).error).toMatchObject({
      code: 'RequestEntityTooLarge',
      message: 'The request body exceeds the maximum allowed size of 1048576 bytes.',
    });
    connection.socket.write(`${chunk(MB)}0\r\n\r\nGET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(await connection.answer(2)).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*"status":"ok"/);
    connection.socket.destroy();
  });
});

describe('the drain has bounds', () => {
  let listening: Listening;
  let port: number;
  beforeAll(async () => {
    const app = express();
    installGraphHeaders(app);
    app.use(graphHeaders, jsonBody(1024, { drain: { maxBytes: MB, maxMs: 300 } }), (_req, res) => res.json({}));
    app.use(errorHandler(() => undefined));
    ({ port } = listening = await listenOn(app));
  });
  afterAll(() => listening.close());

  it('a body that does not come is not waited for past the drain time', async () => {
    const connection = client(port);
    connection.socket.write(head(10 * MB));
    expect(await connection.answer(1)).toMatch(/^HTTP\/1\.1 413 /);
    await connection.closed();
  });

  it('a chunked body past the limit is answered, and closes the connection past the drain size', async () => {
    const connection = client(port);
    connection.socket.write(`${chunkedHead}${(2 * MB).toString(16)}\r\n`);
    connection.socket.write(Buffer.alloc(2 * MB, ' '));
    expect(await connection.answer(1)).toMatch(/^HTTP\/1\.1 413 [\s\S]*"code":"RequestEntityTooLarge"/);
    await connection.closed();
  });

  it('a body longer than the drain size closes the connection', async () => {
    const connection = client(port);
    connection.socket.write(head(10 * MB));
    expect(await connection.answer(1)).toMatch(/^HTTP\/1\.1 413 /);
    connection.socket.write(Buffer.alloc(2 * MB, ' '));
    await connection.closed();
  });
});

describe('a check of the body that fails', () => {
  it('is answered as the error model answers any (500 UnknownError), not left unanswered in the stream', async () => {
    const app = express();
    installGraphHeaders(app);
    const failing = () => {
      throw new Error('the check broke');
    };
    app.use(graphHeaders, jsonBody(1024, { checkNames: failing }), (_req, res) => res.json({}));
    app.use(errorHandler(() => undefined));
    const listening = await listenOn(app);
    try {
      const res = await fetch(`http://127.0.0.1:${listening.port}/beta/x`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1}',
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status).toBe(500);
      expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UnknownError');
    } finally {
      await listening.close();
    }
  });
});
