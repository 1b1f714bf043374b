// What a bound action's request may carry: the parameters its version's $metadata declares, of their types, and
// no system query option; the rest is a 400 in Graph's words, before the action runs.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { readCsdl } from '../../server/metadata/csdl.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const USER = '7deff43e-1f17-44ef-9e5f-d516b0ba11d4';
const ACTION = 'getApplicablePolicyRequirements';
const BETA_CONTEXT = 'https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.accessPackageAssignmentRequestRequirements)';
const notAParameter = (name: string, action = ACTION) =>
  `The parameter '${name}' in the request payload is not a valid parameter for the operation '${action}'.`;

/** A package with one policy that only USER may request through. */
async function setup() {
  const app = createApp({ store: new MemoryStore() });
  const catalogId = await createCatalog(app, 'Sales');
  const id = await createPackage(app, 'For one user', catalogId);
  const allowedRequestors = [{ '@odata.type': '#microsoft.graph.singleUser', id: USER, isBackup: false }];
  const requestorSettings = { scopeType: 'SpecificDirectorySubjects', acceptRequests: true, allowedRequestors };
  const policy = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: id, displayName: 'Requestable', requestorSettings });
  expect(policy.status).toBe(201);
  return { app, catalogId, id };
}

const post = (app: ReturnType<typeof createApp>, url: string, body?: string) => {
  const req = request(app).post(url).set(AUTH);
  return body === undefined ? req : req.set('Content-Type', 'application/json').send(body);
};

describe('getApplicablePolicyRequirements in beta', () => {
  it('takes no body, an empty one, or a subject, and answers for the subject', async () => {
    const { app, id } = await setup();
    const url = `${PACKAGES}/${id}/${ACTION}`;
    for (const body of [undefined, '{}', '{"@odata.context":"x","@odata.typo":1}', '{"subject":null}', '{"subject":{}}']) {
      const res = await post(app, url, body);
      expect([body, res.status, res.headers['content-type']]).toEqual([body, 200, ODATA_JSON]);
      expectGraphHeaders(res);
      expect(res.body).toEqual({ '@odata.context': BETA_CONTEXT, value: [] });
    }
    const subject = `{"subject":{"@odata.type":"#microsoft.graph.accessPackageSubject","objectId":"${USER}","displayName":"Adele"}}`;
    const res = await post(app, url, subject);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body).toEqual({ '@odata.context': BETA_CONTEXT, value: [expect.objectContaining({ policyDisplayName: 'Requestable' })] });
  });

  it('takes a subject’s subjectLifecycle, as beta-Prod declares it: a member of its enum, never null', async () => {
    const { app, id } = await setup();
    const url = `${PACKAGES}/${id}/${ACTION}`;
    const res = await post(app, url, `{"subject":{"objectId":"${USER}","subjectLifecycle":"governed"}}`);
    expect([res.status, res.headers['content-type']]).toEqual([200, ODATA_JSON]);
    expect(res.body).toEqual({ '@odata.context': BETA_CONTEXT, value: [expect.objectContaining({ policyDisplayName: 'Requestable' })] });
    for (const [literal, shown] of [
      ['"bogus"', 'bogus'],
      ['null', 'null'],
      ['2', '2'],
      ['"Governed"', 'Governed'],
    ]) {
      expectGraphError(
        await post(app, url, `{"subject":{"objectId":"${USER}","subjectLifecycle":${literal}}}`),
        400,
        'BadRequest',
        `Invalid value for property 'subjectLifecycle': cannot convert the literal '${shown}' to the expected type 'microsoft.graph.accessPackageSubjectLifecycle'.`,
      );
    }
  });

  it('refuses a body that is not an object, a parameter it does not declare, and a subject of the wrong type', async () => {
    const { app, id } = await setup();
    const url = `${PACKAGES}/${id}/${ACTION}`;
    for (const body of ['[]', '"x"', '5', 'null']) expectGraphError(await post(app, url, body), 400, 'InvalidModel', 'Model is not valid.');
    expectGraphError(await post(app, url, '{"foo":1}'), 400, 'BadRequest', notAParameter('foo'));
    expectGraphError(
      await post(app, url, '{"subject":"x"}'),
      400,
      'BadRequest',
      "Invalid value for property 'subject': cannot convert the literal 'x' to the expected type 'microsoft.graph.accessPackageSubject'.",
    );
    expectGraphError(
      await post(app, url, '{"subject":[]}'),
      400,
      'BadRequest',
      "Invalid value for property 'subject': cannot convert the literal '[]' to the expected type 'microsoft.graph.accessPackageSubject'.",
    );
    expectGraphError(
      await post(app, url, '{"subject":{"objectId":5}}'),
      400,
      'BadRequest',
      "Invalid value for property 'objectId': cannot convert the literal '5' to the expected type 'Edm.String'.",
    );
    // A subject's DateTimeOffset is read as a create reads one; its @odata.type names the subject's type or a derived one.
    for (const literal of ['"1"', '5']) {
      expectGraphError(
        await post(app, url, `{"subject":{"cleanupScheduledDateTime":${literal}}}`),
        400,
        'BadRequest',
        `Invalid value for property 'cleanupScheduledDateTime': cannot convert the literal '${JSON.parse(literal)}' to the expected type 'Edm.DateTimeOffset'.`,
      );
    }
    for (const literal of ['"2024-01-01T00:00:00Z"', 'null']) {
      const res = await post(app, url, `{"subject":{"cleanupScheduledDateTime":${literal}}}`);
      expect([literal, res.status, res.body]).toEqual([literal, 200, { '@odata.context': BETA_CONTEXT, value: [] }]);
    }
    expectGraphError(
      await post(app, url, '{"subject":{"@odata.type":"#microsoft.graph.accessPackage"}}'),
      400,
      'BadRequest',
      "A resource with type 'microsoft.graph.accessPackage' was found, but it is not assignable to the expected type 'microsoft.graph.accessPackageSubject'. The type specified in the resource must be equal to either the expected type or a derived type.",
    );
    expectGraphError(
      await post(app, url, `{"subject":{"id":"${USER}","userId":"x"}}`),
      400,
      'BadRequest',
      "The property 'userId' does not exist on type 'microsoft.graph.accessPackageSubject'. Make sure to only use property names that are defined by the type.",
    );
  });

  it('takes no system query option: an unknown one as lists refuse it, a known one naming the operation', async () => {
    const { app, id } = await setup();
    const url = `${PACKAGES}/${id}/${ACTION}`;
    expectGraphError(await post(app, `${url}?$top=abc&$bogus=1&$filter=xx`), 400, 'BadRequest', "The query parameter '$bogus' is not supported.");
    for (const [query, name] of [
      ['$top=1', '$top'],
      ['$filter=xx', '$filter'],
      ['select=policyId', '$select'],
      ['$count=true', '$count'],
    ]) {
      expectGraphError(await post(app, `${url}?${query}`), 400, 'BadRequest', `The query parameter '${name}' is not supported for the operation '${ACTION}'.`);
    }
    for (const query of ['custom=1', '$format=json']) {
      const res = await post(app, `${url}?${query}`);
      expect([query, res.status, res.body]).toEqual([query, 200, { '@odata.context': BETA_CONTEXT, value: [] }]);
    }
  });
});

