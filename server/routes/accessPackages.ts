// accessPackages: POST creates. https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta
import { Router, type Request, type Response } from 'express';
import { callerOf } from '../http/auth.js';
import { sendOData } from '../http/graphHeaders.js';
import { GraphError } from '../graphErrors.js';
import { newRecord } from '../records.js';
import { ACCESS_PACKAGES_PATH, accessPackageEntity, accessPackageUrl } from '../representation.js';
import type { ResourceValidator } from '../schema.js';
import type { AccessPackage, Store } from '../store/types.js';

export interface AccessPackageRouteOptions {
  store: Store;
  validator: ResourceValidator;
  baseUrl?: string;
}

/** Graph's answer to a write with no body at all. */
export function requireBody(req: Request): unknown {
  if (req.body === undefined) throw GraphError.of('badRequest', 'Empty Payload. JSON content expected.');
  return req.body;
}

export function accessPackagesRouter({ store, validator, baseUrl }: AccessPackageRouteOptions): Router {
  const router = Router();

  router.post(ACCESS_PACKAGES_PATH, async (req: Request, res: Response) => {
    const body = validator.check(requireBody(req));
    const record = newRecord<AccessPackage>(validator, body, { caller: callerOf(req) });
    await store.create('accessPackages', record);
    res.setHeader('Location', accessPackageUrl(req, record.id, baseUrl));
    sendOData(res, 201, accessPackageEntity(record));
  });

  return router;
}
