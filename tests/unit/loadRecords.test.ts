import { describe, expect, it } from '@jest/globals';
import { FixtureError } from '../../server/errors.js';
import { datasetOf } from '../../server/store/records.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { parseRecords } from '../../server/tenantData/loadRecords.js';
import { section } from '../support/markdown.js';

const ID = '8f1c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50';
const OTHER = '1b2c7b55-0d3a-4f2e-9a51-2b7c1d3e4f50';
const QUESTION = '3c4d7b55-0d3a-4f2e-9a51-2b7c1d3e4f5a';

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
    [
      'an id that is not a GUID',
      [{ id: 'pkg-1' }],
      "accessPackages[0]: Invalid id 'pkg-1': an accessPackage id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.",
    ],
    ['a missing id', { accessPackages: [{ id: ID }, { id: OTHER }, { displayName: 'No id' }] }, "accessPackages[2]: property 'id' is required"],
    ['a repeated id', { accessPackages: [{ id: ID }, { id: ID }] }, `accessPackages[1]: property 'id' repeats '${ID}' of accessPackages[0].`],
    [
      'a repeated uniqueName, the alternate key a create refuses to repeat',
      [
        { id: ID, uniqueName: 'sales' },
        { id: OTHER, uniqueName: 'sales' },
      ],
      "accessPackages[1]: property 'uniqueName' repeats 'sales' of accessPackages[0].",
    ],
    [
      "a catalog's repeated uniqueName",
      {
        accessPackageCatalogs: [
          { id: ID, uniqueName: 'hr' },
          { id: OTHER, uniqueName: 'hr' },
        ],
      },
      "accessPackageCatalogs[1]: property 'uniqueName' repeats 'hr' of accessPackageCatalogs[0].",
    ],
    [
      "a policy's questions repeating an id (in another case), which …/questions/{id} could not tell apart",
      {
        accessPackages: [{ id: ID }],
        accessPackageAssignmentPolicies: [
          {
            id: OTHER,
            accessPackageId: ID,
            questions: [
              { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', id: QUESTION, text: { defaultText: 'Why?', localizedTexts: [] } },
              {
                '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
                id: QUESTION.toUpperCase(),
                text: { defaultText: 'Who?', localizedTexts: [] },
              },
            ],
          },
        ],
      },
      `accessPackageAssignmentPolicies[0]: property 'id' of questions[1] repeats '${QUESTION.toUpperCase()}' of questions[0].`,
    ],
    ['a bad date', { accessPackages: [{ id: ID, createdDateTime: 'yesterday' }] }, "accessPackages[0]: Invalid value for property 'createdDateTime'"],
    ['a record that is not an object', { accessPackages: [42] }, 'accessPackages[0]: must be a JSON object.'],
    ['a collection that is not an array', { accessPackages: { id: ID } }, "'accessPackages' must be an array"],
    ['an unknown collection', { accessPackagez: [] }, "unknown top-level property 'accessPackagez'"],
    [
      "a collection beside a Graph list's value",
      { value: [{ id: ID }], '@odata.nextLink': 'x', accessPackageAssignmentPolicies: [] },
      "unknown top-level property 'accessPackageAssignmentPolicies' beside a Graph list's 'value'",
    ],
    ['a scalar', 'records', 'expected an object with accessPackages'],
  ])('%s', (_case, value, message) => {
    expect(() => parseRecords(value)).toThrow(FixtureError);
    expect(() => parseRecords(value)).toThrow(message);
  });
});

