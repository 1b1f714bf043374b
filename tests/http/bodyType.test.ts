// The @odata.type a create or update body gives its entity: resolved against the version's model, as Graph's OData
// reader does, so that a type it does not know or another entity's type is a 400 and nothing is stored.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, CATALOGS, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphError } from '../support/graph.js';

const UNRESOLVED = (name: string) =>
  `A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`;
const KIND = (name: string, found: string) =>
  `Incompatible type kinds were found. The type '${name}' was found to be of kind '${found}' instead of the expected kind 'Entity'.`;
const NOT_A_STRING = (shown: string) => `Cannot read the value '${shown}' as a quoted JSON string value.`;
const NOT_ASSIGNABLE = (found: string, expected: string) =>
  `A resource with type 'microsoft.graph.${found}' was found, but it is not assignable to the expected type 'microsoft.graph.${expected}'. The type specified in the resource must be equal to either the expected type or a derived type.`;

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalogId = (await request(app).post(CATALOGS).set(AUTH).send({ displayName: 'Types' })).body.id as string;
  const packageId = (await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Typed', catalogId })).body.id as string;
  return { app, store, catalogId, packageId };
}

describe('a body’s top-level @odata.type', () => {
  it.each([
    ['beta', PACKAGES, (catalogId: string) => ({ catalogId })],
    ['v1.0', `${V1}/accessPackages`, (catalogId: string) => ({ catalog: { id: catalogId } })],
  ])('refuses, through %s, a type the model cannot resolve and another entity’s type, storing nothing', async (_version, url, inCatalog) => {
    const { app, store, catalogId } = await setup();
    const before = store.list('accessPackages').length;
    for (const [type, message] of [
      ['garbage', UNRESOLVED('garbage')],
      ['#microsoft.graph.accessPackageCatalog', NOT_ASSIGNABLE('accessPackageCatalog', 'accessPackage')],
      [7, NOT_A_STRING('7')],
      [false, NOT_A_STRING('False')],
      [
        null,
        "The 'odata.type' instance annotation value '' is not a valid type name. The value of the 'odata.type' instance annotation must be a non-empty string.",
      ],
      ['#String', KIND('Edm.String', 'Primitive')],
      ['#microsoft.graph.patternedRecurrence', KIND('microsoft.graph.patternedRecurrence', 'Complex')],
      ['#graph.dayOfWeek', KIND('graph.dayOfWeek', 'Enum')],
      ['#Collection(microsoft.graph.accessPackage)', KIND('Collection(microsoft.graph.accessPackage)', 'Collection')],
    ] as const) {
      const body = { '@odata.type': type, displayName: 'Refused', ...inCatalog(catalogId) };
      expectGraphError(await request(app).post(url).set(AUTH).send(body), 400, 'BadRequest', message);
    }
    expect(store.list('accessPackages')).toHaveLength(before);
  });

  it('refuses it on an update too, leaving the record as it was', async () => {
    const { app, store, packageId } = await setup();
    const patch = await request(app)
      .patch(`${V1}/accessPackages/${packageId}`)
      .set(AUTH)
      .send({ '@odata.type': '#microsoft.graph.group', displayName: 'Renamed' });
    expectGraphError(patch, 400, 'BadRequest', NOT_ASSIGNABLE('group', 'accessPackage'));
    const put = await request(app)
      .put(`${POLICIES}/${(await request(app).post(POLICIES).set(AUTH).send({ accessPackageId: packageId, displayName: 'p' })).body.id}`)
      .set(AUTH)
      .send({ '@odata.type': 'microsoft.graph.nothing', accessPackageId: packageId, displayName: 'q' });
    expectGraphError(put, 400, 'BadRequest', UNRESOLVED('microsoft.graph.nothing'));
    expect((store.get('accessPackages', packageId) as { displayName: string }).displayName).toBe('Typed');
  });

  it('takes the entity’s own type with or without #, and beta’s back-end type a beta GET answers', async () => {
    const { app, catalogId } = await setup();
    for (const type of ['#microsoft.graph.accessPackage', 'microsoft.graph.accessPackage', '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage']) {
      const res = await request(app).post(PACKAGES).set(AUTH).send({ '@odata.type': type, displayName: type, catalogId });
      expect([type, res.status, res.headers['content-type'], res.body.displayName]).toEqual([type, 201, ODATA_JSON, type]);
      expect(res.body['@odata.type']).toBe('#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage');
    }
    const v1 = await request(app).post(`${V1}/catalogs`).set(AUTH).send({ '@odata.type': '#microsoft.graph.accessPackageCatalog', displayName: 'v1' });
    expect(v1.status).toBe(201);
    expect(v1.body).not.toHaveProperty('@odata.type');
    // The back end's name is beta's alone.
    const backEnd = await request(app)
      .post(`${V1}/catalogs`)
      .set(AUTH)
      .send({ '@odata.type': '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackageCatalog', displayName: 'v1' });
    expectGraphError(backEnd, 400, 'BadRequest', UNRESOLVED('Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackageCatalog'));
  });
});

