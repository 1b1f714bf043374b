// filterByCurrentUser and getApplicablePolicyRequirements, answered from the policies' requestor settings and the
// caller's token; every navigation property of a package as a path, with $select; the key syntax on paths.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, GUID, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';
import { READ, bearer, unsignedJwt } from '../support/tokens.js';

const USER = '7deff43e-1f17-44ef-9e5f-d516b0ba11d4';
const GROUP = '1623f912-5e86-41c2-af47-39dd67582b66';
const userToken = (groups: string[] = []) =>
  bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', oid: USER, upn: 'adele.vance@contoso.onmicrosoft.com', scp: READ, groups }));

const requestors = (scopeType: string, allowedRequestors: object[] = [], acceptRequests = true) => ({ scopeType, acceptRequests, allowedRequestors });

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalogId = await createCatalog(app, 'Sales');
  const pkg = async (name: string, requestorSettings?: object, extra: object = {}) => {
    const id = await createPackage(app, name, catalogId);
    if (requestorSettings)
      await request(app)
        .post(POLICIES)
        .set(AUTH)
        .send({ accessPackageId: id, displayName: `${name} policy`, requestorSettings, ...extra });
    return id;
  };
  const everyone = await pkg('Everyone', requestors('AllExistingDirectorySubjects'), {
    requestApprovalSettings: {
      isApprovalRequired: true,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: 'SingleStage',
      approvalStages: [],
    },
    questions: [
      { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', id: 'q1', isRequired: true, text: { defaultText: 'Why?', localizedTexts: [] } },
    ],
  });
  const adminOnly = await pkg('Admin only', requestors('NoSubjects'));
  const closed = await pkg('Closed', requestors('AllExistingDirectorySubjects', [], false));
  const forMe = await pkg('For me', requestors('SpecificDirectorySubjects', [{ '@odata.type': '#microsoft.graph.singleUser', id: USER, isBackup: false }]));
  const forGroup = await pkg(
    'For group',
    requestors('SpecificDirectorySubjects', [{ '@odata.type': '#microsoft.graph.groupMembers', id: GROUP, isBackup: false }]),
  );
  const external = await pkg('External', requestors('AllExternalSubjects'));
  const noPolicy = await pkg('No policy');
  return { app, catalogId, everyone, adminOnly, closed, forMe, forGroup, external, noPolicy };
}