const UPPER = '5D1C0A3E-8F0B-4A5E-9C1D-2B7E4F6A8C90';
const LOWER = UPPER.toLowerCase();
const CATALOG = 'c0a3b8e9-9f4d-4e21-8b5a-1d6e2f3a4b5c';
const PACKAGE = 'a8c2a1f5-7f3e-4d0b-9a51-2f0c6f1e4b7a';
const RESOURCE = 'b1c2d3e4-0d3a-4f2e-9a51-2b7c1d3e4f50';
const ROLE = 'c1c2d3e4-0d3a-4f2e-9a51-2b7c1d3e4f50';
const SCOPE = 'd1c2d3e4-0d3a-4f2e-9a51-2b7c1d3e4f50';
/** A catalog with a package, a resource with a role and a scope, and the package's role scope: every link kept. */
const linked = {
  accessPackageCatalogs: [{ id: CATALOG, displayName: 'Sales' }],
  accessPackages: [{ id: PACKAGE, displayName: 'CRM', catalogId: CATALOG }],
  accessPackageResources: [{ id: RESOURCE, displayName: 'Sales team', catalogId: CATALOG }],
  accessPackageResourceRoles: [{ id: ROLE, displayName: 'Member', accessPackageResourceId: RESOURCE, catalogId: CATALOG }],
  accessPackageResourceScopes: [{ id: SCOPE, displayName: 'Root', accessPackageResourceId: RESOURCE, catalogId: CATALOG }],
  accessPackageResourceRoleScopes: [
    { id: `${PACKAGE}_${ROLE}_${SCOPE}`, accessPackageId: PACKAGE, accessPackageResourceRoleId: ROLE, accessPackageResourceScopeId: SCOPE },
  ],
  accessPackageAssignmentPolicies: [{ id: OTHER, displayName: 'Direct', accessPackageId: PACKAGE }],
  accessPackageIncompatibilities: [{ id: `${PACKAGE}_group_${ID}`, accessPackageId: PACKAGE, incompatibleGroupId: ID }],
};
/** `linked` with one record of `collection` changed by `change`. */
function changed<C extends keyof typeof linked>(collection: C, change: Record<string, unknown>, index = 0) {
  return { ...linked, [collection]: linked[collection].map((r, i) => (i === index ? { ...r, ...change } : r)) };
}

describe('parseRecords: a data file of several tenants', () => {
  it("is refused, naming its 'tenants' key, as docs/data-and-persistence.md says, not taken for its default tenant", () => {
    const file = { dataFormat: 'graph-accesspackages-emulator/1', accessPackages: [], tenants: { 'worker-1': { accessPackages: [] } } };
    expect(() => parseRecords(file)).toThrow("unknown top-level property 'tenants'");
    const page = section('docs/data-and-persistence.md', 'Your own records');
    expect(page).toContain('a data file that also holds other [tenants](identity.md#tenants), under its `tenants` key, is refused');
  });
});

describe('parseRecords: ids in lower case, as Graph gives them and a URL names them', () => {
  it.each([
    ['an id', { accessPackageCatalogs: [{ id: UPPER, displayName: 'Sales' }] }, 'accessPackageCatalogs[0]', 'id'],
    [
      'a catalogId',
      { accessPackageCatalogs: [{ id: LOWER, displayName: 'Sales' }], accessPackages: [{ id: PACKAGE, catalogId: UPPER }] },
      'accessPackages[0]',
      'catalogId',
    ],
    ['the second of two ids differing only in case', { accessPackages: [{ id: LOWER }, { id: UPPER }] }, 'accessPackages[1]', 'id'],
    [
      "a policy's accessPackageId",
      changed('accessPackageAssignmentPolicies', { accessPackageId: UPPER }),
      'accessPackageAssignmentPolicies[0]',
      'accessPackageId',
    ],
    [
      "an incompatibility's group",
      changed('accessPackageIncompatibilities', { incompatibleGroupId: UPPER }),
      'accessPackageIncompatibilities[0]',
      'incompatibleGroupId',
    ],
  ])('refuses %s in upper case, naming the record, the property and its lower-case form', (_case, value, where, property) => {
    expect(() => parseRecords(value)).toThrow(
      new FixtureError(`${where}: property '${property}' is '${UPPER}', not in lower case: Graph's ids are lower case ('${LOWER}').`),
    );
  });
});

