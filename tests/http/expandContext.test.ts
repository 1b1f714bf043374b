// The @odata.context Graph writes just before each expanded navigation that contains its target, naming the path to
// it through its parent: the list resource roles page's example
// (https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accesspackageresourceroles?view=graph-rest-beta),
// nested levels, a nested $select, v1.0's names, a $batch item; and none on a navigation that does not contain it.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { addGroup, createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, EM, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';

const BETA_CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement';
const V1_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement';

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalogId = await createCatalog(app, 'Sales');
  const sales = await addGroup(store, catalogId, 'Sales team', 'b31fe1f1-3651-488f-bd9a-1711887fd4ca');
  const accessPackageId = await createPackage(app, 'Sales reps', catalogId);
  const created = await request(app)
    .post(`${PACKAGES}/${accessPackageId}/accessPackageResourceRoleScopes`)
    .set(AUTH)
    .send({
      accessPackageResourceRole: { originId: sales.member.originId, originSystem: 'AadGroup', accessPackageResource: { id: sales.resource.id } },
      accessPackageResourceScope: { originId: sales.resource.originId, originSystem: 'AadGroup' },
    });
  expect(created.status).toBe(201);
  return { app, catalogId, sales, accessPackageId, roleScopeId: created.body.id as string };
}

/** Every `@odata.context` in a body, by where it is (`value.0.accessPackageResource`), the top one's path ''. */
function contextsOf(body: unknown, at = ''): Record<string, string> {
  const found: Record<string, string> = {};
  if (body === null || typeof body !== 'object') return found;
  for (const [name, value] of Object.entries(body)) {
    const path = at === '' ? name : `${at}.${name}`;
    if (name.endsWith('@odata.context')) found[path.slice(0, -'@odata.context'.length)] = value as string;
    else Object.assign(found, contextsOf(value, path));
  }
  return found;
}

