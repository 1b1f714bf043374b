// What the query options of a read may name, per API version: the structural properties of the version's
// CSDL type (with their Edm types, for $filter), which of them Graph filters and sorts on, and its navigation
// properties. $filter may also name the paths Graph documents for a type (`accessPackageResource/id` on roles),
// each read from the stored property that holds it.
import type { EntityModel, EnumType, PropertyInfo } from '../odata/entityModel.js';
import type { FilterNode } from '../odata/filterParser.js';
import { type ApiVersion, type CsdlModel, allProperties, csdlModel, typeRef } from '../metadata/csdl.js';

const enumsByModel = new WeakMap<CsdlModel, ReadonlyMap<string, EnumType>>();

/** The excerpt's enum types by lower-cased qualified name, read once per excerpt. */
function enumTypesOf(csdl: CsdlModel): ReadonlyMap<string, EnumType> {
  let enums = enumsByModel.get(csdl);
  if (!enums) {
    const found = new Map<string, EnumType>();
    for (const type of csdl.types.values()) {
      if (type.kind !== 'EnumType') continue;
      const name = `microsoft.graph.${type.name}`;
      found.set(name.toLowerCase(), { name, members: new Map(type.members.map((m, i) => [m, type.memberValues[i]!])) });
    }
    enums = found;
    enumsByModel.set(csdl, enums);
  }
  return enums;
}

export function csdlEntityModel(version: ApiVersion, typeName: string, queryable: readonly string[], collection: string): EntityModel {
  const properties = new Map<string, PropertyInfo>();
  const navigation: string[] = [];
  const csdl = csdlModel(version);
  const enumTypes = enumTypesOf(csdl);
  for (const property of allProperties(csdl, typeName)) {
    if (property.navigation) {
      navigation.push(property.name);
      continue;
    }
    const { name, collection: many } = typeRef(property.type);
    // An enum keeps its own type, as Graph's OData library binds it: a string literal compared with it must name
    // a member, and the string functions refuse it (filterEnums.ts).
    const enumType = many ? undefined : enumTypes.get(`microsoft.graph.${name}`.toLowerCase());
    const edmType = many ? property.type : name.startsWith('Edm.') ? name : (enumType?.name ?? `graph.${name}`);
    const info: PropertyInfo = { name: property.name, edmType, queryable: queryable.includes(property.name) };
    properties.set(property.name.toLowerCase(), enumType ? { ...info, enumType } : info);
  }
  return { typeName: `microsoft.graph.${typeName}`, collection, properties, navigation, enumTypes };
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
