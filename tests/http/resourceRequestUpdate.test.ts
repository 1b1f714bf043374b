// AdminUpdate (v1.0 adminUpdate): a resource of the catalog "updated to have different attribute requirements", the
// attributes sent in place of its own, everything else kept; a resource the catalog does not hold is refused in
// Graph's envelope with nothing written. v1.0's create page, example 5, sent as the page writes it.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/resources/accesspackageresourcerequest?view=graph-rest-beta
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, GUID, ODATA_JSON, V1, expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { CONTEXT, GROUP_CATALOG, REQUESTS, SITE_CATALOG, post, resourcesOf, tenantWith, v1Answer } from '../support/resourceRequests.js';

/** The application of the v1.0 page's examples 2 and 5. */
const APP = 'e81d7f57-0840-45e1-894b-f505c1bdcc1f';
const V1_REQUESTS = `${V1}/resourceRequests`;

/** An attribute in beta's shape (the beta create page's example 6), asking the question `text`. */
const betaAttribute = (attributeName: string, text: string) => ({
  attributeName,
  isEditable: true,
  isPersistedOnAssignmentRemoval: true,
  attributeSource: {
    '@odata.type': '#microsoft.graph.accessPackageResourceAttributeQuestion',
    question: {
      '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
      isRequired: false,
      sequence: 0,
      isSingleLineQuestion: true,
      text: { defaultText: text, localizedTexts: [] },
    },
  },
  attributeDestination: { '@odata.type': '#microsoft.graph.accessPackageUserDirectoryAttributeStore' },
});

/** The page's catalogs, SITE_CATALOG holding the application, added with one attribute; the resource as beta lists it. */
async function withApplication() {
  const tenant = await tenantWith(SITE_CATALOG, GROUP_CATALOG);
  const added = await post(tenant.app, {
    catalogId: SITE_CATALOG,
    requestType: 'AdminAdd',
    accessPackageResource: {
      displayName: 'Faculty cafeteria ordering',
      originId: APP,
      originSystem: 'AadApplication',
      attributes: [betaAttribute('personalTitle', 'Title')],
    },
  });
  expect(added.status).toBe(201);
  const [resource] = (await resourcesOf(tenant.app, SITE_CATALOG)).body.value;
  return { ...tenant, resource };
}

describe('beta AdminUpdate', () => {
  it('201 with the request; the resource has the attributes sent and keeps everything else, its roles included', async () => {
    const { app, store, resource } = await withApplication();
    const roles = store.count('accessPackageResourceRoles');
    const attributes = [betaAttribute('officeLocation', 'What office do you work at?')];
    const res = await post(app, {
      catalogId: SITE_CATALOG,
      requestType: 'AdminUpdate',
      // A name sent beside the attributes names the resource and changes nothing.
      accessPackageResource: { displayName: 'Renamed', originId: APP.toUpperCase(), originSystem: 'AadApplication', attributes },
    });
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.body).toEqual({
      '@odata.context': CONTEXT,
      id: expect.stringMatching(GUID),
      catalogId: SITE_CATALOG,
      executeImmediately: false,
      expirationDateTime: null,
      isValidationOnly: false,
      justification: null,
      requestState: 'Delivered',
      requestStatus: 'Fulfilled',
      requestType: 'AdminUpdate',
    });
    expect((await resourcesOf(app, SITE_CATALOG)).body.value).toEqual([{ ...resource, attributes }]);
    expect(store.count('accessPackageResourceRoles')).toBe(roles);
    // The request names the resource it updated.
    const expanded = await request(app).get(`${REQUESTS}/${res.body.id}?$expand=accessPackageResource($select=attributes)`).set(AUTH);
    expect(expanded.body.accessPackageResource).toEqual({ id: resource.id, attributes });
  });

  it('the resource named by id; attributes left out change nothing, [] clears them, null is refused; isValidationOnly changes nothing and names the resource', async () => {
    const { app, resource } = await withApplication();
    const update = (accessPackageResource: object, extra: object = {}) =>
      post(app, { catalogId: SITE_CATALOG, requestType: 'AdminUpdate', accessPackageResource, ...extra });
    const checked = await update({ id: resource.id, attributes: [] }, { isValidationOnly: true });
    expect(checked.status).toBe(201);
    expect((await resourcesOf(app, SITE_CATALOG)).body.value).toEqual([resource]);
    // An update only validated still names the resource it checked, unchanged.
    const named = await request(app).get(`${REQUESTS}/${checked.body.id}?$expand=accessPackageResource`).set(AUTH);
    expect(named.body.accessPackageResource).toEqual(resource);
    expect((await update({ id: resource.id })).status).toBe(201);
    expect((await resourcesOf(app, SITE_CATALOG)).body.value).toEqual([resource]);
    // A collection is never null to Graph's OData reader (nullCollections.ts).
    const refused = await update({ id: resource.id, attributes: null });
    expectGraphError(refused, 400, 'BadRequest', /^A null value was found for the property named 'attributes'/);
    expect((await resourcesOf(app, SITE_CATALOG)).body.value).toEqual([resource]);
    expect((await update({ id: resource.id, attributes: [] })).status).toBe(201);
    expect((await resourcesOf(app, SITE_CATALOG)).body.value).toEqual([{ ...resource, attributes: [] }]);
  });

  it('a resource the catalog does not hold: 404 ResourceNotFound in Graph’s envelope, nothing kept', async () => {
    const { app, resource } = await withApplication();
    const before = (await request(app).get(REQUESTS).set(AUTH)).body.value;
    // In another catalog than the one holding it, and an application no catalog holds.
    const elsewhere = await post(app, { catalogId: GROUP_CATALOG, requestType: 'AdminUpdate', accessPackageResource: { id: resource.id, attributes: [] } });
    expectGraphError(elsewhere, 404, 'ResourceNotFound', 'The resource was not found.');
    const unknown = await post(app, {
      catalogId: SITE_CATALOG,
      requestType: 'AdminUpdate',
      accessPackageResource: { originId: '2f1099a6-d4fc-4cc9-a0ef-ddd3f1bf0b7e', originSystem: 'AadApplication', attributes: [] },
    });
    expectGraphError(unknown, 404, 'ResourceNotFound', 'The resource was not found.');
    expect((await request(app).get(REQUESTS).set(AUTH)).body.value).toEqual(before);
    expect((await resourcesOf(app, SITE_CATALOG)).body.value).toEqual([resource]);
  });
});

