// Shared by the v1.0 tests: an app with one catalog created through v1.0, and packages created as v1.0 creates them.
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, V1 } from './graph.js';

export const V1_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement';

/** A package created through v1.0, in the catalog named as v1.0 names it. */
export async function createV1Package(app: Express, catalogId: string, displayName: string): Promise<string> {
  return (
    await request(app)
      .post(`${V1}/accessPackages`)
      .set(AUTH)
      .send({ displayName, catalog: { id: catalogId } })
  ).body.id as string;
}

export async function setupV1() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalog = await request(app)
    .post(`${V1}/catalogs`)
    .set(AUTH)
    .send({ displayName: 'sales', description: 'for sales', state: 'published', isExternallyVisible: true });
  return { store, app, catalogId: catalog.body.id as string, catalog };
}
