// The Graph resources this emulator serves, matched by one table instead of Express's router: a path
// names at most one resource, its method picks the handler, and a known path with another method is
// Graph's 405 with Allow. Graph's paths are case-insensitive and tolerate a trailing slash, as Express's
// defaults are; one regular expression per resource replaces a walk over a layer per route.
// https://learn.microsoft.com/graph/api/overview?view=graph-rest-beta (URL segments are case-insensitive)
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { percentDecoded } from '../urlText.js';

export type ResourceHandler = (req: Request, res: Response) => void | Promise<void>;

export interface Resource {
  /** Matched against the request path as sent (still percent-encoded). */
  pattern: RegExp;
  /** Names of the pattern's capture groups, in order: they become req.params, decoded. */
  params?: readonly string[];
  handlers: Partial<Record<'GET' | 'POST' | 'PATCH' | 'DELETE', ResourceHandler>>;
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
    const path = req.path;
    for (const resource of resources) {
      const match = resource.pattern.exec(path);
      if (match === null) continue;
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const handler = resource.handlers[method as keyof Resource['handlers']];
      if (handler === undefined) {
        throw GraphError.of('methodNotAllowed', `The HTTP method '${req.method}' is not allowed for the requested resource.`, {
          Allow: Object.keys(resource.handlers).join(', '),
        });
      }
      req.params = decodeParams(match, resource.params ?? []);
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(next);
      return;
    }
    next();
  };
}
