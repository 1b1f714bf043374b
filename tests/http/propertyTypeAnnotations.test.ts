// A property's `odata.type` annotation is read against the property's declared type, as Graph's OData reader reads
// it: at the top of a body, in a complex value, in an item of a derived type, in a nested entity and in a structured
// action parameter; refused in the reader's words, nothing stored, or taken and neither answered nor stored.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const USER = '7deff43e-1f17-44ef-9e5f-d516b0ba11d4';
const kind = (name: string, expected: string, found: string) =>
  `Incompatible type kinds were found. The type '${name}' was found to be of kind '${found}' instead of the expected kind '${expected}'.`;
const incompatible = (name: string, expected: string) =>
  `A value was encountered that has a type name that is incompatible with the metadata. The value specified its type as '${name}', but the type specified in the metadata is '${expected}'.`;
const unresolved = (name: string) =>
  `A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`;
const COMPLEX =
  "A complex property with an 'odata.type' property annotation was found. Complex properties must not have the 'odata.type' property annotation, instead the 'odata.type' should be specified as an instance annotation in the complex value.";
const NAVIGATION =
  "The navigation property 'accessPackageCatalog' has a property annotation 'odata.type'. Navigation links in request payloads can only have the 'odata.bind' property annotation.";

describe('a primitive or navigation property’s odata.type annotation at the top of a create', () => {
  it.each([
    [{ 'displayName@odata.type': '#Edm.Int32' }, incompatible('Edm.Int32', 'Edm.String')],
    [{ 'displayName@odata.type': '#Int64' }, incompatible('Edm.Int64', 'Edm.String')],
    [{ 'isHidden@odata.type': 'String', isHidden: true }, incompatible('Edm.String', 'Edm.Boolean')],
    [{ 'displayName@odata.type': '#Collection(Edm.String)' }, kind('Collection(Edm.String)', 'Primitive', 'Collection')],
    [{ 'displayName@odata.type': '#microsoft.graph.bogus' }, kind('microsoft.graph.bogus', 'Primitive', 'Complex')],
    [{ 'displayName@odata.type': '#graph.accessPackage' }, kind('graph.accessPackage', 'Primitive', 'Entity')],
    [{ 'displayName@odata.type': '#string' }, kind('string', 'Primitive', 'Complex')],
    [{ 'displayName@odata.type': 5 }, "Cannot read the value '5' as a quoted JSON string value."],
    [{ 'displayName@odata.type': true }, "Cannot read the value 'True' as a quoted JSON string value."],
    [
      { 'displayName@odata.type': ['#String'] },
      "An unexpected 'StartArray' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected.",
    ],
    [
      { 'displayName@odata.type': null },
      "The 'odata.type' instance annotation value '' is not a valid type name. The value of the 'odata.type' instance annotation must be a non-empty string.",
    ],
    [{ 'displayName@odata.type': '#Collection(Collection(Edm.String))' }, 'Nested collection instances are not allowed.'],
    [{ 'accessPackageCatalog@odata.type': '#microsoft.graph.accessPackageCatalog', accessPackageCatalog: { id: USER } }, NAVIGATION],
    [{ 'accessPackageCatalog@odata.type': '#microsoft.graph.accessPackageCatalog' }, NAVIGATION],
  ])('%j: the reader’s 400, nothing stored', async (annotation, message) => {
    const { app, store, catalogId } = await salesPackage();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ ...annotation, displayName: 'Typed', catalogId });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackages')).toBe(1);
  });

  it('a type the property converts from is taken, with or without # or Edm., and neither answered nor stored', async () => {
    const { app, store, catalogId } = await salesPackage();
    const body = {
      'displayName@odata.type': 'Edm.String',
      displayName: 'Typed',
      'description@odata.type': '#String',
      description: 'd',
      'isHidden@odata.type': '#Edm.Boolean',
      isHidden: true,
      'createdDateTime@odata.type': '#Date',
      createdDateTime: '2030-01-01T00:00:00Z',
      'uniqueName@odata.type': '#Edm.Int32',
      catalogId,
    };
    const res = await request(app).post(PACKAGES).set(AUTH).send(body);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body).toMatchObject({ displayName: 'Typed', description: 'd', isHidden: true, createdDateTime: '2030-01-01T00:00:00.0000000Z' });
    expect(Object.keys(res.body).filter((key) => key.includes('@odata.type', 1))).toEqual([]);
    expect(Object.keys(store.get('accessPackages', res.body.id) ?? {}).filter((key) => key.includes('@'))).toEqual([]);
  });

  it('in v1.0 and on a PATCH too', async () => {
    const { app, store, catalogId, accessPackageId } = await salesPackage();
    const created = await request(app)
      .post(`${V1}/accessPackages`)
      .set(AUTH)
      .send({ 'displayName@odata.type': '#Edm.Int32', displayName: 'x', catalog: { id: catalogId } });
    expectGraphError(created, 400, 'BadRequest', incompatible('Edm.Int32', 'Edm.String'));
    const patched = await request(app).patch(`${PACKAGES}/${accessPackageId}`).set(AUTH).send({ 'isHidden@odata.type': '#Edm.String', isHidden: true });
    expectGraphError(patched, 400, 'BadRequest', incompatible('Edm.String', 'Edm.Boolean'));
    expect(store.get('accessPackages', accessPackageId)?.['isHidden']).toBe(false);
  });
});

