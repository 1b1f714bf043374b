import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { generalCatalogOf } from '../../server/resources/generalCatalog.js';
import { AUTH, CATALOGS, GRAPH_DATE_TIME, GUID, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

function setup(options: Partial<Parameters<typeof createApp>[0]> = {}) {
  const store = new MemoryStore();
  return { store, app: createApp({ store, ...options }) };
}

// The endpoint document's example request, with a real boolean.
const SEED_BODY = {
  '@odata.type': '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage',
  displayName: 'Sales and Marketing',
  description: 'Access to CRM and reporting for the sales team',
  isHidden: false,
};

describe('POST accessPackages', () => {
  it('answers 201 with every key of the example response, the live beta properties and Graph headers', async () => {
    const { app, store } = setup();
    const res = await request(app).post(PACKAGES).set(AUTH).send(SEED_BODY);
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body).toEqual({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages/$entity',
      '@odata.type': '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage',
      id: expect.stringMatching(GUID),
      displayName: 'Sales and Marketing',
      description: 'Access to CRM and reporting for the sales team',
      isHidden: false,
      // No catalog named: the built-in General catalog, as the Entra admin center does.
      catalogId: generalCatalogOf(store.list('accessPackageCatalogs'))!['id'],
      isRoleScopesVisible: false,
      createdBy: null,
      modifiedBy: null,
      createdDateTime: expect.stringMatching(GRAPH_DATE_TIME),
      modifiedDateTime: expect.stringMatching(GRAPH_DATE_TIME),
      uniqueName: null,
    });
    expect(res.headers['location']).toBe(`${new URL(res.request.url).origin}${PACKAGES}/${res.body.id}`);
    expect(store.get('accessPackages', res.body.id)).toMatchObject({ displayName: 'Sales and Marketing' });
  });

  it('defaults isHidden and isRoleScopesVisible to false and the strings to null', async () => {
    const res = await request(setup().app).post(PACKAGES).set(AUTH).send({});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ displayName: null, description: null, isHidden: false, isRoleScopesVisible: false, catalogId: expect.any(String) });
  });

  it('keeps valid client timestamps in Graph form, and the server sets them otherwise', async () => {
    const { app } = setup();
    const kept = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ createdDateTime: '2024-01-02T03:04:05.12+02:00', modifiedDateTime: '2024-03-01T00:00:00Z' });
    expect(kept.body.createdDateTime).toBe('2024-01-02T01:04:05.1200000Z');
    expect(kept.body.modifiedDateTime).toBe('2024-03-01T00:00:00.0000000Z');
    const before = Date.now();
    const set = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'x' });
    expect(Math.abs(Date.parse(set.body.createdDateTime) - before)).toBeLessThan(5000);
    expect(set.body.modifiedDateTime).toBe(set.body.createdDateTime);
    // A createdDateTime alone: in the future, modifiedDateTime follows it by a tick rather than come before it; in
    // the past, modifiedDateTime is now.
    const future = await request(app).post(PACKAGES).set(AUTH).send({ createdDateTime: '2099-05-01T00:00:00Z' });
    expect(future.body).toMatchObject({ createdDateTime: '2099-05-01T00:00:00.0000000Z', modifiedDateTime: '2099-05-01T00:00:00.0000001Z' });
    const past = await request(app).post(PACKAGES).set(AUTH).send({ createdDateTime: '2024-01-02T00:00:00Z' });
    expect(past.body.createdDateTime).toBe('2024-01-02T00:00:00.0000000Z');
    expect(Math.abs(Date.parse(past.body.modifiedDateTime) - Date.now())).toBeLessThan(5000);
  });

  it('rounds a timestamp with more than 7 fractional digits to the tick, as .NET reads it', async () => {
    const res = await request(setup().app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ createdDateTime: '2024-12-31T23:59:59.99999999Z', modifiedDateTime: '2025-01-01T00:00:00.12345675Z' });
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.body).toMatchObject({ createdDateTime: '2025-01-01T00:00:00.0000000Z', modifiedDateTime: '2025-01-01T00:00:00.1234568Z' });
  });

  it('always generates the id and ignores read-only createdBy', async () => {
    const res = await request(setup().app).post(PACKAGES).set(AUTH).send({ id: '00000000-0000-4000-8000-000000000000', createdBy: 'someone@contoso.com' });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe('00000000-0000-4000-8000-000000000000');
    expect(res.body.id).toMatch(GUID);
    expect(res.body.createdBy).toBeNull();
  });

  it('names the caller from a JWT bearer token in createdBy and modifiedBy', async () => {
    const payload = Buffer.from(JSON.stringify({ upn: 'megan.bowen@contoso.onmicrosoft.com', scp: 'EntitlementManagement.ReadWrite.All' })).toString(
      'base64url',
    );
    const res = await request(setup().app).post(PACKAGES).set('Authorization', `Bearer eyJhbGciOiJub25lIn0.${payload}.sig`).send({});
    expect(res.body.createdBy).toBe('megan.bowen@contoso.onmicrosoft.com');
    expect(res.body.modifiedBy).toBe('megan.bowen@contoso.onmicrosoft.com');
  });

  it('accepts @odata annotations, a catalog bind and a nested catalog as Terraform sends it', async () => {
    const { app } = setup();
    const catalogId = (await request(app).post(CATALOGS).set(AUTH).send({ displayName: 'Terraform' })).body.id as string;
    const bound = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({
        '@odata.type': '#microsoft.graph.accessPackage',
        'accessPackageCatalog@odata.bind': `https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackageCatalogs/${catalogId}`,
      });
    expect(bound.status).toBe(201);
    expect(bound.body.catalogId).toBe(catalogId);
    const nested = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ accessPackageCatalog: { id: catalogId }, displayName: 'tf' });
    expect(nested.body.catalogId).toBe(catalogId);
  });

  it('echoes the caller client-request-id', async () => {
    const res = await request(setup().app).post(PACKAGES).set(AUTH).set('client-request-id', 'abc-123').send({});
    expect(res.headers['client-request-id']).toBe('abc-123');
    expect(res.headers['request-id']).not.toBe('abc-123');
  });
});

