// What the query options may name: the structural properties of a resource, read from its JSON Schema
// (derived from the CSDL), and which of them Graph lets a client filter and sort on.
import { GraphError } from '../graphErrors.js';
import type { ResourceSchema } from '../jsonSchema.js';

export interface PropertyInfo {
  name: string;
  /** Edm type from the CSDL, e.g. Edm.String, Edm.Boolean, Edm.DateTimeOffset; an enum's qualified name. */
  edmType: string;
  /** Usable in $filter and $orderby. */
  queryable: boolean;
  /** Set when the property's type is an enum: its members, for $filter (filterEnums.ts). */
  enumType?: EnumType;
}

/** An enum type as $filter reads it. */
export interface EnumType {
  /** Qualified as Graph's OData library names it in messages, e.g. microsoft.graph.accessPackageCatalogState. */
  name: string;
  /** Each member's value by its name. */
  members: ReadonlyMap<string, number>;
}

export interface EntityModel {
  /** e.g. microsoft.graph.accessPackage, as Graph names the type in its messages. */
  typeName: string;
  /** Structural properties by lower-cased name: Graph matches property names case-insensitively. */
  properties: ReadonlyMap<string, PropertyInfo>;
  /** The collection's name in URLs and messages, e.g. accessPackages. */
  collection: string;
  /** Navigation property names (never stored inline). */
  navigation: readonly string[];
  /** The schema's enum types by lower-cased qualified name, for the literals that name one (`ns.type'member'`). */
  enumTypes?: ReadonlyMap<string, EnumType>;
}

/** The model of a resource's collection; `queryable` lists the properties usable in $filter and $orderby. */
export function entityModel(schema: ResourceSchema, queryable: readonly string[], collection: string): EntityModel {
  const properties = new Map<string, PropertyInfo>();
  const navigation: string[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    if (property['x-navigation'] !== undefined) navigation.push(name);
    else properties.set(name.toLowerCase(), { name, edmType: property['x-edmType'] ?? 'Edm.String', queryable: queryable.includes(name) });
  }
  return { typeName: schema['x-odataType'], collection, properties, navigation };
}

/** The property a query names, or a 400 in the wording of Graph's OData library. */
export function propertyNamed(model: EntityModel, name: string, kind: 'badRequest' | 'invalidFilter'): PropertyInfo {
  const found = model.properties.get(name.toLowerCase());
  if (found) return found;
  const message = `Could not find a property named '${name}' on type '${model.typeName}'.`;
  throw GraphError.of(kind, kind === 'invalidFilter' ? `OData query is invalid: ${message}` : message);
}
