// accessPackageResourceRoles: the roles of a catalog's resources (a group's Member and Owner, an application's
// app roles, a site's permission levels), listed through the catalog and filtered as the list page shows:
// `$filter=(originSystem eq 'AadGroup' and accessPackageResource/id eq '…')&$expand=accessPackageResource`.
// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accessPackageresourceroles?view=graph-rest-beta
import { accessPackageResources } from '../accessPackageResources/index.js';
import { ofResource } from '../accessPackageResources/ofResource.js';
import type { ResourceDefinition } from '../definition.js';

export const accessPackageResourceRoles: ResourceDefinition = {
  collection: 'accessPackageResourceRoles',
  typeName: 'accessPackageResourceRole',
  queryable: ['id', 'displayName', 'description', 'originId', 'originSystem'],
  ...ofResource(() => accessPackageResources),
};