describe('POST accessPackages: read-only properties', () => {
  it('ignores the ones a client cannot set, once read as their types, as Graph does: an id that is no GUID is no 400', async () => {
    const { app, store } = setup();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Mine', id: 'not-a-guid', createdBy: 'me', modifiedBy: 'someone@else' });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(GUID);
    expect(res.body).toMatchObject({ displayName: 'Mine', createdBy: null, modifiedBy: null });
    expect(store.count('accessPackages')).toBe(1);
    // Graph's OData reader reads each as its declared type before the service ignores it.
    expectGraphError(
      await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Typed', createdBy: 42 }),
      400,
      'BadRequest',
      "Invalid value for property 'createdBy': cannot convert the literal '42' to the expected type 'Edm.String'.",
    );
    expect(store.count('accessPackages')).toBe(1);
  });
});

describe('POST accessPackages: bad input', () => {
  const cases: { name: string; body: unknown; message: string }[] = [
    {
      name: 'an unknown property',
      body: { displayName: 'x', colour: 'blue' },
      message:
        "The property 'colour' does not exist on type 'microsoft.graph.accessPackage'. Make sure to only use property names that are defined by the type.",
    },
    {
      name: 'the example\'s "Boolean" string for isHidden',
      body: { isHidden: 'Boolean' },
      message: "Invalid value for property 'isHidden': cannot convert the literal 'Boolean' to the expected type 'Edm.Boolean'.",
    },
    {
      name: 'a number for displayName',
      body: { displayName: 42 },
      message: "Invalid value for property 'displayName': cannot convert the literal '42' to the expected type 'Edm.String'.",
    },
    {
      name: 'an invalid date',
      body: { createdDateTime: 'yesterday' },
      message: "Invalid value for property 'createdDateTime': cannot convert the literal 'yesterday' to the expected type 'Edm.DateTimeOffset'.",
    },
    ...[
      ['a leap second', '2016-12-31T23:59:60Z'],
      ['a space for the T', '2020-01-01 00:00:00Z'],
      ['year 0', '0000-01-01T00:00:00Z'],
      ['an offset past 14 hours', '2020-01-01T00:00:00-23:59'],
      ['an offset without its colon', '2020-01-01T00:00:00+0500'],
      ['30 February', '2024-02-30T00:00:00Z'],
      ['a fraction without seconds', '2026-01-01T10:00.5Z'],
      ['a UTC time before year 1', '0001-01-01T00:00:00+14:00'],
      ['a UTC time after year 9999', '9999-12-31T23:00:00-14:00'],
      ['a small t between date and time', '2026-01-01t10:00:00Z'],
    ].map(([what, value]) => ({
      name: `a date with ${what} in modifiedDateTime`,
      body: { displayName: 'x', modifiedDateTime: value },
      message: `Invalid value for property 'modifiedDateTime': cannot convert the literal '${value}' to the expected type 'Edm.DateTimeOffset'.`,
    })),
    { name: 'a JSON array', body: [{ displayName: 'x' }], message: "The request body must be a JSON object representing a 'microsoft.graph.accessPackage'." },
  ];
  it.each(cases)('400 BadRequest for $name, and nothing is stored', async ({ body, message }) => {
    const { app, store } = setup();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send(body as object);
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackages')).toBe(0);
  });

  it.each([
    ['1e400', 'Infinity'],
    ['-1e400', '-Infinity'],
    ['1.0', '1'],
  ])('400 quoting a number sent for displayName as JSON reads it: %s as %s', async (sent, shown) => {
    const { app, store } = setup();
    const res = await request(app).post(PACKAGES).set(AUTH).set('Content-Type', 'application/json').send(`{"displayName":${sent}}`);
    expectGraphError(
      res,
      400,
      'BadRequest',
      `Invalid value for property 'displayName': cannot convert the literal '${shown}' to the expected type 'Edm.String'.`,
    );
    expect(store.count('accessPackages')).toBe(0);
  });

  it('400 for malformed JSON', async () => {
    const res = await request(setup().app).post(PACKAGES).set(AUTH).set('Content-Type', 'application/json').send('{"displayName": ');
    expectGraphError(
      res,
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  });

  it('400 for an empty body', async () => {
    const res = await request(setup().app).post(PACKAGES).set(AUTH);
    expectGraphError(res, 400, 'BadRequest', 'Empty Payload. JSON content expected.');
  });

  it('415 for a body that is not JSON', async () => {
    const res = await request(setup().app).post(PACKAGES).set(AUTH).set('Content-Type', 'text/plain').send('displayName=x');
    expectGraphError(res, 415, 'UnsupportedMediaType', "The content type 'text/plain' is not supported. Use 'application/json'.");
  });

  it('413 for a body over the configured limit', async () => {
    const res = await request(setup({ bodyLimit: 100 }).app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ description: 'x'.repeat(200) });
    expectGraphError(res, 413, 'RequestEntityTooLarge', 'The request body exceeds the maximum allowed size of 100 bytes.');
  });
});

