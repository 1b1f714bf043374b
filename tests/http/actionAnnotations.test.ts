// The annotations Graph's OData parameter reader skips in an action's body (Microsoft.OData.Core
// ODataJsonParameterDeserializer): a custom instance annotation, a custom one of a parameter that follows it, an odata
// one it does not know; and the ones it refuses: a custom annotation of no parameter or after its parameter, and a
// known odata one of a parameter.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, ODATA_JSON, PACKAGES, expectGraphError } from '../support/graph.js';

const ACTION = 'getApplicablePolicyRequirements';

describe('annotations in an action’s parameters', () => {
  it('skipped ones: moveToCatalog moves, getApplicablePolicyRequirements answers', async () => {
    const { app, store, accessPackageId } = await salesPackage();
    const target = (
      await request(app)
        .post(`${PACKAGES.replace('accessPackages', 'accessPackageCatalogs')}`)
        .set(AUTH)
        .send({ displayName: 'Target' })
    ).body.id as string;
    const moved = await request(app)
      .post(`${PACKAGES}/${accessPackageId}/moveToCatalog`)
      .set(AUTH)
      .send({ '@contoso.note': 'x', 'catalogId@contoso.x': 1, catalogId: target, 'catalogId@odata.typo': 2 });
    expect(moved.status).toBe(200);
    expect(moved.text).toBe('');
    expect(store.get('accessPackages', accessPackageId)?.['catalogId']).toBe(target);
    const answered = await request(app)
      .post(`${PACKAGES}/${accessPackageId}/${ACTION}`)
      .set(AUTH)
      .send({
        '@contoso.note': 'x',
        subject: {
          '@contoso.y': 1,
          'objectId@contoso.z': 1,
          'displayName@contoso.w': 1,
          'foo@odata.typo': 1,
          objectId: '7deff43e-1f17-44ef-9e5f-d516b0ba11d4',
          'objectId@odata.type': '#String',
        },
      });
    expect(answered.status).toBe(200);
    expect(answered.headers['content-type']).toBe(ODATA_JSON);
    expect(answered.body).toEqual({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.accessPackageAssignmentRequestRequirements)',
      value: [],
    });
  });

  it('odata instance annotations at the top: one the reader knows refused before any parameter, nothing moved; @odata.context and an unknown one taken', async () => {
    const { app, store, accessPackageId } = await salesPackage();
    const catalogs = PACKAGES.replace('accessPackages', 'accessPackageCatalogs');
    const target = (await request(app).post(catalogs).set(AUTH).send({ displayName: 'Target' })).body.id as string;
    const url = `${PACKAGES}/${accessPackageId}/moveToCatalog`;
    const before = store.get('accessPackages', accessPackageId)?.['catalogId'];
    for (const [body, name] of [
      [{ '@odata.type': '#microsoft.graph.x', catalogId: target }, 'odata.type'],
      [{ catalogId: target, '@odata.count': 1 }, 'odata.count'],
      [{ foo: 1, '@odata.id': 'x' }, 'odata.id'],
      [{ '@odata.count': 1, '@odata.etag': 'x', catalogId: target }, 'odata.etag'],
      [{ '@odata.bind': 'x', catalogId: target }, 'odata.bind'],
      // Several: the reader's reordering reads odata.removed, odata.type, odata.id and odata.etag first, in that order.
      [{ '@odata.type': '#microsoft.graph.x', '@odata.removed': {}, catalogId: target }, 'odata.removed'],
      [{ '@odata.id': 'x', '@odata.type': '#microsoft.graph.x', catalogId: target }, 'odata.type'],
      [{ '@odata.etag': 'x', '@odata.id': 'x', catalogId: target }, 'odata.id'],
    ] as const) {
      const res = await request(app).post(url).set(AUTH).send(body);
      expectGraphError(
        res,
        400,
        'BadRequest',
        `The annotation '${name}' was found. This annotation is either not recognized or not expected at the current position.`,
      );
    }
    // A context URL that is no string is refused first, in words of its own.
    const context = await request(app).post(url).set(AUTH).send({ '@odata.type': 'x', '@odata.context': 5, catalogId: target });
    expectGraphError(context, 400, 'BadRequest', "Cannot read the value '5' as a quoted JSON string value.");
    expect(store.get('accessPackages', accessPackageId)?.['catalogId']).toBe(before);
    const moved = await request(app)
      .post(url)
      .set(AUTH)
      .send({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#x', '@odata.typo': 1, catalogId: target });
    expect(moved.status).toBe(200);
    expect(moved.text).toBe('');
    expect(store.get('accessPackages', accessPackageId)?.['catalogId']).toBe(target);
  });

  it.each([
    [
      { 'subject@contoso.x': 1 },
      "One or more property annotations for property 'subject' were found in a parameter payload without the property to annotate. Parameter payloads must not contain property annotations for properties that are not in the payload.",
    ],
    [
      { subject: {}, 'subject@contoso.x': 1 },
      "An annotation with name 'contoso.x' for property 'subject' was detected after the property, or after an annotation for another property. In OData, annotations for a property must be in a single group and must appear before the property they annotate.",
    ],
    [
      { 'subject@odata.type': '#microsoft.graph.accessPackageSubject', subject: {} },
      'An OData property annotation was found for a parameter payload; however, parameter payloads do not support OData property annotations.',
    ],
    [
      { subject: { '@odata.count': 1 } },
      "The annotation 'odata.count' was found. This annotation is either not recognized or not expected at the current position.",
    ],
    [{ subject: { '@odata.etag': 5 } }, "Cannot read the value '5' for the property 'odata.etag' as a quoted JSON string value."],
    [
      { subject: { 'foo@contoso.x': 1 } },
      "The property 'foo' does not exist on type 'microsoft.graph.accessPackageSubject'. Make sure to only use property names that are defined by the type.",
    ],
    [
      { subject: { 'foo@odata.type': '#String' } },
      "The property 'foo' does not exist on type 'microsoft.graph.accessPackageSubject'. Make sure to only use property names that are defined by the type.",
    ],
    // A property's type annotation is read against the property's declared type.
    [
      { subject: { 'objectId@odata.type': '#Int32', objectId: 'x' } },
      "A value was encountered that has a type name that is incompatible with the metadata. The value specified its type as 'Edm.Int32', but the type specified in the metadata is 'Edm.String'.",
    ],
    [
      { subject: { 'subjectLifecycle@odata.type': '#microsoft.graph.accessPackage', subjectLifecycle: 'governed' } },
      "Incompatible type kinds were found. The type 'microsoft.graph.accessPackage' was found to be of kind 'Entity' instead of the expected kind 'Enum'.",
    ],
    [
      { subject: { objectId: 'x', 'objectId@contoso.x': 1 } },
      "An annotation with name 'contoso.x' for property 'objectId' was detected after the property, or after an annotation for another property. In OData, annotations for a property must be in a single group and must appear before the property they annotate.",
    ],
  ])('%j: the reader’s 400', async (body, message) => {
    const { app, accessPackageId } = await salesPackage();
    const res = await request(app).post(`${PACKAGES}/${accessPackageId}/${ACTION}`).set(AUTH).send(body);
    expectGraphError(res, 400, 'BadRequest', message);
  });
});
