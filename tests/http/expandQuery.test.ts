// $expand's nested options as a client sees them: a nested $filter bound when the query is read (refused whatever
// the records, on a single-valued navigation too, where it keeps the related entity only when it matches), a
// DateTimeOffset the calendar does not have refused, and the context URL naming each expansion with its selection.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { addGroup, createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const METADATA = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement';

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const sales = await createCatalog(app, 'Sales');
  const marketing = await createCatalog(app, 'Marketing');
  const reps = await createPackage(app, 'Sales reps', sales);
  const campaigns = await createPackage(app, 'Campaigns', marketing);
  await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: reps, displayName: 'Reps policy' });
  return { store, app, sales, marketing, reps, campaigns };
}

async function get(app: Awaited<ReturnType<typeof setup>>['app'], url: string) {
  const res = await request(app).get(url).set(AUTH);
  if (res.status === 200) {
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
  }
  return res;
}

const UNKNOWN_ON_CATALOG = "OData query is invalid: Could not find a property named 'foo' on type 'microsoft.graph.accessPackageCatalog'.";
const UNKNOWN_ON_POLICY = "OData query is invalid: Could not find a property named 'foo' on type 'microsoft.graph.accessPackageAssignmentPolicy'.";

describe('a $filter nested in $expand', () => {
  it.each([
    ['foo eq 1', 'InvalidFilter', UNKNOWN_ON_CATALOG],
    ['displayName eq', 'BadRequest', "Expression expected at position 14 in 'displayName eq'."],
    ['', 'BadRequest', 'The $filter expression is empty.'],
    ["displayName eq 'a' and", 'BadRequest', "Expression expected at position 22 in 'displayName eq 'a' and'."],
  ])('on the single-valued accessPackageCatalog, ($filter=%s) is a 400 %s', async (filter, code, message) => {
    const { app } = await setup();
    expectGraphError(await get(app, `${PACKAGES}?$top=1&$select=id&$expand=accessPackageCatalog($filter=${filter})`), 400, code, message);
  });

  it('keeps the related catalog where it matches and answers null where it does not, in a list and on one package', async () => {
    const { app, sales, reps, campaigns } = await setup();
    const expand = "$expand=accessPackageCatalog($filter=displayName eq 'Sales';$select=displayName)";
    const list = await get(app, `${PACKAGES}?$select=displayName&$orderby=displayName&${expand}`);
    expect(list.body.value).toEqual([
      { id: campaigns, displayName: 'Campaigns', accessPackageCatalog: null },
      { id: reps, displayName: 'Sales reps', accessPackageCatalog: { id: sales, displayName: 'Sales' } },
    ]);
    expect((await get(app, `${PACKAGES}/${reps}?$select=displayName&${expand}`)).body.accessPackageCatalog).toEqual({ id: sales, displayName: 'Sales' });
    expect((await get(app, `${PACKAGES}/${campaigns}?$select=displayName&${expand}`)).body.accessPackageCatalog).toBeNull();
  });

  // Inside quotes, `;` separates no nested options and `)` closes no item.
  it('reads a quoted literal whole, a semicolon and a closing parenthesis in it included, beside another expansion', async () => {
    const { app } = await setup();
    const catalog = await createCatalog(app, 'Sales; EMEA :)');
    const pkg = await createPackage(app, 'Regional', catalog);
    const filter = encodeURIComponent("displayName eq 'Sales; EMEA :)'");
    const res = await get(
      app,
      `${PACKAGES}/${pkg}?$select=displayName&$expand=accessPackageCatalog($filter=${filter};$select=displayName),accessPackageAssignmentPolicies($select=id)`,
    );
    expect(res.body).toEqual({
      '@odata.context': `${METADATA}/accessPackages(displayName,accessPackageCatalog(displayName),accessPackageAssignmentPolicies(id))/$entity`,
      id: pkg,
      displayName: 'Regional',
      accessPackageCatalog: { id: catalog, displayName: 'Sales; EMEA :)' },
      // The policies are contained in the package, the catalog is not: only they carry a context.
      'accessPackageAssignmentPolicies@odata.context': `${METADATA}/accessPackages('${pkg}')/accessPackageAssignmentPolicies(id)`,
      accessPackageAssignmentPolicies: [],
    });
  });

  it('is refused whatever the records: on an empty page, an empty store, one level deeper, and before an unknown id is looked up', async () => {
    const { app } = await setup();
    const matching = await get(app, `${PACKAGES}?$filter=displayName eq 'Sales reps'&$expand=accessPackageAssignmentPolicies($filter=foo eq 1)`);
    expectGraphError(matching, 400, 'InvalidFilter', UNKNOWN_ON_POLICY);
    const empty = await get(app, `${PACKAGES}?$filter=displayName eq 'nomatch'&$expand=accessPackageAssignmentPolicies($filter=foo eq 1)`);
    expectGraphError(empty, 400, 'InvalidFilter', UNKNOWN_ON_POLICY);
    const none = createApp({ store: new MemoryStore() });
    expectGraphError(await get(none, `${PACKAGES}?$expand=accessPackageAssignmentPolicies($filter=foo eq 1)`), 400, 'InvalidFilter', UNKNOWN_ON_POLICY);
    expectGraphError(
      await get(app, `${PACKAGES}?$filter=displayName eq 'nomatch'&$expand=accessPackageAssignmentPolicies($expand=accessPackageCatalog($filter=foo eq 1))`),
      400,
      'InvalidFilter',
      UNKNOWN_ON_CATALOG,
    );
    expectGraphError(
      await get(app, `${PACKAGES}/00000000-0000-4000-8000-000000000000?$expand=accessPackageCatalog($filter=foo eq 1)`),
      400,
      'InvalidFilter',
      UNKNOWN_ON_CATALOG,
    );
  });

  it('reads a path the target type documents (accessPackageResource/id), and refuses another path even with no records', async () => {
    const { store, app, sales } = await setup();
    const group = await addGroup(store, sales, 'Sellers');
    const resources = `${CATALOGS}/${sales}/accessPackageResources`;
    const roles = await get(
      app,
      `${resources}?$expand=accessPackageResourceRoles($filter=accessPackageResource/id eq '${group.resource.id}';$select=displayName)`,
    );
    expect(roles.body.value[0].accessPackageResourceRoles.map((r: { displayName: string }) => r.displayName).sort()).toEqual(['Member', 'Owner']);
    const message = "OData query is invalid: Navigation paths ('accessPackageResource/colour') are not supported in $filter.";
    const bad = `$expand=accessPackageResourceRoles($filter=accessPackageResource/colour eq 'x')`;
    expectGraphError(await get(app, `${resources}?${bad}`), 400, 'InvalidFilter', message);
    expectGraphError(await get(app, `${resources}?$filter=displayName eq 'nomatch'&${bad}`), 400, 'InvalidFilter', message);
  });
});

