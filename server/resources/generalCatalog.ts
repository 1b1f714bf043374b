// Graph's built-in General catalog: every tenant has one (catalogType ServiceDefault, "Azure AD" as its creator in
// the access-package tutorial's capture), and a package created without a catalog goes there. Generated tenants
// and loaded fixtures come with it; a store that lost it (its catalog deleted by hand in a data file) gets a new one
// on the first create that needs it.
// https://learn.microsoft.com/graph/tutorial-access-package-api
import { randomUUID } from 'node:crypto';
import { graphNow } from '../graphTime.js';
import type { AccessPackageCatalog, Store } from '../store/types.js';
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

/** A General catalog record, as Graph shows it. */
export function newGeneralCatalog(now = graphNow(), id: string = randomUUID()): AccessPackageCatalog {
  return {
    id,
    ...GENERAL_CATALOG,
    createdBy: 'Azure AD',
    createdDateTime: now,
    isExternallyVisible: true,
    modifiedBy: 'Azure AD',
    modifiedDateTime: now,
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
