// How records look on the wire: where a resource lives, its OData context URLs, and the entity body with
// the annotations the live service sends. The context names the path read, as OData builds it
// (`…/$metadata#identityGovernance/entitlementManagement/accessPackages('id')/accessPackageAssignmentPolicies`),
// with the selected properties in parentheses and `/$entity` for a single entity.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_ContextURL
import type { Request } from 'express';
import type { CollectionName } from '../collections.js';
import { ENTITLEMENT_MANAGEMENT_PATH, graphRoot } from '../graphWire.js';
import { serverBaseUrl } from '../listener.js';
import type { ApiVersion } from '../metadata/csdl.js';
import type { ExpandItem } from '../odata/expand.js';
import { nestedOptions } from '../odata/queryOptions.js';
import type { TypeView } from './views.js';

export { serverBaseUrl };

const EM = 'identityGovernance/entitlementManagement';

/** The beta path of a collection served under entitlement management (the benchmark's paths). */
export function collectionPath(collection: CollectionName): string {
  return `${ENTITLEMENT_MANAGEMENT_PATH}/${collection}`;
}

/** The path of an entity set of a version, e.g. `/v1.0/identityGovernance/entitlementManagement/catalogs`. */
export function entitySetPath(version: ApiVersion, entitySet: string): string {
  return `/${version}/${EM}/${entitySet}`;
}

/** What a read projects: its $select and its $expand items. */
interface Projection {
  readonly select?: readonly string[];
  readonly expand?: readonly ExpandItem[];
}

/**
 * The select-list of a context URL: the selected properties, then each expanded navigation property suffixed with
 * its own list, `accessPackages(displayName,accessPackageCatalog(displayName))`, an expansion that selects nothing
 * with an empty one: `$expand=accessPackageResource` → `accessPackageResourceRoles(accessPackageResource())`, as
 * Graph answers it (the v1.0 list resourceRoles page, `…/catalogs('{id}')/resourceRoles(resource())`, and the beta
 * tutorial, https://learn.microsoft.com/graph/tutorial-access-package-api) and OData 4.01 Part 1 §10.10 writes it
 * (http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_ExpandedEntity). With
 * expansions only, every structural property is still selected (same section).
 */
function selectList({ select = [], expand = [] }: Projection): string[] {
  const expanded = expand.map((item) => `${item.name}(${selectList(nestedOptions(item)).join(',')})`);
  return [...select, ...expanded];
}

/** A context URL for `path` (relative to entitlement management), with the projection as Graph writes it. */
export function contextUrl(version: ApiVersion, path: string, projection: Projection = {}, entity = false): string {
  const list = selectList(projection);
  const selected = list.length > 0 ? `(${list.join(',')})` : '';
  return `${graphRoot(version)}/$metadata#${EM}/${path}${selected}${entity ? '/$entity' : ''}`;
}

/** OData's key segment for a context: `accessPackages('id')`. */
export function keyed(path: string, id: unknown): string {
  return `${path}('${String(id)}')`;
}

export function entityUrl(req: Request, version: ApiVersion, entitySet: string, id: string, configured?: string): string {
  return `${serverBaseUrl(req, configured)}${entitySetPath(version, entitySet)}/${id}`;
}

/**
 * A single entity's body: its context first, then, on a create's answer, the type annotation the create page's
 * example shows (beta's back-end name). A read does not carry it: the get page's example has none, and the live
 * service does not show these internal names (docs PR #13041).
 * https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta
 * https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta
 */
export function entityBody(view: TypeView, record: object, context: string, created = false): Record<string, unknown> {
  const odataType = created && view.version === 'beta' ? view.resource.odataType : undefined;
  return odataType ? { '@odata.context': context, '@odata.type': odataType, ...record } : { '@odata.context': context, ...record };
}
