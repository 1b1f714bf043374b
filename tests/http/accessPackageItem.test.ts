import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { AccessPackage } from '../../server/store/records.js';
import { AUTH, GRAPH_DATE_TIME, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { accessPackage } from '../support/accessPackages.js';

const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages';
const UNKNOWN_ID = '7e3c9bb4-62a9-4c0b-9f3f-000000000000';

async function withPackage(body: Record<string, unknown> = { displayName: 'Sales', description: 'CRM', isHidden: false }) {
  const store = new MemoryStore();
  const app = createApp({ store });
  const created = await request(app).post(PACKAGES).set(AUTH).send(body);
  expect(created.status).toBe(201);
  const { '@odata.context': _context, '@odata.type': _type, ...record } = created.body as Record<string, unknown>;
  return { store, app, id: record['id'] as string, created: record as unknown as AccessPackage, entity: created.body as Record<string, unknown> };
}

describe('GET accessPackages/{id}', () => {
  it('answers 200 with the entity, the $entity context and the odata headers', async () => {
    const { app, id, entity } = await withPackage();
    const res = await request(app).get(`${PACKAGES}/${id}`).set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.headers['odata-version']).toBe('4.0');
    // The create's answer carries the back end's @odata.type, as the create page shows; a read does not, as the get
    // page shows.
    const { '@odata.type': createdType, ...read } = entity;
    expect(createdType).toBe('#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage');
    expect(res.body).toEqual(read);
    expect(res.body).not.toHaveProperty('@odata.type');
    expect(res.body['@odata.context']).toBe(`${CONTEXT}/$entity`);
  });

  it('matches the id case-insensitively', async () => {
    const { app, id } = await withPackage();
    const res = await request(app).get(`${PACKAGES}/${id.toUpperCase()}`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
  });

  it('projects $select (id always returned) and names the selection in the context', async () => {
    const { app, id } = await withPackage();
    const res = await request(app).get(`${PACKAGES}/${id}?$select=displayName,isHidden`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      '@odata.context': `${CONTEXT}(displayName,isHidden)/$entity`,
      id,
      displayName: 'Sales',
      isHidden: false,
    });
  });

  it('expands accessPackageCatalog from a stored catalog, null when there is none', async () => {
    const store = new MemoryStore();
    const catalog = {
      id: '11111111-2222-4333-8444-555555555555',
      catalogStatus: 'Published',
      catalogType: 'UserManaged',
      createdBy: null,
      createdDateTime: '2024-01-01T00:00:00.0000000Z',
      description: 'General',
      displayName: 'General',
      isExternallyVisible: false,
      modifiedBy: null,
      modifiedDateTime: '2024-01-01T00:00:00.0000000Z',
    };
    await store.create('accessPackageCatalogs', catalog);
    const app = createApp({ store });
    const withCatalog = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'a', catalogId: catalog.id });
    // A package the emulator writes is always in a catalog; one loaded without (a user's own data file) expands to null.
    const without = { body: { ...accessPackage({ displayName: 'b' }), catalogId: null } };
    await store.create('accessPackages', without.body);
    const res = await request(app).get(`${PACKAGES}/${withCatalog.body.id}?expand=accessPackageCatalog`).set(AUTH);
    // $expand alone keeps every property of the record and adds the expanded one, nothing else.
    const { '@odata.context': _expandedContext, ...expanded } = res.body as Record<string, unknown>;
    const { '@odata.context': _createdContext, '@odata.type': _createdType, ...record } = withCatalog.body as Record<string, unknown>;
    expect(expanded).toEqual({ ...record, accessPackageCatalog: catalog });
    const none = await request(app).get(`${PACKAGES}/${without.body.id}?$expand=accessPackageCatalog&$select=displayName`).set(AUTH);
    expect(none.body).toMatchObject({ id: without.body.id, displayName: 'b', accessPackageCatalog: null });
    expect(none.body).not.toHaveProperty('description');
  });

  it.each([
    ['$select=nope', "Could not find a property named 'nope' on type 'microsoft.graph.accessPackage'."],
    ['$expand=owner', "Could not find a property named 'owner' on type 'microsoft.graph.accessPackage'."],
  ])('400 for ?%s', async (query, message) => {
    const { app, id } = await withPackage();
    expectGraphError(await request(app).get(`${PACKAGES}/${id}?${query}`).set(AUTH), 400, 'BadRequest', message);
  });

  it('404 ResourceNotFound for an unknown id', async () => {
    const { app } = await withPackage();
    expectGraphError(await request(app).get(`${PACKAGES}/${UNKNOWN_ID}`).set(AUTH), 404, 'ResourceNotFound', 'The resource was not found.');
  });

  it.each([['not-a-guid'], [`${UNKNOWN_ID}0`], [`0${UNKNOWN_ID}`]])('400 for the malformed id %s', async (malformed) => {
    const { app } = await withPackage();
    const res = await request(app).get(`${PACKAGES}/${malformed}`).set(AUTH);
    expectGraphError(res, 400, 'BadRequest', `Invalid id '${malformed}': an accessPackage id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.`);
  });

  it('checks the query before looking the record up: a bad $select on an unknown id is 400', async () => {
    const { app } = await withPackage();
    const res = await request(app).get(`${PACKAGES}/${UNKNOWN_ID}?$select=nope`).set(AUTH);
    expectGraphError(res, 400, 'BadRequest', "Could not find a property named 'nope' on type 'microsoft.graph.accessPackage'.");
  });
});

