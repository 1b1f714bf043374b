// What Graph answers for paths it does not serve, instead of Express's HTML page. An unknown segment
// under a version is 400 "Resource not found for the segment '…'"; anything outside Graph's versions is
// 404. (A known resource with the wrong method is answered 405 by the resource table, http/dispatch.ts.)
import type { Request, Response } from 'express';
import { COLLECTION_NAMES } from '../collections.js';
import { GraphError } from '../graphErrors.js';
import { ENTITLEMENT_MANAGEMENT_PATH } from '../graphWire.js';
import { decodedForDisplay } from '../urlText.js';

// The path of every served collection, segment by segment, lower-cased (Graph's segments are case-insensitive).
const KNOWN: readonly ReadonlySet<string>[] = [
  ...ENTITLEMENT_MANAGEMENT_PATH.split('/')
    .filter(Boolean)
    .map((segment) => new Set([segment.toLowerCase()])),
  new Set(COLLECTION_NAMES.map((name) => name.toLowerCase())),
];

export function fallback(req: Request, _res: Response): void {
  const segments = req.path.split('/').filter(Boolean);
  if (segments[0] === 'beta') {
    // The segment after a collection is a key, whatever its value: past it, the next segment is the unknown one.
    const unknown = segments.find((s, i) => (i < KNOWN.length ? !KNOWN[i]!.has(s.toLowerCase()) : i > KNOWN.length)) ?? segments.at(-1) ?? '';
    throw GraphError.of('badRequest', `Resource not found for the segment '${decodedForDisplay(unknown)}'.`);
  }
  throw GraphError.of('notFound', `The resource '${req.path}' was not found.`);
}
