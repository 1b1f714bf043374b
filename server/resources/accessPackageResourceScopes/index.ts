// accessPackageResourceScopes: where a resource's roles apply (the root of a group or an application, a
// SharePoint site), listed through the catalog or the resource.
// https://learn.microsoft.com/graph/api/resources/accesspackageresourcescope?view=graph-rest-beta
import { accessPackageResources } from '../accessPackageResources/index.js';
import { ofResource } from '../accessPackageResources/ofResource.js';
import type { ResourceDefinition } from '../definition.js';

export const accessPackageResourceScopes: ResourceDefinition = {
  collection: 'accessPackageResourceScopes',
  typeName: 'accessPackageResourceScope',
  queryable: ['id', 'displayName', 'description', 'originId', 'originSystem', 'isRootScope'],
  ...ofResource(() => accessPackageResources),
};
