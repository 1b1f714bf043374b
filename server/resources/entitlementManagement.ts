// What every entitlement-management operation served here asks of a token: the permissions tables of
// https://learn.microsoft.com/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-beta (list, get:
// EntitlementManagement.Read.All or EntitlementManagement.ReadWrite.All, delegated or application) and
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta (create,
// update, delete: EntitlementManagement.ReadWrite.All); the catalog pages list the same.
import type { Permissions } from './definition.js';

export const ENTITLEMENT_MANAGEMENT_PERMISSIONS: Permissions = {
  read: ['EntitlementManagement.Read.All', 'EntitlementManagement.ReadWrite.All'],
  write: ['EntitlementManagement.ReadWrite.All'],
};

/**
 * The end-user operations (what the signed-in user may request): delegated only, least privileged
 * EntitlementMgmt-SubjectAccess.ReadWrite, higher EntitlementManagement.Read.All and ReadWrite.All; Application: Not
 * supported. https://learn.microsoft.com/graph/api/accesspackage-getapplicablepolicyrequirements?view=graph-rest-beta#permissions,
 * https://learn.microsoft.com/graph/api/accesspackage-filterbycurrentuser?view=graph-rest-beta#permissions
 */
export const SUBJECT_ACCESS_PERMISSIONS: readonly string[] = [
  'EntitlementMgmt-SubjectAccess.ReadWrite',
  'EntitlementManagement.Read.All',
  'EntitlementManagement.ReadWrite.All',
];
