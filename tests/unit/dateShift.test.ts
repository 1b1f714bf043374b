// A generated set moved to a later "now" is the set generated at that "now": what lets a reset reuse one
// generation (tenantData/sets.ts, FixtureCache) and journal itself as a stored dataset plus a distance.
import { describe, expect, it } from '@jest/globals';
import { shiftDates } from '../../server/store/dateShift.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FixtureCache, RESET_DATE_STEP_MS, tenantFixtures } from '../../server/tenantData/sets.js';

const FROM = '2026-11-01T09:30:00.123Z';
const TO = '2027-03-15T17:01:02.999Z';

describe('shiftDates', () => {
  it.each([
    ['small', 42, 25, 3],
    ['small', 7, 25, 3],
    ['paging', 1, 250, 10],
    ['empty', 42, 0, 0],
  ])('the %s set, seed %i, generated at one date and moved to another is the set generated there, byte for byte', (_set, seed, packages, catalogs) => {
    const generated = generateDataset({ seed, accessPackages: packages, accessPackageCatalogs: catalogs, referenceDate: FROM });
    const before = serializeDataset(generated);
    const moved = shiftDates(generated, Date.parse(TO) - Date.parse(FROM));
    expect(serializeDataset(moved)).toBe(
      serializeDataset(generateDataset({ seed, accessPackages: packages, accessPackageCatalogs: catalogs, referenceDate: TO })),
    );
    // The records given are left as they were; a record without a timestamp is the same record, not a copy
    // (resource roles hold none).
    expect(serializeDataset(generated)).toBe(before);
    expect(moved.accessPackageResourceRoles.every((role, i) => role === generated.accessPackageResourceRoles[i])).toBe(true);
    expect(moved.accessPackageResourceRoles).toHaveLength(generated.accessPackageResourceRoles.length);
    // No move: the dataset itself.
    expect(shiftDates(generated, 0)).toBe(generated);
  });

  it('answers the same records for the same move of the same dataset in a row, and new ones for another move', () => {
    const generated = generateDataset({ seed: 3, accessPackages: 5, accessPackageCatalogs: 2, referenceDate: FROM });
    const first = shiftDates(generated, 1000);
    expect(shiftDates(generated, 1000)).toBe(first);
    const other = shiftDates(generated, 2000);
    expect(other).not.toBe(first);
    expect(other.accessPackages[0]!.createdDateTime).not.toBe(first.accessPackages[0]!.createdDateTime);
    expect(Date.parse(other.accessPackages[0]!.createdDateTime) - Date.parse(first.accessPackages[0]!.createdDateTime)).toBe(1000);
    // The last move is the one remembered; another dataset's moves are its own.
    expect(shiftDates(generated, 1000)).not.toBe(first);
    const another = generateDataset({ seed: 4, accessPackages: 5, accessPackageCatalogs: 2, referenceDate: FROM });
    expect(shiftDates(another, 1000).accessPackages[0]!.id).toBe(another.accessPackages[0]!.id);
    expect(shiftDates(generated, 1000)).toBe(shiftDates(generated, 1000));
  });

  it('moves only Graph timestamps, at any depth, keeping their sub-millisecond digits', () => {
    const record = {
      id: 'a',
      createdDateTime: '2026-01-31T23:59:59.9991234Z',
      description: '2026-01-31T23:59:59.9991234Z is not a date here: it is longer',
      // As long as a timestamp, but not one.
      displayName: 'Twenty-eight characters long',
      settings: { nested: [{ at: '2026-01-01T00:00:00.0000001Z' }], shortDate: '2026-01-01' },
      mixed: ['plain', '2026-01-01T00:00:00.0000000Z', 3],
    };
    const moved = shiftDates({ ...generateDataset({ seed: 1, accessPackages: 0, accessPackageCatalogs: 0 }), accessPackages: [record as never] }, 1);
    expect(moved.accessPackages[0]).toEqual({
      ...record,
      createdDateTime: '2026-02-01T00:00:00.0001234Z',
      settings: { nested: [{ at: '2026-01-01T00:00:00.0010001Z' }], shortDate: '2026-01-01' },
      mixed: ['plain', '2026-01-01T00:00:00.0010000Z', 3],
    });
  });
});