describe("filterByCurrentUser(on='allowedRequestor')", () => {
  it('answers the packages whose policies let the caller request, from the token’s oid and groups', async () => {
    const { app, everyone, forMe, forGroup } = await setup();
    const url = `${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`;
    const names = async (headers: Record<string, string>) =>
      ((await request(app).get(url).set(headers)).body.value as { id: string }[]).map((p) => p.id).sort();
    expect(await names(userToken())).toEqual([everyone, forMe].sort());
    expect(await names(userToken([GROUP]))).toEqual([everyone, forMe, forGroup].sort());
    expect(await names(AUTH)).toEqual([everyone]);
    const res = await request(app).get(url.replaceAll("'", '%27')).set(userToken());
    expect(res.body['@odata.context']).toBe('https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages');
    expect(res.body.value[0]['@odata.type']).toBe('#microsoft.graph.accessPackage');
  });

  it('reads a scope type in any case, in beta and v1.0 alike', async () => {
    const { app, adminOnly } = await setup();
    const policy = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId: adminOnly, displayName: 'lower case', requestorSettings: requestors('allExistingDirectorySubjects') })
      .expect(201);
    const listed = (await request(app).get(`${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`).set(userToken())).body.value as { id: string }[];
    expect(listed.map((p) => p.id)).toContain(adminOnly);
    const v1 = await request(app).get(`${V1}/assignmentPolicies/${policy.body.id}`).set(AUTH);
    expect([v1.status, v1.body.allowedTargetScope, v1.body.requestorSettings.enableTargetsToSelfAddAccess]).toEqual([200, 'allDirectoryUsers', true]);
  });

  it('offers nothing of a catalog not enabled for requests (Unpublished): not listed, no requirements; listed again once published', async () => {
    const { app, catalogId, everyone, forMe } = await setup();
    const url = `${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`;
    const listed = async () => ((await request(app).get(url).set(userToken())).body.value as { id: string }[]).map((p) => p.id).sort();
    const requirements = async () =>
      (await request(app).post(`${PACKAGES}/${everyone}/getApplicablePolicyRequirements`).set(userToken())).body.value as unknown[];
    expect(await listed()).toEqual([everyone, forMe].sort());
    await request(app).patch(`${CATALOGS}/${catalogId}`).set(AUTH).send({ catalogStatus: 'Unpublished' }).expect(204);
    expect([await listed(), await requirements()]).toEqual([[], []]);
    await request(app).patch(`${CATALOGS}/${catalogId}`).set(AUTH).send({ catalogStatus: 'Published' }).expect(204);
    expect(await listed()).toEqual([everyone, forMe].sort());
    expect(await requirements()).toHaveLength(1);
  });

  it('matches the token’s oid and groups to the policies’ users and groups in any case, as ids match everywhere', async () => {
    const { app, everyone, forMe, forGroup } = await setup();
    const url = `${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`;
    const upper = bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', oid: USER.toUpperCase(), scp: READ, groups: [GROUP.toUpperCase()] }));
    const res = await request(app).get(url).set(upper);
    expect([res.status, (res.body.value as { id: string }[]).map((p) => p.id).sort()]).toEqual([200, [everyone, forMe, forGroup].sort()]);
    const requirements = await request(app).post(`${PACKAGES}/${forMe}/getApplicablePolicyRequirements`).set(upper);
    expect([requirements.status, requirements.body.value.map((r: { policyDisplayName: string }) => r.policyDisplayName)]).toEqual([200, ['For me policy']]);
  });

  it("is for a signed-in user: an application's token (roles, no scp) is a 403, as its page says Application: Not supported", async () => {
    const { app } = await setup();
    const url = `${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`;
    const appOnly = bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', oid: USER, roles: [READ] }));
    expectGraphError(await request(app).get(url).set(appOnly), 403, 'UnAuthorized');
    // A token with both (a delegated token carrying app roles of the signed-in user) is a user's.
    const both = bearer(unsignedJwt({ aud: 'https://graph.microsoft.com', oid: USER, scp: READ, roles: ['Some.Role'] }));
    expect((await request(app).get(url).set(both)).status).toBe(200);
  });

  it('answers as a list does: $select, $filter, $top with $count and a nextLink, and a 400 for an unknown option', async () => {
    const { app, everyone, forMe } = await setup();
    const url = `${PACKAGES}/filterByCurrentUser(on='allowedRequestor')`;
    const first = await request(app).get(`${url}?$select=id,displayName&$orderby=displayName&$top=1&$count=true`).set(userToken());
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages(id,displayName)',
      '@odata.count': 2,
      '@odata.nextLink': expect.stringContaining("/filterByCurrentUser(on='allowedRequestor')?"),
      value: [{ '@odata.type': '#microsoft.graph.accessPackage', id: everyone, displayName: 'Everyone' }],
    });
    const next = await request(app)
      .get(new URL(first.body['@odata.nextLink']).pathname + new URL(first.body['@odata.nextLink']).search)
      .set(userToken());
    expect(next.body.value).toEqual([{ '@odata.type': '#microsoft.graph.accessPackage', id: forMe, displayName: 'For me' }]);
    expect(next.body).not.toHaveProperty('@odata.nextLink');
    const filtered = await request(app).get(`${url}?$filter=displayName eq 'For me'&$select=id`).set(userToken());
    expect(filtered.body.value).toEqual([{ '@odata.type': '#microsoft.graph.accessPackage', id: forMe }]);
    expectGraphError(await request(app).get(`${url}?$bogus=1`).set(userToken()), 400, 'BadRequest');
  });

  it('needs its parameter, with the one documented value', async () => {
    const { app } = await setup();
    expectGraphError(await request(app).get(`${PACKAGES}/filterByCurrentUser(on='target')`).set(AUTH), 400, 'BadRequest', /allowedRequestor/);
    expectGraphError(await request(app).get(`${PACKAGES}/filterByCurrentUser()`).set(AUTH), 400, 'BadRequest', /'on'/);
  });
});