describe('@odata.context of a contained expansion', () => {
  it('is written before the value, as the list resource roles example shows it, with Graph’s headers', async () => {
    const { app, catalogId, sales } = await setup();
    const filter = `(originSystem+eq+%27AadGroup%27+and+accessPackageResource/id+eq+%27${sales.resource.id}%27)`;
    const res = await request(app).get(`${CATALOGS}/${catalogId}/accessPackageResourceRoles?$filter=${filter}&$expand=accessPackageResource`).set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body['@odata.context']).toBe(`${BETA_CONTEXT}/accessPackageCatalogs('${catalogId}')/accessPackageResourceRoles(accessPackageResource())`);
    const member = res.body.value.find((role: { id: string }) => role.id === sales.member.id);
    expect(member).toEqual({
      id: sales.member.id,
      description: null,
      displayName: 'Member',
      originId: sales.member.originId,
      originSystem: 'AadGroup',
      type: null,
      'accessPackageResource@odata.context': `${BETA_CONTEXT}/accessPackageCatalogs('${catalogId}')/accessPackageResourceRoles('${sales.member.id}')/accessPackageResource/$entity`,
      accessPackageResource: expect.objectContaining({ id: sales.resource.id, displayName: 'Sales team' }),
    });
    // The member order of the example: the annotation just before the navigation's value, both after the properties.
    expect(Object.keys(member).slice(-2)).toEqual(['accessPackageResource@odata.context', 'accessPackageResource']);
  });

  it('composes the path through each level, a collection’s key after it, with each level’s $select and $expand', async () => {
    const { app, accessPackageId, roleScopeId } = await setup();
    const expand =
      'accessPackageResourceRoleScopes($select=id;$expand=accessPackageResourceRole($select=displayName;$expand=accessPackageResource($select=displayName)))';
    const res = await request(app).get(`${PACKAGES}/${accessPackageId}?$select=id&$expand=${expand}`).set(AUTH);
    expect(res.status).toBe(200);
    const roleScopes = `${BETA_CONTEXT}/accessPackages('${accessPackageId}')/accessPackageResourceRoleScopes`;
    expect(contextsOf(res.body)).toEqual({
      '': `${BETA_CONTEXT}/accessPackages(id,accessPackageResourceRoleScopes(id,accessPackageResourceRole(displayName,accessPackageResource(displayName))))/$entity`,
      accessPackageResourceRoleScopes: `${roleScopes}(id,accessPackageResourceRole(displayName,accessPackageResource(displayName)))`,
      'accessPackageResourceRoleScopes.0.accessPackageResourceRole': `${roleScopes}('${roleScopeId}')/accessPackageResourceRole(displayName,accessPackageResource(displayName))/$entity`,
      'accessPackageResourceRoleScopes.0.accessPackageResourceRole.accessPackageResource': `${roleScopes}('${roleScopeId}')/accessPackageResourceRole/accessPackageResource(displayName)/$entity`,
    });
  });

  it('is not written for a navigation that does not contain its target, nor for anything expanded below one', async () => {
    const { app, accessPackageId } = await setup();
    const res = await request(app)
      .get(`${PACKAGES}/${accessPackageId}?$expand=accessPackageCatalog($expand=accessPackageResources),incompatibleAccessPackages`)
      .set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.accessPackageCatalog.accessPackageResources).toHaveLength(1);
    expect(contextsOf(res.body)).toEqual({
      '': `${BETA_CONTEXT}/accessPackages(accessPackageCatalog(accessPackageResources()),incompatibleAccessPackages())/$entity`,
    });
    // A policy's package is not contained either (its catalog is, in beta).
    const policyCreated = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'direct' });
    expect(policyCreated.status).toBe(201);
    const policies = await request(app).get(`${EM}/accessPackageAssignmentPolicies?$expand=accessPackage,accessPackageCatalog`).set(AUTH);
    expect(policies.status).toBe(200);
    const [policy] = policies.body.value;
    expect(policy.accessPackage.id).toBe(accessPackageId);
    expect(contextsOf(policies.body)).toEqual({
      '': `${BETA_CONTEXT}/accessPackageAssignmentPolicies(accessPackage(),accessPackageCatalog())`,
      'value.0.accessPackageCatalog': `${BETA_CONTEXT}/accessPackageAssignmentPolicies('${policy.id}')/accessPackageCatalog/$entity`,
    });
  });

  it('names v1.0’s paths and navigations in v1.0', async () => {
    const { app, catalogId, accessPackageId, sales, roleScopeId } = await setup();
    const roles = await request(app).get(`${V1}/catalogs/${catalogId}/resourceRoles?$expand=resource`).set(AUTH);
    expect(roles.status).toBe(200);
    expect(roles.body.value.map((role: Record<string, unknown>) => role['resource@odata.context']).sort()).toEqual(
      [sales.member.id, sales.owner.id].map((id) => `${V1_CONTEXT}/catalogs('${catalogId}')/resourceRoles('${id}')/resource/$entity`).sort(),
    );
    const pkg = await request(app).get(`${V1}/accessPackages/${accessPackageId}?$select=id&$expand=resourceRoleScopes($expand=role,scope)`).set(AUTH);
    const at = `${V1_CONTEXT}/accessPackages('${accessPackageId}')/resourceRoleScopes`;
    expect(contextsOf(pkg.body)).toEqual({
      '': `${V1_CONTEXT}/accessPackages(id,resourceRoleScopes(role(),scope()))/$entity`,
      resourceRoleScopes: `${at}(role(),scope())`,
      'resourceRoleScopes.0.role': `${at}('${roleScopeId}')/role/$entity`,
      'resourceRoleScopes.0.scope': `${at}('${roleScopeId}')/scope/$entity`,
    });
  });

  it('is written in a $batch item’s body too', async () => {
    const { app, accessPackageId, roleScopeId } = await setup();
    const url = `/identityGovernance/entitlementManagement/accessPackages/${accessPackageId}/accessPackageResourceRoleScopes?$expand=accessPackageResourceScope`;
    const res = await request(app)
      .post('/beta/$batch')
      .set(AUTH)
      .send({ requests: [{ id: '1', method: 'GET', url }] });
    expect(res.status).toBe(200);
    const [item] = res.body.responses;
    expect(item.status).toBe(200);
    expect(item.body.value[0]['accessPackageResourceScope@odata.context']).toBe(
      `${BETA_CONTEXT}/accessPackages('${accessPackageId}')/accessPackageResourceRoleScopes('${roleScopeId}')/accessPackageResourceScope/$entity`,
    );
  });
});
