// How deep a request body may nest, checked once it is parsed, before any handler sees it.
import { GraphError } from '../graphErrors.js';

/**
 * How deep a request body's arrays and objects may nest: the default of OData's reader quota (ODataMessageQuotas.
 * MaxNestingDepth, 100). Parsing is iterative, but writing a value back (the data file's journal, an error message
 * naming a literal, a $batch item handed on) recurses once per level: 5,000 brackets, 10 KB, overflowed the stack.
 */
export const MAX_BODY_DEPTH = 100;

/** Whether a parsed JSON value nests arrays and objects deeper than `limit` (the value itself is level 1), walked without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Graph's envelope for a request whose parsed body is past the depth limit, or undefined. The body is dropped from
 * the request: the request journal writes a body it has no text of (a compressed one) as JSON, which would recurse.
 */
export function tooDeep(req: { body?: unknown }, wrapping: number): GraphError | undefined {
  if (!nestsDeeperThan(req.body, MAX_BODY_DEPTH + wrapping)) return undefined;
  req.body = undefined;
  return GraphError.of('badRequest', `The request body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep.`);
}
