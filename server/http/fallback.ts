// What Graph answers for paths and methods it does not serve, instead of Express's HTML page.
// An unknown segment under a version is 400 "Resource not found for the segment '…'"; a known
// resource with the wrong method is 405 with Allow; anything outside Graph's versions is 404.
import type { Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { ACCESS_PACKAGES_PATH } from '../representation.js';

export interface KnownResource {
  pattern: RegExp;
  methods: readonly string[];
}

const collection = ACCESS_PACKAGES_PATH.toLowerCase();

export const KNOWN_RESOURCES: readonly KnownResource[] = [
  { pattern: new RegExp(`^${collection}/?$`, 'i'), methods: ['GET', 'POST'] },
  { pattern: new RegExp(`^${collection}/[^/]+/?$`, 'i'), methods: ['GET', 'PATCH', 'DELETE'] },
];

export function fallback(req: Request, _res: Response): void {
  const resource = KNOWN_RESOURCES.find((r) => r.pattern.test(req.path));
  if (resource) {
    throw GraphError.of('methodNotAllowed', `The HTTP method '${req.method}' is not allowed for the requested resource.`, {
      Allow: resource.methods.join(', '),
    });
  }
  const segments = req.path.split('/').filter(Boolean);
  if (segments[0] === 'beta') {
    const known = ['beta', 'identityGovernance', 'entitlementManagement', 'accessPackages'];
    const unknown = segments.find((s, i) => i >= known.length || s.toLowerCase() !== known[i]!.toLowerCase()) ?? segments.at(-1) ?? '';
    throw GraphError.of('badRequest', `Resource not found for the segment '${safeDecode(unknown)}'.`);
  }
  throw GraphError.of('notFound', `The resource '${req.path}' was not found.`);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
