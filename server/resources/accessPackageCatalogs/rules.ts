// What Graph requires of catalogs beyond their schema: a catalogStatus is one of the two states, a uniqueName names
// one catalog only, and a catalog that still holds access packages cannot be deleted (chosen: not documented; the
// answer is worded as the live service's InvalidDeleteResourceHasEntitlements, terraform-provider-azuread issue 1175). Nor can the built-in
// General catalog, which every tenant has (chosen: not documented; worded in the same way).
// https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-beta
import { GraphError } from '../../graphErrors.js';
import type { MutableRow, ResourceRules, Row } from '../definition.js';
import { GENERAL_CATALOG } from '../generalCatalog.js';
import { removalsWhere } from '../removals.js';
import { requireUniqueName } from '../uniqueName.js';

/** The states a catalog has: v1.0's accessPackageCatalogState, beta's catalogStatus as its pages spell them. */
const CATALOG_STATUSES = ['Published', 'Unpublished'];

/**
 * Beta's catalogStatus is a plain string in the model, so OData's reader takes any; the service keeps one of the two
 * states v1.0's enum names for the same catalog (`published`, `unpublished`) and the beta pages spell `Published` and
 * `Unpublished`. Another value would let a contract test pass that Graph refuses, and would read in v1.0 as
 * `unknownFutureValue`. Chosen: read in any case and kept as the pages spell it; the wording is the emulator's, as for
 * a policy's listed settings (Graph's is not documented).
 */
function listedStatus(record: MutableRow, body: Row): void {
  const sent = body['catalogStatus'];
  if (typeof sent !== 'string') return;
  const status = CATALOG_STATUSES.find((listed) => listed.toLowerCase() === sent.toLowerCase());
  if (status === undefined) {
    throw GraphError.of('badRequest', `Invalid value for property 'catalogStatus': the catalogStatus '${sent}' is not one of ${CATALOG_STATUSES.join(', ')}.`);
  }
  record['catalogStatus'] = status;
}

export const catalogRules: ResourceRules = {
  async preparing(record, body) {
    listedStatus(record, body);
  },
  creating(record, _body, { store }) {
    requireUniqueName(store, 'accessPackageCatalogs', record, 'access package catalog');
  },
  updating(record, _existing, body, { store }) {
    listedStatus(record, body);
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
    // The catalog's resources, with their roles and scopes, and the requests that added them go with it.
    return (['accessPackageResourceRoles', 'accessPackageResourceScopes', 'accessPackageResources', 'accessPackageResourceRequests'] as const).flatMap(
      (collection) => removalsWhere(store, collection, (r) => r['catalogId'] === catalog['id']),
    );
  },
};