describe('a DateTimeOffset literal', () => {
  it.each(['2026-02-30T00:00:00Z', '2026-02-29T00:00:00Z'])('%s, a day the calendar does not have, is a 400 BadRequest', async (literal) => {
    const { app } = await setup();
    const filter = `createdDateTime ge ${literal}`;
    expectGraphError(
      await get(app, `${PACKAGES}?$filter=${filter}`),
      400,
      'BadRequest',
      `The DateTimeOffset text '${literal}' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.`,
    );
  });

  it('with more than 12 fractional digits is read, rounded to the tick as .NET rounds it', async () => {
    const { app } = await setup();
    const leap = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Leap', createdDateTime: '2024-03-01T00:00:00Z' });
    // .9999999 and a half, to even: the next second, the first of March
    const res = await get(app, `${PACKAGES}?$filter=createdDateTime eq 2024-02-29T23:59:59.9999999500000Z&$select=id`);
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([{ id: leap.body.id }]);
  });

  it.each([
    ['without an offset', '2026-01-01T10:00:00', '2026-01-01T10:00:00'],
    ["with an offset's + sent unencoded, which the query string reads as a space", '2026-01-01T10:00:00+02:00', '2026-01-01T10:00:00'],
  ])('%s is a 400 BadRequest quoting the text', async (_what, literal, quoted) => {
    const { app } = await setup();
    expectGraphError(
      await get(app, `${PACKAGES}?$filter=createdDateTime ge ${literal}`),
      400,
      'BadRequest',
      `The DateTimeOffset text '${quoted}' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.`,
    );
  });

  it('on 29 February of a leap year is read as that day', async () => {
    const { app } = await setup();
    expect((await get(app, `${PACKAGES}?$filter=createdDateTime ge 2028-02-29T00:00:00Z`)).body.value).toEqual([]);
    expect((await get(app, `${PACKAGES}?$filter=createdDateTime lt 2028-02-29T00:00:00Z&$select=id`)).body.value).toHaveLength(2);
  });
});

