// v1.0's policy questions: a contained navigation (v1.0-Prod.csdl) a create or PUT sends inline, as Graph's v1.0
// create page does (example 4), answered with their service-given ids and stored as the beta questions the policy
// has, so beta and v1.0 read the same questions and a PUT in either version loses none of them.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentpolicies?view=graph-rest-1.0
import { describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { AUTH, GUID, ODATA_JSON, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

const POLICIES_V1 = `${V1}/assignmentPolicies`;

const choiceQuestion = {
  '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
  sequence: 1,
  isRequired: true,
  isAnswerEditable: true,
  text: 'What country are you working from?',
  localizations: [],
  isMultipleSelectionAllowed: false,
  choices: [
    { actualValue: 'KE', text: 'Kenya', localizations: [{ languageCode: 'fr-CA', text: 'Kenya' }] },
    { actualValue: 'JP', text: 'Japan', localizations: [] },
  ],
};
const textQuestion = {
  '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
  sequence: 2,
  isRequired: true,
  isAnswerEditable: false,
  text: 'What do you do for work?',
  localizations: [{ languageCode: 'fr-CA', text: 'Que fais-tu comme travail?' }],
  isSingleLineQuestion: false,
  regexPattern: '[a-zA-Z]+',
};

/** The same questions as beta stores and shows them. */
const betaChoice = {
  '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
  isAnswerEditable: true,
  isRequired: true,
  sequence: 1,
  text: { defaultText: 'What country are you working from?', localizedTexts: [] },
  allowsMultipleSelection: false,
  choices: [
    { actualValue: 'KE', displayValue: { defaultText: 'Kenya', localizedTexts: [{ languageCode: 'fr-CA', text: 'Kenya' }] } },
    { actualValue: 'JP', displayValue: { defaultText: 'Japan', localizedTexts: [] } },
  ],
};
const betaText = {
  '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
  isAnswerEditable: false,
  isRequired: true,
  sequence: 2,
  text: { defaultText: 'What do you do for work?', localizedTexts: [{ languageCode: 'fr-CA', text: 'Que fais-tu comme travail?' }] },
  isSingleLineQuestion: false,
  regexPattern: '[a-zA-Z]+',
};

async function setup() {
  const { app, catalogId } = await setupV1();
  const accessPackageId = await createV1Package(app, catalogId, 'p');
  return { app, accessPackageId };
}

const v1Policy = (accessPackageId: string, questions?: unknown[]) => ({
  displayName: 'A Policy With Questions',
  allowedTargetScope: 'allMemberUsers',
  requestorSettings: { enableTargetsToSelfAddAccess: true },
  accessPackage: { id: accessPackageId },
  ...(questions === undefined ? {} : { questions }),
});

async function send(app: Express, method: 'post' | 'put', url: string, body: object, status: number) {
  const res = await request(app)[method](url).set(AUTH).send(body);
  expect([res.status, res.headers['content-type']]).toEqual([status, ODATA_JSON]);
  expectGraphHeaders(res);
  const { '@odata.context': _context, ...entity } = res.body;
  return entity;
}

describe('a v1.0 policy with questions', () => {
  it('is created with them, each given a GUID, and beta reads them in its own shape with the same ids', async () => {
    const { app, accessPackageId } = await setup();
    const created = await send(app, 'post', POLICIES_V1, v1Policy(accessPackageId, [choiceQuestion, { ...textQuestion, id: 'mine' }]), 201);
    expect(created['questions']).toEqual([
      { id: expect.stringMatching(GUID), ...choiceQuestion },
      { ...textQuestion, id: expect.stringMatching(GUID) },
    ]);
    const ids = (created['questions'] as { id: string }[]).map((q) => q.id);
    expect(ids[1]).not.toBe('mine');
    const beta = (await request(app).get(`${POLICIES}/${created['id']}`).set(AUTH)).body;
    expect(beta.questions).toEqual([
      { ...betaChoice, id: ids[0] },
      { ...betaText, id: ids[1] },
    ]);
    // A GET answers the policy without its navigation properties, as for accessPackage and catalog.
    const read = await request(app).get(`${POLICIES_V1}/${created['id']}`).set(AUTH);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('questions');
  });

  it('a create without questions has none, in either version', async () => {
    const { app, accessPackageId } = await setup();
    const created = await send(app, 'post', POLICIES_V1, v1Policy(accessPackageId), 201);
    expect(created).not.toHaveProperty('questions');
    expect((await request(app).get(`${POLICIES}/${created['id']}`).set(AUTH)).body.questions).toEqual([]);
  });

  it('a PUT with questions replaces them, keeping the id of each the policy has; a PUT without them keeps them', async () => {
    const { app, accessPackageId } = await setup();
    const created = await send(app, 'post', POLICIES_V1, v1Policy(accessPackageId, [choiceQuestion, textQuestion]), 201);
    const [first] = created['questions'] as { id: string }[];
    const url = `${POLICIES_V1}/${created['id']}`;
    const replaced = await send(app, 'put', url, v1Policy(accessPackageId, [{ ...textQuestion, id: first!.id.toUpperCase(), sequence: 1 }]), 200);
    expect(replaced['questions']).toEqual([{ ...textQuestion, id: first!.id, sequence: 1 }]);
    const kept = await send(app, 'put', url, { ...v1Policy(accessPackageId), displayName: 'renamed' }, 200);
    expect([kept['displayName'], kept['questions']]).toEqual(['renamed', undefined]);
    const beta = (await request(app).get(`${POLICIES}/${created['id']}`).set(AUTH)).body;
    expect(beta.questions).toEqual([{ ...betaText, sequence: 1, id: first!.id }]);
  });

  it('refuses a question whose type is not named, or which has a property of another type', async () => {
    const { app, accessPackageId } = await setup();
    const { '@odata.type': _type, ...untyped } = textQuestion;
    const res = await request(app)
      .post(POLICIES_V1)
      .set(AUTH)
      .send(v1Policy(accessPackageId, [untyped]));
    expect(res.status).toBe(400);
    // accessPackageQuestion is abstract: a question is one of its derived types, named by @odata.type.
    expect(res.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringMatching(/^Invalid value for property 'questions': /) });
    const misplaced = await request(app)
      .post(POLICIES_V1)
      .set(AUTH)
      .send(v1Policy(accessPackageId, [{ ...choiceQuestion, regexPattern: 'x' }]));
    expect(misplaced.status).toBe(400);
    expect(misplaced.body.error.message).toBe(
      "The property 'regexPattern' does not exist on type 'microsoft.graph.accessPackageMultipleChoiceQuestion'. Make sure to only use property names that are defined by the type.",
    );
  });
});

describe('the questions across versions', () => {
  it('beta questions sent back through v1.0 as v1.0 shows them, then read by beta, are what beta wrote', async () => {
    const { app, accessPackageId } = await setup();
    const betaCreated = await send(app, 'post', POLICIES, { accessPackageId, displayName: 'b', questions: [betaChoice, betaText] }, 201);
    const betaQuestions = betaCreated['questions'] as { id: string }[];
    const url = `${POLICIES_V1}/${betaCreated['id']}`;
    const { '@odata.context': _context, ...v1 } = (await request(app).get(url).set(AUTH)).body;
    const v1Questions = [
      { ...choiceQuestion, id: betaQuestions[0]!.id },
      { ...textQuestion, id: betaQuestions[1]!.id },
    ];
    const answer = await send(app, 'put', url, { ...v1, questions: v1Questions }, 200);
    expect(answer['questions']).toEqual(v1Questions);
    const after = (await request(app).get(`${POLICIES}/${betaCreated['id']}`).set(AUTH)).body;
    expect(after.questions).toEqual(betaCreated['questions']);
    // And a beta GET sent back as a beta PUT keeps the questions v1.0 wrote.
    const { '@odata.context': _c, ...beta } = after;
    expect((await send(app, 'put', `${POLICIES}/${betaCreated['id']}`, beta, 200))['questions']).toEqual(betaCreated['questions']);
  });

  it('a v1.0 GET sent back as a PUT keeps the beta questions as beta wrote them; a question it changes is replaced', async () => {
    const { app, accessPackageId } = await setup();
    // What v1.0 has no words for: a null text, a text without its localizations and a question without its choices
    // (left out: a collection is never null in a request, as Graph's OData reader reads one), a type named without '#'.
    const sparse = [
      { '@odata.type': 'microsoft.graph.accessPackageTextInputQuestion', text: null, isRequired: true },
      { '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion', text: { defaultText: 'Where?' } },
    ];
    const created = await send(app, 'post', POLICIES, { accessPackageId, displayName: 'b', questions: sparse }, 201);
    const url = `${POLICIES_V1}/${created['id']}`;
    const { '@odata.context': _context, ...v1 } = (await request(app).get(`${url}?$expand=questions`).set(AUTH)).body;
    await send(app, 'put', url, v1, 200);
    expect((await request(app).get(`${POLICIES}/${created['id']}`).set(AUTH)).body.questions).toEqual(created['questions']);
    const changed = { ...v1, questions: [{ ...v1.questions[0], text: 'Why?' }, v1.questions[1]] };
    await send(app, 'put', url, changed, 200);
    const after = (await request(app).get(`${POLICIES}/${created['id']}`).set(AUTH)).body.questions;
    expect(after[0]).toMatchObject({ id: v1.questions[0].id, text: { defaultText: 'Why?', localizedTexts: [] }, isRequired: true });
    expect(after[1]).toEqual(created['questions'][1]);
  });

  it('getApplicablePolicyRequirements answers in v1.0 the questions a v1.0 create gave', async () => {
    const { app, accessPackageId } = await setup();
    const created = await send(app, 'post', POLICIES_V1, v1Policy(accessPackageId, [choiceQuestion, textQuestion]), 201);
    const res = await request(app).post(`${V1}/accessPackages/${accessPackageId}/getApplicablePolicyRequirements`).set(AUTH).send();
    expect(res.status).toBe(200);
    expect(res.body.value[0].questions).toEqual(created['questions']);
  });
});
