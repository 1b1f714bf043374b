// A client that announces a body over the limit gets its 413 before it sends a byte of it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES } from '../support/graph.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer(createApp({ store: new MemoryStore() }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('declared Content-Length over the limit', () => {
  it('answers 413 at once, in Graph envelope, and closes the connection without reading the body', async () => {
    const socket = connect(port, '127.0.0.1');
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      // Headers only: 50 MB announced, none sent. A server waiting for the body would never answer.
      socket.write(
        `POST ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`,
      );
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 413 Payload Too Large/);
    expect(head).toMatch(/\r\nconnection: close/i);
    expect(head).toMatch(/\r\nrequest-id: [0-9a-f-]{36}/);
    expect(JSON.parse(body!).error).toMatchObject({
      code: 'RequestEntityTooLarge',
      message: 'The request body exceeds the maximum allowed size of 1048576 bytes.',
    });
  });
});
