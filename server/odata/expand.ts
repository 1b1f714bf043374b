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
}

const NESTED = ['select', 'expand', 'filter', 'orderby', 'top'];

function badRequest(message: string): GraphError {
  return GraphError.of('badRequest', message);
}

/** Splits at `separator` outside parentheses and quotes. */
export function splitTopLevel(text: string, separator: string): string[] {
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

/** The items of an $expand value, each checked against the scope it expands from. */
export function parseExpand(value: string, scope: ExpandScope): ExpandItem[] {
  const seen = new Set<string>();
  return splitTopLevel(value, ',').map((clause) => {
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
    return { name: target.name, options: nestedOptions(clause, inner ?? ''), scope: target.scope() };
  });
}
