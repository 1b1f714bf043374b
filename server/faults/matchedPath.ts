// The path as fault rules and the journal's `path` filter match it: the resource the request reaches, however
// the client spelt it. Percent-encoding is undone (`%32` is `2`, but `%2F` stays within its segment), every key
// form the routes serve reads as a key segment, and trailing slashes go, in the path as in a pattern. Without
// that, a rule for one package would miss the same package asked another way, and a pattern ending in `/` would
// match nothing. The key forms are the routes' (http/routeTree.ts splits `name(…)`, resources/keys.ts reads the
// parentheses once decoded): `accessPackages('id')`, `accessPackages(id)`, `accessPackages(id='id')` and
// `accessPackages/('id')` read as `accessPackages/id`, the last also with its parentheses percent-encoded
// (`accessPackages/%28'id'%29`: a segment in a key's place is the key, decoded once); an alternate key,
// `accessPackages(uniqueName='x')`, as `accessPackages/(uniqueName='x')`, the segment the routes read alike and no id
// can be. A bound action or function called namespace-qualified, as Graph's SDKs call them
// (`microsoft.graph.moveToCatalog`), reads as its plain name, the one node the routes serve both at (resources/routes.ts).
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_KeyasSegmentConvention
import { withoutGraphNamespace } from '../graphNamespace.js';
import { normalizedCall } from '../functionParameters.js';
import { percentDecoded, unreservedDecoded, withoutTrailingSlashes } from '../urlText.js';
import { compileGlob, globProblem } from './glob.js';

/**
 * The alternate keys the resources declare (`alternateKey`), the functions bound to an entity set, whose
 * `name(…)` is a call, not a key, and the actions bound to an entity. This floor cannot read the resources;
 * tests/unit/matchedPath.test.ts fails when these differ from what they serve.
 */
export const ALTERNATE_KEYS: readonly string[] = ['uniqueName'];
export const FUNCTIONS: readonly string[] = ['filterByCurrentUser'];
export const ACTIONS: readonly string[] = ['getApplicablePolicyRequirements', 'moveToCatalog', 'refresh'];

const alternateKeys = new Map(ALTERNATE_KEYS.map((name) => [name.toLowerCase(), name]));
const functions = new Set(FUNCTIONS.map((name) => name.toLowerCase()));
const operations = new Set([...functions, ...ACTIONS.map((name) => name.toLowerCase())]);

/** A segment (its escapes aside, which take the long way anyway) naming Graph's namespace or its alias. */
const QUALIFIED_SEGMENT = /\/(?:microsoft\.)?graph\./i;