describe('PATCH accessPackages/{id}', () => {
  it('answers 204 with an empty body and stores the change; modifiedDateTime moves forward', async () => {
    const { app, store, id, created } = await withPackage();
    const res = await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send({ displayName: 'Renamed', isHidden: true });
    expect(res.status).toBe(204);
    expectGraphHeaders(res);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.text).toBe('');
    const after = store.get('accessPackages', id)!;
    expect(after).toMatchObject({ displayName: 'Renamed', isHidden: true, description: 'CRM', createdDateTime: created.createdDateTime });
    expect(after.modifiedDateTime).toMatch(GRAPH_DATE_TIME);
    expect(after.modifiedDateTime > created.modifiedDateTime).toBe(true);
    const read = await request(app).get(`${PACKAGES}/${id}`).set(AUTH);
    expect(read.body.displayName).toBe('Renamed');
  });

  it('never dates a package back: a modifiedDateTime set in the future on the create moves one tick on, past a later createdDateTime too', async () => {
    const { app, id } = await withPackage({ displayName: 'f', createdDateTime: '2030-01-01T00:00:00Z', modifiedDateTime: '2031-01-01T00:00:00Z' });
    expect((await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send({ description: 'x' })).status).toBe(204);
    const read = await request(app).get(`${PACKAGES}/${id}?$select=createdDateTime,modifiedDateTime,description`).set(AUTH);
    expect(read.headers['content-type']).toBe(ODATA_JSON);
    expect(read.body).toMatchObject({ createdDateTime: '2030-01-01T00:00:00.0000000Z', modifiedDateTime: '2031-01-01T00:00:00.0000001Z', description: 'x' });
    const later = await withPackage({ displayName: 'g', createdDateTime: '2032-05-01T00:00:00.9999999Z', modifiedDateTime: '2020-01-01T00:00:00Z' });
    await request(later.app).patch(`${PACKAGES}/${later.id}`).set(AUTH).send({ description: 'y' });
    expect(later.store.get('accessPackages', later.id)).toMatchObject({ modifiedDateTime: '2032-05-01T00:00:01.0000000Z', description: 'y' });
  });

  it('ignores read-only properties once read as their types, as Graph does: a wrong type is a 400, nothing changed', async () => {
    const { app, store, id, created } = await withPackage();
    const res = await request(app)
      .patch(`${PACKAGES}/${id}`)
      .set(AUTH)
      .send({ id: 'x', createdDateTime: '2001-01-01T00:00:00Z', createdBy: 'mallory@contoso.com', modifiedBy: 'm', description: 'new' });
    expect(res.status).toBe(204);
    expect(store.get('accessPackages', id)).toMatchObject({ id, createdDateTime: created.createdDateTime, createdBy: null, description: 'new' });
    const before = store.get('accessPackages', id);
    for (const [body, message] of [
      [
        { createdDateTime: 'yesterday', description: 'newer' },
        "Invalid value for property 'createdDateTime': cannot convert the literal 'yesterday' to the expected type 'Edm.DateTimeOffset'.",
      ],
      [
        { modifiedBy: { a: 1 }, description: 'newer' },
        `Invalid value for property 'modifiedBy': cannot convert the literal '{"a":1}' to the expected type 'Edm.String'.`,
      ],
      [{ id: 42, description: 'newer' }, "Invalid value for property 'id': cannot convert the literal '42' to the expected type 'Edm.String'."],
    ] as const) {
      expectGraphError(await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send(body), 400, 'BadRequest', message);
    }
    expect(store.get('accessPackages', id)).toEqual(before);
  });

  it('stores the default for a null sent for a property that has one, as the docs say', async () => {
    const { app, id } = await withPackage({ displayName: 'Sales', isHidden: true, isRoleScopesVisible: true });
    expect((await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send({ isHidden: null, isRoleScopesVisible: null })).status).toBe(204);
    const read = await request(app).get(`${PACKAGES}/${id}?$select=isHidden,isRoleScopesVisible`).set(AUTH);
    expect(read.body).toMatchObject({ id, isHidden: false, isRoleScopesVisible: false });
  });

  it('validates with the create schema: a wrong type is a 400 naming the property, and nothing changes', async () => {
    const { app, store, id, created } = await withPackage();
    const res = await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send({ isHidden: 'yes' });
    expectGraphError(res, 400, 'BadRequest', "Invalid value for property 'isHidden': cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
    const unknown = await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).send({ colour: 'red' });
    expectGraphError(unknown, 400, 'BadRequest', /The property 'colour' does not exist on type 'microsoft.graph.accessPackage'/);
    expect(store.get('accessPackages', id)).toEqual(created);
  });

  it('404 for an unknown id, 400 for a malformed id or an empty body', async () => {
    const { app, id } = await withPackage();
    expectGraphError(
      await request(app).patch(`${PACKAGES}/${UNKNOWN_ID}`).set(AUTH).send({ displayName: 'x' }),
      404,
      'ResourceNotFound',
      'The resource was not found.',
    );
    expectGraphError(await request(app).patch(`${PACKAGES}/123`).set(AUTH).send({ displayName: 'x' }), 400, 'BadRequest', /Invalid id '123'/);
    expectGraphError(await request(app).patch(`${PACKAGES}/${id}`).set(AUTH), 400, 'BadRequest', 'Empty Payload. JSON content expected.');
  });

  it.each([['null'], ['7'], ['"Renamed"'], ['[{"displayName":"Renamed"}]']])('400 for the JSON body %s, and nothing changes', async (json) => {
    const { app, store, id, created } = await withPackage();
    const res = await request(app).patch(`${PACKAGES}/${id}`).set(AUTH).set('Content-Type', 'application/json').send(json);
    expectGraphError(res, 400, 'BadRequest', "The request body must be a JSON object representing a 'microsoft.graph.accessPackage'.");
    expect(store.get('accessPackages', id)).toEqual(created);
  });

  it('404 when a store of its own reports the record gone at the write', async () => {
    // A Store passed to createApp by a library user may lose a record between the lookup and the write.
    class GoneOnUpdate extends MemoryStore {
      override async apply(build: Parameters<MemoryStore['apply']>[0]): Promise<boolean> {
        if (build(this.forWrites)?.some((change) => change.op === 'update')) return false;
        return super.apply(build);
      }
    }
    const store = new GoneOnUpdate();
    const app = createApp({ store });
    const created = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Gone' });
    const res = await request(app).patch(`${PACKAGES}/${created.body.id}`).set(AUTH).send({ displayName: 'x' });
    expectGraphError(res, 404, 'ResourceNotFound', 'The resource was not found.');
  });
});

