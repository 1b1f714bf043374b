// Requests Node's parser refuses before the app sees them (http/clientErrors.ts): a URL or headers past
// Node's limit are a 431, anything else it cannot parse a 400, both in Graph's envelope with Graph's headers and
// Connection: close; a connection the client reset, or that can take nothing more, is answered nothing.
import { describe, expect, it } from '@jest/globals';
import { maxHeaderSize } from 'node:http';
import { connect } from 'node:net';
import { Duplex } from 'node:stream';
import { ServerResponse, IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { type SocketAnswer, answerClientError, socketAnswerOf } from '../../server/http/clientErrors.js';
import { createLogger } from '../../server/logger.js';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { GUID, PACKAGES } from '../support/graph.js';

interface RawAnswer {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
}

/** Sends `text` on a fresh connection and reads everything until the server closes it. */
async function raw(port: number, text: string): Promise<RawAnswer> {
  const socket = connect(port, '127.0.0.1');
  socket.write(text);
  const received = await new Promise<string>((resolve, reject) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
  const end = received.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = received.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  return { statusLine: statusLine!, headers, body: received.slice(end + 4) };
}

/** Only the refused connection was closed: the server goes on serving. */
async function expectServing(port: number): Promise<void> {
  const health = await raw(port, 'GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  expect(health.statusLine).toBe('HTTP/1.1 200 OK');
}

function expectEnvelope(answer: RawAnswer, code: string, message: RegExp): void {
  // Graph's headers and the answer's own, nothing else.
  expect(Object.keys(answer.headers).sort()).toEqual(
    [
      'cache-control',
      'client-request-id',
      'connection',
      'content-length',
      'content-type',
      'date',
      'request-id',
      'strict-transport-security',
      'x-ms-ags-diagnostic',
    ].sort(),
  );
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.headers['connection']).toBe('close');
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  expect(answer.headers['request-id']).toMatch(GUID);
  expect(answer.headers['client-request-id']).toBe(answer.headers['request-id']);
  expect(answer.headers['cache-control']).toBe('no-cache');
  expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
  expect(JSON.parse(answer.headers['x-ms-ags-diagnostic']!)).toHaveProperty('ServerInfo.DataCenter');
  expect(answer.headers['date']).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  const body = JSON.parse(answer.body);
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error)).toEqual(['code', 'message', 'innerError']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
  expect(body.error.innerError).toEqual({
    date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
    'request-id': answer.headers['request-id'],
    'client-request-id': answer.headers['request-id'],
  });
}

describe('a request Node cannot read', () => {
  it.each([13_000, maxHeaderSize + 1_000])('a URL of %i characters with a bearer token is a 431 in the envelope', async (length) => {
    const emulator = await startEmulator();
    try {
      const filter = `$filter=${'a'.repeat(length)}`;
      const token = `Bearer ${'t'.repeat(4_000)}`;
      const answer = await raw(emulator.port, `GET ${PACKAGES}?${filter} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${token}\r\n\r\n`);
      expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expectEnvelope(answer, 'RequestHeaderFieldsTooLarge', new RegExp(`exceed the ${maxHeaderSize} bytes`));
      await expectServing(emulator.port);
    } finally {
      await emulator.close();
    }
  });

  it('a request line that is not HTTP is a 400 BadRequest in the envelope', async () => {
    const emulator = await startEmulator();
    try {
      const answer = await raw(emulator.port, 'G\x01T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
      // Node's parser names what it refused; its reason ends the message, with one full stop.
      expectEnvelope(answer, 'BadRequest', /^The request is not valid HTTP\/1\.1 and could not be read\. Invalid method encountered\.$/);
    } finally {
      await emulator.close();
    }
  });
});

describe('what Node would answer bare, or not at all', () => {
  /** Runs `check` against an emulator started empty, closed afterwards. */
  async function onEmulator(check: (port: number, emulator: RunningEmulator) => Promise<void>): Promise<void> {
    const emulator = await startEmulator({ fixtures: 'empty' });
    try {
      await check(emulator.port, emulator);
    } finally {
      await emulator.close();
    }
  }

  it('an HTTP/1.1 request without Host is a 400 in the envelope (RFC 9112 §3.2), an HTTP/1.0 one is answered', async () => {
    await onEmulator(async (port) => {
      const answer = await raw(port, `GET ${PACKAGES} HTTP/1.1\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n`);
      expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expectEnvelope(answer, 'BadRequest', /^The request has no Host header, which HTTP\/1\.1 requires \(RFC 9112 section 3\.2\)\.$/);
      const old = await raw(port, 'GET /_emulator/health HTTP/1.0\r\n\r\n');
      expect(old.statusLine).toBe('HTTP/1.1 200 OK');
      expect(JSON.parse(old.body)).toMatchObject({ status: 'ok' });
    });
  });

  it('an Expect other than 100-continue is a 417 in the envelope, the connection closed, nothing created', async () => {
    await onEmulator(async (port) => {
      const body = '{"displayName":"x"}';
      const request = `POST ${PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\nExpect: bogus\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      const answer = await raw(port, request);
      expect(answer.statusLine).toBe('HTTP/1.1 417 Expectation Failed');
      expectEnvelope(
        answer,
        'ExpectationFailed',
        /^The request's Expect header asks for what this server does not do: only 'Expect: 100-continue' is understood/,
      );
      const echoed = await raw(port, request.replace('Expect: bogus', 'Expect: bogus\r\nclient-request-id: mine-1'));
      expect(echoed.headers['client-request-id']).toBe('mine-1');
      expect(JSON.parse(echoed.body).error.innerError['client-request-id']).toBe('mine-1');
      const list = await raw(port, `GET ${PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n`);
      expect(JSON.parse(list.body).value).toEqual([]);
    });
  });

  it.each(['Expect:', 'Expect: , '])('an empty Expect (%j) names no expectation: the request is answered as one without it', async (expect_) => {
    await onEmulator(async (port) => {
      const body = '{"displayName":"x"}';
      const answer = await raw(
        port,
        `POST ${PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\nclient-request-id: mine-3\r\n${expect_}\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      expect(answer.statusLine).toBe('HTTP/1.1 201 Created');
      expect(answer.headers['client-request-id']).toBe('mine-3');
      expect(answer.headers['request-id']).toMatch(GUID);
      const created = JSON.parse(answer.body);
      expect(created).toMatchObject({ displayName: 'x', id: expect.stringMatching(GUID) });
      expect(answer.headers['location']).toBe(`http://127.0.0.1${PACKAGES}/${created.id}`);
    });
  });

  it('a body Node cannot read is journaled with the answer the server sent: its status, headers and body', async () => {
    await onEmulator(async (port, emulator) => {
      const head = `POST ${PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\n`;
      const answer = await raw(port, `${head}Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`);
      expectEnvelope(answer, 'BadRequest', /^The request is not valid HTTP\/1\.1 and could not be read\. Invalid character in chunk size\.$/);
      // Recorded when the response closes, with the connection: polled for a moment.
      let entries = await emulator.requests({ method: 'POST' });
      for (let i = 0; entries.length === 0 && i < 50; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        entries = await emulator.requests({ method: 'POST' });
      }
      const [entry] = entries;
      expect(entry).toMatchObject({ path: PACKAGES, status: 400, responseBody: JSON.parse(answer.body) });
      expect(entry!.responseHeaders).toEqual(answer.headers);
      expect(entry!.responseHeaders['request-id']).toBe(answer.headers['request-id']);
    });
  });

  it('CONNECT is a 400 in the envelope, and the connection closes; the server goes on serving', async () => {
    await onEmulator(async (port) => {
      const answer = await raw(port, 'CONNECT localhost:80 HTTP/1.1\r\nHost: localhost:80\r\n\r\n');
      expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expectEnvelope(answer, 'BadRequest', /^The emulator is not a proxy and opens no tunnel: CONNECT is not served\./);
      await expectServing(port);
    });
  });

  it("CONNECT's answer echoes the client-request-id sent, in its header and its envelope", async () => {
    await onEmulator(async (port) => {
      const answer = await raw(port, 'CONNECT localhost:80 HTTP/1.1\r\nHost: localhost:80\r\nclient-request-id: mine-2\r\n\r\n');
      expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(answer.headers['request-id']).toMatch(GUID);
      expect(answer.headers['client-request-id']).toBe('mine-2');
      expect(answer.headers['connection']).toBe('close');
      const body = JSON.parse(answer.body);
      expect(body.error.code).toBe('BadRequest');
      expect(body.error.innerError).toEqual({
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
        'request-id': answer.headers['request-id'],
        'client-request-id': 'mine-2',
      });
    });
  });
});

describe('answerClientError writes nothing', () => {
  function socket(): { socket: Duplex; written: Buffer[] } {
    const written: Buffer[] = [];
    const duplex = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk);
        done();
      },
    });
    return { socket: duplex, written };
  }
  const overflow = Object.assign(new Error('Header overflow'), { code: 'HPE_HEADER_OVERFLOW' });

  it('to a connection the client reset, and closes it', () => {
    const { socket: reset, written } = socket();
    answerClientError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), reset);
    expect(written).toEqual([]);
    expect(reset.destroyed).toBe(true);
  });

  it('to a connection that is not writable', () => {
    const { socket: ended, written } = socket();
    ended.end();
    answerClientError(overflow, ended);
    expect(written).toEqual([]);
    expect(ended.destroyed).toBe(true);
  });

  it('twice: later data of a refused request is not answered again', () => {
    const { socket: open, written } = socket();
    answerClientError(overflow, open);
    answerClientError(overflow, open);
    expect(written).toHaveLength(1);
    expect(written[0]!.toString()).toMatch(/^HTTP\/1\.1 431 /);
    open.destroy();
  });
});

