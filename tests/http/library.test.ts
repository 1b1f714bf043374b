// The "Use from a test suite" example of docs/test-suites.md, verbatim (a test checks it stays so), then more of the API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { fences, section } from '../support/markdown.js';
import { createApp, MemoryStore, startEmulator, type RunningEmulator } from 'graph-accesspackages-emulator';
import request from 'supertest'; // a dev dependency of your project, not of the emulator

const ACCESS_PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

it('creates an access package (supertest, in-process)', async () => {
  const store = new MemoryStore();
  const app = createApp({ store, auth: 'none' });

  const res = await request(app).post(ACCESS_PACKAGES).send({ displayName: 'Sales' }).expect(201);

  expect(res.body).toMatchObject({ displayName: 'Sales', isHidden: false });
  expect(res.headers['odata-version']).toBe('4.0');
  expect(store.count('accessPackages')).toBe(1);
});

describe('with a real server on a free port', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('answers like Graph', async () => {
    const res = await fetch(`${emulator.url}${ACCESS_PACKAGES}`, {
      method: 'POST',
      headers: { Authorization: 'Bearer any-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ displayName: 'Sales' }),
    });

    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/beta\/identityGovernance\//);
    expect(await res.json()).toMatchObject({ displayName: 'Sales' });
    expect(emulator.store.count('accessPackages')).toBe(1);
  });
});

