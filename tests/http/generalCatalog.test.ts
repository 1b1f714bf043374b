// Graph's built-in General catalog: every tenant keeps it (a DELETE is refused), and one made for a store that lost
// it is the same record as the one a generated tenant starts with.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, CATALOGS, GRAPH_DATE_TIME, GUID, ODATA_JSON, PACKAGES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const REFUSAL = 'The catalog: General can not be deleted because it is the built-in catalog.';

async function generalOf(app: ReturnType<typeof createApp>): Promise<Record<string, unknown>> {
  const res = await request(app).get(`${CATALOGS}?$filter=catalogType eq 'ServiceDefault'`).set(AUTH);
  expect(res.body.value).toHaveLength(1);
  return res.body.value[0] as Record<string, unknown>;
}

/** A tenant as the emulator generates it, the General catalog alone. */
async function generatedTenant() {
  const app = createApp({ store: new MemoryStore() });
  await request(app).post('/_emulator/reset').send({ fixtures: 'empty', seed: 42 }).expect(200);
  return app;
}

describe('the built-in General catalog', () => {
  it.each([
    ['beta', `${CATALOGS}/`],
    ['v1.0', `${V1}/catalogs/`],
  ])('%s: DELETE is 400 BadRequest in the envelope, and the catalog stays as it was', async (_version, path) => {
    const app = await generatedTenant();
    const general = await generalOf(app);
    const refused = await request(app).delete(`${path}${general['id']}`).set(AUTH);
    expectGraphError(refused, 400, 'BadRequest', REFUSAL);
    expect(refused.body.error.details).toEqual([]);
    const kept = await request(app).get(`${CATALOGS}/${general['id']}`).set(AUTH);
    expect(kept.status).toBe(200);
    expectGraphHeaders(kept);
    expect(kept.headers['content-type']).toBe(ODATA_JSON);
    const { '@odata.context': _context, ...record } = kept.body;
    expect(JSON.stringify(record)).toBe(JSON.stringify(general));
  });

  it('a package created without a catalog lands in the General catalog the tenant already has', async () => {
    const app = await generatedTenant();
    const general = await generalOf(app);
    await request(app).delete(`${CATALOGS}/${general['id']}`).set(AUTH).expect(400);
    const created = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'No catalog' });
    expect(created.status).toBe(201);
    expect(created.body.catalogId).toBe(general['id']);
    expect((await request(app).get(CATALOGS).set(AUTH)).body.value).toEqual([general]);
  });

  it('made for a store without one, it is the generated General: same properties, same order, same values', async () => {
    const generated = await generalOf(await generatedTenant());
    const app = createApp({ store: new MemoryStore() });
    const created = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'No catalog' });
    expect(created.status).toBe(201);
    const made = await generalOf(app);
    expect(Object.keys(made)).toEqual(Object.keys(generated));
    const { id, createdDateTime, modifiedDateTime, ...values } = made;
    const { id: _id, createdDateTime: _created, modifiedDateTime: _modified, ...generatedValues } = generated;
    expect(values).toEqual(generatedValues);
    expect(values).toMatchObject({ displayName: 'General', catalogType: 'ServiceDefault', isExternallyVisible: false, createdBy: 'Azure AD' });
    expect(id).toMatch(GUID);
    expect(created.body.catalogId).toBe(id);
    expect(createdDateTime).toMatch(GRAPH_DATE_TIME);
    expect(modifiedDateTime).toBe(createdDateTime);
  });
});
