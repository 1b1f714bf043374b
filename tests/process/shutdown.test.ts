// SIGTERM under load: in-flight requests finish and stay durable, new connections are refused, exit 0.
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { type ClientRequest, request } from 'node:http';
import path from 'node:path';
import { FileStore } from '../../server/store/fileStore.js';
import { said, startEmulator, stdoutRecords, tempDir } from '../support/emulatorProcess.js';
import { PACKAGES } from '../support/graph.js';
import { CLI_MAIN, childEnv, tracked } from '../support/childProcess.js';
import { section } from '../support/markdown.js';
import { performance } from 'node:perf_hooks';

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

describe('a request still arriving at a stop', () => {
  it('is waited for 10 s, as docs/running.md says, then cut off with nothing of it kept; exit 0', async () => {
    expect(section('docs/running.md', 'Stopping')).toContain(
      'let in-flight requests finish (their writes are on disk) for up to 10 s (a request still arriving then, a slow upload, is cut off and nothing of it is kept)',
    );
    const file = path.join(await tempDir(), 'db.json');
    const emulator = await startEmulator([], { DATA_FILE: file });
    const body = JSON.stringify({ displayName: 'never finished' });
    const call = post(emulator.url, body);
    call.req.write(body.slice(0, 10));
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
    const started = performance.now();
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(9_500);
    expect(took).toBeLessThan(15_000);
    expect(CONNECTION_ERRORS).toContain((await call.done).error);
    const store = await FileStore.open(file);
    expect(store.list('accessPackages')).toEqual([]);
    await store.close();
  }, 30_000);
});

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

/** Polls `attempt` every 20 ms until it gives a value; past `withinMs`, fails saying what it waited for. */
async function polled<T>(what: string, attempt: () => T | undefined | Promise<T | undefined>, withinMs = 15_000): Promise<T> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The TCP port process `pid` listens on, for a process started on port 0 whose stdout cannot say where it listens:
 * the sockets among its descriptors, found in the listening ones of /proc/net/tcp.
 */
function listeningPort(pid: number): number | undefined {
  let sockets: Set<string>;
  try {
    sockets = new Set(
      readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '';
        } catch {
          return ''; // closed meanwhile
        }
      }),
    );
  } catch {
    return undefined; // not started yet, or gone
  }
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    // sl local_address rem_address st … inode: st 0A is LISTEN; the local address is hex IP:port.
    const fields = line.trim().split(/\s+/);
    if (fields[3] === '0A' && sockets.has(fields[9] ?? '')) return Number.parseInt(fields[1]!.split(':')[1]!, 16);
  }
  return undefined;
}

/** The emulator at `url` answers its health check. */
const healthy = (url: string) =>
  fetch(`${url}/_emulator/health`, { signal: AbortSignal.timeout(5_000) }).then(
    (res) => (res.status === 200 ? true : undefined),
    () => undefined,
  );

/**
 * The URL of emulator process `pid` once a port it listens on answers its health check. The port is looked for again
 * on each try: before the server listens, the start's check that its address can be bound (checkListenable in
 * server/listener.ts) holds a port of its own for a moment, which a slow machine lets a look find and then closes.
 */
function healthyUrl(pid: number): Promise<string> {
  return polled(`a healthy answer from a port the emulator (pid ${pid}) listens on`, async () => {
    const port = listeningPort(pid);
    const url = `http://127.0.0.1:${port}`;
    return port !== undefined && (await healthy(url)) ? url : undefined;
  });
}

async function create(url: string, displayName: string): Promise<Outcome> {
  const call = post(url, JSON.stringify({ displayName }));
  call.req.end(JSON.stringify({ displayName }));
  return call.done;
}

/** What a stop left in the data folder: the snapshot's records, the journal's text, whether the lock is still there. */
async function leftBehind(file: string) {
  const snapshot = JSON.parse(await readFile(file, 'utf8')) as { accessPackages: { displayName: string }[] };
  return {
    names: snapshot.accessPackages.map((r) => r.displayName),
    journal: await readFile(`${file}.journal`, 'utf8'),
    lock: existsSync(`${file}.lock`),
  };
}

