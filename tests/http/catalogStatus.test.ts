// A beta catalog's catalogStatus is one of the two states the service keeps (v1.0's accessPackageCatalogState:
// published, unpublished), read in any case and kept as the beta pages spell them; any other text is a 400 on a create
// and a PATCH, nothing stored or changed.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { createCatalog } from '../support/catalogResources.js';
import { AUTH, CATALOGS, V1, expectGraphError } from '../support/graph.js';

function setup() {
  const store = new MemoryStore();
  return { store, app: createApp({ store }) };
}

const refused = (sent: string) => `Invalid value for property 'catalogStatus': the catalogStatus '${sent}' is not one of Published, Unpublished.`;

describe('a catalog’s catalogStatus', () => {
  it.each(['Draft', 'Publish', '', 'Published '])('%j on a create or a PATCH: a 400, nothing stored or changed', async (sent) => {
    const { app, store } = setup();
    const created = await request(app).post(CATALOGS).set(AUTH).send({ displayName: 'Odd', catalogStatus: sent });
    expectGraphError(created, 400, 'BadRequest', refused(sent));
    expect(store.count('accessPackageCatalogs')).toBe(0);
    const catalogId = await createCatalog(app, 'Sales');
    const patched = await request(app).patch(`${CATALOGS}/${catalogId}`).set(AUTH).send({ displayName: 'Renamed', catalogStatus: sent });
    expectGraphError(patched, 400, 'BadRequest', refused(sent));
    expect(store.get('accessPackageCatalogs', catalogId)).toMatchObject({ displayName: 'Sales', catalogStatus: 'Published' });
  });

  it('takes the two states in any case, kept as the pages spell them, and v1.0 reads them', async () => {
    const { app } = setup();
    const created = await request(app).post(CATALOGS).set(AUTH).send({ displayName: 'Lower', catalogStatus: 'unpublished' });
    expect([created.status, created.body.catalogStatus]).toEqual([201, 'Unpublished']);
    expect((await request(app).get(`${V1}/catalogs/${created.body.id}`).set(AUTH)).body.state).toBe('unpublished');
    const patched = await request(app).patch(`${CATALOGS}/${created.body.id}`).set(AUTH).send({ catalogStatus: 'PUBLISHED' });
    expect(patched.status).toBe(204);
    expect((await request(app).get(`${CATALOGS}/${created.body.id}`).set(AUTH)).body.catalogStatus).toBe('Published');
    // null stores the default, as before (graph-fidelity.md).
    await request(app).patch(`${CATALOGS}/${created.body.id}`).set(AUTH).send({ catalogStatus: null });
    expect((await request(app).get(`${CATALOGS}/${created.body.id}`).set(AUTH)).body.catalogStatus).toBe('Published');
  });
});
