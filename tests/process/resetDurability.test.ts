// A reset and a baseline's restore are durable when they answer: killed with SIGKILL right after the 200, the
// emulator comes back with the data they put in place. Baselines themselves survive restarts.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { type EmulatorProcess, startEmulator, tempDir } from '../support/emulatorProcess.js';
import { PACKAGES } from '../support/graph.js';

const REFERENCE_DATE = '2026-11-01';

async function create(url: string, displayName: string): Promise<void> {
  const res = await fetch(`${url}${PACKAGES}`, {
    method: 'POST',
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  expect(res.status).toBe(201);
}

async function killAfter(emulator: EmulatorProcess, path: string, method = 'POST'): Promise<unknown> {
  const res = await fetch(`${emulator.url}${path}`, { method });
  expect(res.status).toBe(200);
  const body = await res.json();
  // Nothing more: no close, no flush.
  emulator.child.kill('SIGKILL');
  expect(await emulator.exited).toBe('SIGKILL');
  return body;
}

describe('durable resets and baselines', () => {
  it('a reset survives a kill -9 right after its 200', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const env = { DATA_FILE: file, FIXTURES: 'small', SEED: '42', REFERENCE_DATE };
    const first = await startEmulator([], env);
    await create(first.url, 'Made before the reset');
    await killAfter(first, '/_emulator/reset');

    const second = await startEmulator([], env);
    const exported = await (await fetch(`${second.url}/_emulator/export`)).text();
    expect(exported).toBe(serializeDataset(generateDataset({ seed: 42, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE })));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it("a baseline's restore survives a kill -9 right after its 200, and the baseline is kept across restarts", async () => {
    const file = path.join(await tempDir(), 'db.json');
    const first = await startEmulator([], { DATA_FILE: file });
    await create(first.url, 'In the baseline');
    const saved = await fetch(`${first.url}/_emulator/snapshots/base`, { method: 'PUT' });
    expect(saved.status).toBe(201);
    const baseline = await saved.json();
    await create(first.url, 'Made after the baseline');
    expect(await killAfter(first, '/_emulator/snapshots/base/restore')).toMatchObject({ name: 'base', records: { accessPackages: 1 } });

    const second = await startEmulator([], { DATA_FILE: file });
    const exported = (await (await fetch(`${second.url}/_emulator/export`)).json()) as { accessPackages: { displayName: string }[] };
    expect(exported.accessPackages.map((p) => p.displayName)).toEqual(['In the baseline']);
    expect(await (await fetch(`${second.url}/_emulator/snapshots`)).json()).toEqual({ value: [baseline] });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
