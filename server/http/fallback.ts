// What Graph answers for paths it does not serve, instead of Express's HTML page. An unknown segment under a
// served version is 400 "Resource not found for the segment '…'", naming the first segment the routing table
// does not know (a path that stops short of a resource names its last segment); anything outside Graph's
// versions is 404. (A known path with the wrong method is answered 405 by http/dispatch.ts.)
import type { Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { decodedForDisplay, unreservedDecoded } from '../urlText.js';
import { type RouteTable, unknownSegment } from './dispatch.js';

export function fallback(table: RouteTable) {
  return function notServed(req: Request, _res: Response): void {
    const segments = req.path.split('/').filter(Boolean);
    if (table.children.has(unreservedDecoded(segments[0] ?? '').toLowerCase())) {
      const unknown = unknownSegment(table, req.path)?.segment ?? segments.at(-1) ?? '';
      const decoded = decodedForDisplay(unknown);
      // `%24batch` is named as sent: decoded, it would read as `$batch`, which is served (an escaped `$` is not `$`).
      const shown = decoded.startsWith('$') && !unknown.startsWith('$') ? unknown : decoded;
      throw GraphError.of('badRequest', `Resource not found for the segment '${shown}'.`);
    }
    throw GraphError.of('notFound', `The resource '${req.path}' was not found.`);
  };
}
