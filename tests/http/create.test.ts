import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';

const PATH = '/beta/identityGovernance/entitlementManagement/accessPackages';

describe('POST accessPackages (smoke)', () => {
  it('creates a record with the seed example shape', async () => {
    const store = new MemoryStore();
    const res = await request(createApp({ store }))
      .post(PATH)
      .set('Authorization', 'Bearer token')
      .send({ displayName: 'Sales', description: 'For sales', isHidden: false });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ displayName: 'Sales', isHidden: false, '@odata.type': '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage' });
    expect(res.headers['odata-version']).toBe('4.0');
    expect(store.count('accessPackages')).toBe(1);
  });
});
