// The path as fault rules and the journal's `path` filter match it: the resource the request reaches, however
// the client spelt it. Percent-encoding is undone (`%32` is `2`, but `%2F` stays within its segment), OData's key
// syntax reads as a key segment (`accessPackages('id')` and `accessPackages(id)` as `accessPackages/id`, as the
// routes read them: http/routeTree.ts), and trailing slashes go, in the path as in a pattern. Without that, a rule
// for one package would miss the same package asked another way, and a pattern ending in `/` would match nothing.
import { percentDecoded } from '../urlText.js';
import { compileGlob } from './glob.js';

/** `name('key')` or `name(key)`: a single key, not named parameters (`uniqueName='x'`) or a function call's. */
const KEY_SEGMENT = /^([^(]+)\((?:'((?:[^']|'')*)'|([^'=(),]+))\)$/;

function withoutTrailingSlashes(path: string): string {
  return path.replace(/(.)\/+$/, '$1');
}

function segmentOf(raw: string): string {
  const key = KEY_SEGMENT.exec(raw);
  const decoded = (text: string) => (percentDecoded(text) ?? text).replaceAll('/', '%2F');
  if (key === null) return decoded(raw);
  const value = key[2] === undefined ? key[3]! : key[2].replaceAll("''", "'");
  return `${decoded(key[1]!)}/${decoded(value)}`;
}

/** The path a rule or a filter is matched against; the common path (no `%`, no `(`, no trailing `/`) as it is. */
export function matchedPath(path: string): string {
  if (!path.includes('%') && !path.includes('(') && !path.endsWith('/')) return path;
  return withoutTrailingSlashes(path).split('/').map(segmentOf).join('/');
}

/** A matcher of a glob against a path as matchedPath gives it: the pattern's trailing slashes ignored too. */
export function pathGlob(pattern: string): (path: string) => boolean {
  return compileGlob(withoutTrailingSlashes(pattern));
}
