// SIGTERM under load: in-flight requests finish and stay durable, new connections are refused, exit 0.
import { describe, expect, it } from '@jest/globals';
import { type ClientRequest, request } from 'node:http';
import path from 'node:path';
import { FileStore } from '../../server/store/fileStore.js';
import { startEmulator, tempDir } from '../support/emulatorProcess.js';
import { PACKAGES } from '../support/graph.js';

interface Outcome {
  status?: number;
  id?: string;
  error?: string;
}

function post(url: string, body: string): { req: ClientRequest; done: Promise<Outcome> } {
  const req = request(`${url}${PACKAGES}`, {
    method: 'POST',
    agent: false,
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  });
  const done = new Promise<Outcome>((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, id: res.statusCode === 201 ? (JSON.parse(text) as { id: string }).id : undefined }));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
  return { req, done };
}

const CONNECTION_ERRORS = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'socket hang up'];

describe('SIGTERM under load', () => {
  it('finishes in-flight creates, keeps every acknowledged one, refuses new connections and exits 0', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const emulator = await startEmulator([], { DATA_FILE: file });

    // Requests certainly in flight at the signal: headers sent, body only half written.
    const slow = Array.from({ length: 5 }, (_, i) => {
      const body = JSON.stringify({ displayName: `slow ${i}`, description: 'x'.repeat(200) });
      const call = post(emulator.url, body);
      call.req.write(body.slice(0, 50));
      return { ...call, rest: body.slice(50) };
    });
    // A round trip on a later connection: the listener has accepted the slow ones and read their headers.
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);

    // A burst of creates; the signal goes out as soon as the first one is acknowledged.
    const burst = Array.from({ length: 120 }, (_, i) => {
      const body = JSON.stringify({ displayName: `burst ${i}` });
      const call = post(emulator.url, body);
      call.req.end(body);
      return call.done;
    });
    await Promise.race(burst);
    const signalledAt = Date.now();
    emulator.child.kill('SIGTERM');

    await new Promise<void>((resolve) => {
      const check = () => (emulator.stdout().includes('SIGTERM: finishing') ? resolve() : setTimeout(check, 5));
      check();
    });
    const refused = await fetch(`${emulator.url}/_emulator/health`).then(
      () => 'answered',
      (err: { cause?: { code?: string } }) => err.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');

    for (const call of slow) call.req.end(call.rest);
    const slowOutcomes = await Promise.all(slow.map((call) => call.done));
    const burstOutcomes = await Promise.all(burst);
    expect(await emulator.exited).toBe(0);
    // Bounded: well within the 10 s grace after which remaining connections would be cut.
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(emulator.stdout()).toContain('stopped: data flushed');

    expect(slowOutcomes.map((o) => o.status)).toEqual([201, 201, 201, 201, 201]);
    for (const outcome of burstOutcomes) {
      if (outcome.status === undefined) expect(CONNECTION_ERRORS).toContain(outcome.error);
      else expect(outcome.status).toBe(201);
    }
    const acknowledged = [...slowOutcomes, ...burstOutcomes].filter((o) => o.status === 201).map((o) => o.id!);
    expect(acknowledged.length).toBeGreaterThan(5);

    const reopened = await FileStore.open(file);
    try {
      expect(reopened.count('accessPackages')).toBe(acknowledged.length);
      for (const id of acknowledged) expect(reopened.get('accessPackages', id)).toMatchObject({ id });
      expect(reopened.list('accessPackages').filter((r) => r.displayName?.startsWith('slow '))).toHaveLength(5);
    } finally {
      await reopened.close();
    }
    process.stdout.write(`SIGTERM under load: ${acknowledged.length - 5} of ${burst.length} burst creates acknowledged, all durable\n`);
  });
});

describe('a second signal while stopping', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s twice: the stop goes on, flushes and exits 0, every acknowledged create kept', async (signal) => {
    const file = path.join(await tempDir(), 'db.json');
    const emulator = await startEmulator([], { DATA_FILE: file });
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const body = JSON.stringify({ displayName: `kept ${i}` });
        const call = post(emulator.url, body);
        call.req.end(body);
        return call.done;
      }),
    );
    expect(created.every((outcome) => outcome.status === 201)).toBe(true);
    // A slow request keeps the stop busy while the second signal arrives.
    const slow = post(emulator.url, JSON.stringify({ displayName: 'last' }));
    slow.req.write('{"displayName"');
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
    emulator.child.kill(signal);
    await new Promise<void>((resolve) => {
      const check = () => (emulator.stdout().includes(`${signal}: finishing`) ? resolve() : setTimeout(check, 5));
      check();
    });
    emulator.child.kill(signal);
    await new Promise<void>((resolve) => {
      const check = () => (emulator.stdout().includes(`${signal}: already stopping`) ? resolve() : setTimeout(check, 5));
      check();
    });
    slow.req.end(':"last"}');
    expect(await slow.done).toMatchObject({ status: 201 });
    expect(await emulator.exited).toBe(0);
    expect(emulator.stdout()).toContain('stopped: data flushed');
    const store = await FileStore.open(file);
    try {
      expect(store.count('accessPackages')).toBe(21);
    } finally {
      await store.close();
    }
  });
});
