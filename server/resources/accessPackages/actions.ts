// The actions and the function Graph binds to access packages.
// Their bodies and query strings are checked before these run, against the CSDL (../actionInput.ts).
// - moveToCatalog: POST {catalogId}; 200 OK with no body. The package's resources must be in the target catalog
//   (the page says so; the answer when they are not is chosen: 400 BadRequest in those words); its role scopes
//   then point at the target catalog's roles and scopes.
//   https://learn.microsoft.com/graph/api/accesspackage-movetocatalog?view=graph-rest-beta
// - getApplicablePolicyRequirements: POST; one requirements object per policy whose requestor settings let the
//   caller request, an empty collection when none does. In beta, for the body's subject.objectId instead (the
//   page's example 2); v1.0's page says to send no body, and its CSDL declares no parameter.
//   https://learn.microsoft.com/graph/api/accesspackage-getapplicablepolicyrequirements?view=graph-rest-beta
// - filterByCurrentUser(on='allowedRequestor'): GET; the packages the caller may request, across all catalogs.
//   https://learn.microsoft.com/graph/api/accesspackage-filterbycurrentuser?view=graph-rest-beta
// Both are end-user operations, for a signed-in user only (their pages: "Application: Not supported"), with the
// subject-access permission (SUBJECT_ACCESS_PERMISSIONS): an application's token is entitlement management's 403
// from the permission check (the answer's wording is chosen: not documented).
import type { Request } from 'express';
import { GraphError } from '../../graphErrors.js';
import { graphNowAfter } from '../../graphTime.js';
import { graphRoot } from '../../graphWire.js';
import { contextOf } from '../../http/context.js';
import { sendEmpty, sendOData } from '../../http/successAnswers.js';
import type { Identity } from '../../identity/claims.js';
import type { ApiVersion } from '../../metadata/csdl.js';
import { enumArgument } from '../../functionParameters.js';
import type { AccessPackage, AccessPackageResourceRoleScope } from '../../store/records.js';
import type { RecordChange } from '../../store/store.js';
import { allowsRequestor } from '../accessPackageAssignmentPolicies/requestors.js';
import { SUBJECT_ACCESS_PERMISSIONS } from '../entitlementManagement.js';
import type { Operation$, Row } from '../definition.js';
import { listRecords, pagedPath } from '../list.js';
import { viewOf } from '../views.js';
import { accessPackages } from './index.js';
import { existingCatalogId } from './rules.js';
import { movedRoleScopes } from './move.js';
import { v1Question } from './v1Questions.js';

/**
 * The catalogs not enabled for requests (`catalogStatus` Unpublished, v1.0's `state` unpublished): their packages are
 * offered to nobody, as "set Enabled to Yes" for a catalog's packages "to be available for users to request" says
 * (https://learn.microsoft.com/entra/id-governance/entitlement-management-catalog-create).
 */
function isClosed(catalog: Row | undefined): boolean {
  return String(catalog?.['catalogStatus']).toLowerCase() === 'unpublished';
}

function closedCatalogs(store: { list(c: 'accessPackageCatalogs'): readonly unknown[] }): Set<unknown> {
  return new Set((store.list('accessPackageCatalogs') as readonly Row[]).filter(isClosed).map((c) => c['id']));
}

function policiesOf(store: { list(c: 'accessPackageAssignmentPolicies'): readonly unknown[] }, accessPackageId: unknown): Row[] {
  return (store.list('accessPackageAssignmentPolicies') as readonly Row[]).filter((p) => p['accessPackageId'] === accessPackageId);
}

export const moveToCatalog: Operation$ = {
  access: 'write',
  async handler(accessPackage, req, res, { store, caller }) {
    // Checked against the beta CSDL, which declares catalogId alone (actionInput.ts).
    const body = req.body as Row | undefined;
    // The package, its role scopes and the checks read in the one write that moves them all: a crash or a reader
    // finds the package in one catalog or the other, its role scopes with it.
    const moved = await store.apply((view) => {
      const record = view.get('accessPackages', String((accessPackage as Row)['id'])) as Row | undefined;
      if (record === undefined) return undefined;
      const catalogId = existingCatalogId(view, body?.['catalogId']);
      const roleScopes = movedRoleScopes(view, record, catalogId).flatMap(([old, replacement]): RecordChange[] => [
        { op: 'remove', collection: 'accessPackageResourceRoleScopes', id: old['id'] as string },
        { op: 'create', collection: 'accessPackageResourceRoleScopes', record: replacement as unknown as AccessPackageResourceRoleScope },
      ]);
      const updated = {
        ...record,
        catalogId,
        modifiedBy: caller ?? record['modifiedBy'],
        modifiedDateTime: graphNowAfter([record['modifiedDateTime'], record['createdDateTime']]),
      };
      return [...roleScopes, { op: 'update', collection: 'accessPackages', record: updated as unknown as AccessPackage }];
    });
    if (!moved) throw GraphError.of('notFound');
    sendEmpty(res, 200);
  },
};

