// /v1.0/identityGovernance/entitlementManagement: v1.0's names, property sets and contexts over the same state as
// beta — a package, catalog or policy written through one version is read through the other, as on the live service.
import { describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { addGroup } from '../support/catalogResources.js';
import { AUTH, CATALOGS, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const V1_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement';

/** A package created through v1.0, in the catalog named as v1.0 names it. */
async function createV1Package(app: Express, catalogId: string, displayName: string): Promise<string> {
  return (
    await request(app)
      .post(`${V1}/accessPackages`)
      .set(AUTH)
      .send({ displayName, catalog: { id: catalogId } })
  ).body.id as string;
}

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalog = await request(app)
    .post(`${V1}/catalogs`)
    .set(AUTH)
    .send({ displayName: 'sales', description: 'for sales', state: 'published', isExternallyVisible: true });
  return { store, app, catalogId: catalog.body.id as string, catalog };
}

describe('v1.0 catalogs', () => {
  it('creates with v1.0’s names and values, seen through beta in beta’s', async () => {
    const { app, catalogId, catalog } = await setup();
    expect(catalog.status).toBe(201);
    expect(catalog.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/catalogs/$entity`,
      id: catalogId,
      displayName: 'sales',
      description: 'for sales',
      catalogType: 'userManaged',
      state: 'published',
      isExternallyVisible: true,
      createdDateTime: expect.any(String),
      modifiedDateTime: expect.any(String),
    });
    expect((await request(app).get(`${CATALOGS}/${catalogId}`).set(AUTH)).body).toMatchObject({ catalogStatus: 'Published', catalogType: 'UserManaged' });
    await request(app).patch(`${CATALOGS}/${catalogId}`).set(AUTH).send({ catalogStatus: 'Unpublished' });
    const list = await request(app).get(`${V1}/catalogs?$filter=state eq 'unpublished'&$select=displayName,state`).set(AUTH);
    expect(list.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/catalogs(displayName,state)`,
      value: [{ id: catalogId, displayName: 'sales', state: 'unpublished' }],
    });
  });
});

describe('v1.0 access packages', () => {
  it('creates in the catalog named by "catalog": {"id": …}; the package is seen through beta and back', async () => {
    const { app, catalogId } = await setup();
    const res = await request(app)
      .post(`${V1}/accessPackages`)
      .set(AUTH)
      .send({ displayName: 'sales reps', description: 'outside sales', isHidden: false, catalog: { id: catalogId } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      '@odata.context': `${V1_CONTEXT}/accessPackages/$entity`,
      id: expect.any(String),
      displayName: 'sales reps',
      description: 'outside sales',
      isHidden: false,
      createdDateTime: expect.any(String),
      modifiedDateTime: expect.any(String),
    });
    const beta = await request(app).get(`${PACKAGES}/${res.body.id}`).set(AUTH);
    expect(beta.body).toMatchObject({ catalogId, displayName: 'sales reps', isRoleScopesVisible: false });
    await request(app).patch(`${PACKAGES}/${res.body.id}`).set(AUTH).send({ description: 'changed through beta' });
    const v1 = await request(app).get(`${V1}/accessPackages/${res.body.id}?$expand=catalog($select=displayName)`).set(AUTH);
    expect(v1.body).toMatchObject({ description: 'changed through beta', catalog: { id: catalogId, displayName: 'sales' } });
    expect(v1.body).not.toHaveProperty('catalogId');
  });

  it.each([
    ['no catalog', { displayName: 'x' }],
    ['no displayName', { catalog: { id: 'CATALOG' } }],
    ['an unknown catalog', { displayName: 'x', catalog: { id: '99999999-0000-4000-8000-000000000000' } }],
  ])('refuses a create with %s: 400 InvalidModel', async (_name, body) => {
    const { app, catalogId } = await setup();
    const sent = JSON.parse(JSON.stringify(body).replace('CATALOG', catalogId));
    expectGraphError(await request(app).post(`${V1}/accessPackages`).set(AUTH).send(sent), 400, 'InvalidModel', 'Model is not valid.');
  });

  it('names relationships as v1.0 does: $expand=assignmentPolicies works, beta’s accessPackageAssignmentPolicies does not', async () => {
    const { app, catalogId } = await setup();
    const id = await createV1Package(app, catalogId, 'p');
    await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: id, displayName: 'from beta' });
    const res = await request(app).get(`${V1}/accessPackages?$expand=assignmentPolicies($select=displayName)`).set(AUTH);
    expect(res.body.value[0].assignmentPolicies).toEqual([{ id: expect.any(String), displayName: 'from beta' }]);
    expectGraphError(
      await request(app).get(`${V1}/accessPackages?$expand=accessPackageAssignmentPolicies`).set(AUTH),
      400,
      'BadRequest',
      "Could not find a property named 'accessPackageAssignmentPolicies' on type 'microsoft.graph.accessPackage'.",
    );
    expectGraphError(
      await request(app).post(`${V1}/accessPackages/${id}/moveToCatalog`).set(AUTH).send({}),
      400,
      'BadRequest',
      "Resource not found for the segment 'moveToCatalog'.",
    );
  });
});

