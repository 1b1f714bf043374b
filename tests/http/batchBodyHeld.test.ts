// A $batch's body stays counted in the budget of bodies (bodyBudget.ts) until the batch is answered, not only while
// it arrives: its parsed body is held while its requests run, a latency fault's wait included. Once answered, its
// bytes are given back. Its items' bodies, parsed from it and held in memory, are not counted again.
import { afterEach, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { createApp } from '../../server/app.js';
import { installBodyBudget } from '../../server/http/bodyBudget.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { PACKAGES } from '../support/graph.js';
import { type Listening, listenOn } from '../support/realServer.js';
import { rawClient } from '../support/rawClient.js';

let listening: Listening | undefined;
afterEach(async () => {
  await listening?.close();
  listening = undefined;
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function request(path: string, body: string | Buffer, coding = ''): Buffer {
  const head = `POST ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\n${coding}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), Buffer.from(body)]);
}

describe("a $batch's body", () => {
  // Plain, it holds its bytes; gzip-compressed (read by the library reader), its bytes and what they inflate to.
  it.each([
    ['plain', false],
    ['gzip-compressed', true],
  ])('%s, holds its bytes of the budget while an item waits on a latency fault, and gives them back once answered', async (_name, gzip) => {
    const app = createApp({ store: new MemoryStore() });
    const budget = installBodyBudget(app, 6_000);
    listening = await listenOn(app);
    const item = {
      id: 'slow',
      method: 'GET',
      url: '/identityGovernance/entitlementManagement/accessPackages?$top=1',
      headers: { 'X-Emulator-Fault': 'delay=2000' },
    };
    const batchBody = JSON.stringify({ requests: [item], padding: 'p'.repeat(3_000) });
    const batch = rawClient(listening.port);
    const sent = gzip ? gzipSync(batchBody) : Buffer.from(batchBody);
    const held = Buffer.byteLength(batchBody) + (gzip ? sent.length : 0);
    batch.socket.write(request('/beta/$batch', sent, gzip ? 'Content-Encoding: gzip\r\n' : ''));
    await until(() => budget.inUse === held);

    // A create that would fit beside nothing, not beside the batch's body, is refused while the batch runs.
    const create = JSON.stringify({ displayName: 'x'.repeat(3_500) });
    const refused = rawClient(listening.port);
    refused.socket.write(request(PACKAGES, create));
    const [head, text] = (await refused.answer(1)).split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(head).toMatch(/\r\nRetry-After: 1\r\n/i);
    expect(JSON.parse(text).error).toMatchObject({
      code: 'serviceNotAvailable',
      message:
        "The emulator holds other request bodies (being received, or a $batch's while its requests run), and this one would pass the 6000 bytes it holds for all of them at once. Try the request again after a delay.",
    });
    expect(budget.inUse).toBe(held);

    const answered = await batch.answer(1);
    expect(answered).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(JSON.parse(answered.split('\r\n\r\n')[1]!).responses).toEqual([expect.objectContaining({ id: 'slow', status: 200 })]);
    await until(() => budget.inUse === 0);
    const accepted = rawClient(listening.port);
    accepted.socket.write(request(PACKAGES, create));
    // Read whole this time, and created (in the tenant's default catalog).
    const [acceptedHead, acceptedText] = (await accepted.answer(1)).split('\r\n\r\n') as [string, string];
    expect(acceptedHead).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(JSON.parse(acceptedText)).toMatchObject({ displayName: 'x'.repeat(3_500) });
    for (const client of [batch, refused, accepted]) client.socket.destroy();
  });
  it("counts its bytes once: its items' bodies, already in memory, take nothing more", async () => {
    const app = createApp({ store: new MemoryStore() });
    const url = '/identityGovernance/entitlementManagement/accessPackages';
    const items = ['a', 'b'].map((id) => ({
      id,
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json' },
      body: { displayName: id.repeat(500) },
    }));
    const batchBody = JSON.stringify({ requests: items });
    // Room for the batch's body and 100 bytes more: either item's body counted again would not fit.
    const budget = installBodyBudget(app, Buffer.byteLength(batchBody) + 100);
    listening = await listenOn(app);
    const batch = rawClient(listening.port);
    batch.socket.write(request('/beta/$batch', batchBody));
    const answer = JSON.parse((await batch.answer(1)).split('\r\n\r\n')[1]!);
    expect(answer.responses.map((r: { id: string; status: number; body: { displayName: string } }) => [r.id, r.status, r.body.displayName])).toEqual([
      ['a', 201, 'a'.repeat(500)],
      ['b', 201, 'b'.repeat(500)],
    ]);
    await until(() => budget.inUse === 0);
    batch.socket.destroy();
  });
});
