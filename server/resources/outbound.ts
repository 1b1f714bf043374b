// How records look on the wire: the OData context URLs and the @odata.type the live beta back end sends.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta
import type { Request } from 'express';
import type { TLSSocket } from 'node:tls';

export const GRAPH_BETA_ROOT = 'https://graph.microsoft.com/beta';
export const ACCESS_PACKAGES_PATH = '/beta/identityGovernance/entitlementManagement/accessPackages';
export const ACCESS_PACKAGES_CONTEXT = `${GRAPH_BETA_ROOT}/$metadata#identityGovernance/entitlementManagement/accessPackages`;
export const ACCESS_PACKAGE_ENTITY_CONTEXT = `${ACCESS_PACKAGES_CONTEXT}/$entity`;
/** The type annotation the beta back end puts on accessPackage bodies (the endpoint document's example). */
export const ACCESS_PACKAGE_ODATA_TYPE = '#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage';

/** Absolute URL of this server as the client reached it, unless a public base URL is configured. */
export function serverBaseUrl(req: Request, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  // What Express's req.protocol answers without 'trust proxy' (never set here: BASE_URL is the proxy story),
  // read straight from the socket rather than through its proxy-trust machinery on every create.
  return `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

export function accessPackageUrl(req: Request, id: string, configured?: string): string {
  return `${serverBaseUrl(req, configured)}${ACCESS_PACKAGES_PATH}/${id}`;
}

export function accessPackageEntity(record: object, context: string = ACCESS_PACKAGE_ENTITY_CONTEXT): Record<string, unknown> {
  return { '@odata.context': context, '@odata.type': ACCESS_PACKAGE_ODATA_TYPE, ...record };
}
