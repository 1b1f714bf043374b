// $expand=questions on a v1.0 policy: the contained navigation of v1.0-Prod.csdl, read from the questions the policy
// holds (beta's questions property), each in v1.0's shape with its concrete @odata.type, whichever version wrote them.
// https://learn.microsoft.com/graph/api/accesspackageassignmentpolicy-get?view=graph-rest-1.0 ("the $expand
// parameter to retrieve relationships")
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, ODATA_JSON, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const POLICIES_V1 = `${V1}/assignmentPolicies`;
const question = {
  '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
  isAnswerEditable: true,
  isRequired: true,
  localizations: [{ languageCode: 'fr-CA', text: 'Pourquoi?' }],
  sequence: 1,
  text: 'Why?',
  isSingleLineQuestion: true,
  regexPattern: null,
};

async function setup() {
  const { app, catalogId } = await setupV1();
  const accessPackageId = await createV1Package(app, catalogId, 'p');
  const created = await request(app)
    .post(POLICIES_V1)
    .set(AUTH)
    .send({ displayName: 'q', accessPackage: { id: accessPackageId }, questions: [question] });
  expect(created.status).toBe(201);
  return { app, accessPackageId, id: created.body.id as string, questionId: created.body.questions[0].id as string };
}

async function get(app: Parameters<typeof request>[0], url: string) {
  const res = await request(app).get(url).set(AUTH);
  expect([res.status, res.headers['content-type']]).toEqual([200, ODATA_JSON]);
  expectGraphHeaders(res);
  return res.body;
}

const V1_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement';

describe('$expand=questions on a v1.0 policy', () => {
  it('answers the policy with its questions, as a create that sent them answered', async () => {
    const { app, id, questionId } = await setup();
    const body = await get(app, `${POLICIES_V1}/${id}?$expand=questions`);
    expect(body.questions).toEqual([{ ...question, id: questionId }]);
    expect(body['@odata.context']).toBe(
      'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies(questions())/$entity',
    );
  });

  it('takes a nested $select, keeping the id and the @odata.type of the abstract type', async () => {
    const { app, id, questionId } = await setup();
    const body = await get(app, `${POLICIES_V1}/${id}?$expand=questions($select=text)&$select=displayName`);
    expect(body.questions).toEqual([{ '@odata.type': question['@odata.type'], id: questionId, text: 'Why?' }]);
    expect(body.displayName).toBe('q');
  });

  it('reads in v1.0 the questions beta wrote, in a list and through a package', async () => {
    const { app, accessPackageId, id } = await setup();
    const beta = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({
        accessPackageId,
        displayName: 'b',
        questions: [
          {
            '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
            text: { defaultText: 'Where?' },
            allowsMultipleSelection: true,
            choices: [{ actualValue: 'KE', displayValue: { defaultText: 'Kenya' } }],
          },
        ],
      });
    const list = await get(app, `${POLICIES_V1}?$expand=questions&$select=id&$orderby=displayName`);
    const at = (policy: string) => `${V1_CONTEXT}/assignmentPolicies('${policy}')/questions`;
    expect(list.value).toEqual([
      {
        id: beta.body.id,
        'questions@odata.context': at(beta.body.id),
        questions: [
          {
            '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
            id: beta.body.questions[0].id,
            isAnswerEditable: null,
            isRequired: null,
            localizations: [],
            sequence: null,
            text: 'Where?',
            choices: [{ actualValue: 'KE', text: 'Kenya', localizations: [] }],
            isMultipleSelectionAllowed: true,
          },
        ],
      },
      { id, 'questions@odata.context': at(id), questions: [expect.objectContaining({ text: 'Why?' })] },
    ]);
    const pkg = await get(app, `${V1}/accessPackages/${accessPackageId}?$expand=assignmentPolicies($expand=questions;$select=id)`);
    expect(pkg.assignmentPolicies.map((p: { questions: unknown[] }) => p.questions.length)).toEqual([1, 1]);
    // Two levels of contained navigations: the policy's path through the package.
    const policyPath = (policy: string) => `${V1_CONTEXT}/accessPackages('${accessPackageId}')/assignmentPolicies('${policy}')/questions`;
    expect(pkg.assignmentPolicies.map((p: Record<string, unknown>) => p['questions@odata.context'])).toEqual(
      pkg.assignmentPolicies.map((p: { id: string }) => policyPath(p.id)),
    );
  });

  it('beta has no questions navigation: its questions are a property, and $expand=questions stays a 400', async () => {
    const { app, id } = await setup();
    const res = await request(app).get(`${POLICIES}/${id}?$expand=questions`).set(AUTH);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("Could not find a property named 'questions' on type 'microsoft.graph.accessPackageAssignmentPolicy'.");
    expect((await get(app, `${POLICIES}/${id}`)).questions).toHaveLength(1);
  });
});

