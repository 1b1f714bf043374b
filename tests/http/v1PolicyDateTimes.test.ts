// v1.0 shows a policy's date-times as Graph serializes a DateTimeOffset, in UTC with 7 fractional digits, as beta
// does, whatever offset they were sent with; a review's recurrence dates are Edm.Dates, read as Graph's OData library
// reads one.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, ODATA_JSON, POLICIES, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
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

  it('takes a recurrence range’s startDate and endDate only as days of the calendar: anything else is a 400, nothing stored', async () => {
    const { app, store, catalogId } = await setupV1();
    const pkg = await createV1Package(app, catalogId, 'p');
    const range = (startDate: string, endDate: string | null = null) => ({
      displayName: 'r',
      accessPackage: { id: pkg },
      reviewSettings: {
        isEnabled: true,
        schedule: {
          startDateTime: '2030-01-01T00:00:00Z',
          expiration: { type: 'afterDuration', duration: 'P14D' },
          recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'endDate', startDate, endDate } },
        },
      },
    });
    for (const [startDate, endDate] of [
      ['2030-13-01', null],
      ['2030-02-30', null],
      ['0000-01-01', null],
      ['2030-01-01T00:00:00Z', null],
      ['30-01-01', null],
      ['2030-01-01', 'tomorrow'],
    ] as const) {
      const res = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(range(startDate, endDate));
      const literal = JSON.stringify(range(startDate, endDate).reviewSettings);
      expectGraphError(
        res,
        400,
        'BadRequest',
        `Invalid value for property 'reviewSettings': cannot convert the literal '${literal}' to the expected type 'microsoft.graph.accessPackageAssignmentReviewSettings'.`,
      );
    }
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
    // One or two digits of month and day, as the library reads them; kept as sent.
    const kept = await request(app).post(`${V1}/assignmentPolicies`).set(AUTH).send(range('2030-1-5', '2032-02-29'));
    expect(kept.status).toBe(201);
    expect(kept.body.reviewSettings.schedule.recurrence.range).toMatchObject({ startDate: '2030-1-5', endDate: '2032-02-29' });
    const put = await request(app).put(`${V1}/assignmentPolicies/${kept.body.id}`).set(AUTH).send(range('2031-02-29'));
    expect(put.status).toBe(400);
    expect(put.body.error.message).toMatch(/^Invalid value for property 'reviewSettings'/);
  });
});
