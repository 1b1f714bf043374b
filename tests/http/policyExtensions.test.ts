// A policy's custom extension settings (`customExtensionHandlers`, `customExtensionStageSettings`) are accepted and
// dropped, as custom extensions are not emulated; they are collection-valued navigation properties, so what is no
// list of entities is the 400 any such property gets (Graph's reader reads them as a deep insert), in beta and v1.0.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, POLICIES, V1, expectGraphError } from '../support/graph.js';

const STAGE = [{ stage: 'assignmentRequestCreated', customExtension: { id: '219f57b6-7983-45a1-be01-2c228b7a43f8' } }];
const refused = (property: string, literal: string, type: string) =>
  `Invalid value for property '${property}': cannot convert the literal '${literal}' to the expected type 'Collection(microsoft.graph.${type})'.`;

describe('a policy’s custom extension settings', () => {
  it.each([
    ['customExtensionHandlers', 'x', 'x', 'customExtensionHandler'],
    ['customExtensionStageSettings', null, 'null', 'customExtensionStageSetting'],
    ['customExtensionHandlers', ['assignmentRequestCreated'], '["assignmentRequestCreated"]', 'customExtensionHandler'],
    ['customExtensionStageSettings', { stage: 'assignmentRequestCreated' }, '{"stage":"assignmentRequestCreated"}', 'customExtensionStageSetting'],
  ])('beta %s %j: a 400 naming the collection, nothing stored', async (property, value, literal, type) => {
    const { app, store, accessPackageId } = await salesPackage();
    const res = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'p', accessPackageId, [property]: value });
    expectGraphError(res, 400, 'BadRequest', refused(property, literal, type));
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });

  it('v1.0’s customExtensionStageSettings likewise, on a create and a PUT; a list of entities is taken and dropped', async () => {
    const { app, store, accessPackageId } = await salesPackage();
    const base = { displayName: 'p', accessPackage: { id: accessPackageId } };
    const created = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({ ...base, customExtensionStageSettings: STAGE });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('customExtensionStageSettings');
    const put = await request(app)
      .put(`${V1}/assignmentPolicies/${created.body.id}`)
      .set(AUTH)
      .send({ ...base, displayName: 'q', customExtensionStageSettings: 'x' });
    expectGraphError(put, 400, 'BadRequest', refused('customExtensionStageSettings', 'x', 'customExtensionStageSetting'));
    expect(store.get('accessPackageAssignmentPolicies', created.body.id)?.['displayName']).toBe('p');
    const beta = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({ displayName: 'b', accessPackageId, customExtensionHandlers: STAGE, customExtensionStageSettings: [] });
    expect(beta.status).toBe(201);
    expect(beta.body).not.toHaveProperty('customExtensionHandlers');
  });
});
