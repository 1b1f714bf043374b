// A complex value's own @odata.type (a policy's requestor, approver or question) is read as Graph's OData reader
// reads a nested resource's type (ReaderValidationUtils.ResolveAndValidateNonPrimitiveTargetType): a name the model
// does not have, a type of another kind, or a complex type not derived from the declared one is a 400 in the
// reader's words, before any of the value's properties is read; nothing is stored.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, POLICIES, V1, expectGraphError } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const requestors = (allowedRequestors: unknown[]) => ({
  requestorSettings: { scopeType: 'SpecificDirectorySubjects', acceptRequests: true, allowedRequestors },
});
const unresolved = (name: string) =>
  `A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`;
const kinds = (name: string, found: string) =>
  `Incompatible type kinds were found. The type '${name}' was found to be of kind '${found}' instead of the expected kind 'Complex'.`;
const incompatible = (name: string, expected: string) =>
  `A value was encountered that has a type name that is incompatible with the metadata. The value specified its type as '${name}', but the type specified in the metadata is '${expected}'.`;

describe('beta: a complex value of a type the reader does not take there', () => {
  it.each<[string, Record<string, unknown>, string]>([
    // The entity's property named first: the type is refused before it, not the property on the entity's type.
    ['an entity type', requestors([{ '@odata.type': '#microsoft.graph.accessPackage', displayName: 'x' }]), kinds('microsoft.graph.accessPackage', 'Entity')],
    ['an entity type written with the alias', requestors([{ '@odata.type': '#graph.accessPackage' }]), kinds('graph.accessPackage', 'Entity')],
    ['an enum type', requestors([{ '@odata.type': '#microsoft.graph.privilegeLevel' }]), kinds('microsoft.graph.privilegeLevel', 'Enum')],
    ['a primitive type', requestors([{ '@odata.type': '#String' }]), kinds('Edm.String', 'Primitive')],
    ['a collection', requestors([{ '@odata.type': '#Collection(microsoft.graph.userSet)' }]), kinds('Collection(microsoft.graph.userSet)', 'Collection')],
    [
      'another complex type',
      requestors([{ '@odata.type': '#microsoft.graph.approvalStage', id: 'x' }]),
      incompatible('microsoft.graph.approvalStage', 'microsoft.graph.userSet'),
    ],
    [
      'another complex type among questions',
      { questions: [{ '@odata.type': '#microsoft.graph.singleUser', id: 'x' }] },
      incompatible('microsoft.graph.singleUser', 'microsoft.graph.accessPackageQuestion'),
    ],
    ['a name the model does not have', requestors([{ '@odata.type': '#microsoft.graph.bogus', id: 'x' }]), unresolved('microsoft.graph.bogus')],
    ['a type name that is no string', requestors([{ '@odata.type': 5, id: 'x' }]), "Cannot read the value '5' as a quoted JSON string value."],
  ])('%s: 400 in the reader’s words, nothing stored', async (_name, settings, message) => {
    const store = new MemoryStore();
    const app = createApp({ store });
    const accessPackageId = await createPackage(app, 'Sales reps', await createCatalog(app, 'Sales'));
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId, displayName: 'p', ...settings });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });

  it('a derived type, the declared one, and a name without # are taken and answered as Graph writes them', async () => {
    const app = createApp({ store: new MemoryStore() });
    const accessPackageId = await createPackage(app, 'Sales reps', await createCatalog(app, 'Sales'));
    const allowed = [
      { '@odata.type': 'microsoft.graph.singleUser', id: 'u', description: 'd' },
      { '@odata.type': '#graph.groupMembers', id: 'g', description: 'g' },
    ];
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId, displayName: 'p', ...requestors(allowed) });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.requestorSettings.allowedRequestors).toEqual([
      { '@odata.type': 'microsoft.graph.singleUser', id: 'u', description: 'd' },
      { '@odata.type': '#microsoft.graph.groupMembers', id: 'g', description: 'g' },
    ]);
  });
});

describe('v1.0: the same for its subject sets', () => {
  it('an entity type as an on-behalf requestor is the reader’s 400, nothing stored', async () => {
    const { app, catalogId } = await setupV1();
    const accessPackage = { id: await createV1Package(app, catalogId, 'p') };
    const res = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({
        displayName: 'p',
        accessPackage,
        allowedTargetScope: 'notSpecified',
        requestorSettings: { onBehalfRequestors: [{ '@odata.type': '#microsoft.graph.accessPackage', userId: 'u' }] },
      });
    expectGraphError(res, 400, 'BadRequest', kinds('microsoft.graph.accessPackage', 'Entity'));
    const list = await request(app).get(`${V1}/assignmentPolicies`).set(AUTH);
    expect(list.body.value).toEqual([]);
  });
});
