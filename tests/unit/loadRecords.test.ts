import { describe, expect, it } from '@jest/globals';
import { FixtureError } from '../../server/errors.js';
import { datasetOf } from '../../server/store/types.js';
import { parseRecords } from '../../server/tenantData/loadRecords.js';

const ID = '8f1c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50';
const OTHER = '1b2c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50';

describe('parseRecords: a bad record is reported by collection, index and property', () => {
  it.each([
    [
      'a wrong type',
      { accessPackages: [{ id: ID }, { id: OTHER, isHidden: 'yes' }] },
      "accessPackages[1]: Invalid value for property 'isHidden': cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.",
    ],
    [
      'an unknown property',
      { accessPackageCatalogs: [{ id: ID, colour: 'blue' }] },
      "accessPackageCatalogs[0]: The property 'colour' does not exist on type 'microsoft.graph.accessPackageCatalog'.",
    ],
    ['an id that is not a GUID', [{ id: 'pkg-1' }], "accessPackages[0]: Invalid value for property 'id': cannot convert the literal 'pkg-1'"],
    ['a missing id', { accessPackages: [{ id: ID }, { id: OTHER }, { displayName: 'No id' }] }, "accessPackages[2]: property 'id' is required"],
    ['a repeated id', { accessPackages: [{ id: ID }, { id: ID }] }, `accessPackages[1]: property 'id' repeats '${ID}' of accessPackages[0].`],
    ['a bad date', { accessPackages: [{ id: ID, createdDateTime: 'yesterday' }] }, "accessPackages[0]: Invalid value for property 'createdDateTime'"],
    ['a record that is not an object', { accessPackages: [42] }, 'accessPackages[0]: must be a JSON object.'],
    ['a collection that is not an array', { accessPackages: { id: ID } }, "'accessPackages' must be an array"],
    ['an unknown collection', { accessPackagez: [] }, "unknown top-level property 'accessPackagez'"],
    ['a scalar', 'records', 'expected an object with accessPackages'],
  ])('%s', (_case, value, message) => {
    expect(() => parseRecords(value)).toThrow(FixtureError);
    expect(() => parseRecords(value)).toThrow(message);
  });
});

describe('parseRecords: accepted shapes become complete stored records', () => {
  it('fills every property in schema order, with defaults and Graph timestamps', () => {
    const { accessPackages, accessPackageCatalogs } = parseRecords({
      accessPackages: [{ displayName: 'Mine', id: ID, createdDateTime: '2025-01-02T03:04:05Z' }],
    });
    expect(accessPackageCatalogs).toEqual([expect.objectContaining({ displayName: 'General', catalogType: 'ServiceDefault' })]);
    expect(accessPackages).toEqual([
      {
        id: ID,
        // No catalog named: the General catalog every tenant has, added when the records bring none.
        catalogId: accessPackageCatalogs[0]!.id,
        createdBy: null,
        createdDateTime: '2025-01-02T03:04:05.0000000Z',
        description: null,
        displayName: 'Mine',
        isHidden: false,
        isRoleScopesVisible: false,
        modifiedBy: null,
        modifiedDateTime: '2025-01-02T03:04:05.0000000Z',
        uniqueName: null,
      },
    ]);
  });

  it('dates an undated record at the reference date, else at the time it is read, as a create would', () => {
    const [dated] = parseRecords([{ id: OTHER }], '2026-11-01T09:30:00.000Z').accessPackages;
    expect([dated!.createdDateTime, dated!.modifiedDateTime]).toEqual(['2026-11-01T09:30:00.0000000Z', '2026-11-01T09:30:00.0000000Z']);
    const before = Date.now();
    const [undated] = parseRecords([{ id: OTHER }]).accessPackages;
    const at = Date.parse(undated!.createdDateTime);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(undated!.modifiedDateTime).toBe(undated!.createdDateTime);
  });

  it('takes a saved Graph list response, dropping OData annotations and navigation properties', () => {
    const response = {
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages',
      value: [{ '@odata.type': '#microsoft.graph.accessPackage', id: ID, displayName: 'From Graph', accessPackageCatalog: { id: OTHER } }],
    };
    const { accessPackages, accessPackageCatalogs } = parseRecords(response);
    expect(accessPackageCatalogs.map((c) => c.displayName)).toEqual(['General']);
    expect(Object.keys(accessPackages[0]!)).not.toContain('@odata.type');
    expect(Object.keys(accessPackages[0]!)).not.toContain('accessPackageCatalog');
    expect(accessPackages[0]).toMatchObject({ id: ID, displayName: 'From Graph' });
  });

  it('round-trips the data file format unchanged', () => {
    const catalog = {
      id: OTHER,
      catalogStatus: 'Published',
      catalogType: 'ServiceDefault',
      createdBy: 'adele.vance@contoso.onmicrosoft.com',
      createdDateTime: '2025-05-01T10:00:00.1234567Z',
      description: 'Finance',
      displayName: 'Finance',
      isExternallyVisible: true,
      modifiedBy: 'adele.vance@contoso.onmicrosoft.com',
      modifiedDateTime: '2025-06-01T10:00:00.7654321Z',
      privilegeLevel: 'privileged',
      uniqueName: 'finance',
    };
    expect(parseRecords({ accessPackages: [], accessPackageCatalogs: [catalog] })).toEqual(datasetOf({ accessPackageCatalogs: [catalog] }));
  });
});
