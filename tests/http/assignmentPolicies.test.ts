// accessPackageAssignmentPolicies: created for an existing package, kept as sent, replaced with PUT, deleted,
// listed through the package and its $expand, and filtered as the live service filters them.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createPackage, salesPackage } from '../support/catalogResources.js';
import { AUTH, GUID, PACKAGES, POLICIES, expectGraphError } from '../support/graph.js';

const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageAssignmentPolicies';

// The create page's example 2, with the package it names.
const twoStages = (accessPackageId: string) => ({
  accessPackageId,
  displayName: 'Users from connected organizations can request',
  description: 'Allow users from configured connected organizations to request and be approved by their sponsors',
  canExtend: false,
  durationInDays: 365,
  expirationDateTime: null,
  requestorSettings: { scopeType: 'AllExistingConnectedOrganizationSubjects', acceptRequests: true, allowedRequestors: [] },
  requestApprovalSettings: {
    isApprovalRequired: true,
    isApprovalRequiredForExtension: false,
    isRequestorJustificationRequired: true,
    approvalMode: 'Serial',
    approvalStages: [
      {
        approvalStageTimeOutInDays: 14,
        isApproverJustificationRequired: true,
        isEscalationEnabled: true,
        escalationTimeInMinutes: 11520,
        primaryApprovers: [
          { '@odata.type': '#microsoft.graph.groupMembers', isBackup: true, id: 'd2dcb9a1-a445-42ee-83a8-476522ed6cbf', description: 'group' },
          { '@odata.type': '#microsoft.graph.externalSponsors', isBackup: false },
        ],
        escalationApprovers: [
          { '@odata.type': '#microsoft.graph.singleUser', isBackup: true, id: 'e1c1b7f5-0000-4000-8000-000000000001', description: 'user' },
        ],
      },
    ],
  },
  accessReviewSettings: {
    isEnabled: true,
    recurrenceType: 'quarterly',
    reviewerType: 'Self',
    startDateTime: '2020-04-01T07:59:59.998Z',
    durationInDays: 25,
    reviewers: [],
  },
});

const setup = salesPackage;

