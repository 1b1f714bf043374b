// A type name as Graph's OData reader reads one from an `odata.type` annotation before it resolves it: one `#` dropped,
// `Collection(…)` only when the name is one, a core type only by its own name, a model's type only in its namespace or
// the alias, an object as the JSON reader's 400.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { salesPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, PACKAGES, POLICIES, expectGraphError } from '../support/graph.js';

const kind = (name: string, expected: string, found: string) =>
  `Incompatible type kinds were found. The type '${name}' was found to be of kind '${found}' instead of the expected kind '${expected}'.`;
const unresolved = (name: string) =>
  `A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`;

describe('on a string property (a package’s displayName)', () => {
  it.each([
    ['Collection()', kind('Collection()', 'Primitive', 'Complex')],
    ['#Collection(Edm.String', kind('Collection(Edm.String', 'Primitive', 'Complex')],
    ['#Foo.String', kind('Foo.String', 'Primitive', 'Complex')],
    ['##String', kind('#String', 'Primitive', 'Complex')],
    ['String#', kind('String#', 'Primitive', 'Complex')],
    ['#', kind('', 'Primitive', 'Complex')],
    ['#Untyped', kind('Edm.Untyped', 'Primitive', 'Untyped')],
    [{ name: '#String' }, "An unexpected 'StartObject' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected."],
  ])('%j: the reader’s 400, nothing stored', async (type, message) => {
    const { app, store, catalogId } = await salesPackage();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ 'displayName@odata.type': type, displayName: 'Typed', catalogId });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackages')).toBe(1);
  });
});

describe('on an enum property and a collection of strings', () => {
  it.each([
    ['#Collection(microsoft.graph.bogus)', unresolved('Collection(microsoft.graph.bogus)')],
    ['#Collection(graph.privilegeLevel)', kind('Collection(graph.privilegeLevel)', 'Enum', 'Collection')],
    ['', unresolved('')],
    ['#other.privilegeLevel', unresolved('other.privilegeLevel')],
    ['#contoso.example.privilegeLevel', unresolved('contoso.example.privilegeLevel')],
  ])('a catalog’s privilegeLevel typed %j: the reader’s 400', async (type, message) => {
    const { app, store } = await salesPackage();
    const res = await request(app).post(CATALOGS).set(AUTH).send({ displayName: 'C', 'privilegeLevel@odata.type': type, privilegeLevel: 'standard' });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackageCatalogs')).toBe(1);
  });

  it.each([
    ['#Collection(microsoft.graph.bogus)', unresolved('Collection(microsoft.graph.bogus)')],
    ['#Collection(Edm.Foo)', unresolved('Collection(Edm.Foo)')],
  ])('a credential type’s issuers typed %s: the reader’s 400', async (type, message) => {
    const { app, store, accessPackageId } = await salesPackage();
    const credentialTypes = [{ 'issuers@odata.type': type, issuers: ['did:web:contoso.com'], credentialType: 'VerifiedEmployee' }];
    const res = await request(app).post(POLICIES).set(AUTH).send({ displayName: 'v', accessPackageId, verifiableCredentialSettings: { credentialTypes } });
    expectGraphError(res, 400, 'BadRequest', message);
    expect(store.count('accessPackageAssignmentPolicies')).toBe(0);
  });
});
