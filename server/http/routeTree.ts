// The routing table as a tree of path segments: each request walks it one segment at a time with one map
// lookup per segment, so serving more resources adds branches, not patterns every request must try. A
// segment is a name (matched case-insensitively, as Graph's are), a key (any other segment under a collection),
// or `name(…)`: a function call's parameters, or OData's key syntax `accessPackages('id')`,
// `accessPackages(uniqueName='x')`, which reads as the name followed by the key.
// https://learn.microsoft.com/graph/api/overview?view=graph-rest-beta (URL segments are case-insensitive)
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_KeyasSegmentConvention
// A name's percent-encoded unreserved characters are the characters (https://www.rfc-editor.org/rfc/rfc3986#section-2.3).
import { unreservedDecoded } from '../urlText.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteNode<R> {
  /** What this path answers, by method. */
  routes: Partial<Record<Method, R>>;
  /** Fixed child segments, by lower-cased name. */
  children: Map<string, RouteNode<R>>;
  /** Any other segment, captured under this parameter name. */
  key?: { param: string; node: RouteNode<R> };
  /** A function: `name(params)` is read as this node with its parameters captured raw. */
  functionParams?: string;
}

export function routeNode<R>(routes: Partial<Record<Method, R>> = {}): RouteNode<R> {
  return { routes, children: new Map() };
}

/** Adds (or finds) the fixed child `name`. */
export function child<R>(parent: RouteNode<R>, name: string, node: RouteNode<R> = routeNode()): RouteNode<R> {
  const key = name.toLowerCase();
  const existing = parent.children.get(key);
  if (existing) return existing;
  parent.children.set(key, node);
  return node;
}

interface TreeMatch<R> {
  node: RouteNode<R>;
  /** Raw (still percent-encoded) parameters by name; a parenthesised key keeps its parentheses. */
  params: Record<string, string>;
}

type WalkResult<R> = { found: TreeMatch<R> } | { unknownSegment: string; depth: number };

const CALL = /^([^(]+)(\(.*\))$/s;

/** Walks `path` (as sent: percent-encoded, leading slash) from `root`. */
export function walk<R>(root: RouteNode<R>, path: string): WalkResult<R> {
  const segments = path.split('/');
  // A trailing slash is ignored, as Express's non-strict routing did.
  if (segments.at(-1) === '') segments.pop();
  let node = root;
  const params: Record<string, string> = {};
  for (let i = 1; i < segments.length; i += 1) {
    const segment = segments[i]!;
    // A name is matched with its unreserved escapes undone (`%69dentityGovernance`); a key or a function's
    // parameters stay raw, decoded once by dispatch.
    const fixed = node.children.get(unreservedDecoded(segment).toLowerCase());
    if (fixed) {
      node = fixed;
      continue;
    }
    const call = CALL.exec(segment);
    const named = call ? node.children.get(unreservedDecoded(call[1]!).toLowerCase()) : undefined;
    if (call && named?.functionParams !== undefined) {
      params[named.functionParams] = call[2]!;
      node = named;
      continue;
    }
    if (call && named?.key) {
      params[named.key.param] = call[2]!;
      node = named.key.node;
      continue;
    }
    // `$ref`, `$value`, `$count` are OData's own segments, never a key.
    if (node.key && segment !== '' && !segment.startsWith('$')) {
      params[node.key.param] = segment;
      node = node.key.node;
      continue;
    }
    return { unknownSegment: segment, depth: i };
  }
  return { found: { node, params } };
}
