// The actions, functions and references of entitlement management through the Kiota beta SDK (moveToCatalog,
// getApplicablePolicyRequirements, a catalog resource's refresh, incompatibleAccessPackages and incompatibleGroups by $ref, a role scope's delete),
// and Graph's errors as the SDK's ODataError carries them: code, message and innerError (request-id,
// client-request-id, date) for a 400, a 404, a 409 and a 429, the same values as the answer's headers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParseNode } from '@microsoft/kiota-abstractions';
import {
  type AccessPackage,
  type AccessPackageAssignmentRequestRequirements,
  type AccessPackageCatalog,
  type AccessPackageResource,
  type AccessPackageResourceRoleScope,
  createAccessPackageAssignmentRequestRequirementsFromDiscriminatorValue,
  createAccessPackageCatalogFromDiscriminatorValue as catalogFactory,
  createAccessPackageCollectionResponseFromDiscriminatorValue as packages,
  createAccessPackageFromDiscriminatorValue as packageFactory,
  createAccessPackageResourceFromDiscriminatorValue as resourceFactory,
  createAccessPackageResourceRoleScopeFromDiscriminatorValue as roleScopeFactory,
  createGroupCollectionResponseFromDiscriminatorValue as groups,
  serializeAccessPackage,
  serializeAccessPackageAssignmentPolicy,
  serializeAccessPackageCatalog,
  serializeAccessPackageResourceRoleScope,
  serializeAccessPackageSubject,
  serializeReferenceCreate,
} from '@microsoft/msgraph-beta-sdk/models/index.js';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { addGroup } from '../support/catalogResources.js';
import { GUID } from '../support/graph.js';
import { ERRORS, answerOf, betaAdapter, emRequest, everyItem, failureOf, inShapeOf, withDerivedProperties, withoutCarried } from '../support/kiotaBeta.js';
import { fullPolicy } from '../support/kiotaPolicy.js';

const PACKAGE_URL = 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages';

/** getApplicablePolicyRequirements' answer, a collection of requirements (the fluent SDK's PostResponse). */
const requirementsFactory =
  () =>
  (answer: { value?: AccessPackageAssignmentRequestRequirements[] } = {}) => ({
    value: (node: ParseNode) => {
      answer.value = node.getCollectionOfObjectValues(createAccessPackageAssignmentRequestRequirementsFromDiscriminatorValue);
    },
  });