describe('output nobody can write to', () => {
  it('a stdout whose reader went away (EPIPE): the logs are lost, the stop flushes and exits 0', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const emulator = await startEmulator([], { DATA_FILE: file, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    // `npm start | tee log` where Ctrl-C ended tee first: every write to stdout from now on fails with EPIPE.
    emulator.child.stdout!.destroy();
    expect(await create(emulator.url, 'unlogged')).toMatchObject({ status: 201 });
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
    expect(emulator.stderr()).toBe('');
    expect(await leftBehind(file)).toEqual({ names: ['unlogged'], journal: '', lock: false });
  });

  it('a stdout whose reader stops reading, then reads again: the emulator serves on, and every line comes out whole', async () => {
    const file = path.join(await tempDir(), 'db.json');
    // `npm start | less` left on one page: a reader that takes the first bytes, then nothing until the test has made
    // its requests and says so through a named pipe, then the rest.
    const resume = path.join(path.dirname(file), 'resume');
    execFileSync('mkfifo', [resume]);
    const quoted = [process.execPath, ...CLI_MAIN].map((arg) => `'${arg}'`).join(' ');
    const child = tracked(
      spawn('sh', ['-c', `${quoted} | { head -c 100 >/dev/null; cat '${resume}' >/dev/null; cat; }`], {
        env: childEnv({ PORT: '0', DATA_FILE: file, FIXTURES: 'empty', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    // The emulator is the shell's child: found by its parent, and killed if the test fails before it stops it.
    // Of the shell's children (the reader's subshell has the shell's own command line), the one that runs node.
    const emulatorPid = () =>
      Number(
        execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
          .split('\n')
          .find((pid) => pid !== '' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === process.execPath),
      );
    let stopped = false;
    try {
      const pid = await polled('the emulator under the shell', () => {
        try {
          return emulatorPid() || undefined;
        } catch {
          return undefined; // pgrep found none yet
        }
      });
      const url = await healthyUrl(pid);
      // Twice what the pipe holds (64 KiB): each request logs a line of some 330 bytes.
      const list = `${url}/beta/identityGovernance/entitlementManagement/accessPackages?$top=1`;
      for (let i = 0; i < 400; i++) {
        const res = await fetch(list, { headers: { Authorization: 'Bearer t' }, signal: AbortSignal.timeout(5_000) });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      expect((await fetch(`${url}/_emulator/health`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
      // The reader reads again (opened for writing and closed, the named pipe ends its wait).
      await writeFile(resume, '');
      // Once the reader reads again, what waited comes out with no new line to push it.
      const logged = () => (stdout.match(/"method":"GET","path":"\/beta\/identityGovernance\/entitlementManagement\/accessPackages"/g) ?? []).length;
      for (const until = Date.now() + 15_000; logged() < 400 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(logged()).toBe(400);
      // The emulator alone is stopped; the reader reads on until its end of the pipe closes.
      process.kill(emulatorPid(), 'SIGTERM');
      await exited;
      stopped = true;
      // Every line whole (but the first, whose first 100 bytes the reader dropped), and the stop's own two last.
      expect(said(stdout.slice(stdout.indexOf('\n') + 1)).slice(-2)).toEqual([
        'SIGTERM: finishing in-flight requests and flushing data',
        'stopped: data flushed',
      ]);
      expect(await leftBehind(file)).toMatchObject({ journal: '', lock: false });
    } finally {
      if (!stopped) {
        try {
          process.kill(emulatorPid(), 'SIGKILL');
        } catch {
          // already gone
        }
        try {
          // A reader still waiting on the named pipe goes on (and ends), without a wait here if it no longer does.
          closeSync(openSync(resume, constants.O_WRONLY | constants.O_NONBLOCK));
        } catch {
          // no reader waits on it
        }
      }
    }
  });

  it('a stdout that refuses every write (ENOSPC, > /dev/full): the emulator serves, then stops and exits 0', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const full = openSync('/dev/full', 'w');
    const child = tracked(
      spawn(process.execPath, CLI_MAIN, {
        env: childEnv({ PORT: '0', DATA_FILE: file, FIXTURES: 'empty', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }),
        stdio: ['ignore', full, 'pipe'],
      }),
    );
    closeSync(full);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Listening, though its line was never written.
    const url = await healthyUrl(child.pid!);
    expect(await create(url, 'unlogged')).toMatchObject({ status: 201 });
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toBe('');
    expect(await leftBehind(file)).toEqual({ names: ['unlogged'], journal: '', lock: false });
  });
});

describe('SIGHUP (the terminal or ssh session closing) and SIGUSR2 (nodemon restarting its child)', () => {
  it.each(['SIGHUP', 'SIGUSR2'] as const)(
    '%s stops as SIGTERM does: in-flight requests finish, the buffered log lines and the data are written, exit 0',
    async (signal) => {
      const file = path.join(await tempDir(), 'db.json');
      const emulator = await startEmulator([], { DATA_FILE: file, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
      expect(await create(emulator.url, 'kept')).toMatchObject({ status: 201 });
      // Sent at once: the create's log line is still in the buffer (written within 200 ms, logger.ts).
      emulator.child.kill(signal);
      expect(await emulator.exited).toBe(0);
      expect(stdoutRecords(emulator.stdout())).toEqual([
        expect.objectContaining({ level: 'info', msg: expect.stringMatching(/^Graph accessPackages emulator listening on /), url: emulator.url }),
        expect.objectContaining({ level: 'info', method: 'POST', path: PACKAGES, status: 201 }),
        expect.objectContaining({ level: 'info', msg: `${signal}: finishing in-flight requests and flushing data` }),
        expect.objectContaining({ level: 'info', msg: 'stopped: data flushed' }),
      ]);
      expect(await leftBehind(file)).toEqual({ names: ['kept'], journal: '', lock: false });
    },
  );

  it("SIGUSR1 opens no inspector (Node's default, which any local user could then reach on 127.0.0.1:9229): it is noted and the emulator serves on", async () => {
    const file = path.join(await tempDir(), 'db.json');
    const emulator = await startEmulator([], { DATA_FILE: file, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    emulator.child.kill('SIGUSR1');
    for (let i = 0; i < 100 && !emulator.stdout().includes('SIGUSR1'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(said(emulator.stdout()).at(-1)).toBe('SIGUSR1: ignored; the emulator opens no inspector on a signal (run it with node --inspect to debug it)');
    expect(emulator.stderr()).not.toMatch(/Debugger listening/);
    expect(await create(emulator.url, 'served on')).toMatchObject({ status: 201 });
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
  });
});
