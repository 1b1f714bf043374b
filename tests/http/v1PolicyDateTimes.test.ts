// v1.0 shows a policy's date-times as Graph serializes a DateTimeOffset, in UTC with 7 fractional digits, as beta
// does, whatever offset they were sent with.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, ODATA_JSON, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

describe('a v1.0 policy’s date-times', () => {
  it('are shown in UTC with 7 fractional digits, in v1.0 and beta alike', async () => {
    const { app, catalogId } = await setupV1();
    const pkg = await createV1Package(app, catalogId, 'p');
    const created = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({
        displayName: 'd',
        expiration: { type: 'afterDateTime', endDateTime: '2027-01-01T00:00:00+02:00', duration: null },
        reviewSettings: {
          isEnabled: true,
          schedule: { startDateTime: '2027-02-01T10:30:00.5-01:00', expiration: { type: 'afterDuration', duration: 'P7D', endDateTime: null } },
        },
        accessPackage: { id: pkg },
      });
    expect([created.status, created.headers['content-type']]).toEqual([201, ODATA_JSON]);
    expectGraphHeaders(created);
    const v1 = (await request(app).get(`${V1}/assignmentPolicies/${created.body.id}`).set(AUTH)).body;
    for (const body of [created.body, v1]) {
      expect(body.expiration).toEqual({ type: 'afterDateTime', endDateTime: '2026-12-31T22:00:00.0000000Z', duration: null });
      expect(body.reviewSettings.schedule).toEqual({
        startDateTime: '2027-02-01T11:30:00.5000000Z',
        expiration: { type: 'afterDuration', duration: 'P7D', endDateTime: null },
      });
    }
    const beta = (await request(app).get(`${POLICIES}/${created.body.id}`).set(AUTH)).body;
    expect(beta.expirationDateTime).toBe('2026-12-31T22:00:00.0000000Z');
    expect(beta.accessReviewSettings.startDateTime).toBe('2027-02-01T11:30:00.5000000Z');
  });
});