describe('v1.0 assignment policies', () => {
  // The v1.0 create page's example 1, with the package it names.
  const direct = (accessPackageId: string) => ({
    displayName: 'New Policy',
    description: 'policy for assignment',
    allowedTargetScope: 'notSpecified',
    specificAllowedTargets: [],
    expiration: { endDateTime: null, duration: null, type: 'noExpiration' },
    requestorSettings: {
      enableTargetsToSelfAddAccess: false,
      enableTargetsToSelfUpdateAccess: false,
      enableTargetsToSelfRemoveAccess: false,
      allowCustomAssignmentSchedule: true,
      enableOnBehalfRequestorsToAddAccess: false,
      enableOnBehalfRequestorsToUpdateAccess: false,
      enableOnBehalfRequestorsToRemoveAccess: false,
      onBehalfRequestors: [],
    },
    requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, stages: [] },
    accessPackage: { id: accessPackageId },
  });

  it('keeps a v1.0 policy’s settings as sent, and shows beta what they mean', async () => {
    const { app, catalogId } = await setup();
    const pkg = await createV1Package(app, catalogId, 'p');
    const body = direct(pkg);
    const res = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(body);
    expect(res.status).toBe(201);
    const { accessPackage: _named, ...settings } = body;
    expect(res.body).toMatchObject({ '@odata.context': `${V1_CONTEXT}/assignmentPolicies/$entity`, id: expect.any(String), ...settings });
    const beta = (await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH)).body;
    expect(beta).toMatchObject({
      accessPackageId: pkg,
      displayName: 'New Policy',
      durationInDays: 0,
      requestorSettings: { scopeType: 'NoSubjects', acceptRequests: false, allowedRequestors: [] },
      requestApprovalSettings: { isApprovalRequired: false, approvalMode: 'NoApproval', approvalStages: [] },
    });
    expect(beta).not.toHaveProperty('v1Settings');
    expect((await request(app).get(`${V1}/assignmentPolicies/${res.body.id}/accessPackage`).set(AUTH)).body.id).toBe(pkg);
  });

  it('shows a beta policy in v1.0’s shape', async () => {
    const { app, catalogId } = await setup();
    const pkg = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'p', catalogId })).body.id as string;
    const id = (
      await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({
          accessPackageId: pkg,
          displayName: 'beta',
          durationInDays: 365,
          requestorSettings: {
            scopeType: 'SpecificDirectorySubjects',
            acceptRequests: true,
            allowedRequestors: [{ '@odata.type': '#microsoft.graph.singleUser', id: 'u1', isBackup: false }],
          },
          requestApprovalSettings: {
            isApprovalRequired: true,
            approvalMode: 'SingleStage',
            approvalStages: [
              {
                approvalStageTimeOutInDays: 14,
                escalationTimeInMinutes: 120,
                primaryApprovers: [{ '@odata.type': '#microsoft.graph.groupMembers', id: 'g1', isBackup: true }],
              },
            ],
          },
        })
    ).body.id as string;
    const v1 = (await request(app).get(`${V1}/assignmentPolicies/${id}`).set(AUTH)).body;
    expect(v1).toMatchObject({
      allowedTargetScope: 'specificDirectoryUsers',
      specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.singleUser', userId: 'u1' }],
      expiration: { type: 'afterDuration', duration: 'P365D' },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        stages: [
          { durationBeforeAutomaticDenial: 'P14D', durationBeforeEscalation: 'PT120M', primaryApprovers: [], fallbackPrimaryApprovers: [{ groupId: 'g1' }] },
        ],
      },
    });
    expect(v1).not.toHaveProperty('accessPackageId');
    const list = await request(app).get(`${V1}/accessPackages/${pkg}/assignmentPolicies?$select=displayName`).set(AUTH);
    expect(list.body.value).toEqual([{ id, displayName: 'beta' }]);
  });
});

