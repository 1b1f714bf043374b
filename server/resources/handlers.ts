// The handlers of one resource, built from its definition: the collection URL (list, create) and the item
// URL (get, update, delete), for the operations the resource declares. One table entry each (http/dispatch.ts).
// https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta, -update (204, read-only
// properties ignored), -delete (204); https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta (201)
import type { Request } from 'express';
import { COLLECTIONS } from '../collections.js';
import { GraphError } from '../graphErrors.js';
import { contextOf } from '../http/context.js';
import type { Resource, ResourceHandler, Route } from '../http/dispatch.js';
import { sendNoContent, sendOData } from '../http/graphHeaders.js';
import { entityModel } from '../odata/entityModel.js';
import { parseQueryOptions } from '../odata/queryOptions.js';
import type { CollectionName } from '../collections.js';
import type { EntityOf, Store } from '../store/types.js';
import { OPERATION_ACCESS, type Operation, type ResourceDefinition, type Row } from './definition.js';
import { newRecord, patchedRecord, withoutReadOnly } from './inbound.js';
import { listHandler } from './list.js';
import { collectionPath, entityBody, entityUrl } from './outbound.js';
import { validatorFor } from './validation.js';
import { recordView, storedId } from './views.js';

/** A record of any collection: the handlers are generic, the schema checked its shape. */
type StoredRecord = EntityOf<CollectionName>;

export interface ResourceDeps {
  store: Store;
  baseUrl?: string;
  /** Page size when the client asks for none (1..999). */
  pageSize: number;
}

/** Graph's answer to a write with no body at all. */
function requireBody(req: Request): unknown {
  if (req.body === undefined) throw GraphError.of('badRequest', 'Empty Payload. JSON content expected.');
  return req.body;
}

export function resourceHandlers(resource: ResourceDefinition, { store, baseUrl, pageSize }: ResourceDeps): Resource[] {
  const { collection, operations } = resource;
  const validator = validatorFor(COLLECTIONS[collection]);
  const model = entityModel(validator.schema, resource.queryable, collection);
  const expandable = Object.keys(resource.expand);
  const idOf = (req: Request) => storedId(resource, String(req.params['id']));
  const stored = (req: Request): Row => {
    const record = store.get(collection, idOf(req));
    if (!record) throw GraphError.of('notFound');
    return record as unknown as Row;
  };

  const all: Record<Operation, ResourceHandler> = {
    list: listHandler({ resource, store, model, expandable, baseUrl, pageSize }),

    async create(req, res) {
      const body = validator.check(requireBody(req));
      const record = newRecord<Row & { id: string }>(validator, body, { caller: contextOf(req).identity.caller }, resource.inbound);
      await store.create(collection, record as unknown as StoredRecord);
      res.setHeader('Location', entityUrl(req, collection, record.id, baseUrl));
      sendOData(res, 201, entityBody(resource, record));
    },

    get(req, res) {
      // The query is checked before the record is looked up: a bad $select is a 400 even for an unknown id.
      const options = parseQueryOptions(req.originalUrl, model, expandable);
      const view = recordView(resource, stored(req), options, store);
      sendOData(res, 200, entityBody(resource, view, options.select));
    },

    async update(req, res) {
      const existing = stored(req);
      const body = validator.check(withoutReadOnly(validator, requireBody(req)));
      const record = patchedRecord(validator, existing, body, { caller: contextOf(req).identity.caller }, resource.inbound);
      // Nothing is awaited between the lookup and this write, so false means only that the record is gone.
      if (!(await store.update(collection, record as unknown as StoredRecord))) throw GraphError.of('notFound');
      sendNoContent(res);
    },

    async delete(req, res) {
      if (!(await store.remove(collection, idOf(req)))) throw GraphError.of('notFound');
      sendNoContent(res);
    },
  };
  const has = (operation: Operation): Route | undefined =>
    operations.includes(operation) ? { handler: all[operation], permissions: resource.permissions[OPERATION_ACCESS[operation]] } : undefined;

  const path = collectionPath(collection);
  return [
    { pattern: new RegExp(`^${path}/?$`, 'i'), routes: withoutMissing({ GET: has('list'), POST: has('create') }) },
    {
      pattern: new RegExp(`^${path}/([^/]+)/?$`, 'i'),
      params: ['id'],
      routes: withoutMissing({ GET: has('get'), PATCH: has('update'), DELETE: has('delete') }),
    },
  ];
}

function withoutMissing(routes: Resource['routes']): Resource['routes'] {
  return Object.fromEntries(Object.entries(routes).filter(([, route]) => route !== undefined));
}
