// Forms of a $batch body Graph's OData batch reader (Microsoft.OData.Core) takes: `requests` named in any case
// (ODataJsonBatchReader.DetectReaderMode: OrdinalIgnoreCase), and an item header's value given as any JSON primitive
// (ODataJsonBatchPayloadItemPropertiesCache: ReadPrimitiveValue()?.ToString()).
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, ODATA_JSON, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const ITEM = { id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages?$top=1' };

describe('the name of a batch’s requests', () => {
  it.each([['Requests'], ['REQUESTS']])('%s is read as requests: 200, the item answered', async (name) => {
    const app = createApp({ store: new MemoryStore() });
    const res = await request(app)
      .post('/beta/$batch')
      .set(AUTH)
      .send({ [name]: [ITEM] });
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.responses).toHaveLength(1);
    expect(res.body.responses[0]).toMatchObject({ id: '1', status: 200, headers: { 'Content-Type': ODATA_JSON } });
    expect(res.body.responses[0].body['@odata.context']).toBe(
      'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages',
    );
  });

  it('another name is still the 400', async () => {
    const app = createApp({ store: new MemoryStore() });
    const res = await request(app)
      .post('/beta/$batch')
      .set(AUTH)
      .send({ request: [ITEM] });
    expectGraphError(res, 400, 'BadRequest', "Invalid batch payload format: the body must be an object with a 'requests' array.");
  });
});

describe('an item header given as a number, a Boolean or null', () => {
  it('is read as .NET writes it, a null as no header', async () => {
    const app = createApp({ store: new MemoryStore() });
    const missing = '/identityGovernance/entitlementManagement/accessPackages/00000000-0000-4000-8000-000000000000';
    const res = await request(app)
      .post('/beta/$batch')
      .set(AUTH)
      .send({
        requests: [
          { id: '1', method: 'GET', url: missing, headers: { 'client-request-id': 12345 } },
          { id: '2', method: 'GET', url: missing, headers: { 'client-request-id': true } },
          { id: '3', method: 'GET', url: missing, headers: { 'client-request-id': null } },
          { id: '4', method: 'GET', url: missing, headers: { 'client-request-id': false } },
          { id: '5', method: 'GET', url: missing, headers: { 'client-request-id': 0.5 } },
        ],
      });
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    type Answer = { id: string; status: number; body: { error: { innerError: Record<string, string> } } };
    const answers = (res.body.responses as Answer[]).sort((a, b) => a.id.localeCompare(b.id));
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404]);
    const ids = answers.map((a) => a.body.error.innerError);
    expect(ids[0]?.['client-request-id']).toBe('12345');
    expect(ids[1]?.['client-request-id']).toBe('True');
    expect(ids[2]?.['client-request-id']).toBe(ids[2]?.['request-id']);
    expect(ids[3]?.['client-request-id']).toBe('False');
    expect(ids[4]?.['client-request-id']).toBe('0.5');
  });
});