describe('v1.0 resource role scopes and incompatibilities', () => {
  it('adds a role scope named as the v1.0 page names it (role, its resource, scope) and lists it', async () => {
    const { app, store, catalogId } = await setup();
    const group = await addGroup(store, catalogId, 'example group', '0282e19d-bf41-435d-92a4-99bab93af305');
    const pkg = await createV1Package(app, catalogId, 'p');
    const res = await request(app)
      .post(`${V1}/accessPackages/${pkg}/resourceRoleScopes`)
      .set(AUTH)
      .send({
        role: { id: group.member.id, originSystem: 'AadGroup', originId: group.member.originId, resource: { id: group.resource.id } },
        scope: { id: group.scope.id, originId: group.scope.originId, originSystem: 'AadGroup', isRootScope: true },
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: `${group.member.id}_${group.scope.id}`, createdDateTime: expect.any(String) });
    const listed = await request(app).get(`${V1}/accessPackages/${pkg}?$expand=resourceRoleScopes($expand=role,scope)`).set(AUTH);
    expect(listed.body.resourceRoleScopes).toEqual([
      {
        id: res.body.id,
        createdDateTime: expect.any(String),
        role: expect.objectContaining({ id: group.member.id }),
        scope: expect.objectContaining({ id: group.scope.id }),
      },
    ]);
    const roles = await request(app).get(`${V1}/catalogs/${catalogId}/resources?$expand=roles,scopes`).set(AUTH);
    expect(roles.body.value[0]).toMatchObject({
      displayName: 'example group',
      createdDateTime: expect.any(String),
      roles: expect.any(Array),
      scopes: expect.any(Array),
    });
    expect(roles.body.value[0]).not.toHaveProperty('addedOn');
    // The v1.0 list page's filter: `resource/id`, where beta names the navigation accessPackageResource.
    const filtered = await request(app)
      .get(`${V1}/catalogs/${catalogId}/resourceRoles?$filter=(originSystem eq 'AadGroup' and resource/id eq '${group.resource.id}')&$expand=resource`)
      .set(AUTH);
    expect(filtered.status).toBe(200);
    expect(filtered.body.value.map((r: { id: string }) => r.id).sort()).toEqual([group.member.id, group.owner.id].sort());
    expect(filtered.body.value[0].resource.id).toBe(group.resource.id);
  });

  it('links incompatible packages through v1.0 paths, read back through beta', async () => {
    const { app, catalogId } = await setup();
    const [a, b] = [await createV1Package(app, catalogId, 'a'), await createV1Package(app, catalogId, 'b')];
    const add = await request(app)
      .post(`${V1}/accessPackages/${a}/incompatibleAccessPackages/$ref`)
      .set(AUTH)
      .send({ '@odata.id': `https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/accessPackages/${b}` });
    expect(add.status).toBe(204);
    expect((await request(app).get(`${PACKAGES}/${b}/accessPackagesIncompatibleWith`).set(AUTH)).body.value.map((p: { id: string }) => p.id)).toEqual([a]);
  });
});