/** routeTree.ts's split of a segment into a name and its parenthesised text. */
const CALL = /^([^(]*)(\(.*\))$/s;

function decoded(text: string): string {
  return (percentDecoded(text) ?? text).replaceAll('/', '%2F');
}

/** A key literal as resources/keys.ts reads it: quoted (`''` is a quote) or bare; undefined for a 400. */
function literal(text: string): string | undefined {
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) return quoted[1]!.replaceAll("''", "'");
  return /^[^'(),=]+$/.test(text) ? text : undefined;
}

/** The key segment of `(…)` once decoded, or undefined when the routes read no key there (a 400). */
function keySegment(text: string): string | undefined {
  const inner = text.slice(1, -1).trim();
  const named = /^([A-Za-z_]\w*)\s*=\s*(.*)$/s.exec(inner);
  const value = literal(named ? named[2]!.trim() : inner);
  if (value === undefined) return undefined;
  const name = named?.[1]?.toLowerCase();
  if (name === undefined || name === 'id') return value.replaceAll('/', '%2F');
  const alternate = alternateKeys.get(name);
  return alternate === undefined ? undefined : `(${alternate}='${value.replaceAll("'", "''").replaceAll('/', '%2F')}')`;
}

/** A qualified bound operation's segment without the namespace, as sent otherwise; any other segment as it is. */
function unqualified(raw: string): string {
  const plain = withoutGraphNamespace(unreservedDecoded(raw));
  if (plain === undefined) return raw;
  const name = CALL.exec(plain)?.[1] ?? plain;
  return operations.has(name.toLowerCase()) ? plain : raw;
}

/**
 * A function's call as the routes read its parameter (functionParameters.ts): the typed literal, an alias the
 * query gives and spaces read as `name(on='member')`; any other call as it is written.
 */
function functionCall(name: string, call: string, query: string | undefined): string {
  const text = percentDecoded(call);
  const normalized = text === undefined ? undefined : normalizedCall(text, query);
  return normalized === undefined ? decoded(`${name}${call}`) : `${decoded(name)}${normalized.replaceAll('/', '%2F')}`;
}

function segmentOf(sent: string, query?: string): string {
  const raw = unqualified(sent);
  const call = CALL.exec(raw);
  if (call === null) return encodedKeySegment(raw) ?? decoded(raw);
  if (functions.has(call[1]!.toLowerCase())) return functionCall(call[1]!, call[2]!, query);
  const text = percentDecoded(call[2]!);
  const key = text === undefined ? undefined : keySegment(text);
  if (key === undefined) return decoded(raw);
  return call[1] === '' ? key : `${decoded(call[1]!)}/${key}`;
}

/**
 * A segment whose parentheses are percent-encoded (`%28'id'%29`, `%28id%3D'id'%29`) read as the key it names: the
 * routes split `name(…)` on the segment as sent, but take a segment in a key's place whole and decode it once
 * (http/routeTree.ts, http/dispatch.ts), so `accessPackages/%28'id'%29` is the package. Undefined for any other.
 */
function encodedKeySegment(raw: string): string | undefined {
  if (!raw.includes('%')) return undefined;
  const text = percentDecoded(raw);
  if (text === undefined || !text.startsWith('(') || !text.endsWith(')')) return undefined;
  return keySegment(text);
}

/**
 * The path a rule or a filter is matched against; the common path (no `%`, `(`, namespace, trailing `/`) as it is.
 * `query` (as sent, without `?`) gives the value of a function's parameter alias; without it the alias is matched as
 * written (`filterByCurrentUser(on=@p)`).
 */
export function matchedPath(path: string, query?: string): string {
  if (!path.includes('%') && !path.includes('(') && !QUALIFIED_SEGMENT.test(path) && !path.endsWith('/')) return path;
  return withoutTrailingSlashes(path)
    .split('/')
    .map((segment) => segmentOf(segment, query))
    .join('/');
}

/**
 * A matcher of a glob against a path as matchedPath gives it: the pattern's trailing slashes ignored too, and each
 * of its literal segments (no glob character) read as matchedPath reads a path's, so a pattern written as a path
 * is sent (`accessPackages('id')`, `accessPackages(id='id')`, `%32…`) matches that path. Without it such a rule
 * was accepted and never fired, as every request path is matched in its key-as-segment form.
 */
export function pathGlob(pattern: string): (path: string) => boolean {
  return compileGlob(patternAsMatched(withoutTrailingSlashes(pattern)));
}

/** A `?` (not `\?`) that starts a query string: `?$top=`, `?$filter`, `?@p=`, `?tenant=`. */
const QUERY = /(?<!\\)\?(?:[$@]?[A-Za-z_][\w.]*=|\$[A-Za-z])/;

/** What a glob gives a meaning to: such a segment is a pattern, not a path, and is left as it is written. */
const GLOB_CHARACTER = /[*?[\]{}\\]/;

function patternAsMatched(pattern: string): string {
  // A qualified operation's segment (`microsoft.graph.moveToCatalog`) takes the long way too, as matchedPath's does:
  // left as written, it matched no path, every one being matched by its plain name.
  if (!pattern.includes('%') && !pattern.includes('(') && !QUALIFIED_SEGMENT.test(pattern)) return pattern;
  return pattern
    .split('/')
    .map((segment) => (GLOB_CHARACTER.test(segment) ? (alternateKeyGlob(segment) ?? segment) : segmentOf(segment).replace(/[*?[\]{}\\]/g, '\\$&')))
    .join('/');
}

/**
 * An alternate key's segment holding glob characters, read as a path's is (keySegment): `( uniqueName = a* )` as
 * `(uniqueName='a*')`. Spaced or unquoted, it matched no path. Undefined for any other segment.
 */
function alternateKeyGlob(segment: string): string | undefined {
  const key = segment.startsWith('(') && segment.endsWith(')') ? keySegment(segment) : undefined;
  return key?.startsWith('(') ? key : undefined;
}

/**
 * Why a rule's or a filter's path pattern cannot be used; undefined when it can. Beside the glob's own problems: a
 * key in parentheses holding glob characters (`accessPackages('*')`), which matches nothing, as paths are matched
 * with the key as a segment of its own; the message names the form to write. A function's call stays one segment.
 */
export function pathPatternProblem(pattern: string): string | undefined {
  // A URL pasted whole: its `?` reads as a glob's one character, and no path it is matched against has a query.
  const query = QUERY.exec(pattern);
  if (query !== null) return `has a query string ('${pattern.slice(query.index)}'), which no path has: paths are matched without their query; leave it out`;
  const problem = globProblem(pattern);
  if (problem !== undefined) return problem;
  for (const segment of pattern.split('/')) {
    const call = CALL.exec(segment);
    if (call === null || !GLOB_CHARACTER.test(segment) || functions.has(call[1]!.toLowerCase())) continue;
    const name = call[1]!;
    const alternate = /^\(\s*([A-Za-z_]\w*)\s*=/.exec(call[2]!)?.[1]?.toLowerCase();
    const key = alternate !== undefined && alternateKeys.has(alternate) ? (alternateKeyGlob(call[2]!) ?? call[2]!) : '*';
    if (name === '' && key !== '*') continue;
    const instead = name === '' ? key : `${name}/${key}`;
    return `writes a key in parentheses with glob characters ('${segment}'), which matches no path: paths are matched with the key as a segment of its own; write '${instead}' instead`;
  }
  return undefined;
}