describe('the Kiota beta SDK: actions, references and errors', () => {
  let emulator: RunningEmulator;
  let adapter: ReturnType<typeof betaAdapter>;
  let catalogId: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    adapter = betaAdapter(emulator.port);
    catalogId = String(emulator.store.list('accessPackageCatalogs')[0]?.id);
  });
  afterAll(async () => {
    await emulator.close();
  });

  async function createPackage(displayName: string, inCatalog = catalogId): Promise<string> {
    const body: AccessPackage = { catalogId: inCatalog, displayName };
    const request = emRequest(adapter, 'POST', '/accessPackages', { body, serializer: serializeAccessPackage });
    return String((await answerOf<AccessPackage>(adapter, request, packageFactory)).id);
  }

  it('getApplicablePolicyRequirements: one requirements object per open policy, its questions parsed as their types', async () => {
    const id = await createPackage('Requestable');
    const policy = withDerivedProperties({
      ...fullPolicy(id),
      requestorSettings: { scopeType: 'AllExistingDirectorySubjects', acceptRequests: true, allowedRequestors: [] },
    });
    await adapter.sendNoResponseContent(
      emRequest(adapter, 'POST', '/accessPackageAssignmentPolicies', { body: policy, serializer: serializeAccessPackageAssignmentPolicy }),
      ERRORS,
    );
    const asCaller = emRequest(adapter, 'POST', '/accessPackages/{id}/microsoft.graph.getApplicablePolicyRequirements', { path: { id } });
    const forSubject = emRequest(adapter, 'POST', '/accessPackages/{id}/microsoft.graph.getApplicablePolicyRequirements', { path: { id } });
    forSubject.setContentFromParsable(adapter, 'application/json', { objectId: 'e6c2a5b7-5ad5-4b44-8bd9-63f1e6ac1b5c' }, (writer, subject) =>
      writer.writeObjectValue('subject', subject, serializeAccessPackageSubject),
    );
    for (const request of [asCaller, forSubject]) {
      const { value } = (await adapter.send(request, requirementsFactory, ERRORS)) as { value: AccessPackageAssignmentRequestRequirements[] };
      expect(value).toHaveLength(1);
      expect(value[0]).toMatchObject({
        policyDisplayName: policy.displayName,
        isApprovalRequired: true,
        isApprovalRequiredForExtension: true,
        isRequestorJustificationRequired: true,
      });
      const questions = withoutCarried(policy.questions);
      expect(inShapeOf(questions, value[0]?.questions)).toEqual(questions);
    }
  });

  it('moveToCatalog moves a package; the references add, list and go away as the SDK sends them', async () => {
    const catalog: AccessPackageCatalog = { displayName: 'Target' };
    const target = await answerOf<AccessPackageCatalog>(
      adapter,
      emRequest(adapter, 'POST', '/accessPackageCatalogs', { body: catalog, serializer: serializeAccessPackageCatalog }),
      catalogFactory,
    );
    const id = await createPackage('Mover');
    const other = await createPackage('Other');
    const move = emRequest(adapter, 'POST', '/accessPackages/{id}/microsoft.graph.moveToCatalog', { path: { id } });
    move.setContentFromParsable(adapter, 'application/json', { catalogId: target.id }, (writer, body) => writer.writeStringValue('catalogId', body?.catalogId));
    await adapter.sendNoResponseContent(move, ERRORS);
    expect((await answerOf<AccessPackage>(adapter, emRequest(adapter, 'GET', '/accessPackages/{id}', { path: { id } }), packageFactory)).catalogId).toBe(
      target.id,
    );

    const add = (list: string, url: string) =>
      emRequest(adapter, 'POST', `/accessPackages/{id}/${list}/$ref`, { path: { id }, body: { odataId: url }, serializer: serializeReferenceCreate });
    await adapter.sendNoResponseContent(add('incompatibleAccessPackages', `${PACKAGE_URL}/${other}`), ERRORS);
    await adapter.sendNoResponseContent(add('incompatibleGroups', 'https://graph.microsoft.com/beta/groups/5f0c4a62-8d2e-4f8f-9a4e-3b1c2d7e9f10'), ERRORS);
    const listed = await everyItem<AccessPackage>(
      adapter,
      emRequest(adapter, 'GET', '/accessPackages/{id}/incompatibleAccessPackages', { path: { id } }),
      packages,
    );
    expect(listed.map((item) => item.id)).toEqual([other]);
    // The fluent SDK's delete: the reference named by its URL in @id, as msgraph-beta-sdk's templates write it.
    const remove = emRequest(adapter, 'DELETE', '/accessPackages/{id}/incompatibleAccessPackages/$ref{?%40id}', {
      path: { id },
      query: { '%40id': `${PACKAGE_URL}/${other}` },
    });
    await adapter.sendNoResponseContent(remove, ERRORS);
    const removeGroup = emRequest(adapter, 'DELETE', '/accessPackages/{id}/incompatibleGroups/{group}/$ref', {
      path: { id, group: '5f0c4a62-8d2e-4f8f-9a4e-3b1c2d7e9f10' },
    });
    await adapter.sendNoResponseContent(removeGroup, ERRORS);
    expect(await everyItem(adapter, emRequest(adapter, 'GET', '/accessPackages/{id}/incompatibleAccessPackages', { path: { id } }), packages)).toEqual([]);
    expect(await everyItem(adapter, emRequest(adapter, 'GET', '/accessPackages/{id}/incompatibleGroups', { path: { id } }), groups)).toEqual([]);
  });

  it('refresh: a catalog resource refreshed at the SDK’s qualified URL reads the same after; one of another catalog is a 404', async () => {
    const group = await addGroup(emulator.store, catalogId, 'Refreshed');
    const path = { catalog: catalogId, id: group.resource.id };
    const read = () =>
      answerOf<AccessPackageResource>(
        adapter,
        emRequest(adapter, 'GET', '/accessPackageCatalogs/{catalog}/accessPackageResources/{id}', { path }),
        resourceFactory,
      );
    const before = await read();
    const refresh = (ids: Record<string, string>) =>
      emRequest(adapter, 'POST', '/accessPackageCatalogs/{catalog}/accessPackageResources/{id}/microsoft.graph.refresh', { path: ids });
    await adapter.sendNoResponseContent(refresh(path), ERRORS);
    expect(await read()).toEqual(before);
    const elsewhere = String(emulator.store.list('accessPackageCatalogs').find((c) => c.id !== catalogId)?.id);
    const failure = await failureOf(adapter.sendNoResponseContent(refresh({ catalog: elsewhere, id: group.resource.id }), ERRORS));
    expect([failure.responseStatusCode, failure.errorEscaped.code, failure.errorEscaped.message]).toEqual([
      404,
      'ResourceNotFound',
      'The resource was not found.',
    ]);
  });

  it("Graph's errors as ODataError: a 400, a 404, a 409 for a role scope added twice, a 429, each with its ids and date", async () => {
    const id = await createPackage('Errors');
    const group = await addGroup(emulator.store, catalogId, 'Finance');
    const roleScope: AccessPackageResourceRoleScope = {
      accessPackageResourceRole: { id: group.member.id, accessPackageResource: { id: group.resource.id } },
      accessPackageResourceScope: { id: group.scope.id },
    };
    const addRoleScope = () =>
      answerOf<AccessPackageResourceRoleScope>(
        adapter,
        emRequest(adapter, 'POST', '/accessPackages/{id}/accessPackageResourceRoleScopes', {
          path: { id },
          body: roleScope,
          serializer: serializeAccessPackageResourceRoleScope,
        }),
        roleScopeFactory,
      );
    const created = await addRoleScope();
    expect(created.id).toBe(`${group.member.id}_${group.scope.id}`);

    emulator.faults.set([{ method: 'GET', path: `/beta/identityGovernance/entitlementManagement/accessPackages/${id}`, status: 429, retryAfter: 0 }]);
    const failures = [
      [
        400,
        'InvalidModel',
        'Model is not valid.',
        adapter.send(
          emRequest(adapter, 'POST', '/accessPackages', {
            body: { catalogId: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', displayName: 'Nowhere' },
            serializer: serializeAccessPackage,
          }),
          packageFactory,
          ERRORS,
        ),
      ],
      [
        404,
        'ResourceNotFound',
        'The resource was not found.',
        adapter.send(
          emRequest(adapter, 'GET', '/accessPackages/{id}/accessPackageResourceRoleScopes/{scope}', {
            path: { id, scope: `${group.owner.id}_${group.scope.id}` },
          }),
          roleScopeFactory,
          ERRORS,
        ),
      ],
      [409, 'Conflict', 'The access package already holds this resource role at this scope.', addRoleScope()],
      [
        429,
        'TooManyRequests',
        'Please retry again later.',
        adapter.send(emRequest(adapter, 'GET', '/accessPackages/{id}', { path: { id } }), packageFactory, ERRORS),
      ],
    ] as const;
    for (const [status, code, message, call] of failures) {
      const failure = await failureOf(call);
      expect(failure.responseStatusCode).toBe(status);
      expect(failure.errorEscaped).toMatchObject({ code, message });
      expect(failure.message).toBe(message);
      const inner = failure.errorEscaped.innerError;
      expect(inner.requestId).toMatch(GUID);
      expect(failure.responseHeaders['request-id']).toEqual([inner.requestId]);
      expect(failure.responseHeaders['client-request-id']).toEqual([inner.clientRequestId]);
      // Graph writes the date without a zone ("2026-12-06T20:39:35"), which the SDK reads as a Date of this machine's zone.
      expect(inner.date).toBeInstanceOf(Date);
      expect(Number.isNaN(inner.date.getTime())).toBe(false);
      if (status === 429) expect(failure.responseHeaders['retry-after']).toEqual(['0']);
    }
    emulator.faults.clear();

    await adapter.sendNoResponseContent(
      emRequest(adapter, 'DELETE', '/accessPackages/{id}/accessPackageResourceRoleScopes/{scope}', { path: { id, scope: String(created.id) } }),
      ERRORS,
    );
    expect(emulator.store.list('accessPackageResourceRoleScopes')).toEqual([]);
  });
});
