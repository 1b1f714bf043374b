import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig, type Config } from '../../server/config.js';
import { listen } from '../../server/emulator.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { countsOf, recordCounts } from '../support/counts.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';

function config(env: Record<string, string>): Config {
  return loadConfig([], { PORT: '0', LOG_LEVEL: 'silent', ...env }).config;
}

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'emulator-seeding-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function health(url: string) {
  const res = await request(url).get('/_emulator/health');
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body as { records: { accessPackages: number; accessPackageCatalogs: number } };
}

describe('seeding a fresh store on start', () => {
  it('writes the small set for SEED to a missing data file, byte for byte what the generator gives', () =>
    withTempDir(async (dir) => {
      const dataFile = path.join(dir, 'db.json');
      const emulator = await listen(config({ DATA_FILE: dataFile, SEED: '9', REFERENCE_DATE: '2026-11-01' }));
      try {
        expect((await health(emulator.url)).records).toEqual(
          countsOf(generateDataset({ seed: 9, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE })),
        );
      } finally {
        await emulator.close();
      }
      const expected = serializeDataset(generateDataset({ seed: 9, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE }));
      expect(await readFile(dataFile, 'utf8')).toBe(expected);
    }));

  it('never reseeds a store that already holds data, whatever FIXTURES says now', () =>
    withTempDir(async (dir) => {
      const dataFile = path.join(dir, 'db.json');
      const first = await listen(config({ DATA_FILE: dataFile, FIXTURES: 'empty' }));
      const created = await request(first.url)
        .post('/beta/identityGovernance/entitlementManagement/accessPackages')
        .set('Authorization', 'Bearer t')
        .send({ displayName: 'Kept across restarts' });
      expect(created.status).toBe(201);
      await first.close();
      const second = await listen(config({ DATA_FILE: dataFile, FIXTURES: 'paging' }));
      try {
        // The empty tenant's one catalog is Graph's built-in General.
        expect((await health(second.url)).records).toEqual(recordCounts({ accessPackages: 1, accessPackageCatalogs: 1 }));
        expect(second.store.list('accessPackages')[0]).toMatchObject({ id: created.body.id, displayName: 'Kept across restarts' });
      } finally {
        await second.close();
      }
    }));

  it.each([
    ['empty', 0, 1],
    ['small', 25, 3],
    ['paging', 250, 10],
  ])('seeds the in-memory store with FIXTURES=%s', async (fixtures, accessPackages, accessPackageCatalogs) => {
    const emulator = await listen(config({ DATA_FILE: ':memory:', FIXTURES: fixtures }));
    try {
      const records = countsOf(generateDataset({ seed: 42, accessPackages, accessPackageCatalogs }));
      expect((await health(emulator.url)).records).toEqual(records);
    } finally {
      await emulator.close();
    }
  });

  it('resets to exactly the data of the start when REFERENCE_DATE is fixed', async () => {
    const emulator = await listen(config({ DATA_FILE: ':memory:', FIXTURES: 'paging', SEED: '3', REFERENCE_DATE: REFERENCE_DATE }));
    try {
      const atStart = emulator.store.snapshot();
      expect(atStart).toEqual(generateDataset({ seed: 3, accessPackages: 250, accessPackageCatalogs: 10, referenceDate: REFERENCE_DATE }));
      await request(emulator.url)
        .delete(`/beta/identityGovernance/entitlementManagement/accessPackages/${atStart.accessPackages[0]!.id}`)
        .set('Authorization', 'Bearer t')
        .expect(204);
      await request(emulator.url).post('/_emulator/reset').expect(200);
      expect(emulator.store.snapshot()).toEqual(atStart);
    } finally {
      await emulator.close();
    }
  });

  it('without REFERENCE_DATE, dates each generation from its own time: a reset gives the same tenant, not older, later resets move it by whole seconds', async () => {
    const emulator = await listen(config({ DATA_FILE: ':memory:', FIXTURES: 'small' }));
    try {
      const atStart = emulator.store.snapshot();
      const names = (d: typeof atStart) => [...d.accessPackageCatalogs, ...d.accessPackages].map((r) => [r.id, r.displayName]);
      const moves = (from: typeof atStart, to: typeof atStart) =>
        new Set(to.accessPackages.map((p, i) => Date.parse(p.createdDateTime) - Date.parse(from.accessPackages[i]!.createdDateTime)));
      await new Promise((resolve) => setTimeout(resolve, 5));
      // The first reset generates the set at its own time (to the millisecond)...
      await request(emulator.url).post('/_emulator/reset').expect(200);
      const atReset = emulator.store.snapshot();
      expect(names(atReset)).toEqual(names(atStart));
      const firstMove = [...moves(atStart, atReset)];
      expect(firstMove).toHaveLength(1);
      expect(firstMove[0]).toBeGreaterThanOrEqual(5);
      // ... and the next ones move that set by the whole seconds since.
      await new Promise((resolve) => setTimeout(resolve, 1005));
      await request(emulator.url).post('/_emulator/reset').expect(200);
      const later = [...moves(atReset, emulator.store.snapshot())];
      expect(later).toHaveLength(1);
      expect(later[0]).toBeGreaterThanOrEqual(1000);
      expect(later[0]! % 1000).toBe(0);
    } finally {
      await emulator.close();
    }
  });

  it('starts on a saved Graph list as FIXTURES, its packages in the General catalog', () =>
    withTempDir(async (dir) => {
      const fixtures = path.join(dir, 'saved.json');
      const saved = { value: [{ id: '8c2a1f54-7f3e-4d0b-9a51-2f0c6f1e4b7a', displayName: 'Saved', catalogId: '5d1c0a3e-8f0b-4a5e-9c1d-2b7e4f6a8c90' }] };
      await writeFile(fixtures, JSON.stringify(saved));
      const emulator = await listen(config({ DATA_FILE: ':memory:', FIXTURES: fixtures }));
      try {
        expect((await health(emulator.url)).records).toMatchObject({ accessPackages: 1, accessPackageCatalogs: 1 });
      } finally {
        await emulator.close();
      }
    }));

  it('refuses to start on a fixtures file with a bad record, naming the record and property, and leaves no data file', () =>
    withTempDir(async (dir) => {
      const fixtures = path.join(dir, 'mine.json');
      const dataFile = path.join(dir, 'db.json');
      const records = [{ id: '8f1c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50' }, { id: '1b2c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50', isHidden: 'no' }];
      await writeFile(fixtures, JSON.stringify({ accessPackages: records }));
      await expect(listen(config({ DATA_FILE: dataFile, FIXTURES: fixtures }))).rejects.toThrow(
        `The fixtures file ${fixtures} is not valid: accessPackages[1]: Invalid value for property 'isHidden'`,
      );
      await expect(readFile(dataFile)).rejects.toMatchObject({ code: 'ENOENT' });
    }));

  it.each([
    [
      'an id in upper case',
      { accessPackages: [{ id: '8C2A1F54-7F3E-4D0B-9A51-2F0C6F1E4B7A' }] },
      "accessPackages[0]: property 'id' is '8C2A1F54-7F3E-4D0B-9A51-2F0C6F1E4B7A', not in lower case: Graph's ids are lower case ('8c2a1f54-7f3e-4d0b-9a51-2f0c6f1e4b7a').",
    ],
    [
      'a package in no catalog there is',
      { accessPackages: [{ id: '8c2a1f54-7f3e-4d0b-9a51-2f0c6f1e4b7a', catalogId: '5d1c0a3e-8f0b-4a5e-9c1d-2b7e4f6a8c90' }] },
      "accessPackages[0]: property 'catalogId' names '5d1c0a3e-8f0b-4a5e-9c1d-2b7e4f6a8c90', which is no record of accessPackageCatalogs.",
    ],
  ])('refuses to start on a fixtures file with %s, naming the record, and leaves no data file', (_case, records, problem) =>
    withTempDir(async (dir) => {
      const fixtures = path.join(dir, 'mine.json');
      const dataFile = path.join(dir, 'db.json');
      await writeFile(fixtures, JSON.stringify(records));
      await expect(listen(config({ DATA_FILE: dataFile, FIXTURES: fixtures }))).rejects.toThrow(`The fixtures file ${fixtures} is not valid: ${problem}`);
      await expect(readFile(dataFile)).rejects.toMatchObject({ code: 'ENOENT' });
    }),
  );
});