function requesterOf(req: Request): Identity {
  const identity = contextOf(req).identity;
  const subject = (req.body as Row | undefined)?.['subject'] as Row | undefined;
  if (typeof subject?.['objectId'] !== 'string') return identity;
  return { ...identity, objectId: subject['objectId'], claims: { ...(identity.claims ?? {}), groups: [] } };
}

/** One policy's requirements in the version's form (v1.0 names approval for add and for update, and shapes questions its own way). */
function requirementsOf(policy: Row, version: ApiVersion): Row {
  const approval = (policy['requestApprovalSettings'] as Row | null) ?? {};
  // Set only through v1.0 (its requestorSettings.allowCustomAssignmentSchedule); beta's policy has no such field.
  const customSchedule = ((policy['v1Settings'] as Row | undefined)?.['requestorSettings'] as Row | undefined)?.['allowCustomAssignmentSchedule'] === true;
  const common = {
    policyId: policy['id'],
    policyDisplayName: policy['displayName'],
    policyDescription: policy['description'],
    isRequestorJustificationRequired: approval['isRequestorJustificationRequired'] ?? false,
    schedule: null,
  };
  if (version === 'v1.0')
    return {
      ...common,
      allowCustomAssignmentSchedule: customSchedule,
      isApprovalRequiredForAdd: approval['isApprovalRequired'] ?? false,
      isApprovalRequiredForUpdate: approval['isApprovalRequiredForExtension'] ?? false,
      questions: Array.isArray(policy['questions']) ? policy['questions'].map(v1Question) : [],
    };
  return {
    ...common,
    isApprovalRequired: approval['isApprovalRequired'] ?? false,
    isApprovalRequiredForExtension: approval['isApprovalRequiredForExtension'] ?? false,
    isCustomAssignmentScheduleAllowed: customSchedule,
    questions: policy['questions'] ?? [],
    existingAnswers: [],
  };
}

export const getApplicablePolicyRequirements: Operation$ = {
  access: 'read',
  delegatedPermissions: SUBJECT_ACCESS_PERMISSIONS,
  handler(accessPackage, req, res, { store, version }) {
    const identity = requesterOf(req);
    // The package's own catalog, read by its id: the others are no business of one package's requirements.
    const closed = isClosed(store.get('accessPackageCatalogs', String((accessPackage as Row)['catalogId'])) as Row | undefined);
    const value = (closed ? [] : policiesOf(store, (accessPackage as Row)['id']))
      .filter((policy) => allowsRequestor(policy, identity))
      .map((policy) => requirementsOf(policy, version));
    const context = `${graphRoot(version)}/$metadata#Collection(microsoft.graph.accessPackageAssignmentRequestRequirements)`;
    sendOData(res, 200, { '@odata.context': context, value });
  },
};

/** filterByCurrentUser's one parameter, as the CSDL declares it. */
const ON = { name: 'on', type: 'accessPackageFilterByCurrentUserOptions' };

export const filterByCurrentUser: Operation$ = {
  access: 'read',
  delegatedPermissions: SUBJECT_ACCESS_PERMISSIONS,
  handler(params, req, res, { store, version, listDeps }) {
    // The typed literal and a parameter alias are OData's forms of the same value (functionParameters.ts).
    const on = enumArgument(String(params), ON, req.originalUrl);
    if (on === undefined)
      throw GraphError.of('badRequest', "The function 'filterByCurrentUser' needs its parameter 'on', as in filterByCurrentUser(on='allowedRequestor').");
    if (on !== 'allowedRequestor')
      throw GraphError.of('badRequest', `The value '${on}' is not valid for the parameter 'on'; the allowed value is allowedRequestor.`);
    const identity = contextOf(req).identity;
    const requestable = new Set<unknown>();
    const closed = closedCatalogs(store);
    for (const policy of store.list('accessPackageAssignmentPolicies') as unknown as readonly Row[]) {
      if (allowsRequestor(policy, identity)) requestable.add(policy['accessPackageId']);
    }
    // A list like the entity set's: $select, $filter, $orderby, $top, $count and paging apply, and an unknown option is a 400.
    listRecords(listDeps!, req, res, {
      view: viewOf(accessPackages, version),
      scope: { collection: 'accessPackages', where: (row) => requestable.has(row['id']) && !closed.has(row['catalogId']) },
      contextPath: 'accessPackages',
      pagedPath: pagedPath(version, 'accessPackages', "filterByCurrentUser(on='allowedRequestor')"),
      itemType: '#microsoft.graph.accessPackage',
      placed: false,
    });
  },
};
