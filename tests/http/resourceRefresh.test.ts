// A catalog resource's refresh, in beta (…/accessPackageCatalogs/{id}/accessPackageResources/{id}/refresh) and v1.0
// (…/catalogs/{id}/resources/{id}/refresh): 200 with no body and nothing changed, the 404 of the resource's GET for
// one the catalog does not hold, the body and query string of every action, its permission, $metadata, and the
// route's place in $batch, fault rules and the journal.
// https://learn.microsoft.com/graph/api/accesspackageresource-refresh?view=graph-rest-beta
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import type { AuthMode } from '../../server/http/auth.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { mintToken } from '../../server/index.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { addGroup, createCatalog } from '../support/catalogResources.js';
import { AUTH, CATALOGS, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { READ, READ_WRITE, bearer } from '../support/tokens.js';

const UNKNOWN = '0d6c1d7e-5b1a-4a43-9d2c-6f1e8a2b3c4d';

async function setup(auth: AuthMode = 'bearer') {
  const store = new MemoryStore();
  const faults = new FaultEngine();
  // The tenant is built through a bearer app over the same store; the app under test checks tokens as `auth` says.
  const builder = createApp({ store });
  const catalogId = await createCatalog(builder, 'Sales');
  const otherCatalogId = await createCatalog(builder, 'Marketing');
  const app = createApp({ store, faults, auth });
  const { resource } = await addGroup(store, catalogId, 'Engineering');
  const { resource: other } = await addGroup(store, otherCatalogId, 'Design');
  const beta = `${CATALOGS}/${catalogId}/accessPackageResources/${resource.id}`;
  return { app, store, faults, catalogId, otherCatalogId, resource, other, beta, v1: `${V1}/catalogs/${catalogId}/resources/${resource.id}` };
}

describe('refresh', () => {
  it.each(['beta', 'v1'] as const)('answers 200 with no body in %s and changes nothing: the resource and its roles read the same after', async (version) => {
    const { app, store, beta, v1 } = await setup();
    const path = version === 'beta' ? beta : v1;
    const roles = version === 'beta' ? 'accessPackageResourceRoles' : 'roles';
    const read = () => request(app).get(`${path}?$expand=${roles}`).set(AUTH);
    const before = await read();
    const records = store.list('accessPackageResources');
    const res = await request(app).post(`${path}/refresh`).set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    // As moveToCatalog answers its 200 OK "and no object in the response body": no Content-Type, an empty body.
    expect([res.headers['content-type'], res.headers['content-length'], res.headers['odata-version'], res.text]).toEqual([undefined, '0', '4.0', '']);
    expect(res.headers['client-request-id']).toBe(res.headers['request-id']);
    const after = await read();
    expect([before.status, after.body]).toEqual([200, before.body]);
    expect(store.list('accessPackageResources')).toEqual(records);
  });

  it('takes the namespace-qualified name, the key forms, an empty body and no body; refuses a parameter and a query option as every action', async () => {
    const { app, beta, resource, catalogId } = await setup();
    for (const path of [
      `${beta}/microsoft.graph.refresh`,
      `${beta}/graph.refresh`,
      `${CATALOGS}('${catalogId}')/accessPackageResources('${resource.id}')/refresh`,
    ]) {
      expect((await request(app).post(path).set(AUTH)).status).toBe(200);
    }
    expect((await request(app).post(`${beta}/refresh`).set(AUTH).send({})).status).toBe(200);
    expectGraphError(
      await request(app).post(`${beta}/refresh`).set(AUTH).send({ x: 1 }),
      400,
      'BadRequest',
      "The parameter 'x' in the request payload is not a valid parameter for the operation 'refresh'.",
    );
    expectGraphError(await request(app).post(`${beta}/refresh`).set(AUTH).send([]), 400, 'InvalidModel', 'Model is not valid.');
    expectGraphError(
      await request(app).post(`${beta}/refresh?$select=id`).set(AUTH),
      400,
      'BadRequest',
      "The query parameter '$select' is not supported for the operation 'refresh'.",
    );
  });

  it('is the 404 its GET is for a resource the catalog does not hold: unknown, another catalog’s, or an unknown catalog', async () => {
    const { app, catalogId, other, resource } = await setup();
    for (const [version, catalogs, resources] of [
      [CATALOGS, '', 'accessPackageResources'],
      [V1, '/catalogs', 'resources'],
    ] as const) {
      const base = version === CATALOGS ? CATALOGS : `${V1}${catalogs}`;
      for (const path of [
        `${base}/${catalogId}/${resources}/${UNKNOWN}`,
        `${base}/${catalogId}/${resources}/${other.id}`,
        `${base}/${UNKNOWN}/${resources}/${resource.id}`,
      ]) {
        const get = await request(app).get(path).set(AUTH);
        expectGraphError(get, 404, 'ResourceNotFound');
        const refreshed = await request(app).post(`${path}/refresh`).set(AUTH);
        expectGraphError(refreshed, 404, get.body.error.code, get.body.error.message);
      }
    }
  });

  it('is a POST: a GET is the 405 of an action, with its Allow', async () => {
    const { app, beta, v1 } = await setup();
    for (const path of [`${beta}/refresh`, `${v1}/microsoft.graph.refresh`]) {
      const res = await request(app).get(path).set(AUTH);
      expectGraphError(res, 405, 'MethodNotAllowed');
      expect(res.headers['allow']).toBe('POST');
    }
  });

  it('answers at the paths each version’s model has: v1.0 has no accessPackageCatalogs, beta no catalogs', async () => {
    const { app, catalogId, resource } = await setup();
    // The v1.0 page's HTTP request names beta's segments; v1.0's model addresses the resource at catalogs/{id}/resources/{id}.
    expectGraphError(
      await request(app).post(`${V1}/accessPackageCatalogs/${catalogId}/accessPackageResources/${resource.id}/refresh`).set(AUTH),
      400,
      'BadRequest',
      "Resource not found for the segment 'accessPackageCatalogs'.",
    );
    expectGraphError(
      await request(app)
        .post(`${CATALOGS.replace('accessPackageCatalogs', 'catalogs')}/${catalogId}/resources/${resource.id}/refresh`)
        .set(AUTH),
      400,
      'BadRequest',
      "Resource not found for the segment 'catalogs'.",
    );
  });

  it('is served at the catalog’s path alone: a resource request’s resource has no refresh (the routes serve none there)', async () => {
    const { app, catalogId } = await setup();
    const added = await request(app)
      .post(`${CATALOGS.replace('accessPackageCatalogs', 'accessPackageResourceRequests')}`)
      .set(AUTH)
      .send({ catalogId, requestType: 'AdminAdd', accessPackageResource: { originId: '9c3e5a7b-1d2f-4b6a-8c0e-2f4a6b8c0d1e', originSystem: 'AadGroup' } })
      .expect(201);
    for (const path of [
      `${CATALOGS.replace('accessPackageCatalogs', 'accessPackageResourceRequests')}/${added.body.id}/accessPackageResource/refresh`,
      `${V1}/resourceRequests/${added.body.id}/resource/refresh`,
    ]) {
      expect(
        (
          await request(app)
            .get(path.replace(/\/refresh$/, ''))
            .set(AUTH)
        ).status,
      ).toBe(200);
      expectGraphError(await request(app).post(path).set(AUTH), 400, 'BadRequest', "Resource not found for the segment 'refresh'.");
    }
  });

  it('needs EntitlementManagement.ReadWrite.All, delegated or application (AUTH=strict, minted tokens)', async () => {
    const { app, beta, v1 } = await setup('strict');
    const reader = bearer(await mintToken({ scp: READ }));
    expectGraphError(await request(app).post(`${beta}/refresh`).set(reader), 403, 'UnAuthorized');
    expectGraphError(await request(app).post(`${v1}/refresh`).set(reader), 403, 'UnAuthorized');
    expect(
      (
        await request(app)
          .post(`${beta}/refresh`)
          .set(bearer(await mintToken({ scp: READ_WRITE })))
      ).status,
    ).toBe(200);
    expect(
      (
        await request(app)
          .post(`${v1}/refresh`)
          .set(bearer(await mintToken({ roles: [READ_WRITE] })))
      ).status,
    ).toBe(200);
  });

  it('is a route as any other: a $batch item, a fault rule and the journal’s path filter', async () => {
    const { app, faults, beta, catalogId, resource } = await setup();
    const item = `/identityGovernance/entitlementManagement/accessPackageCatalogs/${catalogId}/accessPackageResources/${resource.id}/refresh`;
    const batch = await request(app)
      .post('/beta/$batch')
      .set(AUTH)
      // A write item carries a body and its Content-Type, as $batch asks of every POST: `{}`, no parameter.
      .send({ requests: [{ id: '1', method: 'POST', url: item, headers: { 'Content-Type': 'application/json' }, body: {} }] });
    expect(batch.status).toBe(200);
    expect(batch.body.responses[0]).toMatchObject({ id: '1', status: 200 });
    expect(batch.body.responses[0].body).toBeUndefined();
    faults.replace({ rules: [{ method: 'POST', path: '/beta/**/accessPackageResources/*/refresh', status: 503 }] });
    expectGraphError(await request(app).post(`${beta}/microsoft.graph.refresh`).set(AUTH), 503, 'ServiceUnavailable');
    const journal = await request(app).get(`/_emulator/requests?path=${encodeURIComponent('/beta/**/refresh')}`);
    expect(journal.body.value.map((entry: { path: string; status: number }) => [entry.path, entry.status])).toEqual([
      [`/beta${item}`, 200],
      [`${beta}/microsoft.graph.refresh`, 503],
    ]);
  });

  it.each(['beta', 'v1.0'] as const)('is declared in %s $metadata, bound to accessPackageResource with no parameter', async (version) => {
    const { app } = await setup();
    // Read as bytes: supertest parses no XML body.
    const res = await request(app).get(`/${version}/$metadata`).responseType('blob');
    expect(res.status).toBe(200);
    expect((res.body as Buffer).toString('utf8')).toContain(
      '<Action Name="refresh" IsBound="true">\n        <Parameter Name="bindingParameter" Type="graph.accessPackageResource" />\n      </Action>',
    );
  });
});
