// Held connections and delays have an end: `hang` holds at most MAX_HUNG_CONNECTIONS sockets (a new one releases
// the oldest) for at most MAX_HANG_MS, all released on stop; the delays of one request add up to MAX_DELAY_MS at most.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { type Socket, connect } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MAX_DELAY_MS, MAX_HANG_MS, MAX_HUNG_CONNECTIONS } from '../../server/faults/effects.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { createLogger } from '../../server/logger.js';
import { startEmulator } from '../../server/index.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { delayStarted } from '../support/faultDelays.js';
import { PACKAGES } from '../support/graph.js';
import { type RealServer, realServer } from '../support/realServer.js';

function hangingClient(port: number): { socket: Socket; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(`GET ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nX-Emulator-Fault: drop=hang\r\n\r\n`);
  return { socket, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('hung connections over real sockets', () => {
  const faults = new FaultEngine();
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({ faults });
  });
  afterAll(() => emulator.close());

  it(`holds at most ${MAX_HUNG_CONNECTIONS}: the next one releases the oldest, and stop releases them all`, async () => {
    const first = hangingClient(emulator.port);
    await until(() => faults.hungConnections === 1);
    const rest = Array.from({ length: MAX_HUNG_CONNECTIONS }, () => hangingClient(emulator.port));
    await first.closed;
    await until(() => faults.hungConnections === MAX_HUNG_CONNECTIONS);
    faults.close();
    await Promise.all(rest.map((client) => client.closed));
    expect(faults.hungConnections).toBe(0);
  });
});

describe('hang and delay limits', () => {
  it(`a hung connection is released after ${MAX_HANG_MS / 1000} s`, () => {
    jest.useFakeTimers();
    try {
      const faults = new FaultEngine();
      const socket = Object.assign(new EventEmitter(), {
        destroyed: false,
        destroy() {
          this.destroyed = true;
        },
      });
      faults.hang(socket as unknown as Socket);
      jest.advanceTimersByTime(MAX_HANG_MS - 1);
      expect(socket.destroyed).toBe(false);
      jest.advanceTimersByTime(1);
      expect(socket.destroyed).toBe(true);
      expect(faults.hungConnections).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a client that gives up frees its place at once, and its timer with it', () => {
    jest.useFakeTimers();
    try {
      const faults = new FaultEngine();
      let destroyed = 0;
      const socket = Object.assign(new EventEmitter(), {
        destroy() {
          destroyed += 1;
        },
      });
      faults.hang(socket as unknown as Socket);
      expect(faults.hungConnections).toBe(1);
      socket.emit('close');
      expect(faults.hungConnections).toBe(0);
      expect(destroyed).toBe(1);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it(`latency rules add up to ${MAX_DELAY_MS / 1000} s at most`, async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const faults = new FaultEngine({ rules: [{ latency: MAX_DELAY_MS }, { latency: MAX_DELAY_MS }, { latency: MAX_DELAY_MS }] });
    const app = createApp({ store: new MemoryStore(), faults, auth: 'none', logger: createLogger({ level: 'info', format: 'json', destination }) });
    // The delay, once it has started, is cut short by a stop, and the request completes; its log line says what it
    // was told to wait.
    const delayed = delayStarted(faults);
    const answered = request(app)
      .get(PACKAGES)
      .then((res) => res);
    await delayed;
    faults.close();
    expect((await answered).status).toBe(200);
    expect(JSON.parse(lines[0]!)).toMatchObject({ fault: { source: 'rules[0], rules[1], rules[2]', effect: `latency ${MAX_DELAY_MS}ms` } });
  });
});

describe('a stop', () => {
  it('writes the log line of each request it cut (a hang, an upload still arriving) before close() resolves', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    // The data in memory: nothing to flush, so a stop is over at once (the CI set-up docs/ci.md shows).
    const emulator = await startEmulator({ dataFile: ':memory:', fixtures: 'empty', logger: createLogger({ level: 'info', format: 'json', destination }) });
    let received = 0;
    const bothReceived = new Promise<void>((resolve) =>
      emulator.server.on('request', () => {
        received += 1;
        if (received === 2) resolve();
      }),
    );
    const hung = hangingClient(emulator.port);
    const upload = connect(emulator.port, '127.0.0.1');
    upload.on('error', () => undefined);
    upload.write(
      `POST ${PACKAGES} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"displayName":`,
    );
    // Stopped once the server has both requests: the GET held, the POST's body still arriving.
    await bothReceived;
    await emulator.close(50);
    const cut = lines.filter((line) => line['aborted'] === true).map((line) => [line['level'], line['method'], line['status']]);
    expect(cut.sort()).toEqual([
      ['warn', 'GET', null],
      ['warn', 'POST', null],
    ]);
    await hung.closed;
    upload.destroy();
  });
});