describe('an enum property’s odata.type annotation', () => {
  it.each([
    ['#String', kind('Edm.String', 'Enum', 'Primitive')],
    ['#microsoft.graph.roleType', incompatible('microsoft.graph.roleType', 'microsoft.graph.privilegeLevel')],
    ['#graph.roleType', incompatible('microsoft.graph.roleType', 'microsoft.graph.privilegeLevel')],
    ['#microsoft.graph.bogus', unresolved('microsoft.graph.bogus')],
    ['#graph.accessPackage', kind('graph.accessPackage', 'Enum', 'Entity')],
  ])('%s on a catalog’s privilegeLevel: the reader’s 400', async (type, message) => {
    const { app, store } = await salesPackage();
    const res = await request(app).post(CATALOGS).set(AUTH).send({ displayName: 'C', 'privilegeLevel@odata.type': type, privilegeLevel: 'standard' });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackageCatalogs')).toBe(1);
  });

  it('its own type, with the namespace or the alias, is taken', async () => {
    const { app } = await salesPackage();
    for (const type of ['#microsoft.graph.privilegeLevel', 'graph.privilegeLevel']) {
      const res = await request(app).post(CATALOGS).set(AUTH).send({ displayName: type, 'privilegeLevel@odata.type': type, privilegeLevel: 'privileged' });
      expect([type, res.status, res.body.privilegeLevel]).toEqual([type, 201, 'privileged']);
      expect(res.body).not.toHaveProperty(['privilegeLevel@odata.type']);
    }
  });
});