describe('startEmulator', () => {
  it('listens on 127.0.0.1 on a free port, keeps data in memory, and stops listening on close', async () => {
    const first = await startEmulator();
    const second = await startEmulator({ auth: 'none' });
    expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
    expect(second.port).not.toBe(first.port);
    expect(first.store.location).toBe(':memory:');
    const health = await fetch(`${second.url}/_emulator/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: ':memory:' });
    await Promise.all([first.close(), second.close()]);
    await expect(fetch(`${first.url}/_emulator/health`)).rejects.toThrow('fetch failed');
  });

  it('close(graceMs) waits that long for a request still arriving, then cuts its connection; nothing of it is stored', async () => {
    const emulator = await startEmulator();
    const arrived = once(emulator.server, 'request');
    const socket = connect(emulator.port, '127.0.0.1');
    const cut = once(socket, 'close');
    socket.write(
      `POST ${ACCESS_PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"displayName"`,
    );
    await arrived;
    const started = performance.now();
    await emulator.close(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await cut;
    expect(socket.destroyed).toBe(true);
    expect(emulator.store.count('accessPackages')).toBe(0);
  });

  it('a port in use rejects before the data file is opened: no folder, data file or journal is left behind', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(`${tmpdir()}/emulator-port-taken-`);
    try {
      const port = (taken.address() as AddressInfo).port;
      await expect(startEmulator({ dataFile: `${dir}/data/db.json`, fixtures: 'small', port })).rejects.toMatchObject({ code: 'EADDRINUSE', port });
      // A data file seeded here would be taken as holding data by the next start, which would then not seed its own.
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('a port in use rejects before the certificate or the signing key is made: HTTPS=true and AUTH=strict leave no folder either', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(`${tmpdir()}/emulator-port-taken-tls-`);
    try {
      const port = (taken.address() as AddressInfo).port;
      await expect(startEmulator({ dataFile: `${dir}/data/db.json`, https: true, auth: 'strict', port })).rejects.toMatchObject({ code: 'EADDRINUSE', port });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it.each([false, true])(
    'close() does not wait for a connection that never sent a byte (https: %s): a preconnect cannot hold the stop',
    async (https) => {
      const emulator = await startEmulator({ https });
      const accepted = once(emulator.server, 'connection');
      const socket = connect(emulator.port, '127.0.0.1');
      const closed = once(socket, 'close');
      await accepted;
      // A grace far past the test's timeout: only a stop that does not wait for this connection ends in time.
      await emulator.close(60_000);
      await closed;
      expect([socket.destroyed, socket.bytesRead]).toEqual([true, 0]);
    },
    5_000,
  );

  it('close() answers the requests in flight with Connection: close and closes their kept-alive connections, so a client cannot hold the stop', async () => {
    const emulator = await startEmulator();
    const socket = connect(emulator.port, '127.0.0.1');
    socket.setEncoding('latin1');
    let received = '';
    socket.on('data', (chunk: string) => (received += chunk));
    const ended = once(socket, 'close');
    const post = (name: string, delay: string) =>
      `POST ${ACCESS_PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\n${delay}Content-Length: ${name.length + 18}\r\n\r\n{"displayName":"${name}"}`;
    const arrived = once(emulator.server, 'request');
    socket.write(post('Sales', 'X-Emulator-Fault: delay=3000\r\n'));
    await arrived;
    const started = performance.now();
    await emulator.close();
    await ended;
    // Without it the answer said keep-alive and the stop waited for the client (here, the 5 s keep-alive timeout).
    expect(performance.now() - started).toBeLessThan(2000);
    const [head, body] = received.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(head).toMatch(/\r\nConnection: close(\r\n|$)/i);
    expect(head).not.toMatch(/keep-alive/i);
    expect(JSON.parse(body!)).toMatchObject({ displayName: 'Sales' });
    expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  });
});

describe('startEmulator options from docs/test-suites.md', () => {
  it('takes fault rules as objects and a file-backed https setup with its CA', async () => {
    const dataFile = `${mkdtempSync(`${tmpdir()}/emulator-lib-`)}/db.json`;
    const emulator = await startEmulator({ dataFile, https: true, logLevel: 'silent', faults: { rules: [{ method: 'POST', status: 503, times: 1 }] } });
    try {
      expect(emulator.url).toBe(`https://127.0.0.1:${emulator.port}`);
      expect(emulator.caFile).toBe(`${dataFile.slice(0, -'/db.json'.length)}/tls/ca.pem`);
      expect(existsSync(emulator.caFile!)).toBe(true);
      const post = () =>
        new Promise<{ status: number; code: string | undefined }>((resolve, reject) => {
          const req = httpsRequest(
            `${emulator.url}${ACCESS_PACKAGES}`,
            { method: 'POST', ca: readFileSync(emulator.caFile!, 'utf8'), headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' } },
            (res) => {
              let text = '';
              res.on('data', (c: Buffer) => (text += c.toString()));
              res.on('end', () => resolve({ status: res.statusCode!, code: (JSON.parse(text) as { error?: { code: string } }).error?.code }));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ displayName: 'Sales' }));
        });
      expect(await post()).toEqual({ status: 503, code: 'ServiceUnavailable' });
      expect(await post()).toEqual({ status: 201, code: undefined });
      expect(emulator.store.count('accessPackages')).toBe(1);
    } finally {
      await emulator.close();
    }
  });
});

describe('two emulators of one data folder over https', () => {
  it('started together, both serve a certificate of the one CA the folder holds', async () => {
    const dir = mkdtempSync(`${tmpdir()}/emulator-tls-shared-`);
    const emulators = await Promise.all(['a', 'b'].map((name) => startEmulator({ dataFile: `${dir}/${name}.json`, https: true })));
    try {
      // Each used to make its own CA and rename it into place: one served a certificate the CA on disk never signed.
      const ca = readFileSync(`${dir}/tls/ca.pem`, 'utf8');
      for (const emulator of emulators) {
        expect(emulator.caFile).toBe(`${dir}/tls/ca.pem`);
        const status = await new Promise<number | string>((resolve) => {
          const req = httpsRequest(`${emulator.url}/_emulator/health`, { ca }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          });
          req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
          req.end();
        });
        expect(status).toBe(200);
      }
      expect(readdirSync(`${dir}/tls`).sort()).toEqual(['ca-key.pem', 'ca.pem', 'cert.pem', 'key.pem']);
    } finally {
      await Promise.all(emulators.map((emulator) => emulator.close()));
    }
  });
  it('serves the certificates of a read-only tls folder as they are, where no lock can be made (when this machine lets a test mount one)', async () => {
    const dir = mkdtempSync(`${tmpdir()}/emulator-tls-readonly-`);
    await (await startEmulator({ dataFile: `${dir}/db.json`, https: true })).close();
    const tls = `${dir}/tls`;
    const mounted = spawnSync('mount', ['--bind', tls, tls]).status === 0;
    if (!mounted) return;
    try {
      if (spawnSync('mount', ['-o', 'remount,ro,bind', tls]).status !== 0) return;
      const emulator = await startEmulator({ dataFile: `${dir}/db.json`, https: true });
      await emulator.close();
      expect(emulator.caFile).toBe(`${tls}/ca.pem`);
    } finally {
      spawnSync('umount', ['-l', tls]);
    }
  });
});

describe('docs/test-suites.md', () => {
  it("shows this file's example verbatim", () => {
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    const example = fences(section('docs/test-suites.md', 'Use from a test suite (jest, vitest, mocha)')).find((f) => f.lang === 'ts');
    expect(example?.body).toContain('startEmulator');
    expect(source).toContain(example!.body);
  });
});
