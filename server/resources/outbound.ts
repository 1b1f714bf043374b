// How records look on the wire: where a resource lives, its OData context URLs, and the entity body with
// the annotations the live beta service sends.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta
import type { Request } from 'express';
import type { CollectionName } from '../collections.js';
import { ENTITLEMENT_MANAGEMENT_PATH, GRAPH_BETA_ROOT } from '../graphWire.js';
import { serverBaseUrl } from '../listener.js';
import type { ResourceDefinition } from './definition.js';

export function collectionPath(collection: CollectionName): string {
  return `${ENTITLEMENT_MANAGEMENT_PATH}/${collection}`;
}

/** The collection's @odata.context, with the selected properties in parentheses as Graph writes them. */
export function collectionContext(collection: CollectionName, select?: readonly string[]): string {
  const context = `${GRAPH_BETA_ROOT}/$metadata#identityGovernance/entitlementManagement/${collection}`;
  return select ? `${context}(${select.join(',')})` : context;
}

export { serverBaseUrl };

export function entityUrl(req: Request, collection: CollectionName, id: string, configured?: string): string {
  return `${serverBaseUrl(req, configured)}${collectionPath(collection)}/${id}`;
}

/** A single entity's body: its context first, then the type annotation where the live service sends one. */
export function entityBody(resource: ResourceDefinition, record: object, select?: readonly string[]): Record<string, unknown> {
  const context = `${collectionContext(resource.collection, select)}/$entity`;
  return resource.odataType ? { '@odata.context': context, '@odata.type': resource.odataType, ...record } : { '@odata.context': context, ...record };
}