describe('an answer given outside the app is logged as the app’s are', () => {
  function captured() {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    return { logger: createLogger({ level: 'info', format: 'json', destination }), lines };
  }

  it("a body Node cannot read: the request's line names the request-id and client-request-id the client received", async () => {
    const { logger, lines } = captured();
    const emulator = await startEmulator({ fixtures: 'empty', logger });
    try {
      const answer = await raw(
        emulator.port,
        `POST ${PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\nclient-request-id: mine-chunk\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`,
      );
      expect(answer.headers['request-id']).toMatch(GUID);
      expect(answer.headers['client-request-id']).toBe('mine-chunk');
      expect(JSON.parse(answer.body).error.innerError).toMatchObject({ 'request-id': answer.headers['request-id'], 'client-request-id': 'mine-chunk' });
      for (let i = 0; i < 100 && lines.length < 1; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines.map((l) => [l['method'], l['status'], l['requestId'], l['clientRequestId']])).toEqual([
        ['POST', 400, answer.headers['request-id'], 'mine-chunk'],
      ]);
    } finally {
      await emulator.close();
    }
  });

  it('a HEAD still in the app when the bytes after it are not HTTP: its 400 carries no body, and its line and entry say 400', async () => {
    const { logger, lines } = captured();
    const emulator = await startEmulator({ fixtures: 'empty', logger });
    try {
      // A body sent with a HEAD that declares none (Node's client does so) is read as the next request: `{` is no method.
      // A tenant made on first use keeps the HEAD unanswered while Node reads those bytes; its answer, written after
      // the 400 into the closed connection, reaches nobody.
      const minted = await fetch(`${emulator.url}/_emulator/token`, {
        method: 'POST',
        body: '{"tid":"head-first-use"}',
        headers: { 'Content-Type': 'application/json' },
      });
      const token = ((await minted.json()) as { access_token: string }).access_token;
      const answer = await raw(emulator.port, `HEAD ${PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n{"displayName":"x"}`);
      expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(answer.body).toBe('');
      expect(answer.headers['connection']).toBe('close');
      expect(answer.headers['request-id']).toMatch(GUID);
      const heads = () => lines.filter((l) => l['method'] === 'HEAD');
      for (let i = 0; i < 100 && heads().length < 1; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heads().map((l) => [l['status'], l['requestId'], l['aborted']])).toEqual([[400, answer.headers['request-id'], true]]);
      const [entry] = await emulator.tenant('head-first-use').requests({ method: 'HEAD' });
      expect([entry?.status, entry?.responseBody, entry?.responseHeaders['request-id']]).toEqual([400, null, answer.headers['request-id']]);
    } finally {
      await emulator.close();
    }
  });

  it('one warn line each, with the request-id and client-request-id the client received', async () => {
    const { logger, lines } = captured();
    const emulator = await startEmulator({ fixtures: 'empty', logger });
    try {
      const tooLarge = await raw(emulator.port, `GET ${PACKAGES}?$filter=${'a'.repeat(maxHeaderSize)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      const notHttp = await raw(emulator.port, 'G\x01T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const expectation = await raw(
        emulator.port,
        `POST ${PACKAGES}?access_token=SEKLOG HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: bogus\r\nclient-request-id: mine-417\r\nContent-Length: 2\r\n\r\n{}`,
      );
      const tunnel = await raw(emulator.port, 'CONNECT localhost:80 HTTP/1.1\r\nHost: localhost:80\r\n\r\n');
      for (let i = 0; i < 100 && lines.length < 4; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines.map((l) => [l['level'], l['requestId'], l['status'], l['clientRequestId']])).toEqual([
        ['warn', tooLarge.headers['request-id'], 431, tooLarge.headers['request-id']],
        ['warn', notHttp.headers['request-id'], 400, notHttp.headers['request-id']],
        ['warn', expectation.headers['request-id'], 417, 'mine-417'],
        ['warn', tunnel.headers['request-id'], 400, tunnel.headers['request-id']],
      ]);
      expect(lines.map((l) => l['msg'])).toEqual([
        '431 (the request could not be read: HPE_HEADER_OVERFLOW)',
        '400 (the request could not be read: HPE_INVALID_METHOD)',
        `POST ${PACKAGES}?access_token=REDACTED 417`,
        'CONNECT localhost:80 400',
      ]);
      expect(lines[0]).toMatchObject({ error: 'HPE_HEADER_OVERFLOW' });
      expect(lines[2]).toMatchObject({ method: 'POST', path: PACKAGES, query: 'access_token=REDACTED' });
    } finally {
      await emulator.close();
    }
  });

  it('a timeout of a request in the app is that request’s answer (its log line and journal entry read 408); one before its headers is told apart', () => {
    const timeout = Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    const told: SocketAnswer[] = [];
    const open = (sink: string[] = []) =>
      new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, done) {
          sink.push(chunk.toString());
          done();
        },
      });
    const written: string[] = [];
    const inApp = open(written);
    const res = new ServerResponse(new IncomingMessage(inApp as never));
    Object.assign(inApp, { _httpMessage: res });
    answerClientError(timeout, inApp, (answer) => told.push(answer));
    // Node's own 408, as Node writes it, and the request's answer is that one: no body.
    expect(written.join('')).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    expect([socketAnswerOf(res)?.status, socketAnswerOf(res)?.body, told]).toEqual([408, '', []]);
    answerClientError(timeout, open(), (answer) => told.push(answer));
    expect(told.map((answer) => answer.status)).toEqual([408]);
  });
});
