// What Graph requires of catalogs beyond their schema: a uniqueName names one catalog only, and a catalog that
// still holds access packages cannot be deleted (chosen: not documented; the answer is worded as the live
// service's InvalidDeleteResourceHasEntitlements, terraform-provider-azuread issue 1175). Nor can the built-in
// General catalog, which every tenant has (chosen: not documented; worded in the same way).
// https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-beta
import { GraphError } from '../../graphErrors.js';
import type { ResourceRules, Row } from '../definition.js';
import { GENERAL_CATALOG } from '../generalCatalog.js';
import { removalsWhere } from '../removals.js';
import { requireUniqueName } from '../uniqueName.js';

export const catalogRules: ResourceRules = {
  creating(record, _body, { store }) {
    requireUniqueName(store, 'accessPackageCatalogs', record, 'access package catalog');
  },
  updating(record, _existing, _body, { store }) {
    requireUniqueName(store, 'accessPackageCatalogs', record, 'access package catalog');
  },
  deleting(catalog, { store }) {
    if (catalog['catalogType'] === GENERAL_CATALOG.catalogType) {
      throw GraphError.of('invalidOperation', `The catalog: ${String(catalog['displayName'])} can not be deleted because it is the built-in catalog.`);
    }
    const holds = (store.list('accessPackages') as unknown as readonly Row[]).some((p) => p['catalogId'] === catalog['id']);
    if (holds) {
      throw GraphError.of('invalidOperation', `The catalog: ${String(catalog['displayName'])} can not be deleted because it contains access packages.`);
    }
  },
  dependants(catalog, store) {
    // The catalog's resources, with their roles and scopes, go with it.
    return (['accessPackageResourceRoles', 'accessPackageResourceScopes', 'accessPackageResources'] as const).flatMap((collection) =>
      removalsWhere(store, collection, (r) => r['catalogId'] === catalog['id']),
    );
  },
};
