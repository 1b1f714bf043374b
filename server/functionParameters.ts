// An enum parameter of a function call in a URL, `name(on='member')`, in the forms OData 4.01's URL conventions
// give it: the member as a string (4.01 lets an enum literal go without its type), the typed literal
// `microsoft.graph.enumType'member'` (or with the schema's alias, `graph.enumType'member'`), and a parameter alias
// `name(on=@p)?@p=…` whose value, in the query string, is either literal.
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_ParameterAliases
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_PrimitiveLiterals
// An alias given no value is null in OData, which no enum parameter here takes: a 400 naming the alias, as is a
// literal of another type (the wording of both is chosen: not documented).
import { GraphError } from './graphErrors.js';
import { GRAPH_NAMESPACE } from './graphNamespace.js';
import { percentDecoded } from './urlText.js';

interface EnumParameter {
  name: string;
  /** The enum type's name in Graph's namespace, `accessPackageFilterByCurrentUserOptions`. */
  type: string;
}

/** `(name =`: a call's one parameter's name, and the spaces after its `=`. */
const PARAMETER_HEAD = /^\(\s*([A-Za-z_]\w*)\s*=\s*/;
const LITERAL = /^(?:([A-Za-z_][\w.]*))?'((?:[^']|'')*)'$/s;

/**
 * The alias's value from the query string, percent-decoded, or undefined when the query does not give it. An alias
 * given twice is refused as a repeated system query option is (queryOptions.ts): which value was meant is unknown.
 * Chosen: OData's URL conventions do not say; Microsoft.OData.Core's ODataUriParser keeps the last
 * (QueryOptionUtils.GetParameterAliases) while its ODataQueryOptionParser fails on a repeat, and Graph's answer is
 * not documented.
 */
function aliasValue(originalUrl: string, alias: string): string | undefined {
  const query = originalUrl.includes('?') ? originalUrl.slice(originalUrl.indexOf('?') + 1) : '';
  let found: string | undefined;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || percentDecoded(pair.slice(0, eq)) !== alias) continue;
    if (found !== undefined) throw GraphError.of('badRequest', `Query option '${alias}' was specified more than once, but it must be specified at most once.`);
    const value = percentDecoded(pair.slice(eq + 1).replace(/\+/g, ' '));
    if (value === undefined) throw GraphError.of('badRequest', `The query string part '${pair}' is not valid percent-encoding.`);
    found = value.trim();
  }
  return found;
}

/** The member a literal names, checking its type when it is typed; undefined for text that is no enum literal. */
function member(text: string, parameter: EnumParameter): string | undefined {
  const literal = LITERAL.exec(text);
  if (literal === null) return undefined;
  const typeName = literal[1];
  if (typeName !== undefined) {
    const known = [`${GRAPH_NAMESPACE}.${parameter.type}`, `graph.${parameter.type}`].map((name) => name.toLowerCase());
    if (!known.includes(typeName.toLowerCase()))
      throw GraphError.of('badRequest', `The value ${text} of the parameter '${parameter.name}' is not of its type '${GRAPH_NAMESPACE}.${parameter.type}'.`);
  }
  return literal[2]!.replaceAll("''", "'");
}

/**
 * `(name = text)`: the name and the text between the `=` and the closing parenthesis, spaces around it left out;
 * undefined for anything else. Read in one pass: a pattern with a lazy group before the trailing spaces took time
 * quadratic in the call's length (some 100 ms for a 16 KiB request line, two seconds for a $batch of twenty).
 */
export function oneParameter(call: string): { name: string; text: string } | undefined {
  if (!call.endsWith(')')) return undefined;
  const head = PARAMETER_HEAD.exec(call);
  if (head === null || head[0].length > call.length - 1) return undefined;
  return { name: head[1]!, text: call.slice(head[0].length, -1).trimEnd() };
}

/**
 * The member the call's parenthesised text (percent-decoded, `(on='allowedRequestor')`) gives the parameter, or
 * undefined when it gives none; throws for an alias the query string does not give or a literal of another type.
 */
export function enumArgument(call: string, parameter: EnumParameter, originalUrl: string): string | undefined {
  const given = oneParameter(call);
  if (given === undefined || given.name !== parameter.name) return undefined;
  const text = given.text;
  if (!text.startsWith('@')) return member(text, parameter);
  const value = aliasValue(originalUrl, text);
  if (value === undefined)
    throw GraphError.of('badRequest', `The parameter alias '${text}' of the parameter '${parameter.name}' is given no value in the query string.`);
  return member(value, parameter);
}

/**
 * A one-parameter call's text (percent-decoded) as the routes read it, for matching it (faults/matchedPath.ts):
 * `(on='member')` for a string literal, typed (`microsoft.graph.t'member'`, `graph.t'member'`) or not, spaced or
 * not, or an alias `@p` the query string (`query`, as sent, without its `?`) gives once. Undefined for any other
 * text, which is matched as it is written: an alias without a query to read it from, a literal the routes refuse.
 */
export function normalizedCall(call: string, query: string | undefined): string | undefined {
  const given = oneParameter(call);
  if (given === undefined) return undefined;
  let text = given.text;
  if (text.startsWith('@')) {
    if (query === undefined) return undefined;
    try {
      text = aliasValue(`?${query}`, text) ?? '';
    } catch {
      return undefined;
    }
  }
  const literal = LITERAL.exec(text);
  const type = literal?.[1]?.toLowerCase();
  if (literal === null || (type !== undefined && !type.startsWith(`${GRAPH_NAMESPACE}.`) && !type.startsWith('graph.'))) return undefined;
  return `(${given.name}='${literal[2]}')`;
}
