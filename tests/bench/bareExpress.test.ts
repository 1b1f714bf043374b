// The benchmark's bare Express (bench/bareExpress.ts): the canned answers, and with BENCH_DURABLE_FILE a create
// that is in its file before it is answered, concurrent creates sharing syncs.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../bench/servers.js';
import { type Spawned, spawnProcess, tempDir } from '../support/childProcess.js';

const CANNED = { create: { status: 201, body: { id: 'canned', displayName: 'Canned' } }, get: { status: 200, body: { id: 'canned' } } };
let running: Spawned | undefined;

afterEach(async () => {
  running?.child.kill('SIGKILL');
  await running?.exited;
  running = undefined;
});

async function start(durable: boolean): Promise<{ url: string; file: string }> {
  const dir = tempDir('bare-express-');
  const file = path.join(dir, 'creates.jsonl');
  await writeFile(path.join(dir, 'canned.json'), JSON.stringify(CANNED));
  const port = await freePort();
  running = spawnProcess(process.execPath, ['--import', 'tsx', 'bench/bareExpress.ts'], {
    PORT: String(port),
    BENCH_CANNED: path.join(dir, 'canned.json'),
    ...(durable ? { BENCH_DURABLE_FILE: file } : {}),
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i += 1) {
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, file };
    await sleep(50);
  }
  throw new Error(`bare Express did not start: ${running.stderr()}`);
}

const create = (url: string, name: string) =>
  fetch(`${url}/accessPackages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: name }) });

describe('bare Express', () => {
  it('answers each workload with its canned answer and writes nothing', async () => {
    const { url, file } = await start(false);
    const created = await create(url, 'one');
    expect([created.status, created.headers.get('content-type'), await created.json()]).toEqual([201, 'application/json; charset=utf-8', CANNED.create.body]);
    expect(await (await fetch(`${url}/accessPackages/x`)).json()).toEqual(CANNED.get.body);
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('with BENCH_DURABLE_FILE, has every create in its file by the time it answers it', async () => {
    const { url, file } = await start(true);
    const names = Array.from({ length: 20 }, (_, i) => `package ${i}`);
    const inFileWhenAnswered = await Promise.all(
      names.map(async (name) => {
        const res = await create(url, name);
        expect([res.status, await res.json()]).toEqual([201, CANNED.create.body]);
        return (await readFile(file, 'utf8')).includes(`"displayName":"${name}"`);
      }),
    );
    expect(inFileWhenAnswered).toEqual(names.map(() => true));
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { op: string; r: { id: string; displayName: string } });
    expect(lines.map((l) => l.r.displayName).sort()).toEqual([...names].sort());
    expect(new Set(lines.map((l) => l.r.id)).size).toBe(20);
    expect(lines.every((l) => l.op === 'put')).toBe(true);
  });
});
