// $expand with nested options, as Graph's pages show it:
// `$expand=accessPackageResourceRoleScopes($expand=accessPackageResourceRole,accessPackageResourceScope)`,
// `$expand=accessPackageAssignmentPolicies($select=id,displayName)`. Each item names a navigation property of
// the type being read and may carry $select, $expand, $filter, $orderby and $top for what it reaches, separated
// by `;` (https://learn.microsoft.com/graph/query-parameters#expand-parameter,
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_SystemQueryOptionexpand).
import { GraphError } from '../graphErrors.js';
import type { EntityModel } from './entityModel.js';

/** What a read may name: the type's properties, and the navigation properties it may expand with where each leads. */
export interface ExpandScope {
  readonly model: EntityModel;
  /** By lower-cased name. */
  readonly expandable: ReadonlyMap<string, { readonly name: string; readonly scope: () => ExpandScope }>;
}

export interface ExpandItem {
  /** The navigation property, as the type spells it. */
  name: string;
  /** Nested options, raw (`$select` → `id,displayName`), for the target's own parser. */
  options: ReadonlyMap<string, string>;
  scope: ExpandScope;
  /** 1 for an item of the request's own $expand, one more for each $expand it is nested in. */
  depth: number;
}

// How deep $expand may nest. ASP.NET OData, which Graph's services are built on, refuses a path deeper than its
// MaxExpansionDepth (default 2) in the words below. Graph's entitlement-management pages expand at most 2 deep
// (`accessPackageResourceRoleScopes($expand=accessPackageResourceRole,accessPackageResourceScope)`,
// https://learn.microsoft.com/graph/api/accesspackage-list-accesspackageresourcerolescopes?view=graph-rest-beta);
// the service's own API (elm.iga.azure.com, whose types Graph's beta answers name: #Microsoft.IGAELM.…) answers
// 3, as ROADtools' roadrecon sends it:
// `accessPackageResourceRoleScopes($expand=accessPackageResourceRole($expand=accessPackageResource),accessPackageResourceScope)`.
// Chosen: 3, the deepest seen answered. What an expansion may cost at any depth is bounded by
// MAX_EXPANDED_JSON_CHARS (resources/expansionSize.ts).
const MAX_EXPAND_DEPTH = 3;

const NESTED = ['select', 'expand', 'filter', 'orderby', 'top'];

function badRequest(message: string): GraphError {
  return GraphError.of('badRequest', message);
}

/** Splits at `separator` outside parentheses and quotes. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth += 1;
    else if (!quoted && c === ')') depth -= 1;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw badRequest(`Syntax error: unbalanced parentheses in '${text}'.`);
  }
  if (depth !== 0 || quoted) throw badRequest(`Syntax error: unbalanced parentheses or quotes in '${text}'.`);
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function nestedOptions(clause: string, text: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const part of splitTopLevel(text, ';')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().replace(/^\$/, '').toLowerCase();
    if (!NESTED.includes(name))
      throw badRequest(`The query option '${part.slice(0, eq === -1 ? undefined : eq)}' is not supported inside $expand ('${clause}').`);
    if (options.has(name)) throw badRequest(`Query option '$${name}' was specified more than once in '${clause}'.`);
    options.set(name, eq === -1 ? '' : part.slice(eq + 1).trim());
  }
  return options;
}

function tooDeep(): GraphError {
  return badRequest(
    `The request includes a $expand path which is too deep. The maximum depth allowed is ${MAX_EXPAND_DEPTH}. To increase the limit, set the 'MaxExpansionDepth' property on EnableQueryAttribute or ODataValidationSettings.`,
  );
}

/** The items of an $expand value at `depth` (1: the request's own), each checked against the scope it expands from. */
export function parseExpand(value: string, scope: ExpandScope, depth = 1): ExpandItem[] {
  const seen = new Set<string>();
  const clauses = splitTopLevel(value, ',');
  if (clauses.length > 0 && depth > MAX_EXPAND_DEPTH) throw tooDeep();
  return clauses.map((clause) => {
    const match = /^([\w.]+)(?:\((.*)\))?$/s.exec(clause);
    if (!match) throw badRequest(`The $expand clause '${clause}' is not supported.`);
    const [, name, inner] = match;
    const target = scope.expandable.get(name!.toLowerCase());
    if (!target) {
      if (scope.model.navigation.some((n) => n.toLowerCase() === name!.toLowerCase())) {
        const allowed = [...scope.expandable.values()].map((e) => e.name);
        throw badRequest(
          `Expanding '${name}' is not supported; ${allowed.length > 0 ? `only ${allowed.join(', ')} can be expanded` : 'nothing can be expanded here'}.`,
        );
      }
      throw badRequest(`Could not find a property named '${name}' on type '${scope.model.typeName}'.`);
    }
    if (seen.has(target.name)) throw badRequest(`The navigation property '${target.name}' is expanded more than once.`);
    seen.add(target.name);
    return { name: target.name, options: nestedOptions(clause, inner ?? ''), scope: target.scope(), depth };
  });
}
