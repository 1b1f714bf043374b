// Graph's permission check, the one place a request is refused for what its token may not do (403): the
// route a request names declares the permissions that let a caller run it (resources/definition.ts,
// read or write), and the token must hold one of them, as a delegated scope (`scp`) or an application
// permission (`roles`); for a route whose page says "Application: Not supported", only as a delegated scope.
// It runs before faults and before the body is read. A token that is not a JWT holds every permission;
// unknown paths and methods pass on to the 404/405 answers.
import type { NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { contextOf } from './context.js';
import { type RouteTable, matchResource } from './dispatch.js';

export function authorize(table: RouteTable) {
  return function permissions(req: Request, _res: Response, next: NextFunction): void {
    const { identity } = contextOf(req);
    if (identity.permissions === 'all') return next();
    const route = matchResource(table, req)?.route;
    if (route === undefined) return next();
    const granted = route.delegatedOnly ? identity.scopes : identity.permissions;
    if (granted !== 'all' && !route.permissions.some((permission) => granted.has(permission))) throw GraphError.of('forbidden');
    next();
  };
}
