// The tenant the documented examples run against (tests/data/docExamples.json): the catalogs, packages, policies,
// catalog resources and role scopes the pages name, with the pages' own ids. Writes Graph serves go through the
// API (so records have every default a create gives them), then take the page's id; catalog resources, which
// arrive through resource requests the emulator does not serve, go to the store directly.
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { CollectionName, Dataset, EntityOf } from '../../server/store/records.js';
import type { Store } from '../../server/store/store.js';
import { AUTH, CATALOGS, PACKAGES, POLICIES, V1 } from './graph.js';

type Row = Record<string, unknown>;

interface Described {
  id: string;
  displayName: string;
  description: string | null;
}
interface DocResource extends Described {
  catalogId: string;
  originSystem: string;
  originId: string;
  resourceType: string;
  url: string | null;
  roles: (Described & { originId: string })[];
  scopes: (Described & { originId: string; isRootScope: boolean })[];
}
export interface DocTenant {
  catalogs: Described[];
  packages: (Described & { catalogId: string })[];
  resources: DocResource[];
  policies: { id: string; version: 'beta' | 'v1.0'; body: Row }[];
  roleScopes: { accessPackageId: string; roleId: string; scopeId: string }[];
}

/** Gives the record created at `id` the page's id instead. */
async function renumber<C extends CollectionName>(store: Store, collection: C, id: string, wanted: string): Promise<void> {
  const record = store.get(collection, id);
  if (!record) throw new Error(`${collection} ${id} was not created`);
  await store.remove(collection, id);
  await store.create(collection, { ...record, id: wanted } as EntityOf<C>);
}

async function created(res: request.Response, what: string): Promise<string> {
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

function addResource(store: Store, r: DocResource): Promise<unknown> {
  const system = { catalogId: r.catalogId, originSystem: r.originSystem };
  return Promise.all([
    store.create('accessPackageResources', {
      ...system,
      id: r.id,
      addedBy: 'admin@contoso.onmicrosoft.com',
      addedOn: '2019-09-13T01:06:14.7970000Z',
      attributes: [],
      description: r.description,
      displayName: r.displayName,
      isPendingOnboarding: false,
      originId: r.originId,
      resourceType: r.resourceType,
      url: r.url,
    }),
    ...r.roles.map((role) =>
      store.create('accessPackageResourceRoles', { ...system, ...role, accessPackageResourceId: r.id, description: role.description ?? null, type: null }),
    ),
    ...r.scopes.map((scope) =>
      store.create('accessPackageResourceScopes', { ...system, ...scope, accessPackageResourceId: r.id, roleOriginId: null, url: null }),
    ),
  ]);
}

/** The tenant's state, built once; each example starts from a copy. */
export async function buildDocTenant(tenant: DocTenant): Promise<Dataset> {
  const store = new MemoryStore();
  const app = createApp({ store });
  for (const c of tenant.catalogs) {
    const id = await created(await request(app).post(CATALOGS).set(AUTH).send({ displayName: c.displayName, description: c.description }), c.id);
    await renumber(store, 'accessPackageCatalogs', id, c.id);
  }
  for (const p of tenant.packages) {
    const body = { displayName: p.displayName, description: p.description, catalogId: p.catalogId };
    await renumber(store, 'accessPackages', await created(await request(app).post(PACKAGES).set(AUTH).send(body), p.id), p.id);
  }
  for (const r of tenant.resources) await addResource(store, r);
  for (const p of tenant.policies) {
    const url = p.version === 'beta' ? POLICIES : `${V1}/assignmentPolicies`;
    await renumber(store, 'accessPackageAssignmentPolicies', await created(await request(app).post(url).set(AUTH).send(p.body), p.id), p.id);
  }
  for (const s of tenant.roleScopes) {
    const body = { accessPackageResourceRole: { id: s.roleId }, accessPackageResourceScope: { id: s.scopeId } };
    await created(await request(app).post(`${PACKAGES}/${s.accessPackageId}/accessPackageResourceRoleScopes`).set(AUTH).send(body), s.roleId);
  }
  return store.snapshot();
}