describe('getApplicablePolicyRequirements in v1.0', () => {
  it('declares no parameter: a subject is refused as any other, and so are a non-object body and query options', async () => {
    const { app, id } = await setup();
    const url = `${V1}/accessPackages/${id}/${ACTION}`;
    expect((await post(app, url, '{}')).body).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.accessPackageAssignmentRequestRequirements)',
      value: [],
    });
    expectGraphError(await post(app, url, `{"subject":{"objectId":"${USER}"}}`), 400, 'BadRequest', notAParameter('subject'));
    expectGraphError(await post(app, url, '{"foo":1}'), 400, 'BadRequest', notAParameter('foo'));
    expectGraphError(await post(app, url, '[]'), 400, 'InvalidModel', 'Model is not valid.');
    expectGraphError(await post(app, `${url}?$bogus=1`), 400, 'BadRequest', "The query parameter '$bogus' is not supported.");
    expectGraphError(await post(app, `${url}?$top=1`), 400, 'BadRequest', `The query parameter '$top' is not supported for the operation '${ACTION}'.`);
  });
});

describe('moveToCatalog', () => {
  it('reads catalogId as the Edm.String its CSDL declares, takes no query option, and moves nothing when refused', async () => {
    const { app, catalogId, id } = await setup();
    const other = await createCatalog(app, 'Other');
    const url = `${PACKAGES}/${id}/moveToCatalog`;
    expectGraphError(
      await post(app, url, '{"catalogId":5}'),
      400,
      'BadRequest',
      "Invalid value for property 'catalogId': cannot convert the literal '5' to the expected type 'Edm.String'.",
    );
    expectGraphError(await post(app, url, '[]'), 400, 'InvalidModel', 'Model is not valid.');
    // catalogId is Nullable="false": the parameter reader refuses its null in the words it gives a property's.
    expectGraphError(
      await post(app, url, '{"catalogId":null}'),
      400,
      'BadRequest',
      "A null value was found for the property named 'catalogId', which has the expected type 'Edm.String[Nullable=False]'. The expected type 'Edm.String[Nullable=False]' does not allow null values.",
    );
    expectGraphError(
      await post(app, `${url}?$select=id`, JSON.stringify({ catalogId: other })),
      400,
      'BadRequest',
      "The query parameter '$select' is not supported for the operation 'moveToCatalog'.",
    );
    expect((await request(app).get(`${PACKAGES}/${id}?$select=catalogId`).set(AUTH)).body.catalogId).toBe(catalogId);
  });
});

describe('$metadata', () => {
  const actionsOf = async (version: 'beta' | 'v1.0') => {
    const res = await request(createApp({ store: new MemoryStore() }))
      .get(`/${version}/$metadata`)
      .buffer(true)
      .parse((stream, done) => {
        let text = '';
        stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        stream.on('end', () => done(null, text));
      });
    return readCsdl(res.body as string, version);
  };

  it('declares what the actions accept: a subject in beta only, of a type it describes', async () => {
    const beta = await actionsOf('beta');
    expect(beta.actions.get(ACTION)).toEqual([{ name: 'subject', type: 'graph.accessPackageSubject', nullable: true, navigation: false }]);
    expect(beta.types.get('accessPackageSubject')?.properties).toContainEqual({
      name: 'objectId',
      type: 'Edm.String',
      nullable: true,
      navigation: false,
      containsTarget: false,
    });
    expect(beta.types.get('accessPackageSubject')?.properties).toContainEqual({
      name: 'subjectLifecycle',
      type: 'graph.accessPackageSubjectLifecycle',
      nullable: false,
      navigation: false,
      containsTarget: false,
    });
    expect(beta.types.get('accessPackageSubjectLifecycle')?.members).toEqual(['notDefined', 'notGoverned', 'governed', 'unknownFutureValue']);
    expect(beta.actions.get('moveToCatalog')).toEqual([{ name: 'catalogId', type: 'Edm.String', nullable: false, navigation: false }]);
    expect((await actionsOf('v1.0')).actions.get(ACTION)).toEqual([]);
  });
});
