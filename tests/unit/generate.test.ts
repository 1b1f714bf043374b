import { describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { generateSync } from 'json-schema-faker';
import { newGeneralCatalog } from '../../server/resources/generalCatalog.js';
import { defaultCatalogCount, generateDataset } from '../../server/tenantData/generate.js';
import { FAKERS, type Faker } from '../../server/tenantData/fakers.js';
import { REGIONS } from '../../server/tenantData/vocabulary.js';
import { FIXTURE_SETS, loadFixtures } from '../../server/tenantData/sets.js';
import { createAjv } from '../../server/jsonSchema.js';
import { loadSchema } from '../../server/resources/validation.js';
import { serializeDataset } from '../../server/store/dataFileFormat.js';
import { type Dataset, emptyDataset } from '../../server/store/records.js';

const GRAPH_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
const LOWERCASE_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UPN = /^[a-z]+\.[a-z]+@contoso\.onmicrosoft\.com$/;
const LOREM = /\b(lorem|ipsum|dolor|amet|consectetur|adipiscing|eiusmod|tempor|incididunt|labore|magna|aliqua|foo|bar|baz)\b/i;
const DAY_MS = 86_400_000;
const TWO_YEARS_MS = 730 * DAY_MS;
const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';

const big = generateDataset({ seed: 7, accessPackages: 3000, accessPackageCatalogs: 40, referenceDate: REFERENCE_DATE });
const records = (data: Dataset) => [...data.accessPackageCatalogs, ...data.accessPackages];

describe('generateDataset: determinism', () => {
  it('gives deep-equal tenants (and identical file bytes) for one seed and reference date', () => {
    const a = generateDataset({ seed: 42, accessPackages: 300, accessPackageCatalogs: 12, referenceDate: REFERENCE_DATE });
    const b = generateDataset({ seed: 42, accessPackages: 300, accessPackageCatalogs: 12, referenceDate: REFERENCE_DATE });
    expect(b).toEqual(a);
    expect(serializeDataset(b)).toBe(serializeDataset(a));
  });

  // Pinned: files generated from a seed and committed elsewhere must come out the same on every machine and
  // every later version. A deliberate change to the generated data updates this digest and says so.
  // Last changed by the catalog resources' stored modifiedDateTime (v1.0's), each equal to its addedOn, the rest the same.
  it('gives the pinned bytes for seed 42 at 2026-11-01', () => {
    const text = serializeDataset(generateDataset({ seed: 42, accessPackages: 300, accessPackageCatalogs: 12, referenceDate: REFERENCE_DATE }));
    expect(createHash('sha256').update(text).digest('hex')).toBe('3f9085458be47184d999e41f8b51f818302520728289bbe9d9fcc10abe579c5b');
  });

  it.each([
    [1, 2],
    [42, 43],
    [0, 2 ** 31 - 1],
  ])('gives different tenants for seeds %i and %i, sharing no ids', (s1, s2) => {
    const a = generateDataset({ seed: s1, accessPackages: 50, accessPackageCatalogs: 5, referenceDate: REFERENCE_DATE });
    const b = generateDataset({ seed: s2, accessPackages: 50, accessPackageCatalogs: 5, referenceDate: REFERENCE_DATE });
    expect(b).not.toEqual(a);
    const ids = new Set(records(a).map((r) => r.id));
    expect(records(b).filter((r) => ids.has(r.id))).toEqual([]);
  });

  it('reads no local time zone or locale: Date local-time, toLocale* and Intl stay uncalled', () => {
    const local = [
      'getFullYear',
      'getMonth',
      'getDate',
      'getDay',
      'getHours',
      'getMinutes',
      'getSeconds',
      'getMilliseconds',
      'getTimezoneOffset',
      'toString',
      'toDateString',
      'toTimeString',
      'toLocaleString',
      'toLocaleDateString',
      'toLocaleTimeString',
    ] as const;
    const spies = new Map<string, { mock: { calls: unknown[] }; mockRestore(): void }>([
      ...local.map((name) => [`Date#${name}`, jest.spyOn(Date.prototype, name)] as const),
      ['String#localeCompare', jest.spyOn(String.prototype, 'localeCompare')],
      ['String#toLocaleLowerCase', jest.spyOn(String.prototype, 'toLocaleLowerCase')],
      ['String#toLocaleUpperCase', jest.spyOn(String.prototype, 'toLocaleUpperCase')],
      ['Number#toLocaleString', jest.spyOn(Number.prototype, 'toLocaleString')],
      ['Intl.DateTimeFormat', jest.spyOn(Intl, 'DateTimeFormat')],
      ['Intl.Collator', jest.spyOn(Intl, 'Collator')],
    ]);
    try {
      generateDataset({ seed: 3, accessPackages: 200, accessPackageCatalogs: 12, referenceDate: REFERENCE_DATE });
      expect([...spies].filter(([, spy]) => spy.mock.calls.length > 0).map(([name]) => name)).toEqual([]);
    } finally {
      for (const spy of spies.values()) spy.mockRestore();
    }
  });

  it('sizes the named sets as documented, and generates them with the given reference date', async () => {
    expect(FIXTURE_SETS['small']).toMatchObject({ accessPackages: 25, accessPackageCatalogs: 3 });
    const small = await loadFixtures({ fixtures: 'small', seed: 42, referenceDate: REFERENCE_DATE });
    expect(small).toEqual(generateDataset({ seed: 42, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE }));
    const paging = await loadFixtures({ fixtures: 'paging', seed: 42 });
    expect([paging.accessPackages.length, paging.accessPackageCatalogs.length]).toEqual([250, 10]);
    // The empty tenant holds Graph's built-in General catalog and nothing else.
    const empty = await loadFixtures({ fixtures: 'empty', seed: 42 });
    expect(empty).toEqual({ ...emptyDataset(), accessPackageCatalogs: [expect.objectContaining({ displayName: 'General', catalogType: 'ServiceDefault' })] });
  });

  it('gives every catalog its three resources, with their roles and scopes, when no package is asked for', () => {
    const tenant = generateDataset({ seed: 42, accessPackages: 0, accessPackageCatalogs: 5, referenceDate: REFERENCE_DATE });
    expect(tenant.accessPackages).toEqual([]);
    expect(tenant.accessPackageAssignmentPolicies).toEqual([]);
    for (const catalog of tenant.accessPackageCatalogs) {
      const resources = tenant.accessPackageResources.filter((r) => r.catalogId === catalog.id);
      expect([catalog.displayName, resources.length]).toEqual([catalog.displayName, 3]);
      expect(resources[0]).toMatchObject({ originSystem: 'AadGroup', resourceType: 'Security Group' });
      for (const resource of resources) expect(tenant.accessPackageResourceScopes.filter((s) => s.accessPackageResourceId === resource.id)).toHaveLength(1);
    }
    expect(tenant.accessPackageResourceRoles.length).toBeGreaterThanOrEqual(5 * 5);
    // The same resources as in a tenant of these catalogs with packages: they do not depend on the packages.
    const withPackages = generateDataset({ seed: 42, accessPackages: 10, accessPackageCatalogs: 5, referenceDate: REFERENCE_DATE });
    expect(tenant.accessPackageResources).toEqual(withPackages.accessPackageResources);
  });

  it.each([
    [0, 0],
    [1, 1],
    [25, 3],
    [250, 25],
    [100_000, 100],
  ])('spreads %i packages over %i catalogs by default', (packages, catalogs) => {
    expect(defaultCatalogCount(packages)).toBe(catalogs);
  });
});

describe('generateDataset: the reference date', () => {
  it('is the time of generation by default: the same tenant as at a fixed date, every date moved by the same amount', () => {
    const before = Date.now();
    const current = generateDataset({ seed: 5, accessPackages: 200, accessPackageCatalogs: 8 });
    const after = Date.now();
    const fixed = generateDataset({ seed: 5, accessPackages: 200, accessPackageCatalogs: 8, referenceDate: REFERENCE_DATE });
    const strip = (r: object) => ({ ...r, createdDateTime: undefined, modifiedDateTime: undefined });
    expect(records(current).map(strip)).toEqual(records(fixed).map(strip));
    const shifts = new Set(
      records(current).flatMap((r, i) => {
        const f = records(fixed)[i]!;
        expect([r.createdDateTime.slice(23), r.modifiedDateTime.slice(23)]).toEqual([f.createdDateTime.slice(23), f.modifiedDateTime.slice(23)]);
        return [Date.parse(r.createdDateTime) - Date.parse(f.createdDateTime), Date.parse(r.modifiedDateTime) - Date.parse(f.modifiedDateTime)];
      }),
    );
    expect(shifts.size).toBe(1);
    const [shift] = [...shifts];
    expect(shift).toBeGreaterThanOrEqual(before - Date.parse(REFERENCE_DATE));
    expect(shift).toBeLessThanOrEqual(after - Date.parse(REFERENCE_DATE));
    // A fresh tenant: its latest edits are days old, not months.
    const latest = Math.max(...records(current).map((r) => Date.parse(r.modifiedDateTime)));
    expect(latest).toBeGreaterThan(before - 7 * DAY_MS);
    expect(latest).toBeLessThanOrEqual(after);
  });

  it('refuses a date it cannot read, naming the forms', () => {
    expect(() => generateDataset({ seed: 1, accessPackages: 1, accessPackageCatalogs: 1, referenceDate: 'soon' })).toThrow(
      new RangeError(
        "The reference date must be a date such as 2026-11-01 or a date-time with its offset such as 2026-11-01T09:30:00Z, from 1970 to 9999 in UTC; got 'soon'.",
      ),
    );
  });
});

describe('generateDataset: json-schema-faker generates every value', () => {
  it('calls each hint through the x-fake extension, once per record that has it', () => {
    const original = FAKERS['sometimesTrue']!;
    const callers: string[] = [];
    const previousLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    const spy = jest.spyOn(FAKERS as Record<string, Faker>, 'sometimesTrue').mockImplementation((...args) => {
      callers.push(new Error().stack ?? '');
      return original(...args);
    });
    try {
      const data = generateDataset({ seed: 8, accessPackages: 30, accessPackageCatalogs: 4, referenceDate: REFERENCE_DATE });
      // isRoleScopesVisible of each package, isExternallyVisible of each catalog (a policy's canExtend has its own hint).
      expect(spy).toHaveBeenCalledTimes(34);
      expect(callers.filter((stack) => !stack.includes('node_modules/json-schema-faker/'))).toEqual([]);
      expect(data.accessPackages.map((p) => typeof p.isRoleScopesVisible)).toEqual(Array(30).fill('boolean'));
    } finally {
      spy.mockRestore();
      Error.stackTraceLimit = previousLimit;
    }
  });

  it('leaves x-fake and x-plan values of other schemas to json-schema-faker', () => {
    expect(generateSync({ type: 'string', const: 'left to jsf', 'x-fake': 'catalogId' })).toBe('left to jsf');
    expect(generateSync({ type: 'integer', const: 3, 'x-plan': { resource: 'accessPackage' } })).toBe(3);
  });
});

describe('generateDataset: every record validates against the resource schema', () => {
  const ajv = createAjv();
  const validatePackage = ajv.compile(loadSchema('accessPackage'));
  const validateCatalog = ajv.compile(loadSchema('accessPackageCatalog'));

  it('validates 3,000 packages and 40 catalogs, every property present', () => {
    const packageKeys = Object.keys(loadSchema('accessPackage').properties).filter((k) => !loadSchema('accessPackage').properties[k]!['x-navigation']);
    const invalid = big.accessPackages.filter((r) => !validatePackage(r));
    expect(invalid).toEqual([]);
    expect(big.accessPackageCatalogs.filter((r) => !validateCatalog(r))).toEqual([]);
    for (const record of big.accessPackages) expect(Object.keys(record)).toEqual(packageKeys);
  });
});

describe('generateDataset: realism', () => {
  const catalogIds = new Set(big.accessPackageCatalogs.map((c) => c.id));
  const catalogCreated = new Map(big.accessPackageCatalogs.map((c) => [c.id, c.createdDateTime]));
  const everything = records(big);

  it('writes names and descriptions from the IT vocabulary, never filler words', () => {
    const texts = everything.flatMap((r) => [r.displayName ?? '', r.description ?? '']);
    expect(texts.filter((t) => t.length < 5 || LOREM.test(t))).toEqual([]);
    expect(big.accessPackages.map((p) => p.displayName)).toContain('Finance – Month-end close tools');
  });

  it('keeps display names unique within a collection', () => {
    expect(new Set(big.accessPackages.map((p) => p.displayName)).size).toBe(big.accessPackages.length);
    expect(new Set(big.accessPackageCatalogs.map((c) => c.displayName)).size).toBe(big.accessPackageCatalogs.length);
  });

  it('uses lowercase unique GUIDs and tenant UPNs', () => {
    expect(everything.filter((r) => !LOWERCASE_GUID.test(r.id))).toEqual([]);
    expect(new Set(everything.map((r) => r.id)).size).toBe(everything.length);
    // The built-in General catalog is the service's own ("Azure AD", as the access-package tutorial shows it).
    const byAdmins = everything.filter((r) => r.createdBy !== 'Azure AD');
    expect(byAdmins).toHaveLength(everything.length - 1);
    expect(byAdmins.filter((r) => !UPN.test(r.createdBy ?? '') || !UPN.test(r.modifiedBy ?? ''))).toEqual([]);
  });

  it('creates before it modifies, within the two years before the reference date, in Graph format', () => {
    const end = Date.parse(REFERENCE_DATE);
    const wrong = everything.filter(
      (r) =>
        !GRAPH_DATE_TIME.test(r.createdDateTime) ||
        !GRAPH_DATE_TIME.test(r.modifiedDateTime) ||
        r.createdDateTime >= r.modifiedDateTime ||
        Date.parse(r.createdDateTime) < end - TWO_YEARS_MS ||
        Date.parse(r.modifiedDateTime) > end,
    );
    expect(wrong).toEqual([]);
    expect(big.accessPackages[0]!.createdDateTime).toMatch(GRAPH_DATE_TIME);
  });

  it('puts every package in a generated catalog created before it', () => {
    const orphans = big.accessPackages.filter((p) => p.catalogId === null || !catalogIds.has(p.catalogId));
    expect(orphans).toEqual([]);
    expect(big.accessPackages.filter((p) => catalogCreated.get(p.catalogId!)! >= p.createdDateTime)).toEqual([]);
  });

  it('names each package after the department that owns its catalog', () => {
    const catalogs = new Map(big.accessPackageCatalogs.map((c) => [c.id, c]));
    const mismatched = big.accessPackages.filter((p) => {
      const catalog = catalogs.get(p.catalogId!)!;
      if (catalog.catalogType === 'ServiceDefault') return false;
      return !p.displayName!.startsWith(`${catalog.displayName!.replace(/ \(.*\)$/, '')} – `);
    });
    expect(mismatched).toEqual([]);
  });

  it('gives a regional catalog no package for another region', () => {
    const catalogs = new Map(big.accessPackageCatalogs.map((c) => [c.id, c]));
    const regionOf = (name: string | null | undefined) => REGIONS.find((r) => name?.endsWith(`(${r})`));
    const regional = big.accessPackages.filter((p) => regionOf(catalogs.get(p.catalogId!)!.displayName) !== undefined);
    expect(regional.length).toBeGreaterThan(100);
    const crossed = regional.filter((p) => {
      const own = regionOf(p.displayName);
      return own !== undefined && own !== regionOf(catalogs.get(p.catalogId!)!.displayName);
    });
    expect(crossed.map((p) => p.displayName)).toEqual([]);
  });

  it('hides a few packages, not none and not most', () => {
    const hidden = big.accessPackages.filter((p) => p.isHidden).length / big.accessPackages.length;
    expect(hidden).toBeGreaterThan(0.03);
    expect(hidden).toBeLessThan(0.25);
  });

  it('has the built-in General catalog first, the rest user-managed', () => {
    expect(big.accessPackageCatalogs[0]).toMatchObject({ displayName: 'General', catalogType: 'ServiceDefault', catalogStatus: 'Published' });
    expect(big.accessPackageCatalogs.slice(1).every((c) => c.catalogType === 'UserManaged')).toBe(true);
  });

  it('builds General with the builder a General made later uses: only its id and dates are drawn', () => {
    for (let seed = 0; seed < 20; seed += 1) {
      const [general] = generateDataset({ seed, accessPackages: 0, accessPackageCatalogs: 0, referenceDate: REFERENCE_DATE }).accessPackageCatalogs;
      const built = newGeneralCatalog(general!.createdDateTime, general!.id, general!.modifiedDateTime);
      expect(JSON.stringify(general)).toBe(JSON.stringify(built));
    }
  });
});
