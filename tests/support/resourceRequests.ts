// A tenant for resource requests: catalogs under the ids the create page's examples name, and the requests sent
// as a client sends them (tests/http/resourceRequests*.test.ts).
import { expect } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { AccessPackageCatalog } from '../../server/store/records.js';
import { createCatalog } from './catalogResources.js';
import { AUTH, CATALOGS, EM, GRAPH_DATE_TIME, GUID } from './graph.js';

export const REQUESTS = `${EM}/accessPackageResourceRequests`;
export const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageResourceRequests/$entity';
/** A v1.0 resource request's 201 answer: the v1.0 type's properties, the request type as sent. */
export const v1Answer = (requestType: string) => ({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/resourceRequests/$entity',
  id: expect.stringMatching(GUID),
  createdDateTime: expect.stringMatching(GRAPH_DATE_TIME),
  requestType,
  state: 'delivered',
});
/** The catalog ids the page's examples name. */
export const SITE_CATALOG = '26ac0c0a-08bc-4a7b-a313-839f58044ba5';
export const GROUP_CATALOG = 'beedadfe-01d5-4025-910b-84abb9369997';
export const GROUP = 'c6294667-7348-4f5a-be73-9d2c65f574f3';

/** An emulator whose tenant has a catalog under each id, made through the API and stored again under that id. */
export async function tenantWith(...ids: string[]): Promise<{ app: Express; store: MemoryStore }> {
  const store = new MemoryStore();
  const app = createApp({ store });
  const made = await createCatalog(app, 'Template');
  const template = (await store.get('accessPackageCatalogs', made)) as AccessPackageCatalog;
  for (const [i, id] of ids.entries()) await store.create('accessPackageCatalogs', { ...template, id, displayName: `Catalog ${i}` });
  return { app, store };
}

/** A resource request sent with a token. */
export const post = (app: Express, body: unknown) =>
  request(app)
    .post(REQUESTS)
    .set(AUTH)
    .send(body as object);

export const resourcesOf = (app: Express, catalogId: string, query = '') =>
  request(app).get(`${CATALOGS}/${catalogId}/accessPackageResources${query}`).set(AUTH);
