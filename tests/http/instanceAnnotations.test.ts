// The instance annotations Graph's OData reader takes in a resource, the body's entity and every complex value or
// nested entity in it: `@odata.type`, `@odata.id`, `@odata.etag` and the link annotations, each a string;
// `@odata.context` a string or null, whatever it names. Another annotation it knows (`@odata.bind` without a property, `@odata.count`,
// `@odata.nextLink`, …) or one of those with a value of another JSON type is a 400 in the reader's words, nothing
// stored; an annotation it does not know is skipped.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const notExpected = (name: string) => `The annotation '${name}' was found. This annotation is either not recognized or not expected at the current position.`;

describe('instance annotations in a request body', () => {
  it.each([
    ['@odata.bind', 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackageCatalogs/x', notExpected('odata.bind')],
    ['@odata.count', 1, notExpected('odata.count')],
    ['@odata.nextLink', 'https://graph.microsoft.com/beta/x', notExpected('odata.nextLink')],
    ['@odata.null', true, notExpected('odata.null')],
    ['@odata.associationLink', 'x', notExpected('odata.associationLink')],
    ['@odata.navigationLink', 'x', notExpected('odata.navigationLink')],
    ['@odata.deltaLink', 'x', notExpected('odata.deltaLink')],
    ['@odata.removed', { reason: 'deleted' }, notExpected('odata.removed')],
    ['@odata.delta', [], notExpected('odata.delta')],
    ['@odata.etag', 5, "Cannot read the value '5' for the property 'odata.etag' as a quoted JSON string value."],
    ['@odata.id', true, "Cannot read the value 'True' for the property 'odata.id' as a quoted JSON string value."],
    ['@odata.mediaEtag', false, "Cannot read the value 'False' for the property 'odata.mediaEtag' as a quoted JSON string value."],
    ['@odata.editLink', { href: 'x' }, "An unexpected 'StartObject' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected."],
    ['@odata.readLink', ['x'], "An unexpected 'StartArray' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected."],
    // odata.context is read first wherever it was sent, as a string or null, in words of its own
    ['@odata.context', 5, "Cannot read the value '5' as a quoted JSON string value."],
    ['@odata.context', false, "Cannot read the value 'False' as a quoted JSON string value."],
    ['@odata.context', { href: 'x' }, "An unexpected 'StartObject' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected."],
    [
      '@odata.etag',
      null,
      "The 'odata.etag' instance or property annotation has a null value. In OData, the 'odata.etag' instance or property annotation must have a non-null string value.",
    ],
  ])('%s %j at the top of a create: a 400, nothing stored', async (name, value, message) => {
    const { app, store } = await salesPackage();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'Annotated', [name]: value });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackages')).toBe(1);
  });

  it('in a complex value, a nested entity or a PATCH alike', async () => {
    const { app, store, catalogId, accessPackageId } = await salesPackage();
    const policy = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({
        accessPackageId,
        requestorSettings: { scopeType: 'SpecificDirectorySubjects', allowedRequestors: [{ '@odata.type': '#microsoft.graph.singleUser', '@odata.count': 1 }] },
      });
    expectGraphError(policy, 400, 'BadRequest', notExpected('odata.count'));
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
    const nested = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ accessPackageCatalog: { '@odata.etag': 7, id: catalogId } });
    expectGraphError(nested, 400, 'BadRequest', "Cannot read the value '7' for the property 'odata.etag' as a quoted JSON string value.");
    const context = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId, requestorSettings: { '@odata.context': 1, scopeType: 'NoSubjects' } });
    expectGraphError(context, 400, 'BadRequest', "Cannot read the value '1' as a quoted JSON string value.");
    const patched = await request(app).patch(`${PACKAGES}/${accessPackageId}`).set(AUTH).send({ displayName: 'Renamed', '@odata.nextLink': 'x' });
    expectGraphError(patched, 400, 'BadRequest', notExpected('odata.nextLink'));
    const v1 = await request(app)
      .post(`${V1}/accessPackages`)
      .set(AUTH)
      .send({ displayName: 'x', catalog: { id: catalogId }, '@odata.bind': 'x' });
    expectGraphError(v1, 400, 'BadRequest', notExpected('odata.bind'));
    expect(store.list('accessPackages').map((p) => p['displayName'])).toEqual(['Sales reps']);
  });

  it('a complex value keeps its @odata.type alone: its other annotations are neither answered nor stored', async () => {
    const { app, accessPackageId } = await salesPackage();
    const id = '7deff43e-1f17-44ef-9e5f-d516b0ba11d4';
    const requestorSettings = {
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#microsoft.graph.requestorSettings',
      '@odata.etag': 'W/"1"',
      scopeType: 'SpecificDirectorySubjects',
      acceptRequests: true,
      allowedRequestors: [
        { '@odata.type': '#graph.singleUser', '@odata.id': '#graph.singleUser', '@odata.editLink': 'x', '@odata.typo': 1, id, isBackup: false },
      ],
    };
    const expected = {
      scopeType: 'SpecificDirectorySubjects',
      acceptRequests: true,
      allowedRequestors: [{ '@odata.type': '#microsoft.graph.singleUser', id, isBackup: false }],
    };
    const res = await request(app).post(POLICIES).set(AUTH).send({ displayName: 'p', accessPackageId, requestorSettings });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body.requestorSettings).toEqual(expected);
    const read = await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH);
    expect(read.status).toBe(200);
    expect(read.body.requestorSettings).toEqual(expected);
  });

  it('reads those it takes, and skips one it does not know: the create answer sent back is a create', async () => {
    const { app, catalogId } = await salesPackage();
    const created = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Again', catalogId });
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({
        ...created.body,
        '@odata.id': null,
        '@odata.etag': 'W/"1"',
        '@odata.editLink': 'x',
        '@odata.readLink': 'x',
        '@odata.mediaEditLink': 'x',
        '@odata.mediaReadLink': 'x',
        '@odata.mediaContentType': 'text/plain',
        '@odata.mediaEtag': 'W/"2"',
        '@odata.typo': 5,
        displayName: 'Again 2',
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ displayName: 'Again 2', catalogId });
  });

  // A request's reader takes any string or null for the context URL and does not read its fragment: one copied from
  // another answer, a relative one, or text that names nothing.
  it.each([
    'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageCatalogs/$entity',
    '$metadata#users',
    'not a URL',
    null,
  ])('takes @odata.context %j, answering with its own', async (context) => {
    const { app } = await salesPackage();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ '@odata.context': context, displayName: 'Copied' });
    expect([res.status, res.headers['content-type']]).toEqual([201, ODATA_JSON]);
    expect(res.body['@odata.context']).toBe('https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages/$entity');
    expect(res.body.displayName).toBe('Copied');
  });
});