describe('@odata.context with $expand', () => {
  it.each([
    ['$select=displayName&$expand=accessPackageCatalog($select=displayName)', 'accessPackages(displayName,accessPackageCatalog(displayName))'],
    ['$expand=accessPackageCatalog($select=displayName)', 'accessPackages(accessPackageCatalog(displayName))'],
    [
      '$select=displayName&$expand=accessPackageAssignmentPolicies($select=displayName;$expand=accessPackageCatalog($select=id)),accessPackageCatalog',
      'accessPackages(displayName,accessPackageAssignmentPolicies(displayName,accessPackageCatalog(id)),accessPackageCatalog())',
    ],
    [
      '$expand=accessPackageAssignmentPolicies($expand=accessPackageCatalog($select=id))',
      'accessPackages(accessPackageAssignmentPolicies(accessPackageCatalog(id)))',
    ],
    // An expansion that selects nothing has an empty list, as Graph's pages show it: resourceRoles(resource()).
    ['$select=displayName&$expand=accessPackageCatalog', 'accessPackages(displayName,accessPackageCatalog())'],
    ['$expand=accessPackageCatalog', 'accessPackages(accessPackageCatalog())'],
    ['$expand=accessPackageAssignmentPolicies($expand=accessPackageCatalog)', 'accessPackages(accessPackageAssignmentPolicies(accessPackageCatalog()))'],
  ])('of a list ?%s names %s', async (query, context) => {
    const { app } = await setup();
    expect((await get(app, `${PACKAGES}?${query}`)).body['@odata.context']).toBe(`${METADATA}/${context}`);
  });

  it('names the expansion on catalogs, on one entity, under a navigation path and in v1.0', async () => {
    const { app, sales, reps } = await setup();
    expect((await get(app, `${CATALOGS}?$expand=accessPackages($select=displayName)`)).body['@odata.context']).toBe(
      `${METADATA}/accessPackageCatalogs(accessPackages(displayName))`,
    );
    const one = await get(app, `${PACKAGES}/${reps}?$select=displayName&$expand=accessPackageCatalog($select=displayName)`);
    expect(one.body).toEqual({
      '@odata.context': `${METADATA}/accessPackages(displayName,accessPackageCatalog(displayName))/$entity`,
      id: reps,
      displayName: 'Sales reps',
      accessPackageCatalog: { id: sales, displayName: 'Sales' },
    });
    expect((await get(app, `${PACKAGES}/${reps}/accessPackageCatalog?$select=id&$expand=accessPackages($select=id)`)).body['@odata.context']).toBe(
      `${METADATA}/accessPackages('${reps}')/accessPackageCatalog(id,accessPackages(id))/$entity`,
    );
    expect((await get(app, `${V1}/accessPackages?$expand=catalog($select=displayName)`)).body['@odata.context']).toBe(
      'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/accessPackages(catalog(displayName))',
    );
  });
});

describe("@odata.context of Graph's documented expansions", () => {
  it('writes resourceRoles(resource()) and accessPackageResourceRoles(accessPackageResource()), as the v1.0 page and the beta tutorial show', async () => {
    const { app, sales } = await setup();
    expect((await get(app, `${V1}/catalogs/${sales}/resourceRoles?$expand=resource`)).body['@odata.context']).toBe(
      `https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/catalogs('${sales}')/resourceRoles(resource())`,
    );
    expect((await get(app, `${CATALOGS}/${sales}/accessPackageResourceRoles?$expand=accessPackageResource`)).body['@odata.context']).toBe(
      `${METADATA}/accessPackageCatalogs('${sales}')/accessPackageResourceRoles(accessPackageResource())`,
    );
  });
});

/** `accessPackageCatalog($expand=accessPackages($expand=accessPackageCatalog(…)))`, `trips` times there and back. */
function roundTrips(trips: number): string {
  let expand = 'accessPackages($select=id)';
  for (let i = 0; i < trips; i++) expand = `accessPackages($expand=accessPackageCatalog($expand=${expand}))`;
  return `accessPackageCatalog($expand=${expand})`;
}

describe('how deep $expand nests', () => {
  const TOO_DEEP =
    "The request includes a $expand path which is too deep. The maximum depth allowed is 3. To increase the limit, set the 'MaxExpansionDepth' property on EnableQueryAttribute or ODataValidationSettings.";

  it('answers 3 levels, each expanded entity whole', async () => {
    const { app, sales, reps } = await setup();
    const res = await get(
      app,
      `${PACKAGES}/${reps}?$select=id&$expand=accessPackageCatalog($select=id;$expand=accessPackages($select=displayName;$expand=accessPackageCatalog($select=displayName)))`,
    );
    expect(res.body).toMatchObject({
      id: reps,
      accessPackageCatalog: { id: sales, accessPackages: [{ id: reps, displayName: 'Sales reps', accessPackageCatalog: { id: sales, displayName: 'Sales' } }] },
    });
  });

  it.each([
    ['4 levels', 'accessPackageCatalog($expand=accessPackages($expand=accessPackageCatalog($expand=accessPackages)))'],
    // Round trips between packages and catalogs, each multiplying the answer: refused before any record is read.
    ['8 levels', roundTrips(3)],
  ])('refuses %s in the words of Graph’s OData library', async (_case, expand) => {
    const { app } = await setup();
    for (const url of [`${PACKAGES}?$top=1&$select=id&$expand=${expand}`, `${CATALOGS}?$expand=accessPackages($expand=${expand})`]) {
      expectGraphError(await get(app, url), 400, 'BadRequest', TOO_DEEP);
    }
  });
});
