// What Graph answers for paths it does not serve, instead of Express's HTML page. An unknown segment
// under a version is 400 "Resource not found for the segment '…'"; anything outside Graph's versions is
// 404. (A known resource with the wrong method is answered 405 by the resource table, http/dispatch.ts.)
import type { Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { decodedForDisplay } from '../urlText.js';

export function fallback(req: Request, _res: Response): void {
  const segments = req.path.split('/').filter(Boolean);
  if (segments[0] === 'beta') {
    const known = ['beta', 'identityGovernance', 'entitlementManagement', 'accessPackages'];
    // The segment after accessPackages is a key, whatever its value: past it, the next segment is the unknown one.
    const unknown = segments.find((s, i) => (i < known.length ? s.toLowerCase() !== known[i]!.toLowerCase() : i > known.length)) ?? segments.at(-1) ?? '';
    throw GraphError.of('badRequest', `Resource not found for the segment '${decodedForDisplay(unknown)}'.`);
  }
  throw GraphError.of('notFound', `The resource '${req.path}' was not found.`);
}
