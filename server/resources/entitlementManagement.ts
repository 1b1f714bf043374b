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
