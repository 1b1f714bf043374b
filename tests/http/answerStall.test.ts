// An answer whose client takes none of its bytes is cut (http/answerStall.ts): Node would otherwise keep every
// byte of it for as long as the connection stays open, so clients that ask for large answers and read nothing
// could hold the process's memory without bound. The emulator goes on answering everyone else. Exports are answered
// one after the other (each holds its tenant as one string until its client has read it), so one whose client takes
// none of its bytes no longer holds the turn of the exports behind it once cut.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Socket, connect } from 'node:net';
import { ANSWER_STALL_MS } from '../../server/http/answerStall.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { datasetOf } from '../../server/store/records.js';
import { accessPackage } from '../support/accessPackages.js';
import { type RealServer, realServer, send } from '../support/realServer.js';

const LIST = '/beta/identityGovernance/entitlementManagement/accessPackages';
// 100 packages of 60 KB: a page (and an export) of 6 MB, more than the socket buffers of a client that reads nothing take.
const PACKAGES = Array.from({ length: 100 }, (_, i) => accessPackage({ displayName: `Package ${i}`, description: 'x'.repeat(60_000) }));

/** Sends one request on a connection that then reads nothing; settles with the bytes it finally reads once closed. */
async function stalledClient(emulator: RealServer, head: string, body = '', onCut?: () => void): Promise<{ closed: Promise<number> }> {
  const accepted = new Promise<Socket>((resolve) => emulator.server.once('connection', resolve));
  const client = connect(emulator.port, '127.0.0.1');
  client.on('error', () => undefined);
  client.write(
    `${head}\r\nHost: 127.0.0.1:${emulator.port}\r\nAuthorization: Bearer x\r\n${body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`,
  );
  client.pause();
  const serverSide = await accepted;
  // The server's end closes first: only then does the client read what was sent before the cut.
  const closed = new Promise<number>((resolve) =>
    serverSide.once('close', () => {
      onCut?.();
      let received = 0;
      client.on('data', (chunk: Buffer) => (received += chunk.length));
      client.once('close', () => resolve(received)).resume();
    }),
  );
  return { closed };
}

describe('an answer whose client reads nothing', () => {
  let emulator: RealServer;
  let whole: number;
  // The three clients stall at once, each on its own connection: the cut takes 5 to 10 s (answerStall.ts), and each
  // test waits for its own.
  let listClient: { closed: Promise<number> };
  let batchClient: { closed: Promise<number> };
  let exportClient: { closed: Promise<number> };
  let exportBehind: Promise<{ asked: number; answeredAt: number; closedAt: number; answer: Awaited<ReturnType<typeof send>> }>;
  beforeAll(async () => {
    emulator = await realServer({ store: new MemoryStore(datasetOf({ accessPackages: PACKAGES })) });
    whole = Buffer.byteLength((await send(emulator.port, { path: LIST, headers: { Authorization: 'Bearer x' } })).text);
    listClient = await stalledClient(emulator, `GET ${LIST} HTTP/1.1`);
    const requests = Array.from({ length: 4 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: '/identityGovernance/entitlementManagement/accessPackages',
    }));
    batchClient = await stalledClient(emulator, 'POST /beta/$batch HTTP/1.1', JSON.stringify({ requests }));
    let cutAt: (at: number) => void = () => undefined;
    const exportCut = new Promise<number>((resolve) => (cutAt = resolve));
    exportClient = await stalledClient(emulator, 'GET /_emulator/export HTTP/1.1', '', () => cutAt(Date.now()));
    const asked = Date.now();
    exportBehind = send(emulator.port, { path: '/_emulator/export' }).then(async (answer) => {
      const answeredAt = Date.now();
      return { asked, answeredAt, closedAt: await exportCut, answer };
    });
  });
  afterAll(() => emulator.close());

  it('a list page is cut short, and the emulator answers the next request whole', async () => {
    const received = await listClient.closed;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(whole);
    const next = await send(emulator.port, { path: `${LIST}?$top=1&$select=id`, headers: { Authorization: 'Bearer x' } });
    expect(next.status).toBe(200);
    expect(next.headers['request-id']).toBeDefined();
    expect((next.body as { value: unknown[] }).value).toHaveLength(1);
  }, 30_000);

  it("a $batch's answers are cut short the same way", async () => {
    const received = await batchClient.closed;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(4 * whole);
  }, 30_000);

  it(`an export is cut after ${ANSWER_STALL_MS / 1000} s or more without a byte taken, and the export behind it is answered whole`, async () => {
    const { asked, answeredAt, closedAt, answer } = await exportBehind;
    // The stalled export held the turn until it was cut; then the next one ran, whole.
    expect(closedAt).toBeLessThanOrEqual(answeredAt);
    expect(closedAt - asked).toBeGreaterThanOrEqual(ANSWER_STALL_MS - 1_000);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((answer.body as { accessPackages: unknown[] }).accessPackages).toHaveLength(PACKAGES.length);
    // What the stalled client finally reads is the answer cut short.
    const received = await exportClient.closed;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(Buffer.byteLength(answer.text));
  }, 30_000);
});
