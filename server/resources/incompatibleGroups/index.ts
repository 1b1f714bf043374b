// The groups an access package is incompatible with (`incompatibleGroups`): the emulator keeps no groups, so the
// reference is what it stores (one accessPackageIncompatibility record per group) and a group is shown as its id
// with the display name of the catalog resource that is that group, when there is one (else null).
// https://learn.microsoft.com/graph/api/accesspackage-list-incompatiblegroups?view=graph-rest-beta
import type { ResourceDefinition, Row } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import type { Store } from '../../store/store.js';

/** The display name of a group, from the catalog resources that hold it. */
function groupDisplayName(store: Store, groupId: unknown): string | null {
  const resource = (store.list('accessPackageResources') as unknown as readonly Row[]).find(
    (r) => r['originSystem'] === 'AadGroup' && r['originId'] === groupId,
  );
  return (resource?.['displayName'] as string | undefined) ?? null;
}

function asGroup(link: Row, store: Store): Row {
  return { id: link['incompatibleGroupId'], displayName: groupDisplayName(store, link['incompatibleGroupId']) };
}

export const incompatibleGroups: ResourceDefinition = {
  collection: 'accessPackageIncompatibilities',
  typeName: 'group',
  queryable: ['id', 'displayName'],
  operations: [],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  surfaces: { beta: { project: asGroup, readsOtherRecords: true }, 'v1.0': { project: asGroup, readsOtherRecords: true } },
};
