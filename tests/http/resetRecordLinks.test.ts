// Records posted to POST /_emulator/reset are held to what entitlement management keeps: ids and references in
// lower case (a URL's id is matched lower-cased, so a capital made a record unreadable), and every reference
// naming a record there is. A refusal is Graph's 400 naming the record, and changes no tenant.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { AUTH, CATALOGS, PACKAGES, expectGraphError } from '../support/graph.js';

const CATALOG = '5d1c0a3e-8f0b-4a5e-9c1d-2b7e4f6a8c90';
const PACKAGE = '8c2a1f54-7f3e-4d0b-9a51-2f0c6f1e4b7a';
const QUESTION = '2e9f4b61-3c7a-4d85-b0e2-6a1f8c3d5e07';

function appWith() {
  const store = new MemoryStore();
  return { store, app: createApp({ store, fixtures: { fixtures: 'empty', seed: 1, referenceDate: '2026-11-01T00:00:00.000Z' } }) };
}

describe('POST /_emulator/reset with records', () => {
  it.each([
    [
      'ids in upper case',
      {
        accessPackageCatalogs: [{ id: CATALOG.toUpperCase(), displayName: 'Sales' }],
        accessPackages: [{ id: PACKAGE.toUpperCase(), displayName: 'X', catalogId: CATALOG }],
      },
      `accessPackages[0]: property 'id' is '${PACKAGE.toUpperCase()}', not in lower case: Graph's ids are lower case ('${PACKAGE}').`,
    ],
    [
      'a catalogId in upper case',
      {
        accessPackageCatalogs: [{ id: CATALOG, displayName: 'Sales' }],
        accessPackages: [{ id: PACKAGE, displayName: 'X', catalogId: CATALOG.toUpperCase() }],
      },
      `accessPackages[0]: property 'catalogId' is '${CATALOG.toUpperCase()}', not in lower case: Graph's ids are lower case ('${CATALOG}').`,
    ],
    [
      'a package in no catalog there is',
      { accessPackages: [{ id: PACKAGE, displayName: 'X', catalogId: CATALOG }] },
      `accessPackages[0]: property 'catalogId' names '${CATALOG}', which is no record of accessPackageCatalogs.`,
    ],
    [
      'a resource request of no catalog there is',
      { accessPackageResourceRequests: [{ id: PACKAGE, catalogId: CATALOG, requestType: 'AdminAdd' }] },
      `accessPackageResourceRequests[0]: property 'catalogId' names '${CATALOG}', which is no record of accessPackageCatalogs.`,
    ],
    [
      'a policy of no package there is',
      { accessPackageAssignmentPolicies: [{ id: CATALOG, displayName: 'Direct', accessPackageId: PACKAGE }] },
      `accessPackageAssignmentPolicies[0]: property 'accessPackageId' names '${PACKAGE}', which is no record of accessPackages.`,
    ],
    [
      'a package incompatible with itself',
      {
        accessPackages: [{ id: PACKAGE, displayName: 'X' }],
        accessPackageIncompatibilities: [{ id: `${PACKAGE}_package_${PACKAGE}`, accessPackageId: PACKAGE, incompatibleAccessPackageId: PACKAGE }],
      },
      `accessPackageIncompatibilities[0]: property 'incompatibleAccessPackageId' names '${PACKAGE}', the package's own 'accessPackageId': a package cannot be incompatible with itself.`,
    ],
    [
      'an incompatibility with neither a package nor a group',
      { accessPackages: [{ id: PACKAGE, displayName: 'X' }], accessPackageIncompatibilities: [{ id: CATALOG, accessPackageId: PACKAGE }] },
      "accessPackageIncompatibilities[0]: neither 'incompatibleAccessPackageId' and 'incompatibleGroupId' given: an incompatibility names one package or one group.",
    ],
    [
      "a policy's two questions with one id, which …/questions/{id} and a v1.0 GET sent back as a PUT could not tell apart",
      {
        accessPackages: [{ id: PACKAGE, displayName: 'X' }],
        accessPackageAssignmentPolicies: [
          {
            id: CATALOG,
            displayName: 'Direct',
            accessPackageId: PACKAGE,
            questions: ['Why?', 'Who?'].map((defaultText) => ({
              '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
              id: QUESTION,
              text: { defaultText, localizedTexts: [] },
            })),
          },
        ],
      },
      `accessPackageAssignmentPolicies[0]: property 'id' of questions[1] repeats '${QUESTION}' of questions[0].`,
    ],
  ])("refuses %s with Graph's 400 naming the record, and adds no tenant", async (_case, body, message) => {
    const { app, store } = appWith();
    const res = await request(app).post('/_emulator/reset?tenant=x').send(body);
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.tenants.ids()).toEqual([DEFAULT_TENANT_ID]);
  });

  it("takes a BETA list as the emulator answers it, its packages in the tenant's General catalog", async () => {
    const { app, store } = appWith();
    const source = {
      accessPackageCatalogs: [{ id: CATALOG, displayName: 'Sales' }],
      accessPackages: [0, 1, 2].map((i) => ({ id: `${i}${PACKAGE.slice(1)}`, displayName: `P${i}`, catalogId: CATALOG })),
    };
    await request(app).post('/_emulator/reset?tenant=source').send(source).expect(200);
    const token = (await request(app).post('/_emulator/token').send({ tid: 'source' })).body.access_token as string;
    const saved = await request(app).get(`${PACKAGES}?$top=2`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(saved.body['@odata.nextLink']).toBeDefined();
    const reset = await request(app).post('/_emulator/reset?tenant=x').send(saved.body);
    expect(reset.status).toBe(200);
    expect(reset.headers['content-type']).toMatch(/^application\/json/);
    expect(reset.body).toMatchObject({ status: 'reset', fixtures: 'request body', records: { accessPackages: 2, accessPackageCatalogs: 1 } });
    const tenant = store.tenants.get('x')!;
    const [general] = tenant.list('accessPackageCatalogs');
    expect(general).toMatchObject({ displayName: 'General', catalogType: 'ServiceDefault' });
    expect(tenant.list('accessPackages').map((p) => [p.displayName, p.catalogId])).toEqual([
      ['P0', general!.id],
      ['P1', general!.id],
    ]);
  });

  it('takes the same records in lower case, each then read by its id in either case', async () => {
    const { app } = appWith();
    const body = {
      accessPackageCatalogs: [{ id: CATALOG, displayName: 'Sales' }],
      accessPackages: [{ id: PACKAGE, displayName: 'X', catalogId: CATALOG }],
    };
    const reset = await request(app).post('/_emulator/reset').send(body);
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ status: 'reset', records: { accessPackages: 1, accessPackageCatalogs: 2 } });
    for (const id of [PACKAGE, PACKAGE.toUpperCase()]) {
      const res = await request(app).get(`${PACKAGES}/${id}`).set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: PACKAGE, displayName: 'X', catalogId: CATALOG });
    }
    const catalog = await request(app).get(`${PACKAGES}/${PACKAGE}/accessPackageCatalog`).set(AUTH);
    expect(catalog.status).toBe(200);
    expect(catalog.body).toMatchObject({ id: CATALOG, displayName: 'Sales' });
    expect((await request(app).get(`${CATALOGS}/${CATALOG.toUpperCase()}`).set(AUTH)).body).toMatchObject({ id: CATALOG });
  });
});
