// Every Graph resource the emulator serves. Adding one is a folder beside these (its definition: the CSDL type,
// the properties Graph filters on, its relationships, operations and rules) plus one line here, and its
// collection in collections.ts; routes, OData query support, validation and wire form come from the generic parts.
import type { RouteTable } from '../http/dispatch.js';
import { accessPackageAssignmentPolicies } from './accessPackageAssignmentPolicies/index.js';
import { accessPackageCatalogs } from './accessPackageCatalogs/index.js';
import { accessPackageResourceRequests } from './accessPackageResourceRequests/index.js';
import { accessPackageResourceRoleScopes } from './accessPackageResourceRoleScopes/index.js';
import { accessPackageResourceRoles } from './accessPackageResourceRoles/index.js';
import { accessPackageResourceScopes } from './accessPackageResourceScopes/index.js';
import { accessPackageResources } from './accessPackageResources/index.js';
import { accessPackages } from './accessPackages/index.js';
import type { ResourceDefinition } from './definition.js';
import type { ResourceDeps } from './handlers.js';
import { incompatibleGroups } from './incompatibleGroups/index.js';
import { resourceRoutes } from './routes.js';

export const RESOURCES: readonly ResourceDefinition[] = [
  accessPackages,
  accessPackageCatalogs,
  accessPackageAssignmentPolicies,
  accessPackageResources,
  accessPackageResourceRequests,
  accessPackageResourceRoles,
  accessPackageResourceScopes,
  accessPackageResourceRoleScopes,
  incompatibleGroups,
];

/** The routing table of every resource, for http/dispatch.ts. */
export function resourceTable(deps: ResourceDeps): RouteTable {
  return resourceRoutes(RESOURCES, deps);
}
