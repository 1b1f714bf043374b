// Graph's built-in General catalog: every tenant has one (catalogType ServiceDefault, "Azure AD" as its creator in
// the access-package tutorial's capture), and a package created without a catalog goes there. It cannot be deleted
// through the API (accessPackageCatalogs/rules.ts). Generated tenants and loaded fixtures come with it; a store that
// lost it (its catalog deleted by hand in a data file) gets a new one on the first create that needs it. All three
// build it here, so a General is the same record, key for key, however it came to be.
// https://learn.microsoft.com/graph/tutorial-access-package-api
import { randomUUID } from 'node:crypto';
import { graphNow } from '../graphTime.js';
import type { AccessPackageCatalog } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { Row } from './definition.js';

export const GENERAL_CATALOG = {
  displayName: 'General',
  description: 'Built-in catalog.',
  catalogType: 'ServiceDefault',
  catalogStatus: 'Published',
} as const;

/** The General catalog of a list of catalogs, if it has one. */
export function generalCatalogOf(catalogs: readonly object[]): Row | undefined {
  return (catalogs as readonly Row[]).find((c) => c['catalogType'] === GENERAL_CATALOG.catalogType);
}

/**
 * A General catalog record, its properties in the order of the catalog's schema (that of every other catalog). Its
 * values are those generated tenants have had: standard privilege, no uniqueName, not externally visible (chosen: the
 * tutorial's capture of one tenant shows true, a setting its admins may change; Graph documents no default).
 */
export function newGeneralCatalog(now = graphNow(), id: string = randomUUID(), modified: string = now): AccessPackageCatalog {
  return {
    id,
    catalogStatus: GENERAL_CATALOG.catalogStatus,
    catalogType: GENERAL_CATALOG.catalogType,
    createdBy: 'Azure AD',
    createdDateTime: now,
    description: GENERAL_CATALOG.description,
    displayName: GENERAL_CATALOG.displayName,
    isExternallyVisible: false,
    modifiedBy: 'Azure AD',
    modifiedDateTime: modified,
    privilegeLevel: 'standard',
    uniqueName: null,
  };
}

export async function generalCatalogId(store: Store, _caller: string | null): Promise<string> {
  const general = generalCatalogOf(store.list('accessPackageCatalogs') as unknown as readonly Row[]);
  if (general) return general['id'] as string;
  const created = newGeneralCatalog();
  await store.create('accessPackageCatalogs', created);
  return created.id;
}
