// The handlers of one entity set in one version, built from its resource's definition: the set's URL (list,
// create) and the item's URL (get, update, replace, delete), for the operations the resource declares.
// https://learn.microsoft.com/graph/api/accesspackage-get?view=graph-rest-beta, -update (204, read-only
// properties ignored), -delete (204); https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta (201);
// https://learn.microsoft.com/graph/api/accesspackageassignmentpolicy-update?view=graph-rest-beta (PUT, 200 with the policy)
import type { Request, Response } from 'express';
import { COLLECTIONS, type CollectionName } from '../collections.js';
import { GraphError } from '../graphErrors.js';
import { contextOf, expansionBudgetOf, storeOf } from '../http/context.js';
import { sendNoContent, sendOData } from '../http/successAnswers.js';
import { parseQueryOptions } from '../odata/queryOptions.js';
import type { EntityOf } from '../store/records.js';
import type { MutableRow, Operation, ResourceContext, Row } from './definition.js';
import { newRecord, patchedRecord, withoutReadOnly } from './inbound.js';
import { type ListDeps, listRecords, pagedPath } from './list.js';
import { contextUrl, entityBody, entityUrl } from './outbound.js';
import { recordOf } from './keys.js';
import { renderRow } from './render.js';
import { validatorFor } from './validation.js';
import type { TypeView } from './views.js';

export type ResourceDeps = ListDeps;
export type Handler = (req: Request, res: Response) => void | Promise<void>;

/** The answer to a write with no body at all (wording chosen: not documented; docs/graph-fidelity.md). */
export function requireBody(req: Request): unknown {
  if (req.body === undefined) throw GraphError.of('badRequest', 'Empty Payload. JSON content expected.');
  return req.body;
}

export function resourceContext(view: TypeView, req: Request): ResourceContext {
  return { store: storeOf(req), version: view.version, caller: contextOf(req).identity.caller };
}

/**
 * A request body of the view's version, checked against its schema and read into the stored names. The read-only
 * properties a client cannot set (on a create, all but those settable on create) are dropped first: Graph ignores
 * them rather than validates them (an `id` that is no GUID is no reason for a 400).
 */
function storedBody(view: TypeView, body: unknown, onCreate: boolean): MutableRow {
  const validator = view.validator();
  const checked = validator.check(withoutReadOnly(validator, body, onCreate));
  return view.surface.inbound ? view.surface.inbound(checked) : { ...checked };
}

/** A written record as a create or PUT answers it: the entity, with what its body sent inline (Surface.inlined). */
function answered(view: TypeView, record: Row, sent: unknown, store: ResourceContext['store']): Row {
  const entity = renderRow(view, record, { expand: [] }, store);
  const inlined = view.surface.inlined?.(record, sent as Row);
  return inlined === undefined ? entity : { ...entity, ...inlined };
}

/** Stores a new record of the view's resource, after its rules; answers nothing. */
async function createRecord(view: TypeView, body: MutableRow, context: ResourceContext): Promise<MutableRow> {
  const { resource } = view;
  const record = newRecord<MutableRow>(validatorFor(COLLECTIONS[resource.collection]), body, { caller: context.caller });
  await resource.rules?.preparing?.(record, body, context);
  // The rules check inside the write, against the store as the writes before it leave it: two creates that each
  // pass alone (one uniqueName, a catalog being deleted) cannot both pass, whatever else is awaited meanwhile.
  await context.store.apply((store) => {
    resource.rules?.creating?.(record, body, { ...context, store });
    const alongside = resource.rules?.alongside?.(record, body, { ...context, store }) ?? [];
    return [{ op: 'create', collection: resource.collection, record: record as unknown as EntityOf<CollectionName> }, ...alongside];
  });
  return record;
}

/**
 * Deletes a record of the view's resource with its rules: refused first, then removed in one write with what goes
 * with it, so that a crash or a reader never finds its dependants without it.
 */
async function deleteRecord(view: TypeView, record: Row, context: ResourceContext): Promise<void> {
  const { collection, rules } = view.resource;
  const id = record['id'] as string;
  const removed = await context.store.apply((store) => {
    const current = store.get(collection, id) as Row | undefined;
    if (current === undefined) return undefined;
    rules?.deleting?.(current, { ...context, store });
    return [{ op: 'remove', collection, id }, ...(rules?.dependants?.(current, store) ?? [])];
  });
  if (!removed) throw GraphError.of('notFound');
}

export function entitySetHandlers(view: TypeView, entitySet: string, deps: ResourceDeps): Partial<Record<Operation, Handler>> {
  const { resource } = view;
  const stored = validatorFor(COLLECTIONS[resource.collection]);
  const item = (req: Request): Row => recordOf(storeOf(req), resource, String(req.params['id']));

  const write = async (req: Request, res: Response, replace: boolean) => {
    // An unknown id is a 404 before the body is read.
    const id = item(req)['id'] as string;
    const context = resourceContext(view, req);
    const { store } = context;
    const sent = requireBody(req);
    const body = storedBody(view, sent, false);
    let record: MutableRow | undefined;
    // Built and checked inside the write from the record as the writes before it leave it: a PATCH never undoes
    // another one in flight; false means the record is gone.
    const updated = await store.apply((current) => {
      const existing = current.get(resource.collection, id) as Row | undefined;
      if (existing === undefined) return undefined;
      record = patchedRecord<MutableRow>(stored, existing, body, { caller: context.caller }, replace);
      resource.rules?.updating?.(record, existing, body, { ...context, store: current });
      return [{ op: 'update', collection: resource.collection, record: record as unknown as EntityOf<CollectionName> }];
    });
    if (!updated || record === undefined) throw GraphError.of('notFound');
    if (!replace) return sendNoContent(res);
    sendOData(res, 200, entityBody(view, answered(view, record, sent, store), contextUrl(view.version, entitySet, undefined, true)));
  };

  return {
    list: (req, res) => listRecords(deps, req, res, { view, contextPath: entitySet, pagedPath: pagedPath(view.version, entitySet) }),

    async create(req, res) {
      const context = resourceContext(view, req);
      const sent = requireBody(req);
      const record = await createRecord(view, storedBody(view, sent, true), context);
      const location = entityUrl(req, view.version, entitySet, record['id'] as string, deps.baseUrl);
      const body = entityBody(view, answered(view, record, sent, context.store), contextUrl(view.version, entitySet, undefined, true), true);
      sendOData(res, 201, body, ['Location', location]);
    },

    get(req, res) {
      // The query is checked before the record is looked up: a bad $select is a 400 even for an unknown id.
      const options = parseQueryOptions(req.originalUrl, view.scope, 'entity');
      const record = item(req);
      sendOData(
        res,
        200,
        entityBody(
          view,
          renderRow(view, record, options, storeOf(req), expansionBudgetOf(req), { path: entitySet, keyed: true }),
          contextUrl(view.version, entitySet, options, true),
        ),
      );
    },

    update: (req, res) => write(req, res, false),
    replace: (req, res) => write(req, res, true),

    async delete(req, res) {
      await deleteRecord(view, item(req), resourceContext(view, req));
      sendNoContent(res);
    },
  };
}
