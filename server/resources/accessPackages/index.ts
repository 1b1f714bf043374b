// accessPackages: every operation, $expand of the catalog, and the catalog named the ways clients name it.
// https://learn.microsoft.com/graph/api/resources/accesspackage?view=graph-rest-beta
import type { ResourceDefinition } from '../definition.js';
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from '../entitlementManagement.js';
import { catalogFromBody } from './inbound.js';

export const accessPackages: ResourceDefinition = {
  collection: 'accessPackages',
  // The type annotation the beta back end puts on accessPackage bodies (the endpoint document's example).
  // https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta
  odataType: '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage',
  // The properties the live service filters and sorts on (the rest answer InvalidFilter).
  queryable: ['id', 'displayName', 'description', 'isHidden', 'catalogId', 'createdDateTime', 'modifiedDateTime'],
  expand: {
    // https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta (example: $expand=accessPackageCatalog)
    accessPackageCatalog: (record, store) => {
      const catalogId = record['catalogId'];
      return typeof catalogId === 'string' ? (store.get('accessPackageCatalogs', catalogId) ?? null) : null;
    },
  },
  operations: ['list', 'get', 'create', 'update', 'delete'],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  inbound: catalogFromBody,
};
