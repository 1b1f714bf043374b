// The paths under an item: each navigation property as a path (`/accessPackages/{id}/accessPackageCatalog`, a
// single entity; `/…/accessPackageAssignmentPolicies`, a collection with the list's query options), one of its
// entities by key, the writes Graph serves there (POST of a contained entity, DELETE of one, `$ref` links), and
// the bound actions and functions.
// https://learn.microsoft.com/graph/api/accesspackage-list-incompatibleaccesspackages?view=graph-rest-beta,
// -post-incompatibleaccesspackage ($ref, 204), -delete-incompatibleaccesspackage (…/{id}/$ref, 204)
import type { Request } from 'express';
import { GraphError } from '../graphErrors.js';
import { expansionBudgetOf, storeOf } from '../http/context.js';
import { sendNoContent, sendOData } from '../http/successAnswers.js';
import type { Store } from '../store/store.js';
import { parseQueryOptions, readOptions } from '../odata/queryOptions.js';
import { actionParameters, refuseQueryOptions } from './actionInput.js';
import type { Navigation, Operation$, Row } from './definition.js';
import { type Handler, type ResourceDeps, resourceContext } from './handlers.js';
import { heldHandlers } from './heldRoutes.js';
import { findByKey, parseKey, recordOf } from './keys.js';
import { listRecords, pagedPath } from './list.js';
import { contextUrl, entityBody, keyed } from './outbound.js';
import type { Placement } from './expandContexts.js';
import { renderRow } from './render.js';
import type { NavigationView, TypeView } from './views.js';

export interface NavigationHandlers {
  get: Handler;
  create?: Handler;
  itemGet?: Handler;
  itemDelete?: Handler;
  addRef?: Handler;
  removeRef?: Handler;
  removeRefNamed?: Handler;
  getRefs?: Handler;
}

/** The related record a key under a navigation path names, within what the path reaches. */
function relatedRecord(navigation: Navigation, target: TypeView, parentRecord: Row, raw: string, store: Store): Row {
  const key = parseKey(raw, target.resource);
  const found = navigation.find
    ? navigation.find(parentRecord, key.value, store)
    : (() => {
        const record = findByKey(store, target.resource, key);
        return record && navigation.scope!(parentRecord, store).where(record) ? record : undefined;
      })();
  if (!found) throw GraphError.of('notFound');
  return found;
}

