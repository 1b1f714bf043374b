// A complex value's properties against the type it names. The resource schemas let a type with derived types
// (userSet, accessPackageQuestion) carry the properties of each; a value is the one its @odata.type names (the
// declared type when it names none) and has that type's properties and its base types' only, as Graph's OData
// reader reads it: a singleUser with managerLevel is refused as a made-up property is.
// https://learn.microsoft.com/graph/api/resources/userset?view=graph-rest-beta (the derived types and their properties)
// Only request bodies are held to this: a record an earlier version stored with such a value still loads.
import type { JsonSchema } from '../jsonSchema.js';

type Node = Record<string, unknown>;

/** A property of a complex value that the type the value names does not have. */
interface MisplacedProperty {
  property: string;
  typeName: string;
}

/** A property's complex type: the definition its schema refers to (`$ref`, a nullable `anyOf`, array items) and its CSDL name. */
interface Declared {
  definition: Node;
  typeName: string;
}

function declaredType(schema: Node | undefined, definitions: Record<string, Node>): Declared | undefined {
  const target = (schema?.['items'] as Node | undefined) ?? schema;
  const ref = (target?.['anyOf'] as Node[] | undefined)?.find((n) => typeof n['$ref'] === 'string')?.['$ref'] ?? target?.['$ref'];
  if (typeof ref !== 'string') return undefined;
  const name = ref.replace('#/definitions/', '');
  const definition = definitions[name];
  return definition === undefined ? undefined : { definition, typeName: `microsoft.graph.${name}` };
}

/** The first misplaced property of the properties of an object (a body, or a complex value of type `declared`). */
function inProperties(
  value: Node,
  properties: Record<string, Node>,
  definitions: Record<string, Node>,
  allowed?: readonly string[],
  typeName = '',
): MisplacedProperty | undefined {
  for (const [name, child] of Object.entries(value)) {
    if (name.startsWith('@odata.')) continue;
    if (allowed !== undefined && !allowed.includes(name)) return { property: name, typeName };
    const declared = declaredType(properties[name], definitions);
    const found = declared === undefined ? undefined : inValue(child, declared, definitions);
    if (found) return found;
  }
  return undefined;
}

function inValue(value: unknown, declared: Declared, definitions: Record<string, Node>): MisplacedProperty | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = inValue(item, declared, definitions);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const node = value as Node;
  const { definition } = declared;
  const typeProperties = definition['x-typeProperties'] as Record<string, readonly string[]> | undefined;
  const odataType = node['@odata.type'];
  const typeName = typeof odataType === 'string' ? odataType.replace(/^#/, '') : declared.typeName;
  const properties = (definition['properties'] ?? {}) as Record<string, Node>;
  return inProperties(node, properties, definitions, typeProperties?.[typeName], typeName);
}

/**
 * The first property, anywhere in a body that already passed its schema, that the complex type its value names does
 * not have; undefined when there is none.
 */
export function misplacedProperty(schema: JsonSchema, body: Record<string, unknown>): MisplacedProperty | undefined {
  const definitions = (schema['definitions'] ?? {}) as Record<string, Node>;
  if (Object.keys(definitions).length === 0) return undefined;
  return inProperties(body, (schema['properties'] ?? {}) as Record<string, Node>, definitions);
}
