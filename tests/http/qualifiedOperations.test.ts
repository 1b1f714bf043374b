// Bound actions and functions called namespace-qualified, at the very URL templates Graph's generated SDKs use
// (msgraph-sdk-go, msgraph-beta-sdk-go): answered as the plain name is, in beta and v1.0, in a $batch item, and
// matched alike by fault rules and the journal's path filter.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, ODATA_JSON, POLICIES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

const EM = '/identityGovernance/entitlementManagement';
// The SDKs' templates, as generated: {+baseurl} is the version's root, {accessPackage%2Did} the package's id.
const GET_APPLICABLE =
  '{+baseurl}/identityGovernance/entitlementManagement/accessPackages/{accessPackage%2Did}/microsoft.graph.getApplicablePolicyRequirements';
const MOVE_TO_CATALOG = '{+baseurl}/identityGovernance/entitlementManagement/accessPackages/{accessPackage%2Did}/microsoft.graph.moveToCatalog';
const FILTER_BY_CURRENT_USER = "{+baseurl}/identityGovernance/entitlementManagement/accessPackages/microsoft.graph.filterByCurrentUser(on='{on}')";

function url(template: string, version: 'beta' | 'v1.0', values: Record<string, string> = {}): string {
  return template
    .replace('{+baseurl}', `/${version}`)
    .replace('{accessPackage%2Did}', values['id'] ?? '')
    .replace('{on}', values['on'] ?? '');
}

async function setup() {
  const store = new MemoryStore();
  const faults = new FaultEngine();
  const app = createApp({ store, faults });
  const catalogId = await createCatalog(app, 'Sales');
  const target = await createCatalog(app, 'Marketing');
  const id = await createPackage(app, 'Open', catalogId);
  await request(app)
    .post(POLICIES)
    .set(AUTH)
    .send({
      accessPackageId: id,
      displayName: 'Open policy',
      requestorSettings: { scopeType: 'AllExistingDirectorySubjects', acceptRequests: true, allowedRequestors: [] },
    })
    .expect(201);
  return { app, store, faults, id, target };
}

