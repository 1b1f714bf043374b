// accessPackages: create, read, update, delete; the list with its OData query lives in accessPackageList.ts.
// https://learn.microsoft.com/graph/api/resources/accesspackage?view=graph-rest-beta
import type { Request, Response } from 'express';
import { contextOf } from '../../http/context.js';
import type { Resource } from '../../http/dispatch.js';
import { sendNoContent, sendOData } from '../../http/graphHeaders.js';
import { GraphError } from '../../graphErrors.js';
import { ACCESS_PACKAGE_QUERYABLE, entityModel } from '../../odata/entityModel.js';
import { parseQueryOptions } from '../../odata/queryOptions.js';
import { newRecord, patchedRecord, withoutReadOnly } from '../inbound.js';
import { ACCESS_PACKAGES_PATH, accessPackageEntity, accessPackageUrl } from '../outbound.js';
import type { ResourceValidator } from '../validation.js';
import type { AccessPackage, Store } from '../../store/types.js';
import { listAccessPackages } from './list.js';
import { EXPANDABLE, accessPackageId, accessPackageView, collectionContext } from './views.js';

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

/** The item's id from its path (the resource's `id` parameter), checked and normalised. */
function idOf(req: Request): string {
  return accessPackageId(String(req.params['id']));
}

function stored(store: Store, req: Request): AccessPackage {
  const record = store.get('accessPackages', idOf(req));
  if (!record) throw GraphError.of('notFound');
  return record;
}

export function accessPackageResources({ store, validator, baseUrl, pageSize }: AccessPackageRouteOptions): Resource[] {
  const model = entityModel(validator.schema, ACCESS_PACKAGE_QUERYABLE);

  const collection: Resource = {
    pattern: new RegExp(`^${ACCESS_PACKAGES_PATH}/?$`, 'i'),
    handlers: {
      GET: listAccessPackages({ store, model, baseUrl, pageSize }),

      async POST(req, res) {
        const body = validator.check(requireBody(req));
        const record = newRecord<AccessPackage>(validator, body, { caller: contextOf(req).caller });
        await store.create('accessPackages', record);
        res.setHeader('Location', accessPackageUrl(req, record.id, baseUrl));
        sendOData(res, 201, accessPackageEntity(record));
      },
    },
  };

  const item: Resource = {
    pattern: new RegExp(`^${ACCESS_PACKAGES_PATH}/([^/]+)/?$`, 'i'),
    params: ['id'],
    handlers: {
      // https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta ($select and $expand apply)
      GET(req, res) {
        // The query is checked before the record is looked up: a bad $select is a 400 even for an unknown id.
        const options = parseQueryOptions(req.originalUrl, model, EXPANDABLE);
        const record = stored(store, req);
        const view = accessPackageView(record, options, store);
        sendOData(res, 200, accessPackageEntity(view, `${collectionContext(options.select)}/$entity`));
      },

      // https://learn.microsoft.com/graph/api/accesspackage-update?view=graph-rest-beta: 204, read-only properties ignored.
      async PATCH(req, res) {
        const existing = stored(store, req);
        const body = validator.check(withoutReadOnly(validator, requireBody(req)));
        const record = patchedRecord(validator, existing, body, { caller: contextOf(req).caller });
        // Nothing is awaited between the lookup and this write, so false means only that the record is gone.
        if (!(await store.update('accessPackages', record))) throw GraphError.of('notFound');
        sendNoContent(res);
      },

      // https://learn.microsoft.com/graph/api/accesspackage-delete?view=graph-rest-beta
      async DELETE(req, res) {
        if (!(await store.remove('accessPackages', idOf(req)))) throw GraphError.of('notFound');
        sendNoContent(res);
      },
    },
  };

  return [collection, item];
}