describe('the @odata.type of an entity a body nests', () => {
  it('is checked as the body’s own, against the navigation property’s type, in package and policy creates of both versions', async () => {
    const { app, store, catalogId, packageId } = await setup();
    const packages = store.list('accessPackages').length;
    const policies = store.list('accessPackageAssignmentPolicies').length;
    const refused: [string, object, string][] = [
      [
        PACKAGES,
        { displayName: 'x', accessPackageCatalog: { '@odata.type': '#microsoft.graph.accessPackage', id: catalogId } },
        NOT_ASSIGNABLE('accessPackage', 'accessPackageCatalog'),
      ],
      [`${V1}/accessPackages`, { displayName: 'x', catalog: { '@odata.type': '#microsoft.graph.bogus', id: catalogId } }, UNRESOLVED('microsoft.graph.bogus')],
      [PACKAGES, { displayName: 'x', accessPackageCatalog: { '@odata.type': 5, id: catalogId } }, NOT_A_STRING('5')],
      [
        `${V1}/assignmentPolicies`,
        { displayName: 'p', accessPackage: { '@odata.type': '#microsoft.graph.accessPackageCatalog', id: packageId } },
        NOT_ASSIGNABLE('accessPackageCatalog', 'accessPackage'),
      ],
      [
        POLICIES,
        { displayName: 'p', accessPackageId: packageId, accessPackage: { '@odata.type': '#microsoft.graph.accessPackageCatalog', id: packageId } },
        NOT_ASSIGNABLE('accessPackageCatalog', 'accessPackage'),
      ],
    ];
    for (const [url, body, message] of refused) expectGraphError(await request(app).post(url).set(AUTH).send(body), 400, 'BadRequest', message);
    expect([store.list('accessPackages').length, store.list('accessPackageAssignmentPolicies').length]).toEqual([packages, policies]);
    // The nested entity's own type, as Terraform's provider sends it, still creates.
    const typed = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'Typed nest', accessPackageCatalog: { '@odata.type': '#microsoft.graph.accessPackageCatalog', id: catalogId } });
    expect([typed.status, typed.headers['content-type'], typed.body.catalogId]).toEqual([201, ODATA_JSON, catalogId]);
  });

  it('comes with properties read against that type too: one it does not have, or a value of the wrong type, is the same 400', async () => {
    const { app, store, catalogId, packageId } = await setup();
    const packages = store.list('accessPackages').length;
    const policies = store.list('accessPackageAssignmentPolicies').length;
    const unknown = (name: string, type: string) =>
      `The property '${name}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type.`;
    const refused: [string, object, string][] = [
      [PACKAGES, { displayName: 'x', accessPackageCatalog: { id: catalogId, foo: 1 } }, unknown('foo', 'accessPackageCatalog')],
      [
        PACKAGES,
        { displayName: 'x', accessPackageCatalog: { id: catalogId, displayName: 5 } },
        "Invalid value for property 'displayName': cannot convert the literal '5' to the expected type 'Edm.String'.",
      ],
      [`${V1}/accessPackages`, { displayName: 'x', catalog: { id: catalogId, foo: 1 } }, unknown('foo', 'accessPackageCatalog')],
      [POLICIES, { displayName: 'p', accessPackageId: packageId, accessPackage: { id: packageId, colour: 'red' } }, unknown('colour', 'accessPackage')],
      [
        `${V1}/assignmentPolicies`,
        { displayName: 'p', accessPackage: { id: packageId, isHidden: 'maybe' } },
        "Invalid value for property 'isHidden': cannot convert the literal 'maybe' to the expected type 'Edm.Boolean'.",
      ],
    ];
    for (const [url, body, message] of refused) expectGraphError(await request(app).post(url).set(AUTH).send(body), 400, 'BadRequest', message);
    expect([store.list('accessPackages').length, store.list('accessPackageAssignmentPolicies').length]).toEqual([packages, policies]);
    // A catalog read back whole, its read-only properties and annotations with it, names its catalog as an id does.
    const catalog = (await request(app).get(`${CATALOGS}/${catalogId}`).set(AUTH)).body as Record<string, unknown>;
    const whole = await request(app).post(PACKAGES).set(AUTH).send({ displayName: 'Whole catalog', accessPackageCatalog: catalog });
    expect([whole.status, whole.headers['content-type'], whole.body.catalogId]).toEqual([201, ODATA_JSON, catalogId]);
  });

  it('under a collection-valued navigation is a list of entities, each read against its type; anything else is a 400', async () => {
    const { app, store, catalogId, packageId } = await setup();
    const counts = () => [
      store.list('accessPackages').length,
      store.list('accessPackageCatalogs').length,
      store.list('accessPackageAssignmentPolicies').length,
    ];
    const before = counts();
    const unknown = (name: string, type: string) =>
      `The property '${name}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type.`;
    const literal = (property: string, shown: string, type: string) =>
      `Invalid value for property '${property}': cannot convert the literal '${shown}' to the expected type 'Collection(microsoft.graph.${type})'.`;
    const refused: [string, object, string][] = [
      [CATALOGS, { displayName: 'c', accessPackages: 'notalist' }, literal('accessPackages', 'notalist', 'accessPackage')],
      [CATALOGS, { displayName: 'c', accessPackageResources: [{ foo: 1 }] }, unknown('foo', 'accessPackageResource')],
      [
        PACKAGES,
        { displayName: 'p', accessPackageAssignmentPolicies: 5, catalogId },
        literal('accessPackageAssignmentPolicies', '5', 'accessPackageAssignmentPolicy'),
      ],
      [PACKAGES, { displayName: 'p', incompatibleGroups: { x: 1 }, catalogId }, literal('incompatibleGroups', '{"x":1}', 'group')],
      [PACKAGES, { displayName: 'p', incompatibleAccessPackages: ['a'], catalogId }, literal('incompatibleAccessPackages', '["a"]', 'accessPackage')],
      [
        `${V1}/accessPackages`,
        { displayName: 'v', catalog: { id: catalogId }, assignmentPolicies: 'junk' },
        literal('assignmentPolicies', 'junk', 'accessPackageAssignmentPolicy'),
      ],
      [
        `${V1}/accessPackages`,
        { displayName: 'v', catalog: { id: catalogId }, resourceRoleScopes: [{ createdDateTime: 'x' }] },
        "Invalid value for property 'createdDateTime': cannot convert the literal 'x' to the expected type 'Edm.DateTimeOffset'.",
      ],
    ];
    for (const [url, body, message] of refused) expectGraphError(await request(app).post(url).set(AUTH).send(body), 400, 'BadRequest', message);
    expectGraphError(
      await request(app).patch(`${PACKAGES}/${packageId}`).set(AUTH).send({ accessPackageAssignmentPolicies: 'x' }),
      400,
      'BadRequest',
      literal('accessPackageAssignmentPolicies', 'x', 'accessPackageAssignmentPolicy'),
    );
    expect(counts()).toEqual(before);
    // A list of well-formed entities is read, and not stored: these lists are read-only.
    const listed = await request(app)
      .post(CATALOGS)
      .set(AUTH)
      .send({ displayName: 'Listed', accessPackages: [{ displayName: 'inner' }] });
    expect([listed.status, listed.headers['content-type'], listed.body.displayName]).toEqual([201, ODATA_JSON, 'Listed']);
    expect(store.list('accessPackages').length).toBe(before[0]);
    // So is a list of groups, a type the emulator does not store: read as entities, not against a type of its own.
    const group = { '@odata.type': '#microsoft.graph.group', id: '8f2c1b2e-3b1a-4c55-9f0e-0b6b5c1d2e3f', displayName: 'Sales' };
    const grouped = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ displayName: 'Grouped', catalogId, incompatibleGroups: [group] });
    expect([grouped.status, grouped.headers['content-type'], grouped.body.displayName]).toEqual([201, ODATA_JSON, 'Grouped']);
    expect(store.list('accessPackages').length).toBe(before[0]! + 1);
  });

  it('is checked in an action’s parameter, with its DateTimeOffset values read as a create reads them', async () => {
    const { app, packageId } = await setup();
    const action = `${PACKAGES}/${packageId}/getApplicablePolicyRequirements`;
    expectGraphError(
      await request(app)
        .post(action)
        .set(AUTH)
        .send({ subject: { '@odata.type': '#microsoft.graph.accessPackageCatalog', objectId: 'x' } }),
      400,
      'BadRequest',
      NOT_ASSIGNABLE('accessPackageCatalog', 'accessPackageSubject'),
    );
    expectGraphError(
      await request(app)
        .post(action)
        .set(AUTH)
        .send({ subject: { objectId: 'x', cleanupScheduledDateTime: '1' } }),
      400,
      'BadRequest',
      "Invalid value for property 'cleanupScheduledDateTime': cannot convert the literal '1' to the expected type 'Edm.DateTimeOffset'.",
    );
    // A date-time is a JSON string: a list holding one is none, though its text reads as a date.
    expectGraphError(
      await request(app)
        .post(action)
        .set(AUTH)
        .send({ subject: { objectId: 'x', cleanupScheduledDateTime: ['2026-01-02T03:04:05Z'] } }),
      400,
      'BadRequest',
      `Invalid value for property 'cleanupScheduledDateTime': cannot convert the literal '["2026-01-02T03:04:05Z"]' to the expected type 'Edm.DateTimeOffset'.`,
    );
    const accepted = await request(app)
      .post(action)
      .set(AUTH)
      .send({ subject: { '@odata.type': '#microsoft.graph.accessPackageSubject', objectId: 'x', cleanupScheduledDateTime: '2026-01-02T03:04:05Z' } });
    expect([accepted.status, accepted.headers['content-type'], accepted.body.value]).toEqual([200, ODATA_JSON, []]);
  });
});
