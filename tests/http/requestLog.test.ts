import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { createLogger } from '../../server/logger.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { delayStarted } from '../support/faultDelays.js';
import { listenOn } from '../support/realServer.js';

const PATH = '/beta/identityGovernance/entitlementManagement/accessPackages';

function capture(level: 'info' | 'debug' = 'info', isTTY = false) {
  const lines: string[] = [];
  const destination = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    }),
    { isTTY },
  );
  return { logger: createLogger({ level, format: 'auto', destination }), lines };
}

describe('request log', () => {
  it('logs a token or secret sent in the query as REDACTED, in the query field and the message', async () => {
    const { logger, lines } = capture();
    const app = createApp({ store: new MemoryStore(), logger });
    await request(app).get(`${PATH}?$top=1&access_token=SECRET1&Client_Secret=SECRET2`).set('Authorization', 'Bearer t').expect(200);
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({
      query: '$top=1&access_token=REDACTED&Client_Secret=REDACTED',
      msg: `GET ${PATH}?$top=1&access_token=REDACTED&Client_Secret=REDACTED 200 ${line!['durationMs']}ms`,
    });
    expect(lines.join('\n')).not.toContain('SECRET');
  });

  it('logs the ADMIN_TOKEN sent in a query, whatever its name, as REDACTED, though the admin API takes it only as a header', async () => {
    const { logger, lines } = capture();
    const app = createApp({ store: new MemoryStore(), logger, adminToken: 'Adm1n+S3cret/x' });
    const res = await request(app).get('/_emulator/requests?token=Adm1n%2BS3cret%2Fx&admin_token=Adm1n+S3cret/x&limit=1').expect(401);
    expect(res.body).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    await request(app).get(`${PATH}?key=Adm1n%2BS3cret%2Fx`).set('Authorization', 'Bearer t').expect(200);
    const [admin, graph] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(admin).toMatchObject({
      query: 'token=REDACTED&admin_token=REDACTED&limit=1',
      msg: expect.stringMatching(/^GET \/_emulator\/requests\?token=REDACTED&admin_token=REDACTED&limit=1 401 \d+ms$/),
    });
    expect(graph).toMatchObject({ query: 'key=REDACTED', status: 200 });
    expect(lines.join('\n')).not.toMatch(/S3cret/);
  });

  it("writes the control and bidi characters of a client's query and client-request-id as escapes", async () => {
    const { logger, lines } = capture();
    const app = createApp({ store: new MemoryStore(), logger });
    await request(app)
      .get(`${PATH}?x=%1B%5B31m%C2%9B31m%E2%80%AE%E2%80%8Ftext&y=1`)
      .set('Authorization', 'Bearer t')
      .set('client-request-id', 'a\u009b2Jb')
      .expect(200);
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line!['query']).toBe('x=\\u001b[31m\\u009b31m\\u202e\\u200ftext&y=1');
    expect(line!['clientRequestId']).toBe('a\\u009b2Jb');
    expect(lines.join('\n')).not.toMatch(/[\u0080-\u009f\u202e]/);
  });

  it('writes one JSON line per request with method, path, status, duration and request-id', async () => {
    const { logger, lines } = capture();
    const app = createApp({ store: new MemoryStore(), logger });
    const created = await request(app)
      .post(`${PATH}?$select=id`)
      .set('Authorization', 'Bearer t')
      .set('client-request-id', 'my-client-id')
      .send({ displayName: 'Logged' });
    const sent = performance.now();
    const denied = await request(app).get(PATH);
    const tookMs = performance.now() - sent;
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      level: 'info',
      method: 'POST',
      path: PATH,
      query: '$select=id',
      status: 201,
      requestId: created.headers['request-id'],
      clientRequestId: 'my-client-id',
      msg: `POST ${PATH}?$select=id 201 ${first!.durationMs}ms`,
    });
    expect(typeof first!.durationMs).toBe('number');
    expect(typeof first!.time).toBe('string');
    expect(first).not.toHaveProperty('fault');
    expect(second).toMatchObject({ method: 'GET', path: PATH, status: 401, requestId: denied.headers['request-id'] });
    // A request without a query string has no query field, and the duration is the time the request took.
    expect(second).not.toHaveProperty('query');
    expect(second!.durationMs).toBeGreaterThanOrEqual(0);
    expect(second!.durationMs).toBeLessThanOrEqual(Math.ceil(tookMs));
  });

  it("does not log an absolute-form target's user name and password", async () => {
    const { logger, lines } = capture();
    const server = await listenOn(createApp({ store: new MemoryStore(), logger }));
    try {
      const socket = connect(server.port, '127.0.0.1');
      socket.end(`GET http://user:s3cret@localhost:${server.port}${PATH}?$top=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      for await (const _chunk of socket);
      while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      await server.close();
    }
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ method: 'GET', path: `http://localhost:${server.port}${PATH}`, query: '$top=1', status: 400 });
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('logs a request whose connection closed before its answer at warn, marked aborted', async () => {
    const { logger, lines } = capture();
    const faults = new FaultEngine();
    const server = await listenOn(createApp({ store: new MemoryStore(), logger, faults }));
    try {
      const received = new Promise((resolve) => server.server.once('request', resolve));
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(`GET ${PATH} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nX-Emulator-Fault: delay=5000\r\n\r\n`);
      // Closed once the server has parsed the request, which the delay keeps from its answer for 5 s.
      await received;
      socket.destroy();
      while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      faults.close();
      await server.close();
    }
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    // Nothing was sent: no status, not Express's default 200.
    expect(line).toMatchObject({ level: 'warn', method: 'GET', path: PATH, status: null, aborted: true });
    expect(line!.msg).toBe(`GET ${PATH} unanswered (connection closed before the answer completed)`);
  });

  it('logs a malformed answer with the status line the client received, marked aborted, with its request-id', async () => {
    const { logger, lines } = capture();
    const server = await listenOn(createApp({ store: new MemoryStore(), logger }));
    let received = '';
    try {
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(`GET ${PATH} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nX-Emulator-Fault: drop=malformed\r\n\r\n`);
      for await (const chunk of socket) received += String(chunk);
      while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      await server.close();
    }
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const requestId = /request-id: (\S+)/.exec(received)?.[1];
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ level: 'warn', method: 'GET', path: PATH, status: 200, aborted: true, requestId });
    expect(line!.msg).toBe(`GET ${PATH} 200 (connection closed before the answer completed)`);
  });

  it('logs a 500 at error and a 429 at info: 500 is where server errors start', async () => {
    const { logger, lines } = capture();
    const app = createApp({ store: new MemoryStore(), logger });
    await request(app).get(PATH).set('Authorization', 'Bearer t').set('X-Emulator-Fault', 'status=500').expect(500);
    await request(app).get(PATH).set('Authorization', 'Bearer t').set('X-Emulator-Fault', 'status=429').expect(429);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'error', status: 500 }),
      expect.objectContaining({ level: 'info', status: 429 }),
    ]);
  });

  it('logs health checks at debug only, so container probes do not drown the traffic', async () => {
    const info = capture('info');
    await request(createApp({ store: new MemoryStore(), logger: info.logger }))
      .get('/_emulator/health')
      .expect(200);
    expect(info.lines).toEqual([]);
    const debug = capture('debug');
    await request(createApp({ store: new MemoryStore(), logger: debug.logger }))
      .get('/_emulator/health')
      .expect(200);
    expect(JSON.parse(debug.lines[0]!)).toMatchObject({ level: 'debug', path: '/_emulator/health', status: 200 });
  });

  it('names the injected fault and logs server errors at error level', async () => {
    const { logger, lines } = capture();
    const app = createApp({ store: new MemoryStore(), logger });
    const res = await request(app).get(PATH).set('Authorization', 'Bearer t').set('X-Emulator-Fault', 'status=503; retry-after=2').expect(503);
    expect(res.body.error.code).toBe('ServiceUnavailable');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      status: 503,
      path: PATH,
      fault: { source: 'X-Emulator-Fault', effect: 'status 503' },
      requestId: res.headers['request-id'],
    });
  });

  it('is human-readable on a terminal', async () => {
    const { logger, lines } = capture('info', true);
    await request(createApp({ store: new MemoryStore(), logger })).get(PATH);
    expect(lines.join('\n')).toMatch(/INFO.*GET \/beta\/identityGovernance\/entitlementManagement\/accessPackages 401 \d+ms/);
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });

  it("logs through a logger of the caller's own (a library user's pino) with the same fields", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logger = pino({ level: 'info', base: { app: 'theirs' } }, destination);
    const res = await request(createApp({ store: new MemoryStore(), logger })).get(`${PATH}?$top=1`);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      level: 30,
      time: expect.any(Number),
      app: 'theirs',
      requestId: res.headers['request-id'],
      method: 'GET',
      path: PATH,
      query: '$top=1',
      status: 401,
      durationMs: expect.any(Number),
      clientRequestId: res.headers['request-id'],
      msg: expect.stringMatching(/^GET \/beta\/\S+\?\$top=1 401 \d+ms$/),
    });
  });

  it('writes a $batch as one line listing its requests, at the level of the most severe, with a secret in an item query REDACTED', async () => {
    const { logger, lines } = capture();
    const app = createApp({ store: new MemoryStore(), logger });
    const items = `/identityGovernance/entitlementManagement/accessPackages`;
    const res = await request(app)
      .post('/beta/$batch')
      .set('Authorization', 'Bearer t')
      .send({
        requests: [
          { id: 'a', method: 'GET', url: `${items}?$top=1&client_secret=SECRET1` },
          { id: 'b', method: 'GET', url: `${items}/x`, headers: { 'X-Emulator-Fault': 'status=503' } },
          { id: 'c', method: 'GET', url: items, dependsOn: ['b'] },
          // An id with an 8-bit CSI and a right-to-left override: written as escapes in the line.
          { id: 'd\u009b2J\u202e', method: 'GET', url: `${items}?$top=1` },
        ],
      })
      .expect(200);
    expect((res.body as { responses: Array<{ status: number }> }).responses.map((item) => item.status)).toEqual([200, 503, 424, 200]);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toEqual({
      level: 'error',
      time: expect.any(String),
      pid: process.pid,
      hostname: expect.any(String),
      requestId: res.headers['request-id'],
      method: 'POST',
      path: '/beta/$batch',
      status: 200,
      durationMs: expect.any(Number),
      clientRequestId: res.headers['request-id'],
      items: [
        { id: 'a', method: 'GET', path: `/beta${items}`, query: '$top=1&client_secret=REDACTED', status: 200 },
        { id: 'b', method: 'GET', path: `/beta${items}/x`, status: 503, fault: { source: 'X-Emulator-Fault', effect: 'status 503' } },
        // In the order they ran: the one that waited on another after it.
        { id: 'd\\u009b2J\\u202e', method: 'GET', path: `/beta${items}`, query: '$top=1', status: 200 },
        { id: 'c', method: 'GET', path: `/beta${items}`, status: 424 },
      ],
      msg: `POST /beta/$batch 200 ${line['durationMs']}ms (4 requests: 200, 503, 200, 424)`,
    });
    expect(lines[0]).not.toContain('SECRET1');
    expect(lines[0]).not.toMatch(/[\u0080-\u009f\u202e]/);
  });

  it('writes a $batch whose requests all succeed at info, and one whose connection closed at warn with its unanswered request aborted', async () => {
    const { logger, lines } = capture();
    const faults = new FaultEngine();
    const server = await listenOn(createApp({ store: new MemoryStore(), logger, faults }));
    try {
      await request(`http://127.0.0.1:${server.port}`)
        .post('/v1.0/$batch')
        .set('Authorization', 'Bearer t')
        .send({ requests: [{ id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages' }] })
        .expect(200);
      const body = JSON.stringify({
        requests: [{ id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages', headers: { 'X-Emulator-Fault': 'delay=5000' } }],
      });
      const delayed = delayStarted(faults);
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `POST /beta/$batch HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      // Closed once the batch's request waits out its delay.
      await delayed;
      socket.destroy();
      while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      faults.close();
      await server.close();
    }
    const [answered, cut] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(answered).toMatchObject({
      level: 'info',
      path: '/v1.0/$batch',
      status: 200,
      items: [{ id: '1', method: 'GET', path: '/v1.0/identityGovernance/entitlementManagement/accessPackages', status: 200 }],
    });
    expect(answered!['msg']).toMatch(/^POST \/v1\.0\/\$batch 200 \d+ms \(1 request: 200\)$/);
    expect(cut).toMatchObject({ level: 'warn', path: '/beta/$batch', aborted: true });
    expect(cut!['items']).toEqual([
      {
        id: '1',
        method: 'GET',
        path: '/beta/identityGovernance/entitlementManagement/accessPackages',
        status: null,
        fault: { source: 'X-Emulator-Fault', effect: 'latency 5000ms' },
        aborted: true,
      },
    ]);
    expect(cut!['msg']).toBe('POST /beta/$batch unanswered (connection closed before the answer completed) (1 request: unanswered)');
  });

  it('logs nothing without a logger', async () => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => writes.push(chunk) > 0) as typeof process.stdout.write;
    try {
      await request(createApp({ store: new MemoryStore() }))
        .get(PATH)
        .expect(401);
    } finally {
      process.stdout.write = original;
    }
    expect(writes).toEqual([]);
  });
});
