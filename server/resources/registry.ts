// Every Graph resource the emulator serves. Adding one is a folder beside these (its definition: queryable
// and expandable properties, operations, inbound shaping) plus one line here, and its collection in
// collections.ts; routes, OData query support, validation and wire form come from the generic parts.
import type { Resource } from '../http/dispatch.js';
import { accessPackageCatalogs } from './accessPackageCatalogs/index.js';
import { accessPackages } from './accessPackages/index.js';
import type { ResourceDefinition } from './definition.js';
import { type ResourceDeps, resourceHandlers } from './handlers.js';

/** In matching order: accessPackages first, the hot path. */
export const RESOURCES: readonly ResourceDefinition[] = [accessPackages, accessPackageCatalogs];

/** The routing table of every resource, for http/dispatch.ts. */
export function resourceTable(deps: ResourceDeps): Resource[] {
  return RESOURCES.flatMap((resource) => resourceHandlers(resource, deps));
}
