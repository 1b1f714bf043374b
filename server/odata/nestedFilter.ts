// A $filter nested in an $expand item, bound when the query is read against the type the item reaches, so that
// a bad one is refused whatever the records: Graph's OData library (Microsoft.OData.Core) binds every nested
// $filter against its target type, where an unknown property or a syntax error is a 400
// (https://learn.microsoft.com/graph/query-parameters#expand-parameter).
import type { EntityModel } from './entityModel.js';
import { compileFilter } from './filterCompile.js';
import { type FilterNode, parseFilter } from './filterParser.js';

/** True when the filter names a path through a navigation property of the type (`accessPackageResource/id`). */
function throughNavigation(node: FilterNode, model: EntityModel): boolean {
  switch (node.kind) {
    case 'property': {
      const head = node.name.split('/')[0]!.toLowerCase();
      return node.name.includes('/') && model.navigation.some((n) => n.toLowerCase() === head);
    }
    case 'binary':
      return throughNavigation(node.left, model) || throughNavigation(node.right, model);
    case 'not':
      return throughNavigation(node.operand, model);
    case 'call':
      return node.args.some((a) => throughNavigation(a, model));
    default:
      return false;
  }
}

/**
 * A nested $filter bound against the type it reaches: a syntax error is a 400 BadRequest, an unknown property or
 * a type mismatch a 400 InvalidFilter, as at the top level. A path through a navigation property may be one the
 * type documents (ofResource.ts), which only its view knows: render.ts binds those before it reads a record.
 */
export function checkedFilter(text: string, model: EntityModel): string {
  const tree = parseFilter(text);
  if (!throughNavigation(tree, model)) compileFilter(tree, model);
  return text;
}