describe('v1.0 adminUpdate', () => {
  it("the create page's example 5: 201 with the request; the application has the two attributes, their questions as sent", async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const catalog = { id: GROUP_CATALOG };
    await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'adminAdd', resource: { originId: APP, originSystem: 'AadApplication' }, catalog })
      .expect(201);
    const attributes = [
      {
        destination: { '@odata.type': 'microsoft.graph.accessPackageUserDirectoryAttributeStore' },
        name: 'officeLocation',
        source: {
          '@odata.type': '#microsoft.graph.accessPackageResourceAttributeQuestion',
          question: {
            '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
            sequence: 1,
            isRequired: true,
            isAnswerEditable: true,
            text: 'What office do you work at?',
            isSingleLineQuestion: true,
            regexPattern: '[a-zA-Z]+[a-zA-Z\\s]*',
          },
        },
      },
      {
        destination: { '@odata.type': 'microsoft.graph.accessPackageUserDirectoryAttributeStore' },
        name: 'extension_e409fedc08ab4807a9eb53ebc0d6cc9f_Expense_CostCenter',
        source: {
          '@odata.type': '#microsoft.graph.accessPackageResourceAttributeQuestion',
          question: {
            '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
            isRequired: false,
            text: 'What is your cost center number?',
            sequence: 0,
            isSingleLineQuestion: true,
            regexPattern: '[0-9]*',
          },
        },
      },
    ];
    const res = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'adminUpdate', resource: { originId: APP, originSystem: 'AadApplication', attributes }, catalog });
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    // The page's response shows requestType adminAdd; the emulator answers with the type the request sent.
    expect(res.body).toEqual(v1Answer('adminUpdate'));
    const [resource] = (await request(app).get(`${V1}/catalogs/${GROUP_CATALOG}/resources`).set(AUTH)).body.value;
    expect(resource).toMatchObject({ originId: APP, originSystem: 'AadApplication', attributes });
    const beta = await request(app).get(`${REQUESTS}/${res.body.id}`).set(AUTH);
    expect(beta.body).toMatchObject({ requestType: 'AdminUpdate', requestState: 'Delivered', requestStatus: 'Fulfilled' });
  });

  it("a question that is no question type's: 400 naming the property and type, nothing changed", async () => {
    const { app } = await tenantWith(GROUP_CATALOG);
    const catalog = { id: GROUP_CATALOG };
    const resource = { originId: APP, originSystem: 'AadApplication' };
    await request(app).post(V1_REQUESTS).set(AUTH).send({ requestType: 'adminAdd', resource, catalog }).expect(201);
    const source = {
      '@odata.type': '#microsoft.graph.accessPackageResourceAttributeQuestion',
      question: { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', text: 'Title', choices: [] },
    };
    const res = await request(app)
      .post(V1_REQUESTS)
      .set(AUTH)
      .send({ requestType: 'adminUpdate', resource: { ...resource, attributes: [{ name: 'jobTitle', source }] }, catalog });
    expectGraphError(res, 400, 'BadRequest', /'choices'.*'microsoft\.graph\.accessPackageTextInputQuestion'/);
    const [stored] = (await request(app).get(`${V1}/catalogs/${GROUP_CATALOG}/resources`).set(AUTH)).body.value;
    expect(stored.attributes).toEqual([]);
  });
});