describe('…/assignmentPolicies/{id}/questions', () => {
  it('lists the questions, with $count, $skip, $top and $select, in one page', async () => {
    const { app, id, questionId } = await setup();
    const path = `${POLICIES_V1}/${id}/questions`;
    const all = await get(app, path);
    expect(all).toEqual({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies('${id}')/questions`,
      value: [{ ...question, id: questionId }],
    });
    const page = await get(app, `${path}?$count=true&$skip=1&$top=1&$select=text`);
    expect([page['@odata.count'], page.value]).toEqual([1, []]);
    expect((await get(app, `${path}?$select=text`)).value).toEqual([{ '@odata.type': question['@odata.type'], id: questionId, text: 'Why?' }]);
  });

  it('$select=* keeps every property of each question, those of its derived type too, as no $select does', async () => {
    const { app, id, questionId } = await setup();
    const path = `${POLICIES_V1}/${id}/questions`;
    const full = { ...question, id: questionId };
    expect((await get(app, `${path}?$select=*`)).value).toEqual([full]);
    const { '@odata.context': _, ...one } = await get(app, `${path}/${questionId}?$select=*`);
    expect(one).toEqual(full);
    expect((await get(app, `${POLICIES_V1}/${id}?$expand=questions($select=*)`)).questions).toEqual([full]);
  });

  it('refuses a $skiptoken, as every list refuses one it did not give: the questions are one page', async () => {
    const { app, id } = await setup();
    const res = await request(app).get(`${POLICIES_V1}/${id}/questions?$skiptoken=abc`).set(AUTH);
    expect([res.status, res.headers['content-type']]).toEqual([400, 'application/json']);
    expectGraphHeaders(res);
    expect(res.body.error).toMatchObject({
      code: 'BadRequest',
      message: 'The $skiptoken value is not valid. Follow @odata.nextLink as returned, without changing it.',
    });
  });

  it('refuses $search naming the questions, not the policies that hold them', async () => {
    const { app, id, questionId } = await setup();
    for (const path of [`${POLICIES_V1}/${id}/questions`, `${POLICIES_V1}/${id}/questions/${questionId}`]) {
      const res = await request(app).get(`${path}?$search=why`).set(AUTH);
      expect([res.status, res.headers['content-type']]).toEqual([400, 'application/json']);
      expectGraphHeaders(res);
      expect(res.body.error).toMatchObject({ code: 'BadRequest', message: "The query parameter '$search' is not supported on questions." });
    }
  });

  it('reads one question by its id, in any case; another id is a 404 and a write a 405', async () => {
    const { app, id, questionId } = await setup();
    const one = await get(app, `${POLICIES_V1}/${id}/questions/${questionId.toUpperCase()}`);
    expect(one).toEqual({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies('${id}')/questions/$entity`,
      ...question,
      id: questionId,
    });
    const missing = await request(app).get(`${POLICIES_V1}/${id}/questions/00000000-0000-0000-0000-000000000000`).set(AUTH);
    expect([missing.status, missing.body.error.code]).toEqual([404, 'ResourceNotFound']);
    const post = await request(app).post(`${POLICIES_V1}/${id}/questions`).set(AUTH).send(question);
    expect([post.status, post.headers['allow'], post.body.error.code]).toEqual([405, 'GET, HEAD', 'MethodNotAllowed']);
    const patch = await request(app).patch(`${POLICIES_V1}/${id}/questions/${questionId}`).set(AUTH).send({ text: 'x' });
    expect([patch.status, patch.headers['allow']]).toEqual([405, 'GET, HEAD']);
  });
});

describe('questions loaded without an id', () => {
  const CATALOG = '5d1c0a3e-8f0b-4a5e-9c1d-2b7e4f6a8c90';
  const PACKAGE = '8c2a1f54-7f3e-4d0b-9a51-2f0c6f1e4b7a';
  const POLICY = '0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5';
  const records = {
    accessPackageCatalogs: [{ id: CATALOG, displayName: 'Sales' }],
    accessPackages: [{ id: PACKAGE, displayName: 'CRM', catalogId: CATALOG }],
    accessPackageAssignmentPolicies: [
      {
        id: POLICY,
        displayName: 'With questions',
        accessPackageId: PACKAGE,
        questions: [
          { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', text: { defaultText: 'Why?', localizedTexts: [] } },
          { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', id: null, text: { defaultText: 'Who?', localizedTexts: [] } },
          { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', id: 'kept', text: { defaultText: 'When?', localizedTexts: [] } },
        ],
      },
    ],
  };

  it('get one, the same at each load, so v1.0 reads each by its path and a GET goes back as a PUT', async () => {
    const app = createApp({ store: new MemoryStore() });
    const load = async () => {
      expect((await request(app).post('/_emulator/reset').send(records)).status).toBe(200);
      return (await get(app, `${POLICIES_V1}/${POLICY}/questions`)).value.map((q: { id: string }) => q.id) as string[];
    };
    const ids = await load();
    expect(ids).toEqual([expect.stringMatching(GUID_V5), expect.stringMatching(GUID_V5), 'kept']);
    expect(new Set(ids).size).toBe(3);
    expect(await load()).toEqual(ids);
    expect((await get(app, `${POLICIES}/${POLICY}`)).questions.map((q: { id: string }) => q.id)).toEqual(ids);
    expect((await get(app, `${POLICIES_V1}/${POLICY}/questions/${ids[0]}`)).text).toBe('Why?');
    const { '@odata.context': _, ...read } = await get(app, `${POLICIES_V1}/${POLICY}?$expand=questions`);
    const put = await request(app).put(`${POLICIES_V1}/${POLICY}`).set(AUTH).send(read);
    expect(put.status).toBe(200);
    expect(put.body.questions.map((q: { id: string }) => q.id)).toEqual(ids);
  });
});

const GUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