describe('in a policy’s complex values', () => {
  const settings = (extra: Record<string, unknown>) => ({ scopeType: 'SpecificDirectorySubjects', acceptRequests: true, ...extra });
  const singleUser = { '@odata.type': '#microsoft.graph.singleUser', id: USER, isBackup: false };

  it.each([
    [
      'a complex property’s, whatever it names',
      { 'requestorSettings@odata.type': '#microsoft.graph.requestorSettings', requestorSettings: settings({}) },
      COMPLEX,
    ],
    ['a complex property’s, its value null', { 'requestorSettings@odata.type': '#microsoft.graph.requestorSettings', requestorSettings: null }, COMPLEX],
    [
      'a primitive one’s in a complex value',
      { requestorSettings: settings({ 'scopeType@odata.type': '#Edm.Int32' }) },
      incompatible('Edm.Int32', 'Edm.String'),
    ],
    [
      'a derived type’s property’s in an item',
      { requestorSettings: settings({ allowedRequestors: [{ ...singleUser, 'id@odata.type': '#Edm.Guid' }] }) },
      incompatible('Edm.Guid', 'Edm.String'),
    ],
    [
      'a complex property’s in a complex value',
      {
        requestApprovalSettings: { 'approvalStages@odata.type': '#x', approvalStages: [], 'isApprovalRequired@odata.type': '#Byte', isApprovalRequired: false },
      },
      incompatible('Edm.Byte', 'Edm.Boolean'),
    ],
    [
      'a collection of primitives’, of another item type',
      { verifiableCredentialSettings: { credentialTypes: [{ 'issuers@odata.type': '#Collection(Edm.Int32)', issuers: ['did:web:contoso.com'] }] } },
      incompatible('Collection(Edm.Int32)', 'Collection(Edm.String)'),
    ],
    [
      'a collection of primitives’, a primitive type',
      { verifiableCredentialSettings: { credentialTypes: [{ 'issuers@odata.type': '#String', issuers: [] }] } },
      kind('Edm.String', 'Collection', 'Primitive'),
    ],
  ])('%s: the reader’s 400, nothing stored', async (_name, body, message) => {
    const { app, store, accessPackageId } = await salesPackage();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'p', accessPackageId, ...body });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });

  it('one of a property the type declares and the value does not hold is read, and its type not checked', async () => {
    const { app, accessPackageId } = await salesPackage();
    const requestorSettings = { 'acceptRequests@odata.type': '#Edm.Int32', 'allowedRequestors@odata.type': '#Edm.Int32', scopeType: 'NoSubjects' };
    const res = await request(app).post(POLICIES).set(AUTH).send({ displayName: 'a', accessPackageId, requestorSettings });
    expect(res.status).toBe(201);
    expect(res.body.requestorSettings).toMatchObject({ scopeType: 'NoSubjects' });
    expect(Object.keys(res.body.requestorSettings).filter((key) => key.includes('@'))).toEqual([]);
  });

  it('a collection of primitives takes its own type', async () => {
    const { app, accessPackageId } = await salesPackage();
    const credentialTypes = [{ 'issuers@odata.type': '#Collection(String)', issuers: ['did:web:contoso.com'], credentialType: 'VerifiedEmployee' }];
    const res = await request(app).post(POLICIES).set(AUTH).send({ displayName: 'v', accessPackageId, verifiableCredentialSettings: { credentialTypes } });
    expect(res.status).toBe(201);
    expect(res.body.verifiableCredentialSettings).toEqual({ credentialTypes: [{ credentialType: 'VerifiedEmployee', issuers: ['did:web:contoso.com'] }] });
  });

  it('a collection of complex values takes any type name, as the reader keeps it unchecked', async () => {
    const { app, accessPackageId } = await salesPackage();
    for (const type of ['#Collection(microsoft.graph.accessPackage)', '#microsoft.graph.userSet', '#Collection(microsoft.graph.singleUser)', 'garbage']) {
      const requestorSettings = settings({ 'allowedRequestors@odata.type': type, allowedRequestors: [{ ...singleUser, 'id@odata.type': '#String' }] });
      const res = await request(app).post(POLICIES).set(AUTH).send({ displayName: type, accessPackageId, requestorSettings });
      expect([type, res.status]).toEqual([type, 201]);
      expect(res.body.requestorSettings.allowedRequestors).toEqual([{ '@odata.type': '#microsoft.graph.singleUser', id: USER, isBackup: false }]);
    }
  });
});

describe('in a nested entity and in an action’s structured parameter', () => {
  it('a nested catalog’s primitive property: the reader’s 400', async () => {
    const { app, store, catalogId } = await salesPackage();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'n', accessPackageCatalog: { id: catalogId, 'displayName@odata.type': '#Edm.Int32', displayName: 'C' } });
    expectGraphError(res, 400, 'BadRequest', incompatible('Edm.Int32', 'Edm.String'));
    expect(store.count('accessPackages')).toBe(1);
  });

  it('getApplicablePolicyRequirements’ subject: its own type taken, another refused', async () => {
    const { app, accessPackageId } = await salesPackage();
    const url = `${PACKAGES}/${accessPackageId}/getApplicablePolicyRequirements`;
    const taken = await request(app)
      .post(url)
      .set(AUTH)
      .send({ subject: { 'objectId@odata.type': '#String', objectId: USER } });
    expect(taken.status).toBe(200);
    expect(taken.headers['content-type']).toBe(ODATA_JSON);
    expect(taken.body.value).toEqual([]);
    const refused = await request(app)
      .post(url)
      .set(AUTH)
      .send({ subject: { 'objectId@odata.type': '#Edm.Int32', objectId: USER } });
    expectGraphError(refused, 400, 'BadRequest', incompatible('Edm.Int32', 'Edm.String'));
  });
});