describe('getApplicablePolicyRequirements', () => {
  it('answers one requirements object per policy the caller may request through, with its questions', async () => {
    const { app, everyone } = await setup();
    const res = await request(app).post(`${PACKAGES}/${everyone}/getApplicablePolicyRequirements`).set(userToken());
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([
      expect.objectContaining({
        policyDisplayName: 'Everyone policy',
        isApprovalRequired: true,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        // The service gives each question its id, whatever was sent.
        questions: [expect.objectContaining({ id: expect.stringMatching(GUID), isRequired: true })],
        existingAnswers: [],
      }),
    ]);
  });

  it('answers an empty collection where the caller may not request, and reads a subject from the body', async () => {
    const { app, adminOnly, forMe } = await setup();
    expect((await request(app).post(`${PACKAGES}/${adminOnly}/getApplicablePolicyRequirements`).set(userToken())).body.value).toEqual([]);
    const forSubject = await request(app)
      .post(`${PACKAGES}/${forMe}/getApplicablePolicyRequirements`)
      .set(AUTH)
      .send({ subject: { objectId: USER } });
    expect(forSubject.body.value).toHaveLength(1);
  });

  it('answers v1.0’s property set through v1.0: approval for add and for update, questions in v1.0’s shape', async () => {
    const { app, everyone } = await setup();
    const res = await request(app).post(`${V1}/accessPackages/${everyone}/getApplicablePolicyRequirements`).set(userToken());
    expect(res.body['@odata.context']).toBe(
      'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.accessPackageAssignmentRequestRequirements)',
    );
    expect(res.body.value).toEqual([
      {
        policyId: expect.any(String),
        policyDisplayName: 'Everyone policy',
        policyDescription: null,
        isRequestorJustificationRequired: true,
        schedule: null,
        allowCustomAssignmentSchedule: false,
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        questions: [
          {
            '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
            id: expect.stringMatching(GUID),
            isAnswerEditable: null,
            isRequired: true,
            localizations: [],
            sequence: null,
            text: 'Why?',
            isSingleLineQuestion: null,
            regexPattern: null,
          },
        ],
      },
    ]);
  });

  it('answers a multiple choice question through v1.0 with its choices and localizations as v1.0 names them', async () => {
    const { app, catalogId } = await setup();
    const id = await createPackage(app, 'Choice', catalogId);
    const fr = [{ languageCode: 'fr', text: 'Quel projet ?' }];
    const question = {
      '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
      id: 'q2',
      isRequired: false,
      isAnswerEditable: true,
      sequence: 1,
      allowsMultipleSelection: true,
      text: { defaultText: 'Which project?', localizedTexts: fr },
      choices: [{ actualValue: 'p1', displayValue: { defaultText: 'Project one', localizedTexts: [] } }],
    };
    const policy = { accessPackageId: id, displayName: 'choice', requestorSettings: requestors('AllExistingDirectorySubjects'), questions: [question] };
    expect((await request(app).post(POLICIES).set(AUTH).send(policy)).status).toBe(201);
    const res = await request(app).post(`${V1}/accessPackages/${id}/getApplicablePolicyRequirements`).set(userToken());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json;odata.metadata=minimal/);
    expect(res.body.value[0].questions).toEqual([
      {
        '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
        id: expect.stringMatching(GUID),
        isAnswerEditable: true,
        isRequired: false,
        localizations: fr,
        sequence: 1,
        text: 'Which project?',
        choices: [{ actualValue: 'p1', text: 'Project one', localizations: [] }],
        isMultipleSelectionAllowed: true,
      },
    ]);
    // Beta keeps its own shape for the same policy.
    const beta = await request(app).post(`${PACKAGES}/${id}/getApplicablePolicyRequirements`).set(userToken());
    // ... and the id the service gave the question, the same in both versions.
    expect(beta.body.value[0].questions).toEqual([{ ...question, id: res.body.value[0].questions[0].id }]);
  });
});