describe('FixtureCache', () => {
  it('generates a set once, then hands out the same dataset moved to the second of each reset', async () => {
    let now = Date.parse(FROM);
    const cache = new FixtureCache(8, () => now);
    const first = await cache.load({ fixtures: 'small', seed: 42 });
    expect(first.shiftMs).toBe(0);
    // TO is 0.876 s past a whole number of seconds after FROM: the move stops at that whole number.
    now = Date.parse(TO);
    const second = await cache.load({ fixtures: 'small', seed: 42 });
    expect(second.dataset).toBe(first.dataset);
    const wholeSeconds = Date.parse('2027-03-15T17:01:02.123Z') - Date.parse(FROM);
    expect(wholeSeconds % RESET_DATE_STEP_MS).toBe(0);
    expect(second.shiftMs).toBe(wholeSeconds);
    const atReset = generateDataset({ seed: 42, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: '2027-03-15T17:01:02.123Z' });
    expect(serializeDataset(shiftDates(second.dataset, second.shiftMs))).toBe(serializeDataset(atReset));
  });

  it('moves by whole seconds: the resets of one second share a move, the next second moves a second more', async () => {
    let now = Date.parse(FROM);
    const cache = new FixtureCache(8, () => now);
    await cache.load({ fixtures: 'small', seed: 42 });
    const shiftsAt = async (...after: number[]) => {
      const shifts: number[] = [];
      for (const ms of after) {
        now = Date.parse(FROM) + ms;
        shifts.push((await cache.load({ fixtures: 'small', seed: 42 })).shiftMs);
      }
      return shifts;
    };
    expect(await shiftsAt(1, 999, 1000, 1999, 2000, 61_500)).toEqual([0, 0, 1000, 1000, 2000, 61_000]);
    // A clock set back before the first generation moves the set back too, by whole seconds.
    expect(await shiftsAt(-1, -1000, -1001)).toEqual([-1000, -1000, -2000]);
  });

  it('with a reference date, hands out the set as generated; another seed or set is another entry, the oldest dropped past the limit', async () => {
    const cache = new FixtureCache(2);
    const fixed = { fixtures: 'small', seed: 5, referenceDate: FROM };
    const first = await cache.load(fixed);
    expect(first).toEqual({ dataset: generateDataset({ seed: 5, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: FROM }), shiftMs: 0 });
    expect((await cache.load(fixed)).dataset).toBe(first.dataset);
    const other = await cache.load({ ...fixed, seed: 6 });
    expect(other.dataset).not.toBe(first.dataset);
    // Two sets within the limit of two: both kept.
    expect((await cache.load(fixed)).dataset).toBe(first.dataset);
    expect((await cache.load({ ...fixed, seed: 6 })).dataset).toBe(other.dataset);
    await cache.load({ ...fixed, fixtures: 'empty' });
    // Three sets asked, two kept: the first one is generated again.
    expect((await cache.load(fixed)).dataset).not.toBe(first.dataset);
  });
});

describe('tenantFixtures', () => {
  it('hands every tenant the same records per choice, and reads a fixtures file again after it failed to', async () => {
    const choice = { fixtures: 'small', seed: 77, referenceDate: FROM };
    const first = await tenantFixtures(choice);
    expect(await tenantFixtures({ ...choice })).toBe(first);
    expect(await tenantFixtures({ ...choice, seed: 78 })).not.toBe(first);
    const dir = await mkdtemp(path.join(tmpdir(), 'tenant-fixtures-'));
    try {
      const file = path.join(dir, 'later.json');
      const fromFile = { fixtures: file, seed: 1, referenceDate: FROM };
      await expect(tenantFixtures(fromFile)).rejects.toThrow();
      // The failure is not kept: once the file is there, the next tenant gets its records.
      await writeFile(file, JSON.stringify({ accessPackages: [{ id: '8f1c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50', displayName: 'Later' }] }));
      const loaded = await tenantFixtures(fromFile);
      expect(loaded.accessPackages.map((p) => [p.id, p.displayName])).toEqual([['8f1c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50', 'Later']]);
      expect(await tenantFixtures(fromFile)).toBe(loaded);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
