// A complex value that names its type with @odata.type has that type's properties (its own and its base types')
// only, not those of a sibling derived type, in beta and v1.0 alike; a value of the right type is kept as sent.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, POLICIES, V1, expectGraphError } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const unknown = (property: string, type: string) =>
  `The property '${property}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type.`;

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const accessPackageId = await createPackage(app, 'Sales reps', await createCatalog(app, 'Sales'));
  return { store, app, accessPackageId };
}

const requestors = (allowedRequestors: unknown[]) => ({
  requestorSettings: { scopeType: 'SpecificDirectorySubjects', acceptRequests: true, allowedRequestors },
});
const approvers = (primaryApprovers: unknown[]) => ({
  requestApprovalSettings: { isApprovalRequired: true, approvalMode: 'SingleStage', approvalStages: [{ approvalStageTimeOutInDays: 14, primaryApprovers }] },
});
const text = { defaultText: 'Why?', localizedTexts: [] };

describe('beta: a derived type carries its own properties only', () => {
  it.each([
    [
      'a singleUser with managerLevel (requestorManager’s)',
      requestors([{ '@odata.type': '#microsoft.graph.singleUser', id: 'x', managerLevel: 1 }]),
      'managerLevel',
      'singleUser',
    ],
    [
      'externalSponsors with id and description (singleUser’s)',
      approvers([{ '@odata.type': '#microsoft.graph.externalSponsors', id: 'abc', description: 'd' }]),
      'id',
      'externalSponsors',
    ],
    [
      'a text input question with choices (a multiple choice question’s)',
      { questions: [{ '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', isRequired: true, text, choices: [], allowsMultipleSelection: true }] },
      'choices',
      'accessPackageTextInputQuestion',
    ],
    ['a type named without its #', requestors([{ '@odata.type': 'microsoft.graph.groupMembers', id: 'g', managerLevel: 2 }]), 'managerLevel', 'groupMembers'],
  ])('%s: 400 naming the property and that type, nothing stored', async (_name, settings, property, type) => {
    const { store, app, accessPackageId } = await setup();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId, displayName: 'p', ...settings });
    expectGraphError(res, 400, 'BadRequest', unknown(property, type));
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });

  it('a PUT is held to the same, and leaves the policy as it was', async () => {
    const { app, accessPackageId } = await setup();
    const created = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p' });
    expect(created.status).toBe(201);
    const res = await request(app)
      .put(`${POLICIES}/${created.body.id}`)
      .set(AUTH)
      .send({ accessPackageId, displayName: 'q', ...requestors([{ '@odata.type': '#microsoft.graph.singleUser', id: 'x', managerLevel: 1 }]) });
    expectGraphError(res, 400, 'BadRequest', unknown('managerLevel', 'singleUser'));
    expect((await request(app).get(`${POLICIES}/${created.body.id}`).set(AUTH)).body).toEqual(created.body);
  });

  it('takes each type with its own and its base type’s properties, and keeps them as sent', async () => {
    const { app, accessPackageId } = await setup();
    const allowed = [
      { '@odata.type': '#microsoft.graph.singleUser', isBackup: false, id: 'e1c1b7f5-0000-4000-8000-000000000001', description: 'user' },
      { '@odata.type': '#microsoft.graph.requestorManager', isBackup: true, managerLevel: 1 },
    ];
    const questions = [
      { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', isRequired: true, text, isSingleLineQuestion: true, regexPattern: null },
      {
        '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
        isRequired: false,
        text,
        allowsMultipleSelection: true,
        choices: [{ actualValue: 'a', displayValue: { defaultText: 'A', localizedTexts: [] } }],
      },
    ];
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId, displayName: 'p', ...requestors(allowed), questions });
    expect(res.status).toBe(201);
    expect(res.body.requestorSettings.allowedRequestors).toEqual(allowed);
    expect(res.body.questions.map(({ id: _id, ...question }: { id: string }) => question)).toEqual(questions);
  });
});

/** A v1.0 app with a package, and a policy of it whose on-behalf requestors are the sets given. */
async function v1Setup() {
  const { app, catalogId } = await setupV1();
  const accessPackage = { id: await createV1Package(app, catalogId, 'p') };
  const policy = (onBehalfRequestors: unknown[]) => ({
    displayName: 'p',
    accessPackage,
    allowedTargetScope: 'notSpecified',
    requestorSettings: { onBehalfRequestors },
  });
  return { app, policy };
}

describe('v1.0: the same for its subject sets', () => {
  it('a singleUser with managerLevel is 400 naming singleUser; with its own properties it is 201', async () => {
    const { app, policy } = await v1Setup();
    const refused = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send(policy([{ '@odata.type': '#microsoft.graph.singleUser', userId: 'u', managerLevel: 1 }]));
    expectGraphError(refused, 400, 'BadRequest', unknown('managerLevel', 'singleUser'));
    const kept = [{ '@odata.type': '#microsoft.graph.singleUser', userId: 'u', description: 'd' }];
    const created = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(policy(kept));
    expect(created.status).toBe(201);
    expect(created.body.requestorSettings.onBehalfRequestors).toEqual(kept);
  });

  it('names the lifecycle workflows’ sets in their own namespace, as v1.0-Prod does: microsoft.graph.identityGovernance', async () => {
    const { app, policy } = await v1Setup();
    const kept = [
      { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "(department eq 'Sales')" },
      { '@odata.type': '#microsoft.graph.identityGovernance.groupBasedSubjectSet' },
    ];
    const created = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(policy(kept));
    expect(created.status).toBe(201);
    expect(created.body.requestorSettings.onBehalfRequestors).toEqual(kept);
    const read = await request(app).get(`${V1}/assignmentPolicies/${created.body.id}`).set(AUTH);
    expect(read.body.requestorSettings.onBehalfRequestors).toEqual(kept);
    // A set's own properties only: a rule is no property of a group-based set.
    expectGraphError(
      await request(app)
        .post(`${V1}/assignmentPolicies`)
        .set(AUTH)
        .send(policy([{ '@odata.type': '#microsoft.graph.identityGovernance.groupBasedSubjectSet', rule: 'x' }])),
      400,
      'BadRequest',
      unknown('rule', 'identityGovernance.groupBasedSubjectSet'),
    );
    // The name without that namespace is a type the model does not have.
    const refused = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send(policy([{ '@odata.type': '#microsoft.graph.ruleBasedSubjectSet', rule: 'x' }]));
    expectGraphError(
      refused,
      400,
      'BadRequest',
      "A type named 'microsoft.graph.ruleBasedSubjectSet' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.",
    );
  });
});
