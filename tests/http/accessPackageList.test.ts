import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { accessPackage } from '../support/accessPackages.js';

const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages';
const CATALOG = {
  id: '662d99e7-6ceb-4c21-9cb4-9b0bbfdefccc',
  catalogStatus: 'Published',
  catalogType: 'UserManaged',
  createdBy: null,
  createdDateTime: '2024-01-01T00:00:00.0000000Z',
  description: 'General',
  displayName: 'General',
  isExternallyVisible: true,
  modifiedBy: null,
  modifiedDateTime: '2024-01-01T00:00:00.0000000Z',
};
const RECORDS = [
  accessPackage({ displayName: 'Sales team', description: 'CRM', catalogId: CATALOG.id, createdDateTime: '2024-03-01T00:00:00.0000000Z' }),
  accessPackage({ displayName: 'Marketing', description: 'Campaigns', isHidden: true, createdDateTime: '2024-01-01T00:00:00.0000000Z' }),
  accessPackage({ displayName: 'Sales ops', description: null, createdDateTime: '2024-02-01T00:00:00.0000000Z' }),
  accessPackage({
    displayName: 'Engineering',
    description: 'Repos',
    catalogId: '11111111-1111-4111-8111-111111111111',
    createdDateTime: '2024-02-01T00:00:00.0000000Z',
  }),
];

async function setup() {
  const store = new MemoryStore();
  await store.create('accessPackageCatalogs', CATALOG);
  for (const r of RECORDS) await store.create('accessPackages', r);
  return createApp({ store });
}

const names = (body: { value: Array<{ displayName: string }> }) => body.value.map((r) => r.displayName);

