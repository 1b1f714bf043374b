// A policy's question ids are the service's: "Question IDs are read-only and are included in the response by
// default" (the create page, example 3). A create gives every question a new GUID; a PUT keeps the id of a question
// the policy already has, so a GET sent back as a PUT keeps them.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, GUID, ODATA_JSON, POLICIES, expectGraphHeaders } from '../support/graph.js';

const text = (defaultText: string) => ({ defaultText, localizedTexts: [] });
const textQuestion = (id: string | undefined, defaultText: string) => ({
  '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
  ...(id === undefined ? {} : { id }),
  isRequired: false,
  text: text(defaultText),
});
const choiceQuestion = (id: string | undefined) => ({
  '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
  ...(id === undefined ? {} : { id }),
  choices: [{ actualValue: 'AZ' }],
  allowsMultipleSelection: false,
});
const ids = (questions: { id: string }[]) => questions.map((q) => q.id);

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const accessPackageId = await createPackage(app, 'Sales reps', await createCatalog(app, 'Sales'));
  const create = (questions: unknown[]) => request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p', questions });
  return { store, app, accessPackageId, create };
}

describe('question ids', () => {
  it('a create gives every question a new GUID, whatever it sent: none, one of its own, or one twice', async () => {
    const { store, create } = await setup();
    const res = await create([textQuestion(undefined, 'Who is your manager?'), choiceQuestion('kept'), textQuestion('abc', 'a'), textQuestion('abc', 'b')]);
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    const given = ids(res.body.questions);
    expect(given).toEqual([expect.stringMatching(GUID), expect.stringMatching(GUID), expect.stringMatching(GUID), expect.stringMatching(GUID)]);
    expect(new Set(given).size).toBe(4);
    // Only the ids change: every question is otherwise kept as sent, in its order.
    expect(res.body.questions[1]).toEqual({ ...choiceQuestion(undefined), id: given[1] });
    expect(res.body.questions.map((q: { text?: { defaultText: string } }) => q.text?.defaultText)).toEqual(['Who is your manager?', undefined, 'a', 'b']);
    expect(ids(store.get('accessPackageAssignmentPolicies', res.body.id)!.questions as { id: string }[])).toEqual(given);
  });

  it('a GET sent back as a PUT keeps the ids; a question the policy lacks gets a new one', async () => {
    const { app, create } = await setup();
    const created = (await create([textQuestion(undefined, 'a'), choiceQuestion(undefined)])).body;
    const read = (await request(app).get(`${POLICIES}/${created.id}`).set(AUTH)).body;
    const { '@odata.context': _context, ...policy } = read;
    const replaced = await request(app)
      .put(`${POLICIES}/${created.id}`)
      .set(AUTH)
      .send({ ...policy, questions: [...policy.questions, textQuestion(undefined, 'new')] });
    expect(replaced.status).toBe(200);
    expectGraphHeaders(replaced);
    const [first, second, added] = ids(replaced.body.questions);
    expect([first, second]).toEqual(ids(created.questions));
    expect(added).toMatch(GUID);
    expect(ids(created.questions)).not.toContain(added);
    expect(ids((await request(app).get(`${POLICIES}/${created.id}`).set(AUTH)).body.questions)).toEqual([first, second, added]);
  });

  it('a PUT keeps an id of its own policy once, and replaces one of another policy or a made-up one', async () => {
    const { app, create } = await setup();
    const mine = (await create([textQuestion(undefined, 'mine')])).body;
    const other = (await create([textQuestion(undefined, 'other')])).body;
    const [own] = ids(mine.questions);
    const [foreign] = ids(other.questions);
    const res = await request(app)
      .put(`${POLICIES}/${mine.id}`)
      .set(AUTH)
      .send({
        accessPackageId: mine.accessPackageId,
        displayName: 'p',
        questions: [textQuestion(own!.toUpperCase(), 'a'), textQuestion(own, 'b'), textQuestion(foreign, 'c'), textQuestion('abc', 'd')],
      });
    expect(res.status).toBe(200);
    const given = ids(res.body.questions);
    expect(given[0]).toBe(own);
    expect(given.slice(1)).toEqual([expect.stringMatching(GUID), expect.stringMatching(GUID), expect.stringMatching(GUID)]);
    expect(new Set(given).size).toBe(4);
    expect(given).not.toContain(foreign);
  });
});

// accessPackageLocalizedText's languageCode is "Required" (beta and v1.0 pages); v1.0 cannot show a text without one.
describe('localized texts', () => {
  const localized = (localizedTexts: unknown[]) => ({ ...textQuestion(undefined, 'Why?'), text: { defaultText: 'Why?', localizedTexts } });
  const REFUSED = { code: 'BadRequest', message: "Invalid value for property 'questions': a localized text's languageCode is required." };

  it.each([
    ['a null languageCode in a question text', [localized([{ languageCode: null, text: 'Pourquoi ?' }])]],
    ['no languageCode in a question text', [localized([{ text: 'Pourquoi ?' }])]],
    [
      'no languageCode in a choice',
      [{ ...choiceQuestion(undefined), choices: [{ actualValue: 'AZ', displayValue: { defaultText: 'Arizona', localizedTexts: [{ text: 'Arizona' }] } }] }],
    ],
  ])('a beta create with %s is a 400 naming questions', async (_name, questions) => {
    const { create } = await setup();
    const res = await create(questions);
    expect([res.status, res.headers['content-type']]).toEqual([400, 'application/json']);
    expectGraphHeaders(res);
    expect(res.body.error).toMatchObject(REFUSED);
  });

  it('a v1.0 create with a localization of no languageCode is the same 400; one with it is stored and reads back through v1.0 as a PUT takes it', async () => {
    const { app, accessPackageId } = await setup();
    const v1 = '/v1.0/identityGovernance/entitlementManagement/assignmentPolicies';
    const question = (localizations: unknown[]) => ({ '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', text: 'Why?', localizations });
    const send = (localizations: unknown[]) =>
      request(app)
        .post(v1)
        .set(AUTH)
        .send({ displayName: 'p', accessPackage: { id: accessPackageId }, questions: [question(localizations)] });
    const refused = await send([{ text: 'Pourquoi ?' }]);
    expect([refused.status, refused.body.error]).toEqual([400, expect.objectContaining(REFUSED)]);
    const created = await send([{ languageCode: 'fr-FR', text: 'Pourquoi ?' }]);
    expect(created.status).toBe(201);
    const { '@odata.context': _, ...read } = (await request(app).get(`${v1}/${created.body.id}?$expand=questions`).set(AUTH)).body;
    expect(read.questions[0].localizations).toEqual([{ languageCode: 'fr-FR', text: 'Pourquoi ?' }]);
    const put = await request(app).put(`${v1}/${created.body.id}`).set(AUTH).send(read);
    expect(put.status).toBe(200);
  });
});
