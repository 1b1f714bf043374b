// A collection-valued property sent as null is refused as Graph's OData reader refuses it (a collection is empty,
// never null), at any depth of a create or a PUT, in beta and in v1.0; nothing is stored.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const refused = (property: string, type: string) =>
  `A null value was found for the property named '${property}', which has the expected type 'Collection(${type})[Nullable=True]'. The expected type 'Collection(${type})[Nullable=True]' cannot be null but it can have null values.`;

describe('a null collection in a request body', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'allowedRequestors',
      { requestorSettings: { scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: null } },
      refused('allowedRequestors', 'microsoft.graph.userSet'),
    ],
    ['questions', { questions: null }, refused('questions', 'microsoft.graph.accessPackageQuestion')],
    [
      'a stage of approvalStages',
      { requestApprovalSettings: { isApprovalRequired: true, approvalStages: [{ approvalStageTimeOutInDays: 3, primaryApprovers: null }] } },
      refused('primaryApprovers', 'microsoft.graph.userSet'),
    ],
    [
      "a question's localizedTexts",
      { questions: [{ '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', text: { defaultText: 'Why?', localizedTexts: null } }] },
      refused('localizedTexts', 'microsoft.graph.accessPackageLocalizedText'),
    ],
  ])('%s is a 400 in a create and a PUT (a beta policy takes no PATCH), nothing stored', async (_case, settings, message) => {
    const { app, store, accessPackageId } = await salesPackage();
    const body = { accessPackageId, displayName: 'p', ...settings };
    expectGraphError(await request(app).post(POLICIES).set(AUTH).send(body), 400, 'BadRequest', message);
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
    const created = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p' });
    expect(created.status).toBe(201);
    const url = `${POLICIES}/${created.body.id}`;
    expectGraphError(await request(app).put(url).set(AUTH).send(body), 400, 'BadRequest', message);
    const { '@odata.context': _context, ...after } = (await request(app).get(url).set(AUTH)).body;
    const { '@odata.context': _created, ...before } = created.body;
    expect(after).toEqual(before);
  });

  it('is refused in v1.0 too (specificAllowedTargets), and an empty list is taken', async () => {
    const { app, store, accessPackageId } = await salesPackage();
    const body = (targets: unknown) => ({
      displayName: 'v',
      accessPackage: { id: accessPackageId },
      allowedTargetScope: 'notSpecified',
      specificAllowedTargets: targets,
    });
    expectGraphError(
      await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(body(null)),
      400,
      'BadRequest',
      refused('specificAllowedTargets', 'microsoft.graph.subjectSet'),
    );
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
    const res = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(body([]));
    expect(res.status).toBe(201);
    expect(res.body.specificAllowedTargets).toEqual([]);
  });
});

describe('a null that is no structural collection', () => {
  it('a nullable single value takes it; an undeclared property is refused as undeclared; a collection of entities is refused as nested entities are', async () => {
    const { app, store, accessPackageId, catalogId } = await salesPackage();
    const taken = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p', description: null });
    expect([taken.status, taken.body.description, taken.body.displayName]).toEqual([201, null, 'p']);
    for (const [body, type] of [
      [{ accessPackageId, displayName: 'p', bogus: null }, 'accessPackageAssignmentPolicy'],
      [{ accessPackageId, displayName: 'p', requestorSettings: { scopeType: 'NoSubjects', bogus: null } }, 'requestorSettings'],
    ] as const) {
      expectGraphError(
        await request(app).post(POLICIES).set(AUTH).send(body),
        400,
        'BadRequest',
        `The property 'bogus' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type.`,
      );
    }
    expect(store.count('accessPackageAssignmentPolicies')).toBe(1);
    expectGraphError(
      await request(app).post(PACKAGES).set(AUTH).send({ catalogId, displayName: 'x', incompatibleAccessPackages: null }),
      400,
      'BadRequest',
      "Invalid value for property 'incompatibleAccessPackages': cannot convert the literal 'null' to the expected type 'Collection(microsoft.graph.accessPackage)'.",
    );
    expect(store.count('accessPackages')).toBe(1);
  });
});