describe('namespace-qualified bound operations', () => {
  it.each(['beta', 'v1.0'] as const)(
    'answers filterByCurrentUser and getApplicablePolicyRequirements at the SDK URLs through %s as the plain names',
    async (version) => {
      const { app, id } = await setup();
      const qualified = await request(app)
        .get(url(FILTER_BY_CURRENT_USER, version, { on: 'allowedRequestor' }))
        .set(AUTH);
      const plain = await request(app).get(`/${version}${EM}/accessPackages/filterByCurrentUser(on='allowedRequestor')`).set(AUTH);
      expect(qualified.status).toBe(200);
      expectGraphHeaders(qualified);
      expect(qualified.headers['content-type']).toBe(ODATA_JSON);
      expect(qualified.body).toEqual(plain.body);
      expect(qualified.body.value.map((p: { id: string }) => p.id)).toEqual([id]);

      const requirements = await request(app)
        .post(url(GET_APPLICABLE, version, { id }))
        .set(AUTH);
      expect(requirements.status).toBe(200);
      expect(requirements.headers['content-type']).toBe(ODATA_JSON);
      expect(requirements.body).toEqual((await request(app).post(`/${version}${EM}/accessPackages/${id}/getApplicablePolicyRequirements`).set(AUTH)).body);
      expect(requirements.body.value).toEqual([expect.objectContaining({ policyDisplayName: 'Open policy' })]);
      // Another namespace's operation is no operation of Graph's.
      expectGraphError(
        await request(app).post(`/${version}${EM}/accessPackages/${id}/microsoft.other.getApplicablePolicyRequirements`).set(AUTH),
        400,
        'BadRequest',
      );
    },
  );

  it('answers the operations qualified by the namespace alias graph., as $metadata declares it, and fault rules match them', async () => {
    const { app, id, faults } = await setup();
    const filter = await request(app).get(`/beta${EM}/accessPackages/graph.filterByCurrentUser(on='allowedRequestor')`).set(AUTH);
    expect(filter.status).toBe(200);
    expectGraphHeaders(filter);
    expect(filter.headers['content-type']).toBe(ODATA_JSON);
    expect(filter.body).toEqual((await request(app).get(`/beta${EM}/accessPackages/filterByCurrentUser(on='allowedRequestor')`).set(AUTH)).body);
    const requirements = await request(app).post(`/v1.0${EM}/accessPackages/${id}/Graph.getApplicablePolicyRequirements`).set(AUTH);
    expect(requirements.status).toBe(200);
    expect(requirements.body.value).toEqual([expect.objectContaining({ policyDisplayName: 'Open policy' })]);
    faults.replace({ rules: [{ path: `/beta${EM}/accessPackages/*/getApplicablePolicyRequirements`, status: 503 }] });
    expectGraphError(await request(app).post(`/beta${EM}/accessPackages/${id}/graph.getApplicablePolicyRequirements`).set(AUTH), 503, 'ServiceUnavailable');
  });

  it('is matched by a fault rule and the journal’s path filter written namespace-qualified, as the SDKs send it', async () => {
    const { app, faults, id } = await setup();
    faults.replace({ rules: [{ method: 'POST', path: '/beta/**/accessPackages/*/microsoft.graph.getApplicablePolicyRequirements', status: 503 }] });
    for (const sent of [`/beta${EM}/accessPackages/${id}/getApplicablePolicyRequirements`, url(GET_APPLICABLE, 'beta', { id })]) {
      const res = await request(app).post(sent).set(AUTH);
      expectGraphError(res, 503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry again later.');
    }
    expect(faults.describe().rules.map((rule) => rule.fired)).toEqual([2]);
    const journal = await request(app).get(
      `/_emulator/requests?path=${encodeURIComponent(`/beta${EM}/accessPackages/${id}/Graph.getApplicablePolicyRequirements`)}`,
    );
    expect(journal.status).toBe(200);
    expect(journal.body.value.map((entry: { path: string; status: number }) => [entry.path, entry.status])).toEqual([
      [`/beta${EM}/accessPackages/${id}/getApplicablePolicyRequirements`, 503],
      [`/beta${EM}/accessPackages/${id}/microsoft.graph.getApplicablePolicyRequirements`, 503],
    ]);
  });

  it('moves a package at beta’s SDK URL, any case of the namespace, and v1.0 serves no moveToCatalog either way', async () => {
    const { app, id, target } = await setup();
    const moved = await request(app)
      .post(url(MOVE_TO_CATALOG, 'beta', { id }))
      .set(AUTH)
      .send({ catalogId: target });
    expect(moved.status).toBe(200);
    expectGraphHeaders(moved);
    expect(moved.headers['content-type']).toBeUndefined();
    expect(moved.text).toBe('');
    expect((await request(app).get(`/beta${EM}/accessPackages/${id}`).set(AUTH)).body.catalogId).toBe(target);
    const back = await request(app).post(`/beta${EM}/accessPackages/${id}/Microsoft.Graph.MoveToCatalog`).set(AUTH).send({ catalogId: target });
    expect(back.status).toBe(200);
    // A GET of an action is the plain name's 405, with its Allow.
    const get = await request(app)
      .get(url(MOVE_TO_CATALOG, 'beta', { id }))
      .set(AUTH);
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe((await request(app).get(`/beta${EM}/accessPackages/${id}/moveToCatalog`).set(AUTH)).headers['allow']);
    const v1 = await request(app)
      .post(url(MOVE_TO_CATALOG, 'v1.0', { id }))
      .set(AUTH)
      .send({ catalogId: target });
    const v1Plain = await request(app).post(`/v1.0${EM}/accessPackages/${id}/moveToCatalog`).set(AUTH).send({ catalogId: target });
    expect(v1.status).toBe(v1Plain.status);
    expect(v1.body.error.code).toBe(v1Plain.body.error.code);
  });

  it('answers a qualified call in a $batch item', async () => {
    const { app, id } = await setup();
    const res = await request(app)
      .post('/v1.0/$batch')
      .set(AUTH)
      .send({
        requests: [
          { id: '1', method: 'GET', url: `${EM}/accessPackages/microsoft.graph.filterByCurrentUser(on='allowedRequestor')` },
          {
            id: '2',
            method: 'POST',
            url: `${EM}/accessPackages/${id}/microsoft.graph.getApplicablePolicyRequirements`,
            headers: { 'Content-Type': 'application/json' },
            body: {},
          },
        ],
      });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(
      (res.body.responses as { id: string; status: number; body: { value: { id?: string; policyDisplayName?: string }[] } }[]).map((r) => [r.id, r]),
    );
    expect(byId['1']).toMatchObject({ status: 200, body: { value: [expect.objectContaining({ id })] } });
    expect(byId['2']).toMatchObject({ status: 200, body: { value: [expect.objectContaining({ policyDisplayName: 'Open policy' })] } });
  });

  it('is matched by a fault rule and the journal’s path filter written for the plain name', async () => {
    const { app, faults, id } = await setup();
    faults.replace({
      rules: [
        { method: 'POST', path: '/beta/**/accessPackages/*/getApplicablePolicyRequirements', status: 503 },
        { method: 'GET', path: "/beta/**/accessPackages/filterByCurrentUser(on='allowedRequestor')", status: 429, retryAfter: 1 },
      ],
    });
    expectGraphError(
      await request(app)
        .post(url(GET_APPLICABLE, 'beta', { id }))
        .set(AUTH),
      503,
      'ServiceUnavailable',
    );
    const throttled = await request(app)
      .get(url(FILTER_BY_CURRENT_USER, 'beta', { on: 'allowedRequestor' }))
      .set(AUTH);
    expectGraphError(throttled, 429, 'TooManyRequests');
    expect(throttled.headers['retry-after']).toBe('1');
    expect(faults.describe().rules.map((rule) => rule.fired)).toEqual([1, 1]);
    const journal = await request(app).get(`/_emulator/requests?path=${encodeURIComponent('/beta/**/getApplicablePolicyRequirements')}`);
    expect(journal.status).toBe(200);
    expect(journal.body.value.map((entry: { path: string; status: number }) => [entry.path, entry.status])).toEqual([
      [`/beta${EM}/accessPackages/${id}/microsoft.graph.getApplicablePolicyRequirements`, 503],
    ]);
  });
});
