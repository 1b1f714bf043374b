// A $batch body's `requests` named in any case, as Graph's OData batch reader reads it (Microsoft.OData.Core
// ODataJsonBatchReader.DetectReaderMode: OrdinalIgnoreCase): each item answered as with `requests`.
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
