// The routing table of every version, built from the resources: under /{version}/identityGovernance/
// entitlementManagement each entity set with its functions, its item with the actions and the navigation
// paths (a related entity's actions where its path names them), one branch per resource (http/routeTree.ts), so
// serving more adds branches, not patterns to try.
// Each route declares the permission it needs: reads the read permissions, writes the write ones.
import type { Route, RouteTable } from '../http/dispatch.js';
import { type Method, type RouteNode, child, routeNode } from '../http/routeTree.js';
import { API_VERSIONS } from '../metadata/csdl.js';
import { GRAPH_ALIAS, GRAPH_NAMESPACE } from '../graphNamespace.js';
import type { Access, Operation, Operation$, ResourceDefinition } from './definition.js';
import { OPERATION_ACCESS } from './definition.js';
import { type Handler, type ResourceDeps, entitySetHandlers } from './handlers.js';
import { actionHandler, functionHandler, navigationHandlers, relatedActionHandler } from './navigationRoutes.js';
import { type TypeView, viewOf } from './views.js';

function routes(view: TypeView, entries: [Method, Handler | undefined, Access][]): Partial<Record<Method, Route>> {
  const result: Partial<Record<Method, Route>> = {};
  for (const [method, handler, access] of entries) {
    if (handler) result[method] = { handler, permissions: view.resource.permissions[access] };
  }
  return result;
}

/** An action's or a function's route: the resource's permissions for its access, or its own delegated ones. */
function operationRoutes(view: TypeView, method: Method, handler: Handler, operation: Operation$): Partial<Record<Method, Route>> {
  const permissions = operation.delegatedPermissions;
  if (permissions === undefined) return routes(view, [[method, handler, operation.access]]);
  return { [method]: { handler, permissions, delegatedOnly: true } };
}

/**
 * A bound operation's node under its name and its namespace-qualified name (`microsoft.graph.moveToCatalog`), the
 * one node: OData lets a client qualify any bound operation, and Graph's SDKs call every one that way.
 * http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_InvokinganAction
 */
function operationChild(parent: RouteNode<Route>, name: string, node: RouteNode<Route>): RouteNode<Route> {
  child(parent, `${GRAPH_NAMESPACE}.${name}`, node);
  // Qualified by the namespace's alias too ($metadata: Alias="graph"), as OData's URL conventions allow.
  child(parent, `${GRAPH_ALIAS}.${name}`, node);
  return child(parent, name, node);
}

function addEntitySet(parentNode: RouteNode<Route>, view: TypeView, entitySet: string, deps: ResourceDeps): void {
  const { resource } = view;
  const handlers = entitySetHandlers(view, entitySet, deps);
  const served = (operation: Operation): [Handler | undefined, Access] => [
    resource.operations.includes(operation) ? handlers[operation] : undefined,
    OPERATION_ACCESS[operation],
  ];
  const set = child(
    parentNode,
    entitySet,
    routeNode(
      routes(view, [
        ['GET', ...served('list')],
        ['POST', ...served('create')],
      ]),
    ),
  );
  const bound = (names: readonly string[] | undefined, name: string) => names === undefined || names.includes(name);
  for (const [name, fn] of Object.entries(resource.functions ?? {}).filter(([n]) => bound(view.surface.functions, n))) {
    const node = operationChild(set, name, routeNode(operationRoutes(view, 'GET', functionHandler(view, fn, deps), fn)));
    node.functionParams = 'params';
  }
  const item = routeNode(
    routes(view, [
      ['GET', ...served('get')],
      ['PATCH', ...served('update')],
      ['PUT', ...served('replace')],
      ['DELETE', ...served('delete')],
    ]),
  );
  set.key = { param: 'id', node: item };
  for (const [name, action] of Object.entries(resource.actions ?? {}).filter(([n]) => bound(view.surface.actions, n))) {
    operationChild(item, name, routeNode(operationRoutes(view, 'POST', actionHandler(view, action, name), action)));
  }
  for (const nav of view.navigation.values()) {
    const h = navigationHandlers(view, entitySet, nav, deps);
    const node = child(
      item,
      nav.name,
      routeNode(
        routes(view, [
          ['GET', h.get, 'read'],
          ['POST', h.create, 'write'],
        ]),
      ),
    );
    if (!nav.navigation.many) continue;
    if (h.addRef) {
      child(
        node,
        '$ref',
        routeNode(
          routes(view, [
            ['GET', h.getRefs, 'read'],
            ['POST', h.addRef, 'write'],
            ['DELETE', h.removeRefNamed, 'write'],
          ]),
        ),
      );
    }
    const related = routeNode(
      routes(view, [
        ['GET', h.itemGet, 'read'],
        ['DELETE', h.itemDelete, 'write'],
      ]),
    );
    if (h.removeRef) child(related, '$ref', routeNode(routes(view, [['DELETE', h.removeRef, 'write']])));
    // The target's actions this path serves (a catalog's resource's refresh), as its version binds them.
    const target = nav.view();
    for (const name of (nav.navigation.actions ?? []).filter((n) => bound(target.surface.actions, n))) {
      const action = target.resource.actions![name]!;
      operationChild(related, name, routeNode(operationRoutes(target, 'POST', relatedActionHandler(view, nav, action, name), action)));
    }
    node.key = { param: 'key', node: related };
  }
}

/** Every path the resources serve, in every version. */
export function resourceRoutes(resources: readonly ResourceDefinition[], deps: ResourceDeps, root: RouteTable = routeNode()): RouteTable {
  for (const version of API_VERSIONS) {
    const entitlementManagement = child(child(child(root, version), 'identityGovernance'), 'entitlementManagement');
    for (const resource of resources) {
      const entitySet = resource.surfaces[version]?.entitySet;
      if (entitySet) addEntitySet(entitlementManagement, viewOf(resource, version), entitySet, deps);
    }
  }
  return root;
}
