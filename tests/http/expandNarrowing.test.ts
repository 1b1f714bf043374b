// What an expanded collection holds when its $expand item narrows it ($orderby, $top, $filter, $select), for every
// record of a list at once and for one entity, and a $select of a property a record does not hold.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { addGroup, createCatalog, createPackage } from '../support/catalogResources.js';
import { accessPackage } from '../support/accessPackages.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, expectGraphHeaders } from '../support/graph.js';

const METADATA = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement';

async function setup() {
  const app = createApp({ store: new MemoryStore() });
  const sales = await createCatalog(app, 'Sales');
  const hr = await createCatalog(app, 'HR');
  const ids: Record<string, string> = {};
  for (const [name, catalog] of [
    ['Beta', sales],
    ['Alpha', sales],
    ['Delta', sales],
    ['Gamma', sales],
    ['Payroll', hr],
    ['Onboarding', hr],
  ] as const)
    ids[name] = await createPackage(app, name, catalog);
  // A package as a nested $select=displayName shows it.
  const shown = (name: string) => ({ id: ids[name], displayName: name });
  return { app, sales, hr, shown };
}

async function get(app: Awaited<ReturnType<typeof setup>>['app'], url: string) {
  const res = await request(app).get(url).set(AUTH);
  expect(res.status).toBe(200);
  expectGraphHeaders(res);
  expect(res.headers['content-type']).toBe(ODATA_JSON);
  return res;
}

describe('an expanded collection narrowed by its $expand item', () => {
  it('is ordered by its nested $orderby and cut at its nested $top, under each record of a list', async () => {
    const { app, sales, hr, shown } = await setup();
    const res = await get(
      app,
      `${CATALOGS}?$select=displayName&$orderby=displayName&$expand=accessPackages($orderby=displayName desc;$top=3;$select=displayName)`,
    );
    expect(res.body.value).toEqual([
      {
        id: hr,
        displayName: 'HR',
        'accessPackages@odata.context': `${METADATA}/accessPackageCatalogs('${hr}')/accessPackages(displayName)`,
        accessPackages: [shown('Payroll'), shown('Onboarding')],
      },
      {
        id: sales,
        displayName: 'Sales',
        'accessPackages@odata.context': `${METADATA}/accessPackageCatalogs('${sales}')/accessPackages(displayName)`,
        accessPackages: [shown('Gamma'), shown('Delta'), shown('Beta')],
      },
    ]);
  });

  it('is filtered before it is cut, on one entity', async () => {
    const { app, sales, shown } = await setup();
    const res = await get(
      app,
      `${CATALOGS}/${sales}?$select=id&$expand=accessPackages($filter=displayName ne 'Alpha';$orderby=displayName;$top=2;$select=displayName)`,
    );
    expect(res.body.accessPackages).toEqual([shown('Beta'), shown('Delta')]);
  });
});

describe('a nested $orderby over what a record shows rather than what is stored', () => {
  it("orders a package's incompatibleGroups by the names their catalog resources give them", async () => {
    const store = new MemoryStore();
    const app = createApp({ store });
    const groups = await createCatalog(app, 'Groups');
    const accessPackage = await createPackage(app, 'Sales reps', groups);
    // Names in the opposite order of the ids, so that an order by the stored links (which hold no name) shows.
    const named = [
      ['00000000-0000-4000-8000-00000000000c', 'Alpha'],
      ['00000000-0000-4000-8000-00000000000b', 'Beta'],
      ['00000000-0000-4000-8000-00000000000a', 'Gamma'],
    ] as const;
    for (const [id, name] of named) {
      await addGroup(store, groups, name, id);
      const added = await request(app)
        .post(`${PACKAGES}/${accessPackage}/incompatibleGroups/$ref`)
        .set(AUTH)
        .send({ '@odata.id': `https://graph.microsoft.com/beta/groups/${id}` });
      expect(added.status).toBe(204);
    }
    for (const [direction, names] of [
      ['', ['Alpha', 'Beta', 'Gamma']],
      [' desc', ['Gamma', 'Beta', 'Alpha']],
    ] as const) {
      const res = await get(app, `${PACKAGES}/${accessPackage}?$select=id&$expand=incompatibleGroups($orderby=displayName${direction};$select=displayName)`);
      expect(res.body.incompatibleGroups.map((g: { displayName: string }) => g.displayName)).toEqual(names);
    }
  });
});

describe('$select of a property a stored record does not hold', () => {
  it('answers it as null, as every property the type declares', async () => {
    const store = new MemoryStore();
    const { description: _left, ...record } = accessPackage({ displayName: 'Kept short' });
    await store.create('accessPackages', record as ReturnType<typeof accessPackage>);
    const res = await request(createApp({ store })).get(`${PACKAGES}?$select=displayName,description`).set(AUTH);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).value).toEqual([{ id: record.id, displayName: 'Kept short', description: null }]);
  });
});
