// What a resource's roles and its scopes share: read-only, under entitlement management's permissions, each
// reaching its resource (`accessPackageResource` in beta, `resource` in v1.0) and filtered by it as the list pages
// show (`accessPackageResource/id eq '…'`, v1.0 `resource/id eq '…'`).
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { parent } from '../navigation.js';

/** The parts of a role's or a scope's definition that come from its resource (`resources`: read when first used). */
export const ofResource = (resources: () => ResourceDefinition) =>
  ({
    // Each version by its own navigation's name: a contract test that names the other version's must fail here as on Graph.
    filterPaths: { 'accessPackageResource/id': 'accessPackageResourceId' },
    operations: [],
    permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
    navigation: {
      accessPackageResource: parent(resources, 'accessPackageResources', 'accessPackageResourceId'),
    },
    surfaces: { 'v1.0': { navigation: { resource: 'accessPackageResource' }, filterPaths: { 'resource/id': 'accessPackageResourceId' } } },
  }) satisfies Partial<ResourceDefinition>;
