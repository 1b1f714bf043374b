// What the query options of a read may name, per API version: the structural properties of the version's
// CSDL type (with their Edm types, for $filter), which of them Graph filters and sorts on, and its navigation
// properties. $filter may also name the paths Graph documents for a type (`accessPackageResource/id` on roles),
// each read from the stored property that holds it.
import type { EntityModel, PropertyInfo } from '../odata/entityModel.js';
import type { FilterNode } from '../odata/filterParser.js';
import { type ApiVersion, allProperties, csdlModel, typeRef } from '../metadata/csdl.js';

export function csdlEntityModel(version: ApiVersion, typeName: string, queryable: readonly string[], collection: string): EntityModel {
  const properties = new Map<string, PropertyInfo>();
  const navigation: string[] = [];
  const csdl = csdlModel(version);
  for (const property of allProperties(csdl, typeName)) {
    if (property.navigation) {
      navigation.push(property.name);
      continue;
    }
    const { name, collection: many } = typeRef(property.type);
    // An enum compares with a string literal in $filter (`state eq 'published'`), as OData allows.
    const isEnum = csdl.types.get(name)?.kind === 'EnumType';
    const edmType = many ? property.type : name.startsWith('Edm.') ? name : isEnum ? 'Edm.String' : `graph.${name}`;
    properties.set(property.name.toLowerCase(), { name: property.name, edmType, queryable: queryable.includes(property.name) });
  }
  return { typeName: `microsoft.graph.${typeName}`, collection, properties, navigation };
}

// The filter compiler refuses paths by their `/`; a documented path is renamed with a `.` before it compiles.
const alias = (path: string) => path.replace(/\//g, '.').toLowerCase();

/** The model $filter reads: the type's, plus its documented paths, each reading its stored property. */
export function withFilterPaths(model: EntityModel, paths: Readonly<Record<string, string>> = {}): EntityModel {
  if (Object.keys(paths).length === 0) return model;
  const properties = new Map(model.properties);
  for (const [path, stored] of Object.entries(paths)) properties.set(alias(path), { name: stored, edmType: 'Edm.String', queryable: true });
  return { ...model, properties };
}

/** The parsed $filter with the documented paths renamed as the model of withFilterPaths knows them. */
export function renameFilterPaths(node: FilterNode, paths: Readonly<Record<string, string>> = {}): FilterNode {
  switch (node.kind) {
    case 'property':
      return node.name.includes('/') && Object.keys(paths).some((p) => p.toLowerCase() === node.name.toLowerCase())
        ? { ...node, name: alias(node.name) }
        : node;
    case 'binary':
      return { ...node, left: renameFilterPaths(node.left, paths), right: renameFilterPaths(node.right, paths) };
    case 'not':
      return { ...node, operand: renameFilterPaths(node.operand, paths) };
    case 'call':
      return { ...node, args: node.args.map((a) => renameFilterPaths(a, paths)) };
    default:
      return node;
  }
}
