// accessPackages: create, read, update, delete; the list with its OData query lives in accessPackageList.ts.
// https://learn.microsoft.com/graph/api/resources/accesspackage?view=graph-rest-beta
import { Router, type Request, type Response } from 'express';
import { callerOf } from '../http/auth.js';
import { sendNoContent, sendOData } from '../http/graphHeaders.js';
import { GraphError } from '../graphErrors.js';
import { ACCESS_PACKAGE_QUERYABLE, entityModel } from '../odata/entityModel.js';
import { parseQueryOptions } from '../odata/queryOptions.js';
import { newRecord, patchedRecord, withoutReadOnly } from '../records.js';
import { ACCESS_PACKAGES_PATH, ACCESS_PACKAGE_ITEM_PATH, accessPackageEntity, accessPackageUrl } from '../representation.js';
import type { ResourceValidator } from '../schema.js';
import type { AccessPackage, Store } from '../store/types.js';
import { listAccessPackages } from './accessPackageList.js';
import { EXPANDABLE, accessPackageId, accessPackageView, collectionContext } from './accessPackageViews.js';

export interface AccessPackageRouteOptions {
  store: Store;
  validator: ResourceValidator;
  baseUrl?: string;
  /** Page size when the client asks for none (1..999). */
  pageSize: number;
}

/** Graph's answer to a write with no body at all. */
export function requireBody(req: Request): unknown {
  if (req.body === undefined) throw GraphError.of('badRequest', 'Empty Payload. JSON content expected.');
  return req.body;
}

function stored(store: Store, rawId: string): AccessPackage {
  const record = store.get('accessPackages', accessPackageId(rawId));
  if (!record) throw GraphError.of('notFound');
  return record;
}

export function accessPackagesRouter({ store, validator, baseUrl, pageSize }: AccessPackageRouteOptions): Router {
  const router = Router();
  const model = entityModel(validator.schema, ACCESS_PACKAGE_QUERYABLE);

  router.get(ACCESS_PACKAGES_PATH, listAccessPackages({ store, model, baseUrl, pageSize }));

  router.post(ACCESS_PACKAGES_PATH, async (req: Request, res: Response) => {
    const body = validator.check(requireBody(req));
    const record = newRecord<AccessPackage>(validator, body, { caller: callerOf(req) });
    await store.create('accessPackages', record);
    res.setHeader('Location', accessPackageUrl(req, record.id, baseUrl));
    sendOData(res, 201, accessPackageEntity(record));
  });

  // https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta ($select and $expand apply)
  router.get(ACCESS_PACKAGE_ITEM_PATH, (req: Request<{ id: string }>, res: Response) => {
    const record = stored(store, req.params.id);
    const options = parseQueryOptions(req.originalUrl, model, EXPANDABLE);
    const view = accessPackageView(record, options, store);
    sendOData(res, 200, accessPackageEntity(view, `${collectionContext(options.select)}/$entity`));
  });

  // https://learn.microsoft.com/graph/api/accesspackage-update?view=graph-rest-beta: 204, read-only properties ignored.
  router.patch(ACCESS_PACKAGE_ITEM_PATH, async (req: Request<{ id: string }>, res: Response) => {
    const existing = stored(store, req.params.id);
    const body = validator.check(withoutReadOnly(validator, requireBody(req)));
    const record = patchedRecord(validator, existing, body, { caller: callerOf(req) });
    // Nothing is awaited between the lookup and this write, so false means only that the record is gone.
    if (!(await store.update('accessPackages', record))) throw GraphError.of('notFound');
    sendNoContent(res);
  });

  // https://learn.microsoft.com/graph/api/accesspackage-delete?view=graph-rest-beta
  router.delete(ACCESS_PACKAGE_ITEM_PATH, async (req: Request<{ id: string }>, res: Response) => {
    if (!(await store.remove('accessPackages', accessPackageId(req.params.id)))) throw GraphError.of('notFound');
    sendNoContent(res);
  });

  return router;
}
