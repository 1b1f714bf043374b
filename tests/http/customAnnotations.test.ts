// Annotations Graph's OData reader skips in a request body: custom instance annotations (`@contoso.note`), custom
// property annotations (`displayName@contoso.x`) and property annotations in the odata namespace it does not know
// (`displayName@odata.typo`), at the top of a body and in its complex values. Nothing of them is stored or answered.
// A custom one naming a property the type does not have, or written after its property, is the reader's 400.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const SKIPPED = {
  '@contoso.note': 'x',
  '@note': { deep: [1] },
  'displayName@contoso.x': 1,
  'description@odata.typo': [true],
  'foo@odata.typo': 1,
};

describe('annotations the reader skips', () => {
  it('a create with them is a 201 answering and storing none of them, in beta and v1.0', async () => {
    const { app, store, catalogId } = await salesPackage();
    for (const path of [PACKAGES, `${V1}/accessPackages`]) {
      const res = await request(app)
        .post(path)
        .set(AUTH)
        .send({ ...SKIPPED, displayName: `Noted ${path.length}`, description: 'd', ...(path === PACKAGES ? { catalogId } : { catalog: { id: catalogId } }) });
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe(ODATA_JSON);
      expect(res.body).toMatchObject({ displayName: `Noted ${path.length}`, description: 'd' });
      expect(Object.keys(res.body).filter((key) => key.includes('@') && !key.startsWith('@odata.'))).toEqual([]);
      const stored = store.get('accessPackages', res.body.id) ?? {};
      expect(Object.keys(stored).filter((key) => key.includes('@'))).toEqual([]);
    }
  });

  it('a PATCH with them changes what it names, and a complex value keeps none of them', async () => {
    const { app, store, accessPackageId } = await salesPackage();
    const patched = await request(app)
      .patch(`${PACKAGES}/${accessPackageId}`)
      .set(AUTH)
      .send({ ...SKIPPED, displayName: 'Renamed' });
    expect(patched.status).toBe(204);
    expect(patched.text).toBe('');
    expect(store.get('accessPackages', accessPackageId)?.['displayName']).toBe('Renamed');
    const settings = {
      '@contoso.note': 'x',
      'scopeType@contoso.x': 1,
      scopeType: 'NoSubjects',
      'acceptRequests@odata.typo': 1,
      acceptRequests: true,
      allowedRequestors: [],
    };
    const policy = await request(app).post(POLICIES).set(AUTH).send({ displayName: 'p', accessPackageId, requestorSettings: settings });
    expect(policy.status).toBe(201);
    expect(policy.body.requestorSettings).toEqual({ scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] });
    const read = await request(app).get(`${POLICIES}/${policy.body.id}`).set(AUTH);
    expect(read.body.requestorSettings).toEqual({ scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] });
  });

  it('a custom annotation of a property the type has but the body leaves out is skipped: 201, the property unset', async () => {
    const { app, store, catalogId } = await salesPackage();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Undescribed', 'description@contoso.x': 1, catalogId });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body).toMatchObject({ displayName: 'Undescribed', description: null, catalogId });
    expect(Object.keys(store.get('accessPackages', res.body.id) ?? {}).filter((key) => key.includes('@'))).toEqual([]);
  });

  it('in a complex value, one of a property its type has and the value leaves out is skipped too: 201, nothing of it kept', async () => {
    const { app, accessPackageId } = await salesPackage();
    const single = { '@odata.type': '#microsoft.graph.singleUser', id: '7deff43e-1f17-44ef-9e5f-d516b0ba11d4', 'description@contoso.x': 1 };
    const requestorSettings = { scopeType: 'SpecificDirectorySubjects', 'acceptRequests@contoso.x': 1, allowedRequestors: [single] };
    const res = await request(app).post(POLICIES).set(AUTH).send({ displayName: 'p', accessPackageId, requestorSettings });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body.requestorSettings).toEqual({
      scopeType: 'SpecificDirectorySubjects',
      allowedRequestors: [{ '@odata.type': '#microsoft.graph.singleUser', id: '7deff43e-1f17-44ef-9e5f-d516b0ba11d4' }],
    });
    const read = await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH);
    expect(JSON.stringify(read.body.requestorSettings)).not.toContain('contoso');
  });

  it('in a collection, only the items that carry them change: every requestor kept, in order', async () => {
    const { app, accessPackageId } = await salesPackage();
    const user = (id: string) => ({ '@odata.type': '#microsoft.graph.singleUser', id, isBackup: false });
    const first = user('7deff43e-1f17-44ef-9e5f-d516b0ba11d4');
    const second = user('8deff43e-1f17-44ef-9e5f-d516b0ba11d4');
    const requestorSettings = {
      scopeType: 'SpecificDirectorySubjects',
      acceptRequests: true,
      allowedRequestors: [first, { '@contoso.note': 'x', 'id@contoso.y': 1, ...second }],
    };
    const res = await request(app).post(POLICIES).set(AUTH).send({ displayName: 'p', accessPackageId, requestorSettings });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body.requestorSettings.allowedRequestors).toEqual([expect.objectContaining(first), expect.objectContaining(second)]);
    const read = await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH);
    expect(read.body.requestorSettings.allowedRequestors).toEqual(res.body.requestorSettings.allowedRequestors);
    expect(JSON.stringify(read.body.requestorSettings)).not.toContain('contoso');
  });

  it('a custom annotation of a property the type does not have is a 400 naming the property, nothing stored', async () => {
    const { app, store } = await salesPackage();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'x', 'foo@contoso.x': 1 });
    expectGraphError(
      res,
      400,
      'BadRequest',
      "The property 'foo' does not exist on type 'microsoft.graph.accessPackage'. Make sure to only use property names that are defined by the type.",
    );
    expect(store.count('accessPackages')).toBe(1);
  });

  it('a custom annotation after its property is the reader’s 400, at the top and in a complex value', async () => {
    const { app, store, accessPackageId } = await salesPackage();
    const top = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'x', 'displayName@contoso.x': 1 });
    expectGraphError(
      top,
      400,
      'BadRequest',
      "An annotation with name 'contoso.x' for property 'displayName' was detected after the property, or after an annotation for another property. In OData, annotations for a property must be in a single group and must appear before the property they annotate.",
    );
    const nested = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'p', accessPackageId, requestorSettings: { scopeType: 'NoSubjects', 'scopeType@contoso.x': 1 } });
    expectGraphError(nested, 400, 'BadRequest', /^An annotation with name 'contoso.x' for property 'scopeType' was detected after the property/);
    expect(store.count('accessPackages')).toBe(1);
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });
});

describe('a complex value’s property typed by @odata.type', () => {
  it('is read as the top level’s are: 201, the annotation neither answered nor stored', async () => {
    const { app, accessPackageId } = await salesPackage();
    const settings = {
      'scopeType@odata.type': '#String',
      scopeType: 'NoSubjects',
      acceptRequests: true,
      'allowedRequestors@odata.type': '#Collection(microsoft.graph.userSet)',
      allowedRequestors: [],
    };
    const res = await request(app).post(POLICIES).set(AUTH).send({ displayName: 'p', accessPackageId, requestorSettings: settings });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body.requestorSettings).toEqual({ scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] });
    const read = await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH);
    expect(read.body.requestorSettings).toEqual({ scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] });
  });

  it('one of a property its type does not have is still a 400, nothing stored', async () => {
    const { app, store, accessPackageId } = await salesPackage();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'p', accessPackageId, requestorSettings: { 'foo@odata.type': '#String', scopeType: 'NoSubjects' } });
    expectGraphError(res, 400, 'BadRequest', /^The property 'foo@odata.type' does not exist on type 'microsoft.graph.requestorSettings'\./);
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });
});
