// A client that sends a body over the limit without waiting for the answer (Node's fetch, as SDKs do) receives
// the 413 in Graph's envelope: the emulator runs in its own process, so the client is really still writing
// when the answer comes (in one process the race does not show).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorProcess, startEmulator } from '../support/emulatorProcess.js';

const MB = 1024 * 1024;
let emulator: EmulatorProcess;

beforeAll(async () => {
  emulator = await startEmulator(['--data', ':memory:']);
});
afterAll(async () => {
  emulator.child.kill('SIGTERM');
  await emulator.exited;
});

async function post(path: string, bytes: number): Promise<{ status: number; body: unknown } | string> {
  try {
    const res = await fetch(`${emulator.url}${path}`, {
      method: path.startsWith('/beta') ? 'POST' : 'PUT',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: Buffer.alloc(bytes, ' '),
    });
    return { status: res.status, body: await res.json() };
  } catch (err) {
    return `${(err as Error).message}: ${String((err as { cause?: Error }).cause?.message)}`;
  }
}

describe('an oversized body sent by fetch', () => {
  it('gets the 413, every time', async () => {
    const answers = [];
    // 8 MB: more than the limit (1 MB) and the loopback socket's send and receive buffers together take at once,
    // so the client is still writing when the 413 comes.
    for (let i = 0; i < 5; i += 1) answers.push(await post('/beta/identityGovernance/entitlementManagement/accessPackages', 8 * MB));
    answers.push(await post('/_emulator/faults', 8 * MB));
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 413,
        body: {
          error: {
            code: 'RequestEntityTooLarge',
            message: 'The request body exceeds the maximum allowed size of 1048576 bytes.',
            innerError: expect.any(Object),
          },
        },
      });
    }
  });
});