describe('accessPackageAssignmentPolicies', () => {
  it('refuses an annotation inside a complex value nested past 100 levels (it answered a 500), and stores nothing', async () => {
    const { app, store, accessPackageId } = await setup();
    const body = (levels: number) =>
      `{"accessPackageId":"${accessPackageId}","requestorSettings":{"scopeType":"NoSubjects","@odata.x":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
    const res = await request(app).post(POLICIES).set(AUTH).set('Content-Type', 'application/json').send(body(5000));
    expectGraphError(res, 400, 'BadRequest', 'The request body nests arrays and objects more than 100 levels deep.');
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
    // The body, its requestorSettings and 98 levels of arrays: 100 in all.
    const fits = await request(app).post(POLICIES).set(AUTH).set('Content-Type', 'application/json').send(body(98));
    expect(fits.status).toBe(201);
    expect(fits.body.requestorSettings).toMatchObject({ scopeType: 'NoSubjects' });
    expect(store.count('accessPackageAssignmentPolicies')).toBe(1);
  });

  it('creates a policy for an existing package: 201, the settings as sent, defaults for what was not', async () => {
    const { app, accessPackageId } = await setup();
    const body = twoStages(accessPackageId);
    const res = await request(app).post(POLICIES).set(AUTH).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ '@odata.context': `${CONTEXT}/$entity`, id: expect.stringMatching(GUID), ...body, questions: [] });
    expect(res.body.accessPackageNotificationSettings).toBeNull();
    const direct = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'direct', requestApprovalSettings: null });
    // The create page's examples 4 and 5: no approval settings sent, Graph's no-approval settings answered.
    expect(direct.body.requestApprovalSettings).toEqual({
      isApprovalRequired: false,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: false,
      approvalMode: 'NoApproval',
      approvalStages: [],
    });
    expect(direct.body.durationInDays).toBe(0);
  });

  it.each([
    ['no package', {}],
    ['an unknown package', { accessPackageId: '99999999-0000-4000-8000-000000000000' }],
    ['a malformed package id', { accessPackageId: 'string (identifier)' }],
  ])('refuses a policy for %s with 400 InvalidModel', async (_name, body) => {
    const { app, store } = await setup();
    expectGraphError(
      await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({ displayName: 'p', ...body }),
      400,
      'InvalidModel',
      'Model is not valid.',
    );
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });

  it('validates the settings against their complex types, naming the property', async () => {
    const { app, accessPackageId } = await setup();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId, requestorSettings: { scopeType: 'NoSubjects', acceptRequests: 'sometimes' } });
    expectGraphError(
      res,
      400,
      'BadRequest',
      `Invalid value for property 'requestorSettings': cannot convert the literal '{"scopeType":"NoSubjects","acceptRequests":"sometimes"}' to the expected type 'microsoft.graph.requestorSettings'.`,
    );
    // A property the complex type does not have is named with its type, as one the entity does not have is.
    const undeclared = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId, requestorSettings: { scopeType: 'NoSubjects', acceptRequests: true, isOnBehalfAllowed: false } });
    expectGraphError(
      undeclared,
      400,
      'BadRequest',
      "The property 'isOnBehalfAllowed' does not exist on type 'microsoft.graph.requestorSettings'. Make sure to only use property names that are defined by the type.",
    );
    const stage = { approvalStages: [{ primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: 'u' }] }] };
    expectGraphError(
      await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, requestApprovalSettings: stage }),
      400,
      'BadRequest',
      /'userId' does not exist on type 'microsoft\.graph\.singleUser'/,
    );
  });

  it('gets, replaces with PUT (200 with the policy, accessPackageId kept) and deletes (204)', async () => {
    const { app, accessPackageId } = await setup();
    const id = (await request(app).post(POLICIES).set(AUTH).send(twoStages(accessPackageId))).body.id as string;
    expect((await request(app).get(`${POLICIES}/${id}?$select=displayName,durationInDays`).set(AUTH)).body).toEqual({
      '@odata.context': `${CONTEXT}(displayName,durationInDays)/$entity`,
      id,
      displayName: 'Users from connected organizations can request',
      durationInDays: 365,
    });
    const put = await request(app)
      .put(`${POLICIES}/${id}`)
      .set(AUTH)
      .send({ id: 'ignored', accessPackageId: '99999999-0000-4000-8000-000000000000', displayName: 'All Users', requestApprovalSettings: null });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id,
      accessPackageId,
      displayName: 'All Users',
      durationInDays: 0,
      requestApprovalSettings: null,
      accessReviewSettings: null,
    });
    expectGraphError(await request(app).patch(`${POLICIES}/${id}`).set(AUTH).send({}), 405, 'MethodNotAllowed');
    expect((await request(app).delete(`${POLICIES}/${id}`).set(AUTH)).status).toBe(204);
    expectGraphError(await request(app).get(`${POLICIES}/${id}`).set(AUTH), 404, 'ResourceNotFound');
  });

  it('answers and stores an expirationDateTime as Graph writes DateTimeOffsets: UTC, 7 fractional digits', async () => {
    const { app, accessPackageId } = await setup();
    const created = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ ...twoStages(accessPackageId), expirationDateTime: '2030-01-01T05:00:00+05:00' });
    expect(created.status).toBe(201);
    expect(created.body.expirationDateTime).toBe('2030-01-01T00:00:00.0000000Z');
    const id = created.body.id as string;
    const put = await request(app).put(`${POLICIES}/${id}`).set(AUTH).send({ displayName: 'Ends', expirationDateTime: '2031-06-30T12:00:00.5z' });
    expect(put.body.expirationDateTime).toBe('2031-06-30T12:00:00.5000000Z');
    expect((await request(app).get(`${POLICIES}/${id}?$select=expirationDateTime`).set(AUTH)).body.expirationDateTime).toBe('2031-06-30T12:00:00.5000000Z');
    expectGraphError(
      await request(app).put(`${POLICIES}/${id}`).set(AUTH).send({ displayName: 'Ends', expirationDateTime: '2016-12-31T23:59:60Z' }),
      400,
      'BadRequest',
      "Invalid value for property 'expirationDateTime': cannot convert the literal '2016-12-31T23:59:60Z' to the expected type 'Edm.DateTimeOffset'.",
    );
  });

  it('lists through the package and its $expand, with nested $select; reaches the package and the catalog from a policy', async () => {
    const { app, accessPackageId, catalogId } = await setup();
    const other = await createPackage(app, 'Other', catalogId);
    const id = (await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'mine' })).body.id as string;
    await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: other, displayName: 'theirs' });
    const path = await request(app).get(`${PACKAGES}/${accessPackageId}/accessPackageAssignmentPolicies?$select=displayName`).set(AUTH);
    expect(path.body.value).toEqual([{ id, displayName: 'mine' }]);
    const expanded = await request(app)
      .get(`${PACKAGES}?$expand=accessPackageAssignmentPolicies($select=id,displayName)&$select=displayName&$orderby=displayName`)
      .set(AUTH);
    expect(
      expanded.body.value.map((p: { displayName: string; accessPackageAssignmentPolicies: unknown[] }) => [p.displayName, p.accessPackageAssignmentPolicies]),
    ).toEqual([
      ['Other', [{ id: expect.any(String), displayName: 'theirs' }]],
      ['Sales reps', [{ id, displayName: 'mine' }]],
    ]);
    expect((await request(app).get(`${POLICIES}/${id}/accessPackage?$select=displayName`).set(AUTH)).body).toMatchObject({ displayName: 'Sales reps' });
    expect((await request(app).get(`${POLICIES}/${id}/accessPackageCatalog`).set(AUTH)).body).toMatchObject({ id: catalogId, displayName: 'Sales' });
  });

  it('filters on displayName, and answers a filter on accessPackageId as the live service does', async () => {
    const { app, accessPackageId } = await setup();
    await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'Employee sales support' });
    const filtered = await request(app).get(`${POLICIES}?$filter=displayName eq 'Employee sales support'`).set(AUTH);
    expect(filtered.body.value).toHaveLength(1);
    const refused = await request(app).get(`${POLICIES}?$filter=accessPackageId eq '${accessPackageId}'`).set(AUTH);
    expectGraphError(refused, 400, 'InvalidFilter', `OData query is invalid: Filter 'accessPackageId Equals ${accessPackageId} is not supported. .`);
    expect(refused.body.error.details).toEqual([]);
  });
});
