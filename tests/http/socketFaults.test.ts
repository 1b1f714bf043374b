import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.js';
import { listen } from '../../server/emulator.js';
import { startEmulator } from '../../server/index.js';
import { loadConfig } from '../../server/config.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { parseFaultSettings } from '../../server/faults/ruleSchema.js';
import { PACKAGES as PATH } from '../support/graph.js';
import { fences, section } from '../support/markdown.js';

interface RawExchange {
  data: string;
  error?: NodeJS.ErrnoException;
  /** How the connection ended: the server closed it (end/close) or reset it (error). */
  ended: 'end' | 'error';
}

/** Send one request over a bare TCP connection and collect whatever comes back until it closes. */
function rawRequest(port: number, fault: string, body?: string, method = body ? 'POST' : 'GET', path = PATH, extra: string[] = []): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let settled = false;
    const done = (result: RawExchange) => {
      if (!settled) resolve(result);
      settled = true;
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('end', () => done({ data, ended: 'end' }));
    socket.on('error', (error: NodeJS.ErrnoException) => done({ data, error, ended: 'error' }));
    const head = [
      `${method} ${path} HTTP/1.1`,
      'Host: localhost',
      'Connection: close',
      'Authorization: Bearer t',
      ...(fault ? [`X-Emulator-Fault: ${fault}`] : []),
      ...extra,
    ];
    if (body) head.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
    socket.write(`${head.join('\r\n')}\r\n\r\n${body ?? ''}`);
  });
}