describe('GET accessPackages', () => {
  it('answers 200 with the collection context and the records as stored, without @odata.type, no nextLink', async () => {
    const res = await request(await setup())
      .get(PACKAGES)
      .set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body).toEqual({ '@odata.context': CONTEXT, value: RECORDS });
  });

  it('answers an empty value for an empty store', async () => {
    const res = await request(createApp({ store: new MemoryStore() }))
      .get(PACKAGES)
      .set(AUTH);
    expect(res.body).toEqual({ '@odata.context': CONTEXT, value: [] });
  });

  it.each<[string, string[]]>([
    ["$filter=contains(tolower(displayName),'sales')", ['Sales team', 'Sales ops']],
    ["filter=contains(tolower(displayName),'sales')", ['Sales team', 'Sales ops']],
    ["$filter=displayName eq 'Marketing'", ['Marketing']],
    [`$filter=catalogId eq '${CATALOG.id}'`, ['Sales team']],
    ['$filter=isHidden eq false and description ne null', ['Sales team', 'Engineering']],
    ["$filter=not startswith(displayName,'S') or endswith(displayName,'ops')", ['Marketing', 'Sales ops', 'Engineering']],
    ['$filter=createdDateTime ge 2024-02-01T00:00:00Z', ['Sales team', 'Sales ops', 'Engineering']],
    ['$orderby=displayName', ['Engineering', 'Marketing', 'Sales ops', 'Sales team']],
    ['$orderby=createdDateTime desc,displayName asc', ['Sales team', 'Engineering', 'Sales ops', 'Marketing']],
    ["$filter=startswith(displayName,'Sales')&$orderby=displayName desc", ['Sales team', 'Sales ops']],
    ['$skip=1&$top=2', ['Marketing', 'Sales ops']],
  ])('?%s', async (query, expected) => {
    const res = await request(await setup())
      .get(`${PACKAGES}?${query}`)
      .set(AUTH);
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(expected);
  });

  // $skip is read as the OData library reads it, an Int64, and then as ASP.NET OData reads it, an Int32: past the
  // Int32 it is refused, not answered with an empty page.
  it("takes a $skip up to 2147483647 and refuses one past it, or past Int64, as Graph's OData stack does", async () => {
    const app = await setup();
    const last = await request(app).get(`${PACKAGES}?$skip=2147483647&$count=true`).set(AUTH);
    expect(last.status).toBe(200);
    expectGraphHeaders(last);
    expect(last.headers['content-type']).toBe(ODATA_JSON);
    expect(last.body).toEqual({ '@odata.context': CONTEXT, '@odata.count': 4, value: [] });
    const limit = (skip: string) =>
      `The query specified in the URI is not valid. The limit of '2147483647' for Skip query has been exceeded. The value from the incoming request is '${skip}'.`;
    for (const [query, message] of [
      ['$skip=2147483648', limit('2147483648')],
      ['$skip=9223372036854775807', limit('9223372036854775807')],
      [
        '$skip=99999999999999999999',
        "The query specified in the URI is not valid. Invalid value '99999999999999999999' for $skip query option found. The $skip query option requires a non-negative integer value.",
      ],
      ['$top=2147483648', "Invalid page size specified: '2147483648'. Must be between 1 and 999 inclusive."],
    ]) {
      expectGraphError(await request(app).get(`${PACKAGES}?${query}`).set(AUTH), 400, 'BadRequest', message);
    }
  });

  // ASP.NET OData maps $format only to a formatter that can write the payload; a value none maps falls back to
  // the negotiation by Accept: JSON.
  it.each(['json', 'xml', 'atom', 'application/xml', 'foo'])('$format=%s answers the list as JSON', async (format) => {
    const res = await request(await setup())
      .get(`${PACKAGES}?$format=${encodeURIComponent(format)}&$select=displayName&$top=1`)
      .set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body['@odata.context']).toBe(`${CONTEXT}(displayName)`);
    expect(res.body.value).toEqual([{ id: expect.any(String), displayName: 'Sales team' }]);
  });

  // Booleans order with true the greater; ge and le are true where both sides are null, as eq is.
  it.each<[string, number[]]>([
    ['isHidden gt false', [1]],
    ['isHidden ge isHidden', [0, 1, 2, 3]],
    ['isHidden lt true', [0, 2, 3]],
    ['description ge null', [2]],
    ['null le description', [2]],
    ['description le description', [0, 1, 2, 3]],
    ['null ge null', [0, 1, 2, 3]],
    ['description gt null', []],
  ])('$filter=%s answers the records it is true for', async (filter, expected) => {
    const res = await request(await setup())
      .get(PACKAGES)
      .query({ $filter: filter, $select: 'displayName' })
      .set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body).toEqual({
      '@odata.context': `${CONTEXT}(displayName)`,
      value: expected.map((i) => ({ id: RECORDS[i]!.id, displayName: RECORDS[i]!.displayName })),
    });
  });

  it('$select projects (id always returned) and names the selection in the context', async () => {
    const res = await request(await setup())
      .get(`${PACKAGES}?$select=displayName,isHidden&$top=1`)
      .set(AUTH);
    expect(res.body['@odata.context']).toBe(`${CONTEXT}(displayName,isHidden)`);
    expect(res.body.value).toEqual([{ id: RECORDS[0]!.id, displayName: 'Sales team', isHidden: false }]);
  });

  it('$expand=accessPackageCatalog answers the stored catalog, null when it does not exist', async () => {
    const res = await request(await setup())
      .get(`${PACKAGES}?$expand=accessPackageCatalog&$select=displayName&$orderby=displayName`)
      .set(AUTH);
    expect(res.body.value).toEqual([
      { id: RECORDS[3]!.id, displayName: 'Engineering', accessPackageCatalog: null },
      { id: RECORDS[1]!.id, displayName: 'Marketing', accessPackageCatalog: null },
      { id: RECORDS[2]!.id, displayName: 'Sales ops', accessPackageCatalog: null },
      { id: RECORDS[0]!.id, displayName: 'Sales team', accessPackageCatalog: CATALOG },
    ]);
  });

  it('$count=true adds @odata.count before the value', async () => {
    const res = await request(await setup())
      .get(`${PACKAGES}?$count=true&$filter=isHidden eq false&$top=2`)
      .set(AUTH);
    expect(Object.keys(res.body)).toEqual(['@odata.context', '@odata.count', '@odata.nextLink', 'value']);
    expect(res.body['@odata.count']).toBe(3);
    expect(res.body['@odata.nextLink']).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/beta\/identityGovernance\/entitlementManagement\/accessPackages\?\$count=true&\$filter=isHidden%20eq%20false&\$top=2&\$skiptoken=[\w-]+$/,
    );
  });

  it('writes nextLinks on the configured public base URL', async () => {
    const store = new MemoryStore();
    for (const r of RECORDS) await store.create('accessPackages', r);
    const res = await request(createApp({ store, baseUrl: 'https://graph.example.test' }))
      .get(`${PACKAGES}?$top=1`)
      .set(AUTH);
    expect(res.body['@odata.nextLink']).toMatch(
      /^https:\/\/graph\.example\.test\/beta\/identityGovernance\/entitlementManagement\/accessPackages\?\$top=1&\$skiptoken=/,
    );
  });

  it.each([
    ["$filter=colour eq 'red'", 'InvalidFilter', "OData query is invalid: Could not find a property named 'colour' on type 'microsoft.graph.accessPackage'."],
    ['$filter=isRoleScopesVisible eq true', 'InvalidFilter', "OData query is invalid: Filter 'isRoleScopesVisible Equals True is not supported. ."],
    [
      `$filter=catalogId eq ${CATALOG.id}`,
      'InvalidFilter',
      "OData query is invalid: A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Guid' for operator kind 'Equal'.",
    ],
    // a date alone is an Edm.Date, which no DateTimeOffset property compares with
    [
      '$filter=createdDateTime ge 2024-01-01',
      'InvalidFilter',
      "OData query is invalid: A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.Date' for operator kind 'GreaterThanOrEqual'.",
    ],
    ["$filter=displayName in ('a')", 'InvalidFilter', "OData query is invalid: The operator 'in' is not supported; use eq, ne, gt, ge, lt, le, and, or, not."],
    ...(
      [
        ['1', 'Edm.Int32'],
        ['1L', 'Edm.Int64'],
        ['1.5M', 'Edm.Decimal'],
        ['1.5', 'Edm.Single'],
        ['1e300', 'Edm.Double'],
      ] as const
    ).map(([n, type]) => [
      `$filter=isHidden eq ${n}`,
      'InvalidFilter',
      `OData query is invalid: A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and '${type}' for operator kind 'Equal'.`,
    ]),
    [
      '$filter=isRoleScopesVisible eq 99999999999999999999',
      'InvalidFilter',
      "OData query is invalid: Filter 'isRoleScopesVisible Equals 99999999999999999999 is not supported. .",
    ],
    ['$filter=isHidden eq 1.5L', 'BadRequest', "Unrecognized 'Edm.Int64' literal '1.5L' at '12' in 'isHidden eq 1.5L'."],
    ["$filter=displayName eq 'a", 'BadRequest', "There is an unterminated string literal at position 17 in 'displayName eq 'a'."],
    ["$filter=displayName eq 'a' and", 'BadRequest', "Expression expected at position 22 in 'displayName eq 'a' and'."],
    ['$select=colour', 'BadRequest', "Could not find a property named 'colour' on type 'microsoft.graph.accessPackage'."],
    ['$orderby=colour', 'BadRequest', "Could not find a property named 'colour' on type 'microsoft.graph.accessPackage'."],
    ['$top=1000', 'BadRequest', "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."],
    ['$search=sales', 'BadRequest', "The query parameter '$search' is not supported on accessPackages; use $filter=contains(tolower(displayName),'...')."],
    ['$expand=owner', 'BadRequest', "Could not find a property named 'owner' on type 'microsoft.graph.accessPackage'."],
    ['$count=maybe', 'BadRequest', "'maybe' is not a valid count option."],
    ['$count=True', 'BadRequest', "'True' is not a valid count option."],
    ['$orderby=', 'BadRequest', "The query specified in the URI is not valid. The value for OData query '$orderby' cannot be empty."],
    ['$filter=%20', 'BadRequest', "The query specified in the URI is not valid. The value for OData query '$filter' cannot be empty."],
  ])("?%s is a 400 %s in Graph's envelope", async (query, code, message) => {
    expectGraphError(
      await request(await setup())
        .get(`${PACKAGES}?${query}`)
        .set(AUTH),
      400,
      code,
      message,
    );
  });

  it('needs a bearer token', async () => {
    const res = await request(await setup()).get(PACKAGES);
    expectGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
  });
});
