// A path that reads one entity (a get by key, a navigation to one, one item under a collection-valued navigation)
// takes $select and $expand only: the options that shape a collection are a 400 in ASP.NET OData's words, as Graph's
// service stack answers them (docs/querying.md), instead of being ignored beside a 200 with the entity.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const NOT_A_COLLECTION =
  'The query specified in the URI is not valid. The requested resource is not a collection. Query options $filter, $orderby, $count, $skip, and $top can be applied only on collections.';
const SKIPTOKEN_ON_ENTITY =
  'The query specified in the URI is not valid. The requested resource is not a collection. Query option $skiptoken can be applied only on collections.';

let app: Express;
let packageId: string;
let catalogId: string;

beforeAll(async () => {
  app = createApp({ store: new MemoryStore() });
  expect((await request(app).post('/_emulator/reset').send({ fixtures: 'small', seed: 42 })).status).toBe(200);
  const first = await request(app).get(`${PACKAGES}?$top=1&$select=id,catalogId`).set(AUTH);
  packageId = first.body.value[0].id;
  catalogId = first.body.value[0].catalogId;
});

const paths: [string, () => string][] = [
  ['a package by id', () => `${PACKAGES}/${packageId}`],
  ['a package by key syntax', () => `${PACKAGES}('${packageId}')`],
  ['the package’s catalog (a navigation to one)', () => `${PACKAGES}/${packageId}/accessPackageCatalog`],
  ['one package of a catalog', () => `${CATALOGS}/${catalogId}/accessPackages/${packageId}`],
];

const collectionOptions = [
  '$filter=(((',
  "$filter=displayName eq 'nope'",
  'filter=id eq null',
  '$orderby=displayName',
  '$top=1',
  '$skip=0',
  '$count=true',
  '$count=false',
];

describe.each(paths)('the options of a collection on %s', (_case, path) => {
  it.each(collectionOptions)('?%s is a 400, not ignored', async (option) => {
    expectGraphError(await request(app).get(`${path()}?${option}`).set(AUTH), 400, 'BadRequest', NOT_A_COLLECTION);
  });

  it('?$skiptoken is a 400 saying the same of it', async () => {
    expectGraphError(await request(app).get(`${path()}?$skiptoken=garbage`).set(AUTH), 400, 'BadRequest', SKIPTOKEN_ON_ENTITY);
  });

  it('$select still applies, with the $entity context', async () => {
    const res = await request(app).get(`${path()}?$select=displayName`).set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body['@odata.context']).toMatch(/\(displayName\)\/\$entity$/);
    expect(Object.keys(res.body).filter((key) => !key.startsWith('@'))).toEqual(['id', 'displayName']);
  });
});

describe('$expand on one entity', () => {
  it('still applies, nested $filter and $top included', async () => {
    const res = await request(app)
      .get(
        `${PACKAGES}/${packageId}?$select=id&$expand=accessPackageCatalog($select=id;$expand=accessPackages($top=1;$select=id;$filter=id eq '${packageId}'))`,
      )
      .set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.body.accessPackageCatalog).toEqual({ id: catalogId, accessPackages: [{ id: packageId }] });
  });

  it('a collection option beside it is still the 400', async () => {
    const res = await request(app).get(`${PACKAGES}/${packageId}?$expand=accessPackageCatalog&$top=5`).set(AUTH);
    expectGraphError(res, 400, 'BadRequest', NOT_A_COLLECTION);
  });
});
