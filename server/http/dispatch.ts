// The Graph resources this emulator serves, matched by one table instead of Express's router: the table is a
// tree of path segments (routeTree.ts), its method picks the handler, and a known path with another method is
// Graph's 405 with Allow. Graph's paths are case-insensitive and tolerate a trailing slash, as Express's
// defaults are. A path under a served version that names something the table does not know is Graph's 400
// naming the segment (http/fallback.ts).
// https://learn.microsoft.com/graph/api/overview?view=graph-rest-beta (URL segments are case-insensitive)
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { StoreError } from '../errors.js';
import { GraphError } from '../graphErrors.js';
import { contextOf } from './context.js';
import { percentDecoded } from '../urlText.js';
import { memoize } from '../memo.js';
import { type Method, type RouteNode, walk } from './routeTree.js';
import type { TenantResolver } from './tenantStores.js';

type ResourceHandler = (req: Request, res: Response) => void | Promise<void>;

export interface Route {
  handler: ResourceHandler;
  /** Graph permissions, any one of which lets a caller run it (checked by http/permissions.ts). */
  permissions: readonly string[];
  /** Only a delegated scope (`scp`) grants them: the route's page says "Application: Not supported". */
  delegatedOnly?: boolean;
}

/** Every path the emulator serves, from `/`. */
export type RouteTable = RouteNode<Route>;

export interface Matched {
  /** The methods the path answers, for Allow. */
  allow: readonly string[];
  params: Record<string, string>;
  /** The route of the request's method; undefined when the path does not serve it (a 405). */
  route: Route | undefined;
}

const METHOD_ORDER: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The route a request's path names, and its route for the request's method (HEAD is served as GET). Looked up
 * once per request and table: the permission check and the dispatch both ask (the request context keeps it).
 */
export function matchResource(table: RouteTable, req: Request): Matched | undefined {
  const context = contextOf(req);
  const known = context.resourceMatch;
  if (known !== undefined && known.table === table) return known.matched;
  const matched = lookUp(table, req);
  context.resourceMatch = { table, matched };
  return matched;
}

/** A path's place in a table: its node, raw parameters and allowed methods; null where it serves nothing. */
type Place = { node: RouteTable; params: Record<string, string>; allow: readonly string[] } | null;

function walkedPlace(table: RouteTable, path: string): Place {
  const result = walk(table, path);
  if (!('found' in result)) return null;
  const { node, params } = result.found;
  const served = METHOD_ORDER.filter((m) => node.routes[m] !== undefined);
  // HEAD is served wherever GET is (lookUp), so Allow names it as the admin API's and $metadata's do (RFC 9110
  // §10.2.1: the methods the resource supports).
  const allow = served.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
  return served.length === 0 ? null : { node, params, allow };
}

/**
 * The places of the paths last asked, per table: clients read the same paths again and again, and a walk
 * lowercases and looks up every segment (about 0.6 µs of a get, a larger share of a $batch item's). At most
 * CACHED_PATHS paths of at most CACHED_PATH_CHARS characters (a longer one is walked every time): half a million
 * characters. What it holds is only read: dispatch decodes the parameters into an object of the request's own.
 */
export const CACHED_PATHS = 1024;
export const CACHED_PATH_CHARS = 512;
const placesByTable = new WeakMap<RouteTable, (path: string) => Place>();

export function placeOf(table: RouteTable, path: string): Place {
  if (path.length > CACHED_PATH_CHARS) return walkedPlace(table, path);
  let places = placesByTable.get(table);
  if (places === undefined) {
    places = memoize((known) => walkedPlace(table, known), CACHED_PATHS);
    placesByTable.set(table, places);
  }
  return places(path);
}

function lookUp(table: RouteTable, req: Request): Matched | undefined {
  const place = placeOf(table, req.path);
  if (place === null) return undefined;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  return { allow: place.allow, params: place.params, route: place.node.routes[method as Method] };
}

/** The segment of a path under the table where the walk stops, when it stops. */
export function unknownSegment(table: RouteTable, path: string): { segment: string; depth: number } | undefined {
  const result = walk(table, path);
  return 'found' in result ? undefined : { segment: result.unknownSegment, depth: result.depth };
}

function decodeParams(raw: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const decoded = percentDecoded(value);
    if (decoded === undefined) throw GraphError.of('badRequest', `The segment '${value}' is not valid percent-encoding.`);
    params[name] = decoded;
  }
  return params;
}

/** How many times a request whose tenant is dropped under it runs again, each time after that drop. */
const RERUNS_AFTER_DROP = 3;

/** A write refused because its tenant's drop began while the request ran: thrown before anything is queued (TenantStore.checkLive). */
function droppedUnder(err: unknown): boolean {
  return err instanceof StoreError && err.kind === 'gone';
}

/**
 * Gives the request its tenant's store, then runs its handler. A request whose tenant is dropped while it runs has
 * written nothing; it runs again once the drop is over, in the tenant added again from the fixtures, as a request
 * that came a moment later does (http/tenantStores.ts): the order of the two is then the drop, then the request,
 * where a 404 for a tenant the request was not sent after the drop of was no serial order of them.
 */
function runInTenant(route: Route, req: Request, res: Response, next: NextFunction, resolveTenant: TenantResolver, reruns = RERUNS_AFTER_DROP): void {
  const run = () => {
    const result = route.handler(req, res);
    if (!(result instanceof Promise)) return;
    result.catch((err: unknown) => {
      if (reruns === 0 || !droppedUnder(err) || res.headersSent) return next(err);
      try {
        runInTenant(route, req, res, next, resolveTenant, reruns - 1);
      } catch (thrown) {
        next(thrown);
      }
    });
  };
  const resolving = resolveTenant(req);
  if (resolving === undefined) return run();
  resolving.then(run).catch(next);
}

/** The resources' routes; `resolveTenant` gives each request its tenant's store before its handler runs. */
export function dispatch(table: RouteTable, resolveTenant: TenantResolver): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const matched = matchResource(table, req);
    if (matched === undefined) return next();
    const { allow, params, route } = matched;
    if (route === undefined) {
      throw GraphError.of('methodNotAllowed', `The HTTP method '${req.method}' is not allowed for the requested resource.`, { Allow: allow.join(', ') });
    }
    req.params = decodeParams(params);
    runInTenant(route, req, res, next, resolveTenant);
  };
}