describe('parseRecords: every reference names a record there is', () => {
  it('takes records whose every link holds', () => {
    const dataset = parseRecords(linked);
    expect(dataset.accessPackageResourceRoleScopes).toEqual([expect.objectContaining(linked.accessPackageResourceRoleScopes[0]!)]);
    expect(dataset.accessPackageIncompatibilities).toEqual([expect.objectContaining(linked.accessPackageIncompatibilities[0]!)]);
  });

  // Every reference the store keeps, by collection: the property and the collection it names a record of.
  const references = {
    accessPackages: { catalogId: 'accessPackageCatalogs' },
    accessPackageAssignmentPolicies: { accessPackageId: 'accessPackages' },
    accessPackageResources: { catalogId: 'accessPackageCatalogs' },
    accessPackageResourceRoles: { accessPackageResourceId: 'accessPackageResources', catalogId: 'accessPackageCatalogs' },
    accessPackageResourceScopes: { accessPackageResourceId: 'accessPackageResources', catalogId: 'accessPackageCatalogs' },
    accessPackageResourceRoleScopes: {
      accessPackageId: 'accessPackages',
      accessPackageResourceRoleId: 'accessPackageResourceRoles',
      accessPackageResourceScopeId: 'accessPackageResourceScopes',
    },
    accessPackageIncompatibilities: { accessPackageId: 'accessPackages', incompatibleAccessPackageId: 'accessPackages' },
  } as const;
  it.each(
    Object.entries(references).flatMap(([collection, links]) =>
      Object.entries(links).map(([property, target]) => [`${collection}[0].${property}`, collection as keyof typeof linked, property, target] as const),
    ),
  )('refuses %s naming no record, naming the record, the property and the id', (_case, collection, property, target) => {
    expect(() => parseRecords(changed(collection, { [property]: OTHER }))).toThrow(
      new FixtureError(`${collection}[0]: property '${property}' names '${OTHER}', which is no record of ${target}.`),
    );
  });

  it.each([
    [
      'a policy without its package',
      changed('accessPackageAssignmentPolicies', { accessPackageId: null }),
      'accessPackageAssignmentPolicies[0]',
      'accessPackageId',
      'accessPackages',
    ],
    ['a resource without its catalog', { accessPackageResources: [{ id: RESOURCE }] }, 'accessPackageResources[0]', 'catalogId', 'accessPackageCatalogs'],
  ])('refuses %s', (_case, value, where, property, target) => {
    expect(() => parseRecords(value)).toThrow(new FixtureError(`${where}: property '${property}' is required: the id of a record of ${target}.`));
  });

  it.each([
    [
      'with itself',
      changed('accessPackageIncompatibilities', { incompatibleGroupId: null, incompatibleAccessPackageId: PACKAGE }),
      `property 'incompatibleAccessPackageId' names '${PACKAGE}', the package's own 'accessPackageId': a package cannot be incompatible with itself`,
    ],
    [
      'with neither a package nor a group',
      changed('accessPackageIncompatibilities', { incompatibleGroupId: null }),
      "neither 'incompatibleAccessPackageId' and 'incompatibleGroupId' given: an incompatibility names one package or one group",
    ],
    [
      'with a package and a group at once',
      {
        ...linked,
        accessPackages: [...linked.accessPackages, { id: OTHER, displayName: 'ERP', catalogId: CATALOG }],
        accessPackageIncompatibilities: [{ ...linked.accessPackageIncompatibilities[0]!, incompatibleAccessPackageId: OTHER }],
      },
      "both 'incompatibleAccessPackageId' and 'incompatibleGroupId' given: an incompatibility names one package or one group",
    ],
    [
      'with a group id that is no GUID',
      changed('accessPackageIncompatibilities', { incompatibleGroupId: 'not-a-guid' }),
      "property 'incompatibleGroupId' is 'not-a-guid', not a group's id (a GUID)",
    ],
  ])('refuses an incompatibility %s, as the API never makes one, naming the record', (_case, value, problem) => {
    expect(() => parseRecords(value)).toThrow(new FixtureError(`accessPackageIncompatibilities[0]: ${problem}.`));
  });

  it('refuses the same incompatibility twice under two ids, naming both', () => {
    const [first] = linked.accessPackageIncompatibilities;
    const twice = { ...linked, accessPackageIncompatibilities: [first!, { ...first!, id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' }] };
    expect(() => parseRecords(twice)).toThrow(
      new FixtureError('accessPackageIncompatibilities[1]: repeats the incompatibility of accessPackageIncompatibilities[0].'),
    );
  });

  it.each([
    ['small', 25, 3],
    ['paging', 250, 10],
  ])("takes the generated set '%s' as its records, and every one of them", (_set, accessPackages, accessPackageCatalogs) => {
    const generated = generateDataset({ seed: 42, accessPackages, accessPackageCatalogs, referenceDate: '2026-11-01T00:00:00.000Z' });
    expect(parseRecords(JSON.parse(JSON.stringify(generated)))).toEqual(generated);
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

  it("dates a catalog resource's addedOn and modifiedDateTime as a package's createdDateTime: the reference date when it has none, its own in Graph's form", () => {
    const resources = parseRecords(
      {
        ...linked,
        accessPackageResources: [linked.accessPackageResources[0], { id: ID, displayName: 'Dated', catalogId: CATALOG, addedOn: '2025-01-02T03:04:05Z' }],
      },
      '2026-11-01T09:30:00.000Z',
    ).accessPackageResources;
    expect(resources.map((r) => r.addedOn)).toEqual(['2026-11-01T09:30:00.0000000Z', '2025-01-02T03:04:05.0000000Z']);
    // v1.0's modifiedDateTime, which beta's type has not: the time it was added, or its own in Graph's form.
    expect(resources.map((r) => r.modifiedDateTime)).toEqual(['2026-11-01T09:30:00.0000000Z', '2025-01-02T03:04:05.0000000Z']);
    const [modified] = parseRecords({
      ...linked,
      accessPackageResources: [{ ...linked.accessPackageResources[0], addedOn: '2025-01-02T03:04:05Z', modifiedDateTime: '2025-06-07T08:09:10+02:00' }],
    }).accessPackageResources;
    expect(modified!.modifiedDateTime).toBe('2025-06-07T06:09:10.0000000Z');
    // The resource's role and scope have no timestamp to give.
    const { accessPackageResourceRoles, accessPackageResourceScopes } = parseRecords(linked, '2026-11-01T09:30:00.000Z');
    expect(Object.keys(accessPackageResourceRoles[0]!)).not.toContain('createdDateTime');
    expect(Object.keys(accessPackageResourceScopes[0]!)).not.toContain('addedOn');
  });

  it('dates the General catalog it adds no later than the earliest record: packages are never older than their catalog', () => {
    const { accessPackages, accessPackageCatalogs } = parseRecords(
      {
        value: [
          { id: ID, displayName: 'Made in 2025', createdDateTime: '2025-03-04T05:06:07.1234567Z', modifiedDateTime: '2026-01-01T00:00:00Z' },
          { id: OTHER, displayName: 'Made in 2024', createdDateTime: '2024-02-03T04:05:06Z' },
        ],
      },
      '2026-11-01T09:30:00.000Z',
    );
    const [general] = accessPackageCatalogs;
    expect([general!.createdDateTime, general!.modifiedDateTime]).toEqual(['2024-02-03T04:05:06.0000000Z', '2024-02-03T04:05:06.0000000Z']);
    expect(accessPackages.every((p) => p.catalogId === general!.id && p.createdDateTime >= general!.createdDateTime)).toBe(true);
    // Records all dated later than the load, or undated: the General is dated at the load, as before.
    const [later] = parseRecords([{ id: ID, createdDateTime: '2027-01-01T00:00:00Z' }], '2026-11-01T09:30:00.000Z').accessPackageCatalogs;
    expect(later!.createdDateTime).toBe('2026-11-01T09:30:00.0000000Z');
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

  it("puts a saved list's packages in the General catalog: the catalogs they name are of the tenant they were read from", () => {
    const response = {
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages',
      '@odata.nextLink': 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages?$skiptoken=x',
      value: [
        { id: ID, displayName: 'Sales', catalogId: OTHER },
        { id: PACKAGE, displayName: 'No catalog', catalogId: null },
      ],
    };
    const { accessPackages, accessPackageCatalogs } = parseRecords(response);
    expect(accessPackageCatalogs).toEqual([expect.objectContaining({ displayName: 'General', catalogType: 'ServiceDefault' })]);
    expect(accessPackages.map((p) => [p.id, p.displayName, p.catalogId])).toEqual([
      [ID, 'Sales', accessPackageCatalogs[0]!.id],
      [PACKAGE, 'No catalog', accessPackageCatalogs[0]!.id],
    ]);
    // A bare array or a dataset is written by hand: a catalog it names and lacks is a mistake, still refused.
    expect(() => parseRecords(response.value)).toThrow(
      new FixtureError(`accessPackages[0]: property 'catalogId' names '${OTHER}', which is no record of accessPackageCatalogs.`),
    );
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
