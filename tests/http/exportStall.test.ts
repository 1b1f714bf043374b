// Exports are answered one after the other (each holds its tenant as one string until its client has read it),
// so one whose client takes none of its bytes is cut after EXPORT_STALL_MS (to twice that): it no longer holds
// the turn of the exports behind it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Socket, connect } from 'node:net';
import { ANSWER_STALL_MS as EXPORT_STALL_MS } from '../../server/http/answerStall.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';
import { type RealServer, realServer, send } from '../support/realServer.js';

// About 5 MB: more than the socket buffers of a client that reads nothing take, so the answer stops half-way.
const PACKAGES = Array.from({ length: 12_000 }, (_, i) => accessPackage({ displayName: `Package ${i}`, description: 'x'.repeat(100) }));

describe('an export whose client reads nothing', () => {
  let emulator: RealServer;
  beforeAll(async () => {
    emulator = await realServer({ store: new MemoryStore(datasetOf({ accessPackages: PACKAGES })) });
  });
  afterAll(() => emulator.close());

  it(`is cut after ${EXPORT_STALL_MS / 1000} s or more without a byte taken, and the export behind it is answered whole`, async () => {
    const accepted = new Promise<Socket>((resolve) => emulator.server.once('connection', resolve));
    const stalled = connect(emulator.port, '127.0.0.1');
    stalled.on('error', () => undefined);
    stalled.write(`GET /_emulator/export HTTP/1.1\r\nHost: 127.0.0.1:${emulator.port}\r\n\r\n`);
    stalled.pause();
    const cut = (await accepted).once('close', () => undefined);
    const closed = new Promise<number>((resolve) => cut.once('close', () => resolve(Date.now())));
    const asked = Date.now();
    const answer = await send(emulator.port, { path: '/_emulator/export' });
    const answeredAt = Date.now();
    // The stalled export held the turn until it was cut; then the next one ran, whole.
    const closedAt = await closed;
    expect(closedAt).toBeLessThanOrEqual(answeredAt);
    expect(closedAt - asked).toBeGreaterThanOrEqual(EXPORT_STALL_MS - 1_000);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((answer.body as { accessPackages: unknown[] }).accessPackages).toHaveLength(PACKAGES.length);
    // What the stalled client finally reads is the answer cut short.
    let received = 0;
    stalled.on('data', (chunk: Buffer) => (received += chunk.length));
    await new Promise((resolve) => stalled.once('close', resolve).resume());
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(Buffer.byteLength(answer.text));
  }, 30_000);
});
