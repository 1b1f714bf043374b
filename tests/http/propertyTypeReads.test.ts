// Which type a property's `odata.type` annotation is read against, and when the reader looks at it at all: the
// primitive types an Int32 converts from, the body's own type however it is written, and a value refused for its type
// or its shape before its annotations are read.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const incompatible = (name: string, expected: string) =>
  `A value was encountered that has a type name that is incompatible with the metadata. The value specified its type as '${name}', but the type specified in the metadata is '${expected}'.`;
const question = (annotation: string) => ({
  '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
  isRequired: false,
  sequence: 2,
  'sequence@odata.type': annotation,
  text: { defaultText: 'Why?', localizedTexts: [] },
});

describe('an Int32 property’s annotation (a question’s sequence)', () => {
  it.each(['#SByte', '#Byte', '#Int16', 'Edm.Int32'])('%s, a type it converts from, is taken and not kept', async (type) => {
    const { app, store, accessPackageId } = await salesPackage();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'q', accessPackageId, questions: [question(type)] });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body.questions).toEqual([expect.objectContaining({ sequence: 2 })]);
    expect(Object.keys(res.body.questions[0]).filter((key) => key.includes('@odata.type', 1))).toEqual([]);
    expect(store.count('accessPackageAssignmentPolicies')).toBe(1);
  });

  it.each([
    ['#Int64', 'Edm.Int64'],
    ['#Double', 'Edm.Double'],
    ['#Single', 'Edm.Single'],
    ['#Edm.PrimitiveType', 'Edm.PrimitiveType'],
  ])('%s, a wider number or the abstract primitive type, is the reader’s 400', async (type, name) => {
    const { app, store, accessPackageId } = await salesPackage();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'q', accessPackageId, questions: [question(type)] });
    expectGraphError(res, 400, 'BadRequest', incompatible(name, 'Edm.Int32'));
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });
});

describe('a date’s annotation', () => {
  it.each([
    [{ 'createdDateTime@odata.type': '#String', createdDateTime: '2030-01-01T00:00:00Z' }, incompatible('Edm.String', 'Edm.DateTimeOffset')],
    [{ 'displayName@odata.type': '#Date' }, incompatible('Edm.Date', 'Edm.String')],
  ])('%j: a DateTimeOffset takes Edm.Date alone, and Edm.Date converts to nothing else', async (annotation, message) => {
    const { app, store, catalogId } = await salesPackage();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'Dated', ...annotation, catalogId });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackages')).toBe(1);
  });
});

describe('the type the annotations of a body are read against', () => {
  it.each([
    ['beta', 'microsoft.graph.accessPackage'],
    ['beta', '#graph.accessPackage'],
    ['beta', '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage'],
    ['v1.0', 'graph.accessPackage'],
  ])('%s: the body’s own type written as %s', async (version, type) => {
    const { app, store, catalogId } = await salesPackage();
    const [url, inCatalog] = version === 'beta' ? [PACKAGES, { catalogId }] : [`${V1}/accessPackages`, { catalog: { id: catalogId } }];
    const res = await request(app)
      .post(url)
      .set(AUTH)
      .send({ '@odata.type': type, 'displayName@odata.type': '#Edm.Int32', displayName: 'Typed', ...inCatalog });
    expectGraphError(res, 400, 'BadRequest', incompatible('Edm.Int32', 'Edm.String'));
    expect(store.count('accessPackages')).toBe(1);
  });

  it('a nested entity of another type is refused for its type, its annotations unread', async () => {
    const { app, store, catalogId } = await salesPackage();
    const accessPackageCatalog = { '@odata.type': '#microsoft.graph.accessPackage', id: catalogId, 'displayName@odata.type': '#Edm.Int32', displayName: 'C' };
    const res = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'n', accessPackageCatalog });
    expectGraphError(
      res,
      400,
      'BadRequest',
      "A resource with type 'microsoft.graph.accessPackage' was found, but it is not assignable to the expected type 'microsoft.graph.accessPackageCatalog'. The type specified in the resource must be equal to either the expected type or a derived type.",
    );
    expect(store.count('accessPackages')).toBe(1);
  });
});

describe('a structured property’s annotation when its value has the wrong shape', () => {
  const refused = (property: string, literal: string, type: string) =>
    `Invalid value for property '${property}': cannot convert the literal '${literal}' to the expected type '${type}'.`;

  it.each([
    [{ 'requestorSettings@odata.type': '#x', requestorSettings: 5 }, refused('requestorSettings', '5', 'microsoft.graph.requestorSettings')],
    [{ 'requestorSettings@odata.type': '#x', requestorSettings: [] }, refused('requestorSettings', '[]', 'microsoft.graph.requestorSettings')],
    [
      { requestorSettings: { scopeType: 'NoSubjects', 'allowedRequestors@odata.type': '#x', allowedRequestors: {} } },
      refused('requestorSettings', '{"scopeType":"NoSubjects","allowedRequestors":{}}', 'microsoft.graph.requestorSettings'),
    ],
  ])('%j: refused for the value, as the reader refuses it before it checks the annotation', async (body, message) => {
    const { app, store, accessPackageId } = await salesPackage();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'p', accessPackageId, ...body });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });
});
