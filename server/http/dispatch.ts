// The Graph resources this emulator serves, matched by one table instead of Express's router: a path
// names at most one resource, its method picks the handler, and a known path with another method is
// Graph's 405 with Allow. Graph's paths are case-insensitive and tolerate a trailing slash, as Express's
// defaults are; one regular expression per resource replaces a walk over a layer per route.
// https://learn.microsoft.com/graph/api/overview?view=graph-rest-beta (URL segments are case-insensitive)
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { percentDecoded } from '../urlText.js';

export type ResourceHandler = (req: Request, res: Response) => void | Promise<void>;

export interface Route {
  handler: ResourceHandler;
  /** Graph permissions, any one of which lets a caller run it (checked by http/permissions.ts). */
  permissions: readonly string[];
}

export interface Resource {
  /** Matched against the request path as sent (still percent-encoded). */
  pattern: RegExp;
  /** Names of the pattern's capture groups, in order: they become req.params, decoded. */
  params?: readonly string[];
  routes: Partial<Record<'GET' | 'POST' | 'PATCH' | 'DELETE', Route>>;
}

export interface Matched {
  resource: Resource;
  match: RegExpExecArray;
  /** The route of the request's method; undefined when the resource does not serve it (a 405). */
  route: Route | undefined;
}

/** The resource a request's path names, and its route for the request's method (HEAD is served as GET). */
export function matchResource(resources: readonly Resource[], req: Request): Matched | undefined {
  const path = req.path;
  for (const resource of resources) {
    const match = resource.pattern.exec(path);
    if (match === null) continue;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    return { resource, match, route: resource.routes[method as keyof Resource['routes']] };
  }
  return undefined;
}

function decodeParams(match: RegExpExecArray, names: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i += 1) {
    const raw = match[i + 1] ?? '';
    const decoded = percentDecoded(raw);
    if (decoded === undefined) throw GraphError.of('badRequest', `The segment '${raw}' is not valid percent-encoding.`);
    params[names[i]!] = decoded;
  }
  return params;
}

export function dispatch(resources: readonly Resource[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const matched = matchResource(resources, req);
    if (matched === undefined) return next();
    const { resource, match, route } = matched;
    if (route === undefined) {
      throw GraphError.of('methodNotAllowed', `The HTTP method '${req.method}' is not allowed for the requested resource.`, {
        Allow: Object.keys(resource.routes).join(', '),
      });
    }
    req.params = decodeParams(match, resource.params ?? []);
    const result = route.handler(req, res);
    if (result instanceof Promise) result.catch(next);
  };
}
