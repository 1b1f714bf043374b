// A tenant to test entitlement management against, built through the API where Graph serves the writes (catalogs,
// packages, policies) and directly in the store where a test needs the records' ids or names before any request (a
// catalog's resources, which resource requests add: tests/http/resourceRequests.test.ts).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { AccessPackageResource, AccessPackageResourceRole, AccessPackageResourceScope } from '../../server/store/records.js';
import type { Store } from '../../server/store/store.js';
import { AUTH, CATALOGS, PACKAGES } from './graph.js';

interface GroupResource {
  resource: AccessPackageResource;
  member: AccessPackageResourceRole;
  owner: AccessPackageResourceRole;
  scope: AccessPackageResourceScope;
}

/** A group added to a catalog: the resource, its Member and Owner roles and its root scope. */
export async function addGroup(store: Store, catalogId: string, displayName: string, groupId: string = randomUUID()): Promise<GroupResource> {
  const resource: AccessPackageResource = {
    id: randomUUID(),
    catalogId,
    addedBy: 'admin@contoso.onmicrosoft.com',
    addedOn: '2024-01-01T00:00:00.0000000Z',
    attributes: [],
    description: `${displayName} members`,
    displayName,
    isPendingOnboarding: false,
    originId: groupId,
    originSystem: 'AadGroup',
    resourceType: 'Security Group',
    url: null,
  };
  const role = (name: string): AccessPackageResourceRole => ({
    id: randomUUID(),
    accessPackageResourceId: resource.id,
    catalogId,
    description: null,
    displayName: name,
    originId: `${name}_${groupId}`,
    originSystem: 'AadGroup',
    type: null,
  });
  const scope: AccessPackageResourceScope = {
    id: randomUUID(),
    accessPackageResourceId: resource.id,
    catalogId,
    description: 'Root Scope',
    displayName: 'Root',
    isRootScope: true,
    originId: groupId,
    originSystem: 'AadGroup',
    roleOriginId: null,
    url: null,
  };
  const [member, owner] = [role('Member'), role('Owner')];
  await store.create('accessPackageResources', resource);
  await store.create('accessPackageResourceRoles', member);
  await store.create('accessPackageResourceRoles', owner);
  await store.create('accessPackageResourceScopes', scope);
  return { resource, member, owner, scope };
}

export async function createCatalog(app: Express, displayName: string): Promise<string> {
  return (await request(app).post(CATALOGS).set(AUTH).send({ displayName })).body.id as string;
}

export async function createPackage(app: Express, displayName: string, catalogId?: string): Promise<string> {
  return (
    await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName, ...(catalogId ? { catalogId } : {}) })
  ).body.id as string;
}

/** An emulator in memory whose tenant has a Sales catalog holding one package, Sales reps. */
export async function salesPackage(): Promise<{ store: MemoryStore; app: Express; catalogId: string; accessPackageId: string }> {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalogId = await createCatalog(app, 'Sales');
  const accessPackageId = await createPackage(app, 'Sales reps', catalogId);
  return { store, app, catalogId, accessPackageId };
}
