// A policy's notification settings in v1.0, whose isAssignmentNotificationDisabled is not nullable (beta's is): always
// shown as a Boolean, whatever beta kept. The Kiota beta SDK reads a null settings object as {} and sends it back so
// on a PUT of the policy it read; v1.0 showed that {} (and a beta null inside it) as it was, and refused its own GET
// sent back as a PUT. https://learn.microsoft.com/graph/api/resources/accesspackagenotificationsettings?view=graph-rest-1.0
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type AccessPackageAssignmentPolicy,
  createAccessPackageAssignmentPolicyFromDiscriminatorValue as policyFactory,
  serializeAccessPackageAssignmentPolicy,
} from '@microsoft/msgraph-beta-sdk/models/index.js';
import request from 'supertest';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { answerOf, betaAdapter, emRequest } from '../support/kiotaBeta.js';

describe('notificationSettings in v1.0', () => {
  let emulator: RunningEmulator;
  let packageId: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    packageId = (await request(emulator.url).post(PACKAGES).set(AUTH).send({ displayName: 'Notified' })).body.id as string;
  });
  afterAll(async () => {
    await emulator.close();
  });

  const v1Of = (id: string) => request(emulator.url).get(`${V1}/assignmentPolicies/${id}`).set(AUTH);

  it('shows isAssignmentNotificationDisabled as a Boolean for every beta value, null settings as null', async () => {
    const sent = [{}, { isAssignmentNotificationDisabled: null }, { '@odata.type': '#microsoft.graph.accessPackageNotificationSettings' }];
    const shown = [];
    for (const settings of [...sent, { isAssignmentNotificationDisabled: true }, null]) {
      const created = await request(emulator.url)
        .post(POLICIES)
        .set(AUTH)
        .send({ accessPackageId: packageId, displayName: 'p', accessPackageNotificationSettings: settings });
      expect(created.status).toBe(201);
      expect(created.body.accessPackageNotificationSettings).toEqual(settings);
      const res = await v1Of(created.body.id);
      expect([res.status, res.headers['content-type']]).toEqual([200, ODATA_JSON]);
      expectGraphHeaders(res);
      shown.push(res.body.notificationSettings);
    }
    const off = { isAssignmentNotificationDisabled: false };
    expect(shown).toEqual([off, off, off, { isAssignmentNotificationDisabled: true }, null]);

    const v1Created = await request(emulator.url)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({ accessPackage: { id: packageId }, displayName: 'v', notificationSettings: {} });
    expect(v1Created.status).toBe(201);
    expect(v1Created.body.notificationSettings).toEqual(off);
    expect((await v1Of(v1Created.body.id)).body.notificationSettings).toEqual(off);
  });

  it('a policy the Kiota SDK read and put back: v1.0 shows false, and its GET goes back as a PUT keeping beta’s settings', async () => {
    const adapter = betaAdapter(emulator.port);
    const created = await request(emulator.url).post(POLICIES).set(AUTH).send({ accessPackageId: packageId, displayName: 'Read and put back' });
    expect(created.body.accessPackageNotificationSettings).toBeNull();
    const path = { id: String(created.body.id) };
    const read = await answerOf<AccessPackageAssignmentPolicy>(
      adapter,
      emRequest(adapter, 'GET', '/accessPackageAssignmentPolicies/{id}', { path }),
      policyFactory,
    );
    // Kiota's JSON reader makes an object of every complex value, null included.
    expect(read.accessPackageNotificationSettings).toEqual({});
    const put = emRequest(adapter, 'PUT', '/accessPackageAssignmentPolicies/{id}', { path, body: read, serializer: serializeAccessPackageAssignmentPolicy });
    await answerOf(adapter, put, policyFactory);
    expect((await request(emulator.url).get(`${POLICIES}/${path.id}`).set(AUTH)).body.accessPackageNotificationSettings).toEqual({});

    const v1 = (await v1Of(path.id)).body;
    expect(v1.notificationSettings).toEqual({ isAssignmentNotificationDisabled: false });
    const { '@odata.context': _context, id: _id, createdDateTime: _created, modifiedDateTime: _modified, ...settable } = v1;
    const back = await request(emulator.url).put(`${V1}/assignmentPolicies/${path.id}`).set(AUTH).send(settable);
    expect([back.status, back.headers['content-type']]).toEqual([200, ODATA_JSON]);
    expectGraphHeaders(back);
    expect(back.body.notificationSettings).toEqual({ isAssignmentNotificationDisabled: false });
    expect((await request(emulator.url).get(`${POLICIES}/${path.id}`).set(AUTH)).body.accessPackageNotificationSettings).toEqual({});
  });

  it('a beta null inside the settings goes back through a v1.0 PUT as the false v1.0 showed', async () => {
    const created = await request(emulator.url)
      .post(POLICIES)
      .set(AUTH)
      .send({ accessPackageId: packageId, displayName: 'Null inside', accessPackageNotificationSettings: { isAssignmentNotificationDisabled: null } });
    const { '@odata.context': _context, id, createdDateTime: _created, modifiedDateTime: _modified, ...settable } = (await v1Of(created.body.id)).body;
    const back = await request(emulator.url).put(`${V1}/assignmentPolicies/${id}`).set(AUTH).send(settable);
    expect(back.status).toBe(200);
    expect(back.body.notificationSettings).toEqual({ isAssignmentNotificationDisabled: false });
    expect((await request(emulator.url).get(`${POLICIES}/${id}`).set(AUTH)).body.accessPackageNotificationSettings).toEqual({
      isAssignmentNotificationDisabled: null,
    });
  });
});
