// The access-package tutorial's step through the Kiota beta SDK: a group added to a catalog by a resource request
// (its generated AccessPackageResourceRequest model written and read back), the group's roles then listed, and a
// second add refused with Graph's error as the SDK's ODataError carries it.
// https://learn.microsoft.com/graph/tutorial-access-package-api
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  type AccessPackageResourceRequest,
  type AccessPackageResourceRole,
  createAccessPackageResourceRequestFromDiscriminatorValue as requestFactory,
  createAccessPackageResourceRoleCollectionResponseFromDiscriminatorValue as roles,
  serializeAccessPackageResourceRequest,
} from '@microsoft/msgraph-beta-sdk/models/index.js';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { GUID } from '../support/graph.js';
import { answerOf, betaAdapter, emRequest, everyItem, failureOf } from '../support/kiotaBeta.js';

let emulator: RunningEmulator;
afterAll(() => emulator.close());

/** A resource request sent through the SDK's model and serializer, its answer read as the model. */
function send(adapter: ReturnType<typeof betaAdapter>, body: AccessPackageResourceRequest): Promise<AccessPackageResourceRequest> {
  const request = emRequest(adapter, 'POST', '/accessPackageResourceRequests', { body, serializer: serializeAccessPackageResourceRequest });
  return answerOf<AccessPackageResourceRequest>(adapter, request, requestFactory);
}

describe('the Kiota beta SDK: resource requests', () => {
  it('adds a group: the delivered request as the model reads it, the Member and Owner roles listed; a second add is an ODataError', async () => {
    emulator = await startEmulator();
    const adapter = betaAdapter(emulator.port);
    const catalogId = String(emulator.store.list('accessPackageCatalogs')[0]?.id);
    const groupId = randomUUID();
    const body: AccessPackageResourceRequest = { catalogId, requestType: 'AdminAdd', accessPackageResource: { originId: groupId, originSystem: 'AadGroup' } };
    const made = await send(adapter, body);
    // The model reads a null as undefined, and keeps the context as additional data.
    expect(made).toEqual({
      additionalData: {
        '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackageResourceRequests/$entity',
      },
      id: expect.stringMatching(GUID),
      catalogId,
      executeImmediately: false,
      expirationDateTime: undefined,
      isValidationOnly: false,
      justification: undefined,
      requestState: 'Delivered',
      requestStatus: 'Fulfilled',
      requestType: 'AdminAdd',
    });

    const listed = await everyItem<AccessPackageResourceRole>(
      adapter,
      emRequest(adapter, 'GET', `/accessPackageCatalogs/{id}/accessPackageResourceRoles`, {
        path: { id: catalogId },
        query: { '%24filter': `originSystem eq 'AadGroup' and originId eq 'Member_${groupId}' or originId eq 'Owner_${groupId}'` },
      }),
      roles,
    );
    expect(listed.map((r) => [r.displayName, r.originId])).toEqual([
      ['Member', `Member_${groupId}`],
      ['Owner', `Owner_${groupId}`],
    ]);

    const failure = await failureOf(send(adapter, body));
    expect(failure.responseStatusCode).toBe(400);
    expect(failure.errorEscaped).toMatchObject({ code: 'BadRequest', message: 'The specified resource is already onboarded to ELM.', details: [] });
    expect(failure.errorEscaped.innerError.requestId).toMatch(GUID);
  });
});