/** The same through Node's HTTP client, as an SDK would see it. */
function httpGet(port: number, fault: string, method = 'GET'): Promise<NodeJS.ErrnoException | number> {
  return new Promise((resolve) => {
    const headers = { Authorization: 'Bearer t', ...(fault ? { 'X-Emulator-Fault': fault } : {}) };
    const req = http.request({ port, host: '127.0.0.1', path: PATH, method, headers, agent: false }, (res) => {
      res.resume();
      res.on('error', resolve);
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', resolve);
    req.end();
  });
}

describe('socket faults on a real listening server', () => {
  const store = new MemoryStore();
  const faults = new FaultEngine();
  const server = http.createServer(createApp({ store, faults }));
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    faults.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reset: the connection is reset (ECONNRESET) with no answer', async () => {
    const raw = await rawRequest(port, 'drop=reset');
    expect(raw).toMatchObject({ data: '', ended: 'error' });
    expect(raw.error?.code).toBe('ECONNRESET');
    const viaHttp = await httpGet(port, 'drop=reset');
    expect(viaHttp).toMatchObject({ code: 'ECONNRESET' });
  });

  it('empty: the connection closes cleanly without a byte ("socket hang up")', async () => {
    const raw = await rawRequest(port, 'drop=empty');
    expect(raw).toEqual({ data: '', ended: 'end' });
    const viaHttp = await httpGet(port, 'drop=empty');
    expect(viaHttp).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
  });

  it.each(['empty', 'malformed'])('%s: a client that sends its whole body before it reads sees the connection close', async (drop) => {
    // 16 MiB is more than any pair of socket buffers holds: unless the emulator reads the rest of the body, the
    // write never completes (curl, Python's clients: they write the body, then read), and the close is never seen.
    const body = Buffer.alloc(16 * 1024 * 1024, 'a');
    const socket = connect(port, '127.0.0.1');
    const head = `POST ${PATH} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nX-Emulator-Fault: drop=${drop}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    let data = '';
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    const ended = new Promise<string>((resolve) => socket.once('end', () => resolve('end')));
    socket.on('error', () => {});
    socket.write(head);
    const written = new Promise<string>((resolve) => socket.write(body, () => resolve('written')));
    const stuck = new Promise<string>((resolve) => setTimeout(() => resolve('stuck'), 5000).unref());
    expect(await Promise.race([written, stuck])).toBe('written');
    expect(await Promise.race([ended, stuck])).toBe('end');
    expect(data).toEqual(drop === 'empty' ? '' : expect.stringMatching(/^HTTP\/1\.1 200 OK\r\n/));
    socket.destroy();
  });

  it('malformed: a valid status line and headers, then bytes no HTTP parser accepts', async () => {
    const raw = await rawRequest(port, 'drop=malformed');
    expect(raw.ended).toBe('end');
    expect(raw.data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw.data).toMatch(/\r\nrequest-id: [0-9a-f-]{36}\r\n/);
    expect(raw.data).toContain('\r\n\r\nzz\r\n');
    const viaHttp = await httpGet(port, 'drop=malformed');
    expect(viaHttp).toMatchObject({ code: 'HPE_INVALID_CHUNK_SIZE' });
  });

  // In phase after too, where the route has answered first: each header once, none of the route's answer repeated.
  // The client-request-id's bytes go back as they came (a UTF-8 é is two bytes, read and written as two characters).
  it.each([
    ['drop=malformed', 'ci-run-7'],
    ['drop=malformed; phase=after', 'café-7'],
  ])(
    "malformed (%s): its headers are those of Graph's 200, each once, so a client that reads them before the body finds its client-request-id",
    async (fault, clientRequestId) => {
      const raw = await rawRequest(port, fault, undefined, 'GET', PATH, [`client-request-id: ${clientRequestId}`]);
      const head = raw.data.slice(0, raw.data.indexOf('\r\n\r\n'));
      const lines = head.split('\r\n');
      expect(lines[0]).toBe('HTTP/1.1 200 OK');
      const pairs = lines.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)] as const);
      expect(new Set(pairs.map(([name]) => name)).size).toBe(pairs.length);
      const headers = Object.fromEntries(pairs);
      expect(headers).toEqual({
        'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
        'odata-version': '4.0',
        'request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
        'client-request-id': clientRequestId,
        'cache-control': 'no-cache',
        'strict-transport-security': 'max-age=31536000',
        'x-ms-ags-diagnostic': expect.stringMatching(/^\{"ServerInfo":/),
        date: expect.stringMatching(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/),
        'transfer-encoding': 'chunked',
      });
    },
  );

  it("malformed: a page's CORS headers come before the broken body, so a browser reads the 200 and fails on its body, not on CORS", async () => {
    const raw = await rawRequest(port, 'drop=malformed', undefined, 'GET', PATH, ['Origin: http://localhost:5173']);
    expect(raw.ended).toBe('end');
    expect(raw.data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw.data).toMatch(/\r\naccess-control-allow-origin: http:\/\/localhost:5173\r\n/i);
    expect(raw.data).toMatch(/\r\naccess-control-expose-headers: [^\r]*request-id/i);
    expect(raw.data).toMatch(/\r\nvary: Origin\r\n/i);
    expect(raw.data).toContain('\r\n\r\nzz\r\n');
  });

  it('malformed: an answer to HEAD, which has no body to garble, breaks in its headers instead of reading as a 200', async () => {
    const raw = await rawRequest(port, 'drop=malformed', undefined, 'HEAD');
    expect(raw.ended).toBe('end');
    expect(raw.data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw.data).toMatch(/\r\nrequest-id: [0-9a-f-]{36}\r\n/);
    expect(raw.data).toMatch(/\r\nDate: [^\r]+ GMT\r\nzz\r\n\r\n$/);
    expect(await httpGet(port, 'drop=malformed', 'HEAD')).toMatchObject({ code: 'HPE_INVALID_HEADER_TOKEN' });
    // A rule for GET drops a HEAD too (docs/faults.md), and with the same effect.
    faults.replace(parseFaultSettings({ rules: [{ method: 'GET', drop: 'malformed' }] }));
    try {
      expect(await httpGet(port, '', 'HEAD')).toMatchObject({ code: 'HPE_INVALID_HEADER_TOKEN' });
      expect(await httpGet(port, '')).toMatchObject({ code: 'HPE_INVALID_CHUNK_SIZE' });
    } finally {
      faults.clear();
    }
  });

  it('a dropped create in phase before leaves no trace; in phase after it committed', async () => {
    const body = JSON.stringify({ displayName: 'dropped' });
    expect((await rawRequest(port, 'drop=reset', body)).error?.code).toBe('ECONNRESET');
    expect(await rawRequest(port, 'drop=empty', body)).toEqual({ data: '', ended: 'end' });
    expect((await rawRequest(port, 'drop=malformed', body)).data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(store.count('accessPackages')).toBe(0);
    const after = await rawRequest(port, 'drop=reset; phase=after', body);
    expect(after).toMatchObject({ data: '', ended: 'error' });
    expect(store.list('accessPackages').map((p) => p.displayName)).toEqual(['dropped']);
  });

  it('the recipe "connection reset on delete" of docs/faults.md resets deletes only, and the record stays', async () => {
    const body = JSON.stringify({ displayName: 'kept' });
    const created = await rawRequest(port, '', body);
    const id = /"id":"([0-9a-f-]{36})"/.exec(created.data)?.[1];
    expect(id).toBeDefined();
    const recipe = fences(section('docs/faults.md', 'Recipes')).find((f) => f.lang === 'json' && f.before.trim().endsWith('Connection reset on delete:'));
    expect(recipe).toBeDefined();
    faults.replace(parseFaultSettings(JSON.parse(recipe!.body)));
    try {
      const del = await rawRequest(port, '', undefined, 'DELETE', `${PATH}/${id}`);
      expect(del).toMatchObject({ data: '', ended: 'error', error: { code: 'ECONNRESET' } });
      expect(store.get('accessPackages', id!)?.displayName).toBe('kept');
      const read = await rawRequest(port, '', undefined, 'GET', `${PATH}/${id}`);
      expect(read.data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    } finally {
      faults.clear();
    }
  });

  it('hang: no answer until the client gives up', async () => {
    const answer = await new Promise<NodeJS.ErrnoException | number>((resolve) => {
      const req = http.get(
        { port, host: '127.0.0.1', path: PATH, headers: { Authorization: 'Bearer t', 'X-Emulator-Fault': 'drop=hang' }, agent: false, timeout: 300 },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('client gave up'), { code: 'ETIMEDOUT' })));
      req.on('error', resolve);
    });
    expect(answer).toMatchObject({ code: 'ETIMEDOUT', message: 'client gave up' });
  });
});

describe('socket faults over HTTPS', () => {
  it('reset sends a TCP RST from under TLS, malformed garbles inside TLS', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'faults-tls-'));
    const emulator = await startEmulator({ https: true, dataFile: path.join(dir, 'db.json') });
    const get = (fault: string) =>
      new Promise<NodeJS.ErrnoException | number>((resolve) => {
        const req = https.get(
          `${emulator.url}${PATH}`,
          { rejectUnauthorized: false, agent: false, headers: { Authorization: 'Bearer t', 'X-Emulator-Fault': fault } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', resolve);
      });
    try {
      expect(await get('drop=reset')).toMatchObject({ code: 'ECONNRESET' });
      expect(await get('drop=malformed')).toMatchObject({ code: 'HPE_INVALID_CHUNK_SIZE' });
      expect(await get('status=503')).toBe(503);
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('graceful stop with faults in flight', () => {
  it('a hang that starts after the stop began is released at once', () => {
    const engine = new FaultEngine();
    engine.close();
    const socket = new Socket();
    engine.hang(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('releases a hung request and a long delay so the emulator stops without waiting out the grace period', async () => {
    const { config } = loadConfig(['--port', '0', '--data', ':memory:', '--log-level', 'silent'], {});
    const emulator = await listen(config);
    // Both requests in flight before the stop: a connection whose request has not been read yet is idle, and a stop
    // closes idle connections at once (the client then reads ECONNRESET, not the fault).
    let arrived = 0;
    const bothArrived = new Promise<void>((resolve) => {
      emulator.server.on('request', () => {
        arrived += 1;
        if (arrived === 2) resolve();
      });
    });
    const hung = rawRequest(emulator.port, 'drop=hang');
    const slow = new Promise<number>((resolve, reject) => {
      http
        .get(`${emulator.url}${PATH}`, { headers: { Authorization: 'Bearer t', 'X-Emulator-Fault': 'delay=250000; status=503' }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    // Whether the requests already reached their faults or not, close() must not wait.
    await bothArrived;
    // A grace period far beyond the test timeout: close() only returns in time if faults let go.
    await emulator.close(120_000);
    expect(await hung).toEqual({ data: '', ended: 'end' });
    // The delayed request is cut short and still answered, as any in-flight request on shutdown.
    expect(await slow).toBe(503);
  });
});
