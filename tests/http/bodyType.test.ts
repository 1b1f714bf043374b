// The @odata.type a create or update body gives its entity: resolved against the version's model, as Graph's OData
// reader does, so that a type it does not know or another entity's type is a 400 and nothing is stored.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const UNRESOLVED = (name: string) =>
  `A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`;
const NOT_ASSIGNABLE = (found: string, expected: string) =>
  `A resource with type 'microsoft.graph.${found}' was found, but it is not assignable to the expected type 'microsoft.graph.${expected}'. The type specified in the resource must be equal to either the expected type or a derived type.`;

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalogId = (await request(app).post(CATALOGS).set(AUTH).send({ displayName: 'Types' })).body.id as string;
  const packageId = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Typed', catalogId })).body.id as string;
  return { app, store, catalogId, packageId };
}

describe('a body’s top-level @odata.type', () => {
  it.each([
    ['beta', PACKAGES, (catalogId: string) => ({ catalogId })],
    ['v1.0', `${V1}/accessPackages`, (catalogId: string) => ({ catalog: { id: catalogId } })],
  ])('refuses, through %s, a type the model cannot resolve and another entity’s type, storing nothing', async (_version, url, inCatalog) => {
    const { app, store, catalogId } = await setup();
    const before = store.list('accessPackages').length;
    for (const [type, message] of [
      ['garbage', UNRESOLVED('garbage')],
      ['#microsoft.graph.accessPackageCatalog', NOT_ASSIGNABLE('accessPackageCatalog', 'accessPackage')],
      [7, UNRESOLVED('7')],
    ] as const) {
      const body = { '@odata.type': type, displayName: 'Refused', ...inCatalog(catalogId) };
      expectGraphError(await request(app).post(url).set(AUTH).send(body), 400, 'BadRequest', message);
    }
    expect(store.list('accessPackages')).toHaveLength(before);
  });

  it('refuses it on an update too, leaving the record as it was', async () => {
    const { app, store, packageId } = await setup();
    const patch = await request(app)
      .patch(`${V1}/accessPackages/${packageId}`)
      .set(AUTH)
      .send({ '@odata.type': '#microsoft.graph.group', displayName: 'Renamed' });
    expectGraphError(patch, 400, 'BadRequest', NOT_ASSIGNABLE('group', 'accessPackage'));
    const put = await request(app)
      .put(`${POLICIES}/${(await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: packageId, displayName: 'p' })).body.id}`)
      .set(AUTH)
      .send({ '@odata.type': 'microsoft.graph.nothing', accessPackageId: packageId, displayName: 'q' });
    expectGraphError(put, 400, 'BadRequest', UNRESOLVED('microsoft.graph.nothing'));
    expect((store.get('accessPackages', packageId) as { displayName: string }).displayName).toBe('Typed');
  });

  it('takes the entity’s own type with or without #, and beta’s back-end type a beta GET answers', async () => {
    const { app, catalogId } = await setup();
    for (const type of ['#microsoft.graph.accessPackage', 'microsoft.graph.accessPackage', '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage']) {
      const res = await request(app).post(PACKAGES).set(AUTH).send({ '@odata.type': type, displayName: type, catalogId });
      expect([type, res.status, res.headers['content-type'], res.body.displayName]).toEqual([type, 201, ODATA_JSON, type]);
      expect(res.body['@odata.type']).toBe('#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage');
    }
    const v1 = await request(app).post(`${V1}/catalogs`).set(AUTH).send({ '@odata.type': '#microsoft.graph.accessPackageCatalog', displayName: 'v1' });
    expect(v1.status).toBe(201);
    expect(v1.body).not.toHaveProperty('@odata.type');
    // The back end's name is beta's alone.
    const backEnd = await request(app)
      .post(`${V1}/catalogs`)
      .set(AUTH)
      .send({ '@odata.type': '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackageCatalog', displayName: 'v1' });
    expectGraphError(backEnd, 400, 'BadRequest', UNRESOLVED('Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackageCatalog'));
  });
});