describe('getApplicablePolicyRequirements of a policy made through v1.0', () => {
  it('answers whether its requestor may set a custom schedule, as the policy says, in both versions', async () => {
    const { app, catalogId } = await setup();
    const id = await createPackage(app, 'Custom', catalogId);
    const policy = {
      displayName: 'custom schedule',
      allowedTargetScope: 'allMemberUsers',
      requestorSettings: { enableTargetsToSelfAddAccess: true, allowCustomAssignmentSchedule: true },
      accessPackage: { id },
    };
    expect((await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(policy)).status).toBe(201);
    const v1 = await request(app).post(`${V1}/accessPackages/${id}/getApplicablePolicyRequirements`).set(userToken());
    expect(v1.body.value).toEqual([expect.objectContaining({ policyDisplayName: 'custom schedule', allowCustomAssignmentSchedule: true })]);
    const beta = await request(app).post(`${PACKAGES}/${id}/getApplicablePolicyRequirements`).set(userToken());
    expect(beta.body.value).toEqual([expect.objectContaining({ policyDisplayName: 'custom schedule', isCustomAssignmentScheduleAllowed: true })]);
  });
});

describe('navigation paths', () => {
  it('serves every relationship of a package as a path, with $select, through either key syntax', async () => {
    const { app, catalogId, everyone } = await setup();
    const base = `${PACKAGES}('${everyone}')`;
    const catalog = await request(app).get(`${base}/accessPackageCatalog?$select=displayName`).set(AUTH);
    expect(catalog.body).toEqual({
      '@odata.context': `https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages('${everyone}')/accessPackageCatalog(displayName)/$entity`,
      id: catalogId,
      displayName: 'Sales',
    });
    for (const nav of [
      'accessPackageAssignmentPolicies',
      'accessPackageResourceRoleScopes',
      'incompatibleAccessPackages',
      'incompatibleGroups',
      'accessPackagesIncompatibleWith',
    ]) {
      const res = await request(app).get(`${PACKAGES}/${everyone}/${nav}?$top=5`).set(AUTH);
      expect([nav, res.status, Array.isArray(res.body.value)]).toEqual([nav, 200, true]);
    }
    expectGraphError(await request(app).get(`${PACKAGES}/${everyone}/owners`).set(AUTH), 400, 'BadRequest', "Resource not found for the segment 'owners'.");
  });

  it('answers nested $expand with nested $select, and Graph’s messages for what it cannot do', async () => {
    const { app, everyone } = await setup();
    const res = await request(app)
      .get(
        `${PACKAGES}/${everyone}?$select=displayName&$expand=accessPackageCatalog($select=displayName),accessPackageAssignmentPolicies($select=displayName;$expand=accessPackageCatalog($select=id))`,
      )
      .set(AUTH);
    expect(res.body).toMatchObject({
      displayName: 'Everyone',
      accessPackageCatalog: { displayName: 'Sales' },
      accessPackageAssignmentPolicies: [{ displayName: 'Everyone policy', accessPackageCatalog: { id: expect.any(String) } }],
    });
    expect(Object.keys(res.body.accessPackageCatalog)).toEqual(['id', 'displayName']);
    expectGraphError(
      await request(app).get(`${PACKAGES}/${everyone}?$expand=accessPackageCatalog($levels=2)`).set(AUTH),
      400,
      'BadRequest',
      /'\$levels' is not supported/,
    );
  });
});
