// The typed Kiota beta SDK against a real emulator: a catalog, a package and a policy created with every property a
// client may set, through the SDK's models, come back deserialized equal (dates as Date, enums, nested settings,
// derived types with their @odata.type), on the create's answer, a GET, a GET with $select and $expand, and after a
// PATCH or a PUT; deleted, a GET is Graph's 404 as the SDK's ODataError.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type AccessPackage,
  type AccessPackageAssignmentPolicy,
  type AccessPackageCatalog,
  createAccessPackageAssignmentPolicyFromDiscriminatorValue as policyFactory,
  createAccessPackageCatalogFromDiscriminatorValue as catalogFactory,
  createAccessPackageFromDiscriminatorValue as packageFactory,
  serializeAccessPackage,
  serializeAccessPackageAssignmentPolicy,
  serializeAccessPackageCatalog,
} from '@microsoft/msgraph-beta-sdk/models/index.js';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { GUID } from '../support/graph.js';
import { ERRORS, answerOf, betaAdapter, emRequest, failureOf, inShapeOf, withDerivedProperties, withoutCarried } from '../support/kiotaBeta.js';
import { fullPolicy } from '../support/kiotaPolicy.js';

describe('the Kiota beta SDK: what a client writes, it reads back', () => {
  let emulator: RunningEmulator;
  let adapter: ReturnType<typeof betaAdapter>;
  beforeAll(async () => {
    emulator = await startEmulator();
    adapter = betaAdapter(emulator.port);
  });
  afterAll(async () => {
    await emulator.close();
  });

  const send = <T>(request: ReturnType<typeof emRequest>, factory: Parameters<typeof answerOf>[2]) => answerOf<T>(adapter, request, factory);

  async function createCatalog(body: AccessPackageCatalog) {
    const request = emRequest(adapter, 'POST', '/accessPackageCatalogs', { body, serializer: serializeAccessPackageCatalog });
    return send<AccessPackageCatalog>(request, catalogFactory);
  }

  it('a catalog: create, get, $select, PATCH of every settable property, delete', async () => {
    const sent: AccessPackageCatalog = {
      displayName: 'Marketing',
      description: 'Campaign sites and marketing groups',
      catalogStatus: 'Published',
      isExternallyVisible: true,
      privilegeLevel: 'privileged',
      uniqueName: 'marketing-catalog',
    };
    const created = await createCatalog(sent);
    expect(inShapeOf(sent, created)).toEqual(sent);
    expect(created).toMatchObject({ id: expect.stringMatching(GUID), catalogType: 'UserManaged' });
    expect(created.createdDateTime).toBeInstanceOf(Date);
    expect(created.modifiedDateTime?.getTime()).toBe(created.createdDateTime?.getTime());

    const path = { id: String(created.id) };
    const read = await send<AccessPackageCatalog>(emRequest(adapter, 'GET', '/accessPackageCatalogs/{id}', { path }), catalogFactory);
    expect(read).toEqual(created);
    const selected = await send<AccessPackageCatalog>(
      emRequest(adapter, 'GET', '/accessPackageCatalogs/{id}{?%24select}', { path, query: { '%24select': ['displayName', 'privilegeLevel'] } }),
      catalogFactory,
    );
    expect({ ...selected, additionalData: undefined }).toEqual({
      id: created.id,
      displayName: 'Marketing',
      privilegeLevel: 'privileged',
      additionalData: undefined,
    });

    const changes: AccessPackageCatalog = {
      displayName: 'Marketing (EMEA)',
      description: 'Campaign sites for EMEA',
      catalogStatus: 'Unpublished',
      isExternallyVisible: false,
      privilegeLevel: 'standard',
      uniqueName: 'marketing-emea',
    };
    await adapter.sendNoResponseContent(
      emRequest(adapter, 'PATCH', '/accessPackageCatalogs/{id}', { path, body: changes, serializer: serializeAccessPackageCatalog }),
      ERRORS,
    );
    const updated = await send<AccessPackageCatalog>(emRequest(adapter, 'GET', '/accessPackageCatalogs/{id}', { path }), catalogFactory);
    expect(inShapeOf(changes, updated)).toEqual(changes);

    await adapter.sendNoResponseContent(emRequest(adapter, 'DELETE', '/accessPackageCatalogs/{id}', { path }), ERRORS);
    const gone = await failureOf(send(emRequest(adapter, 'GET', '/accessPackageCatalogs/{id}', { path }), catalogFactory));
    expect(gone.responseStatusCode).toBe(404);
    expect(gone.errorEscaped).toMatchObject({ code: 'ResourceNotFound', message: 'The resource was not found.' });
  });

  it('a package: create, get, $expand of its catalog and policies, PATCH of every settable property, delete', async () => {
    const catalog = await createCatalog({ displayName: 'Sales' });
    const sent: AccessPackage = {
      catalogId: catalog.id,
      displayName: 'Sales tools',
      description: 'CRM and the pricing dashboard',
      isHidden: true,
      isRoleScopesVisible: true,
      uniqueName: 'sales-tools',
    };
    const created = await send<AccessPackage>(
      emRequest(adapter, 'POST', '/accessPackages', { body: sent, serializer: serializeAccessPackage }),
      packageFactory,
    );
    expect(inShapeOf(sent, created)).toEqual(sent);
    expect(created.createdDateTime).toBeInstanceOf(Date);

    const path = { id: String(created.id) };
    const policy = withDerivedProperties(fullPolicy(String(created.id)));
    await send(
      emRequest(adapter, 'POST', '/accessPackageAssignmentPolicies', { body: policy, serializer: serializeAccessPackageAssignmentPolicy }),
      policyFactory,
    );
    const expanded = await send<AccessPackage>(
      emRequest(adapter, 'GET', '/accessPackages/{id}{?%24expand}', {
        path,
        query: { '%24expand': ['accessPackageCatalog', 'accessPackageAssignmentPolicies'] },
      }),
      packageFactory,
    );
    expect(inShapeOf(sent, expanded)).toEqual(sent);
    expect(expanded.accessPackageCatalog).toMatchObject({ id: catalog.id, displayName: 'Sales', catalogType: 'UserManaged' });
    expect(expanded.accessPackageAssignmentPolicies).toHaveLength(1);
    expect(inShapeOf(withoutCarried(policy), expanded.accessPackageAssignmentPolicies?.[0])).toEqual(withoutCarried(policy));

    const changes: AccessPackage = {
      displayName: 'Sales tools (EMEA)',
      description: 'For EMEA',
      isHidden: false,
      isRoleScopesVisible: false,
      uniqueName: 'sales-emea',
    };
    await adapter.sendNoResponseContent(
      emRequest(adapter, 'PATCH', '/accessPackages/{id}', { path, body: changes, serializer: serializeAccessPackage }),
      ERRORS,
    );
    const updated = await send<AccessPackage>(emRequest(adapter, 'GET', '/accessPackages/{id}', { path }), packageFactory);
    expect(inShapeOf({ ...changes, catalogId: catalog.id }, updated)).toEqual({ ...changes, catalogId: catalog.id });
    expect(Number(updated.modifiedDateTime)).toBeGreaterThanOrEqual(Number(created.modifiedDateTime));

    await adapter.sendNoResponseContent(emRequest(adapter, 'DELETE', '/accessPackages/{id}', { path }), ERRORS);
    const gone = await failureOf(send(emRequest(adapter, 'GET', '/accessPackages/{id}', { path }), packageFactory));
    expect(gone.responseStatusCode).toBe(404);
  });

  it('a policy with every setting: create, get, PUT, a GET sent back as a PUT, delete', async () => {
    const catalog = await createCatalog({ displayName: 'Finance' });
    const body: AccessPackage = { catalogId: catalog.id, displayName: 'Ledger' };
    const accessPackage = await send<AccessPackage>(
      emRequest(adapter, 'POST', '/accessPackages', { body, serializer: serializeAccessPackage }),
      packageFactory,
    );
    const sent = withDerivedProperties(fullPolicy(String(accessPackage.id)));
    const expected = withoutCarried(sent);
    const create = emRequest(adapter, 'POST', '/accessPackageAssignmentPolicies', { body: sent, serializer: serializeAccessPackageAssignmentPolicy });
    const created = await send<AccessPackageAssignmentPolicy>(create, policyFactory);
    expect(inShapeOf(expected, created)).toEqual(expected);
    expect(created.expirationDateTime).toEqual(new Date('2027-06-30T00:00:00Z'));
    expect(created.accessReviewSettings?.startDateTime).toBeInstanceOf(Date);
    expect(created.requestorSettings?.allowedRequestors?.map((set) => set.odataType)).toEqual(['#microsoft.graph.singleUser', '#microsoft.graph.groupMembers']);
    expect(created.questions?.map((question) => question.id)).toEqual([expect.stringMatching(GUID), expect.stringMatching(GUID)]);

    const path = { id: String(created.id) };
    const read = await send<AccessPackageAssignmentPolicy>(emRequest(adapter, 'GET', '/accessPackageAssignmentPolicies/{id}', { path }), policyFactory);
    expect(read).toEqual(created);

    const replaced = { ...sent, displayName: 'Ledger, yearly', durationInDays: 365, expirationDateTime: null };
    const put = emRequest(adapter, 'PUT', '/accessPackageAssignmentPolicies/{id}', {
      path,
      body: replaced,
      serializer: serializeAccessPackageAssignmentPolicy,
    });
    const afterPut = await send<AccessPackageAssignmentPolicy>(put, policyFactory);
    expect(inShapeOf(withoutCarried({ ...replaced, expirationDateTime: undefined }), afterPut)).toEqual(
      withoutCarried({ ...replaced, expirationDateTime: undefined }),
    );
    expect(afterPut.expirationDateTime ?? null).toBeNull();

    // What a client read, sent back with the derived types' properties carried: the questions keep their ids.
    const again = emRequest(adapter, 'PUT', '/accessPackageAssignmentPolicies/{id}', {
      path,
      body: withDerivedProperties(afterPut),
      serializer: serializeAccessPackageAssignmentPolicy,
    });
    const unchanged = await send<AccessPackageAssignmentPolicy>(again, policyFactory);
    expect({ ...unchanged, modifiedDateTime: undefined }).toEqual({ ...afterPut, modifiedDateTime: undefined });

    await adapter.sendNoResponseContent(emRequest(adapter, 'DELETE', '/accessPackageAssignmentPolicies/{id}', { path }), ERRORS);
    expect((await failureOf(send(emRequest(adapter, 'GET', '/accessPackageAssignmentPolicies/{id}', { path }), policyFactory))).responseStatusCode).toBe(404);
  });

  it("sends a derived type's own properties only when the client carries them: the SDK's serializer drops them", async () => {
    const catalog = await createCatalog({ displayName: 'Legal' });
    const body: AccessPackage = { catalogId: catalog.id, displayName: 'Contracts' };
    const accessPackage = await send<AccessPackage>(
      emRequest(adapter, 'POST', '/accessPackages', { body, serializer: serializeAccessPackage }),
      packageFactory,
    );
    const policy = fullPolicy(String(accessPackage.id));
    await emulator.clearRequests();
    await send(
      emRequest(adapter, 'POST', '/accessPackageAssignmentPolicies', { body: policy, serializer: serializeAccessPackageAssignmentPolicy }),
      policyFactory,
    );
    const written = (await emulator.requests({ method: 'POST' })).map((entry) => entry.requestBody as { requestorSettings: { allowedRequestors: unknown[] } });
    expect(written).toHaveLength(1);
    const requestors = written[0]?.requestorSettings.allowedRequestors;
    expect(requestors).toEqual([
      { '@odata.type': '#microsoft.graph.singleUser', isBackup: false },
      { '@odata.type': '#microsoft.graph.groupMembers', isBackup: false },
    ]);
  });
});