export function navigationHandlers(view: TypeView, entitySet: string, nav: NavigationView, deps: ResourceDeps): NavigationHandlers {
  const { navigation } = nav;
  const parentOf = (req: Request): Row => recordOf(storeOf(req), view.resource, String(req.params['id']));
  const pathOf = (parentRecord: Row) => `${keyed(entitySet, parentRecord['id'])}/${nav.name}`;
  // Where the entity read is, for the contexts of its contained expansions: a collection's item by its key, a
  // single-valued navigation's entity at the path itself; none through a navigation that does not contain it.
  const placement = (parentRecord: Row, keyedItem: boolean): Placement | undefined =>
    nav.contained() ? { path: pathOf(parentRecord), keyed: keyedItem } : undefined;
  if (navigation.held) return heldHandlers(view, nav, parentOf, pathOf);

  const handlers: NavigationHandlers = {
    get(req, res) {
      const target = nav.view();
      const store = storeOf(req);
      const parentRecord = parentOf(req);
      if (navigation.many) {
        return listRecords(deps, req, res, {
          view: target,
          scope: navigation.scope!(parentRecord, store),
          contextPath: pathOf(parentRecord),
          pagedPath: pagedPath(view.version, entitySet, String(parentRecord['id']), nav.name),
          name: nav.name,
          placed: nav.contained(),
        });
      }
      const options = parseQueryOptions(req.originalUrl, target.scope, 'entity');
      const related = navigation.one!(parentRecord, store);
      if (!related) throw GraphError.of('notFound');
      sendOData(
        res,
        200,
        entityBody(
          target,
          renderRow(target, related, options, store, expansionBudgetOf(req), placement(parentRecord, false)),
          contextUrl(view.version, pathOf(parentRecord), options, true),
        ),
      );
    },
  };
  if (!navigation.many) return handlers;

  handlers.itemGet = (req, res) => {
    const target = nav.view();
    const options = parseQueryOptions(req.originalUrl, target.scope, 'entity');
    const store = storeOf(req);
    const parentRecord = parentOf(req);
    const related = relatedRecord(navigation, target, parentRecord, String(req.params['key']), store);
    sendOData(
      res,
      200,
      entityBody(
        target,
        renderRow(target, related, options, store, expansionBudgetOf(req), placement(parentRecord, true)),
        contextUrl(view.version, pathOf(parentRecord), options, true),
      ),
    );
  };
  const { create, remove, addRef, removeRef, removeRefNamed, refUrl } = navigation;
  if (create) handlers.create = (req, res) => create(parentOf(req), req, res, { ...resourceContext(view, req), listDeps: deps });
  if (remove) {
    handlers.itemDelete = async (req, res) => {
      const parentRecord = parentOf(req);
      await remove(parentRecord, relatedRecord(navigation, nav.view(), parentRecord, String(req.params['key']), storeOf(req)), resourceContext(view, req));
      sendNoContent(res);
    };
  }
  if (addRef) handlers.addRef = (req, res) => addRef(parentOf(req), req, res, resourceContext(view, req));
  if (refUrl) {
    // GET …/$ref, as Graph's SDKs read the links (their request builders for the collection's $ref): the list's
    // filter, order and paging, each item the URL of a linked entity; a projection has nothing to apply to.
    handlers.getRefs = (req, res) => {
      const named = ['select', 'expand'].find((name) => readOptions(req.originalUrl).values.has(name));
      if (named !== undefined) throw GraphError.of('badRequest', `The query option '$${named}' cannot be applied to a $ref.`);
      const parentRecord = parentOf(req);
      const { version } = view;
      listRecords(deps, req, res, {
        view: nav.view(),
        scope: navigation.scope!(parentRecord, storeOf(req)),
        contextPath: pathOf(parentRecord),
        pagedPath: pagedPath(version, entitySet, String(parentRecord['id']), nav.name, '$ref'),
        name: nav.name,
        refUrl: (id) => refUrl(id, version),
      });
    };
  }
  if (removeRefNamed) handlers.removeRefNamed = (req, res) => removeRefNamed(parentOf(req), req, res, resourceContext(view, req));
  if (removeRef) {
    handlers.removeRef = async (req, res) => {
      await removeRef(parentOf(req), String(req.params['key']), resourceContext(view, req));
      sendNoContent(res);
    };
  }
  return handlers;
}

/**
 * POST /{id}/{action}: the action bound to the record. Its query string and body are checked first, as Graph's
 * OData library reads the URL and the parameters before the service looks the record up (actionInput.ts).
 */
export function actionHandler(view: TypeView, action: Operation$, name: string): Handler {
  return (req, res) => {
    refuseQueryOptions(req.originalUrl, name);
    actionParameters(req.body, name, view.version);
    return action.handler(recordOf(storeOf(req), view.resource, String(req.params['id'])), req, res, resourceContext(view, req));
  };
}

/**
 * POST /{id}/{navigation}/{key}/{action}: the action bound to the related record the path names, within what the path
 * reaches (a catalog's resource: another catalog's is the 404 of its GET there). The query string and the body are
 * checked first, as for an action under an entity set's item.
 */
export function relatedActionHandler(view: TypeView, nav: NavigationView, action: Operation$, name: string): Handler {
  return (req, res) => {
    const target = nav.view();
    refuseQueryOptions(req.originalUrl, name);
    actionParameters(req.body, name, view.version);
    const store = storeOf(req);
    const parentRecord = recordOf(store, view.resource, String(req.params['id']));
    const related = relatedRecord(nav.navigation, target, parentRecord, String(req.params['key']), store);
    return action.handler(related, req, res, resourceContext(target, req));
  };
}

/** GET /{function}(params): the function bound to the collection. */
export function functionHandler(view: TypeView, fn: Operation$, deps: ResourceDeps): Handler {
  return (req, res) => fn.handler(String(req.params['params'] ?? ''), req, res, { ...resourceContext(view, req), listDeps: deps });
}