describe('auth', () => {
  it.each([
    ['no Authorization header', undefined, 'Access token is empty.'],
    ['an empty bearer token', 'Bearer ', 'Access token is empty.'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'CompactToken parsing failed with error code: 80049217'],
  ])('401 InvalidAuthenticationToken for %s', async (_name, header, message) => {
    const { app, store } = setup();
    const req = request(app).post(PACKAGES).send({});
    if (header) req.set('Authorization', header);
    const res = await req;
    expectGraphError(res, 401, 'InvalidAuthenticationToken', message);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=""/);
    expect(store.count('accessPackages')).toBe(0);
  });

  it('AUTH=none accepts requests without a token', async () => {
    const res = await request(setup({ auth: 'none' }).app)
      .post(PACKAGES)
      .send({ displayName: 'open' });
    expect(res.status).toBe(201);
    expect(res.body.displayName).toBe('open');
  });

  it('admin endpoints need no token', async () => {
    const res = await request(setup().app).get('/_emulator/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: ':memory:', records: { accessPackages: 0 } });
    expectGraphHeaders(res);
  });
});

describe('unknown routes and methods', () => {
  it('400 for an unknown segment under beta', async () => {
    const res = await request(setup().app).get('/beta/identityGovernance/entitlementManagement/accessPackagez').set(AUTH);
    expectGraphError(res, 400, 'BadRequest', "Resource not found for the segment 'accessPackagez'.");
  });

  it('404 outside Graph', async () => {
    const res = await request(setup().app).get('/nothing/here').set(AUTH);
    expectGraphError(res, 404, 'ResourceNotFound', "The resource '/nothing/here' was not found.");
  });

  it('405 with Allow for a known resource and the wrong method', async () => {
    const res = await request(setup().app).put(PACKAGES).set(AUTH).send({});
    expectGraphError(res, 405, 'MethodNotAllowed', "The HTTP method 'PUT' is not allowed for the requested resource.");
    expect(res.headers['allow']).toBe('GET, HEAD, POST');
  });
});

// Graph's Access-Control-Expose-Headers, in its order (Microsoft's Dev Proxy, BuildGraphResponseHeaders).
const GRAPH_EXPOSED =
  'ETag,Location,Preference-Applied,Content-Range,request-id,client-request-id,ReadWriteConsistencyToken,SdkVersion,WWW-Authenticate,x-ms-client-gcc-tenant,Retry-After';

describe('CORS', () => {
  it('answers a preflight and exposes Graph headers to scripts', async () => {
    const { app } = setup({ corsOrigins: ['http://localhost:3000'] });
    const preflight = await request(app)
      .options(PACKAGES)
      .set('Origin', 'http://localhost:3000')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,client-request-id');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization,content-type,client-request-id');

    const res = await request(app).post(PACKAGES).set(AUTH).set('Origin', 'http://localhost:3000').send({});
    expect(res.status).toBe(201);
    expect(res.headers['access-control-expose-headers']).toBe(GRAPH_EXPOSED);
  });

  it("exposes Graph's list and no more: the 401's challenge is readable, the throttle and diagnostic headers are not", async () => {
    const { app } = setup({ corsOrigins: ['http://localhost:3000'] });
    const res = await request(app).get(PACKAGES).set('Origin', 'http://localhost:3000');
    expectGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=""/);
    expect(res.headers['access-control-expose-headers']).toBe(GRAPH_EXPOSED);
  });

  it('does not allow an origin outside the list', async () => {
    const res = await request(setup({ corsOrigins: ['http://localhost:3000'] }).app)
      .post(PACKAGES)
      .set(AUTH)
      .set('Origin', 'http://evil.example')
      .send({});
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
