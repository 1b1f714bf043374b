// What Graph requires of packages beyond their schema. A package is always in an existing catalog (the create
// pages: "The access package will be added to an existing accessPackageCatalog"; v1.0 marks the catalog
// required): a create that names none goes to the built-in General catalog, as the Entra admin center does and
// as keeps the seed document's catalog-less create working (chosen); one that names an unknown catalog, or
// an id that is not a GUID, gets entitlement management's 400 InvalidModel "Model is not valid." (its answer
// to a wrong catalog id, microsoft-graph-docs-contrib issue 4569). catalogId is read-only after the create
// (the resource page), so an update ignores it as it ignores the other read-only properties; moveToCatalog moves
// a package. Deleting a package takes its policies, role scopes and incompatibility links with it.
import { GraphError } from '../../graphErrors.js';
import { accessPackageCatalogs } from '../accessPackageCatalogs/index.js';
import { type EntityKey, findByKey, keyInUrl, parseKey } from '../keys.js';
import type { Store } from '../../store/store.js';
import type { ResourceRules, Row } from '../definition.js';
import { generalCatalogId, generalCatalogOf } from '../generalCatalog.js';
import { requireUniqueName } from '../uniqueName.js';
import { removalsWhere } from '../removals.js';
import { linkRemovalsOf } from './incompatibilities.js';
import { isGuid } from '../../guid.js';

function invalidModel(): never {
  throw GraphError.of('invalidModel');
}

/**
 * The catalog a create names: `catalogId`, a nested `accessPackageCatalog: {id}` (Terraform's provider sends both,
 * terraform-provider-azuread issue 1883), `accessPackageCatalog@odata.bind`, or v1.0's `catalog: {id}` and
 * `catalog@odata.bind` (a body holds its own version's names only: the other's are refused before, as properties
 * the type does not have, validation.ts and propertyAnnotations.ts). Undefined
 * when the body names none (a null catalogId is its default, the same as leaving it out); null when it carries a
 * catalog field in a form that names no catalog (a bind that is not a URL, a nested catalog without an id), which
 * is refused rather than read as naming none: the package would silently land in General.
 */
function catalogNamed(body: Row): unknown {
  const named: unknown[] = [];
  if (body['catalogId'] !== undefined && body['catalogId'] !== null) named.push(body['catalogId']);
  for (const name of ['accessPackageCatalog', 'catalog']) {
    const nested = body[name];
    if (nested === undefined) continue;
    const object = typeof nested === 'object' && nested !== null && !Array.isArray(nested) && 'id' in nested;
    named.push(object ? (nested as { id: unknown }).id : null);
  }
  for (const name of ['accessPackageCatalog@odata.bind', 'catalog@odata.bind']) {
    const bind = body[name];
    if (bind === undefined) continue;
    named.push(typeof bind === 'string' ? boundKey(bind) : null);
  }
  // Two fields that name different catalogs name none: refused, neither silently preferred (chosen: not documented).
  if (new Set(named.map(sameCatalogKey)).size > 1) return null;
  return named.includes(null) ? null : named[0];
}

/** What two ways of naming one catalog share: its id in lower case, else the key or the text as sent. */
function sameCatalogKey(named: unknown): unknown {
  if (named instanceof BoundCatalog) return named.key.property === 'id' ? named.key.value.toLowerCase() : `${named.key.property}=${named.key.value}`;
  return typeof named === 'string' ? named.toLowerCase() : named;
}

/** A catalog named by a bind's URL, by id or by its alternate key: never a value a client sent as JSON. */
class BoundCatalog {
  constructor(readonly key: EntityKey) {}
}

/**
 * The catalog a bind's URL names, in any key form a URL takes (`…/accessPackageCatalogs/{id}`, `('{id}')`,
 * `(id='{id}')`, `(uniqueName='…')`, keys.ts); null for a key of no catalog; a URL of no catalog is kept as sent.
 */
function boundKey(bind: string): BoundCatalog | string | null {
  const key = keyInUrl(bind, ['accessPackageCatalogs', 'catalogs']);
  if (key === undefined) return bind;
  try {
    return new BoundCatalog(parseKey(key, accessPackageCatalogs));
  } catch {
    return null;
  }
}

/** The stored id of an existing catalog a body names; InvalidModel when it names no catalog there is. */
export function existingCatalogId(store: Store, catalog: unknown): string {
  const key = catalog instanceof BoundCatalog ? catalog.key : undefined;
  if (key !== undefined && key.property !== 'id') return (findByKey(store, accessPackageCatalogs, key)?.['id'] as string | undefined) ?? invalidModel();
  const named = key?.value ?? catalog;
  if (typeof named !== 'string' || !isGuid(named)) throw GraphError.of('invalidModel');
  const id = named.toLowerCase();
  if (!store.get('accessPackageCatalogs', id)) throw GraphError.of('invalidModel');
  return id;
}

export const packageRules: ResourceRules = {
  async preparing(record, body, { store, caller, version }) {
    const named = catalogNamed(body);
    // v1.0 marks displayName and the catalog required (its create page; the answer is chosen, as for a wrong catalog).
    if (version === 'v1.0' && (typeof body['displayName'] !== 'string' || named === undefined)) throw GraphError.of('invalidModel');
    // A package that names no catalog goes to General, made first when the tenant has none.
    if (named === undefined) record['catalogId'] = await generalCatalogId(store, caller);
  },
  creating(record, body, { store }) {
    const named = catalogNamed(body);
    // A package that names no catalog goes to the General catalog of the data it lands in. The one `preparing` found
    // is it unless a reset came in between and put another General in place (every state of a tenant has one), which
    // a serial order would have given it: only then are the catalogs read again.
    const found = record['catalogId'];
    const general =
      named !== undefined || store.get('accessPackageCatalogs', String(found)) !== undefined
        ? undefined
        : generalCatalogOf(store.list('accessPackageCatalogs') as unknown as readonly Row[])?.['id'];
    // `named` null (a field naming no catalog) goes on to existingCatalogId, which refuses it.
    record['catalogId'] = existingCatalogId(store, named !== undefined ? named : (general ?? found));
    requireUniqueName(store, 'accessPackages', record, 'access package');
  },
  updating(record, existing, body, { store, version }) {
    // What v1.0's create requires an update cannot take away: a displayName sent as null is the create's answer.
    // Beta's create takes a package without one, so its update may clear it, and a v1.0 client may send back the
    // null it read of such a package (chosen: not documented).
    const cleared = Object.hasOwn(body, 'displayName') && typeof body['displayName'] !== 'string';
    if (version === 'v1.0' && cleared && typeof existing['displayName'] === 'string') throw GraphError.of('invalidModel');
    requireUniqueName(store, 'accessPackages', record, 'access package');
  },
  dependants(accessPackage, store) {
    const id = accessPackage['id'];
    return [
      ...removalsWhere(store, 'accessPackageAssignmentPolicies', (r) => r['accessPackageId'] === id),
      ...removalsWhere(store, 'accessPackageResourceRoleScopes', (r) => r['accessPackageId'] === id),
      ...linkRemovalsOf(store, id),
    ];
  },
};