describe('DELETE accessPackages/{id}', () => {
  it('answers 204, removes the record, then 404 for it', async () => {
    const { app, store, id } = await withPackage();
    const res = await request(app).delete(`${PACKAGES}/${id}`).set(AUTH);
    expect(res.status).toBe(204);
    expectGraphHeaders(res);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.text).toBe('');
    expect(store.get('accessPackages', id)).toBeUndefined();
    expectGraphError(await request(app).get(`${PACKAGES}/${id}`).set(AUTH), 404, 'ResourceNotFound', 'The resource was not found.');
    expectGraphError(await request(app).delete(`${PACKAGES}/${id}`).set(AUTH), 404, 'ResourceNotFound', 'The resource was not found.');
  });

  it('400 for a malformed id', async () => {
    const { app } = await withPackage();
    expectGraphError(await request(app).delete(`${PACKAGES}/abc`).set(AUTH), 400, 'BadRequest', /Invalid id 'abc'/);
  });

  it('405 with Allow for a method the item does not serve', async () => {
    const { app, id } = await withPackage();
    const res = await request(app).put(`${PACKAGES}/${id}`).set(AUTH).send({ displayName: 'x' });
    expectGraphError(res, 405, 'MethodNotAllowed', "The HTTP method 'PUT' is not allowed for the requested resource.");
    expect(res.headers['allow']).toBe('GET, HEAD, PATCH, DELETE');
  });

  it('needs a bearer token like every Graph call', async () => {
    const { app, id } = await withPackage();
    const res = await request(app).delete(`${PACKAGES}/${id}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('InvalidAuthenticationToken');
  });
});
