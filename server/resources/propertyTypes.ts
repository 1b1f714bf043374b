// A property's type annotation (`"displayName@odata.type": "#String"`) in a resource of a request body (the body's
// entity, a complex value, a nested entity, a structured action parameter), checked against the property's declared
// type as Graph's OData reader checks it (Microsoft.OData.Core, with its default settings: ThrowIfTypeConflictsWithMetadata,
// EnablePrimitiveTypeConversion). The annotation's value is read first (typeNames.ts); then, by what the property is:
// - a navigation property: refused, with or without a value (ODataJsonPropertyAndValueDeserializer.
//   ReadEntityReferenceLinkForSingletonNavigationLinkInRequest and …LinksForCollection…);
// - a complex one: refused whatever it names, when the value is an object or null (ReadNonExpandedResourceNestedResourceInfo:
//   a complex value's type is its own `@odata.type`);
// - a collection of complex values: taken whatever it names (CreateCollectionResourceSet keeps it as the set's
//   TypeName, which the reader never checks);
// - a primitive, an enum or a collection of either, when the property has a value (ReadEntryDataProperty →
//   ReadNonEntityValue → ReaderValidationUtils.ResolvePayloadTypeNameAndComputeTargetType): a primitive property takes
//   a primitive type it can convert to its own (ResolveAndValidatePrimitiveTargetType, MetadataUtilsCommon.
//   CanConvertPrimitiveTypeTo: the same type, a narrower integer, Edm.Date for Edm.DateTimeOffset); an enum or a
//   collection, a type the model has (VerifyPayloadTypeDefined) of its kind (ValidationUtils.ValidateTypeKind) and its
//   very type (ResolveAndValidateTargetTypeStrictValidationEnabled).
// One without its property names no value to check (ReadNestedPropertyInfoWithoutValue).
import { ValidationError } from '../errors.js';
import { type CsdlModel, type CsdlProperty, allProperties, typeRef } from '../metadata/csdl.js';
import { type TypeKind, incompatible, incorrectKind, readTypeName, resolveTypeName, resolvedTypeName, unresolvedType } from './typeNames.js';

/** An entity or complex type of a version's model, with its properties (its base types' included) by name. */
export interface StructuredType {
  model: CsdlModel;
  name: string;
  properties: ReadonlyMap<string, CsdlProperty>;
  /** The structured type each property holds, by property name (CSDL names without namespace). */
  members: ReadonlyMap<string, string>;
  /** memberType's and valueType's answers, kept: a create's body is read on every request. */
  held: Map<string, StructuredType | undefined>;
  named: Map<string, StructuredType>;
}

const byModel = new WeakMap<CsdlModel, Map<string, StructuredType | undefined>>();

/** The model's entity or complex type `name` (`accessPackage`), read once per model; undefined for any other name. */
export function structuredType(model: CsdlModel, name: string): StructuredType | undefined {
  let types = byModel.get(model);
  if (types === undefined) {
    types = new Map();
    byModel.set(model, types);
  }
  if (types.has(name)) return types.get(name);
  const kind = model.types.get(name)?.kind;
  let type: StructuredType | undefined;
  if (kind === 'EntityType' || kind === 'ComplexType') {
    const properties = allProperties(model, name);
    const members = properties.flatMap((p) => {
      const target = typeRef(p.type).name;
      const targetKind = model.types.get(target)?.kind;
      return targetKind === 'EntityType' || targetKind === 'ComplexType' ? [[p.name, target] as const] : [];
    });
    type = { model, name, properties: new Map(properties.map((p) => [p.name, p])), members: new Map(members), held: new Map(), named: new Map() };
  }
  types.set(name, type);
  return type;
}

/** The structured type a property of `type` holds, for the walk into its value. */
export function memberType(type: StructuredType, property: string): StructuredType | undefined {
  if (type.held.has(property)) return type.held.get(property);
  const target = type.members.get(property);
  const held = target === undefined ? undefined : structuredType(type.model, target);
  // Only the type's own properties are kept, so that what a client names cannot grow the map.
  if (type.properties.has(property)) type.held.set(property, held);
  return held;
}

function derivesFrom(model: CsdlModel, name: string, base: string): boolean {
  const parent = model.types.get(name)?.baseType;
  return parent !== undefined && (parent === base || derivesFrom(model, parent, base));
}

/**
 * The type a value declared as `declared` is read as: the one its `@odata.type` names when that is `declared` or a
 * type derived from it; undefined when it names another, which the reader refuses before it reads a property (the
 * check of that is left where it is: bodyType.ts, the schemas).
 */
export function valueType(declared: StructuredType, value: Readonly<Record<string, unknown>>): StructuredType | undefined {
  const sent = value['@odata.type'];
  if (sent === undefined) return declared;
  if (typeof sent !== 'string') return undefined;
  const known = declared.named.get(sent);
  if (known !== undefined) return known;
  const name = resolvedTypeName(sent.startsWith('#') ? sent.slice(1) : sent, declared.name, declared.model.version);
  const type =
    name === declared.name
      ? declared
      : name !== undefined && derivesFrom(declared.model, name, declared.name)
        ? structuredType(declared.model, name)
        : undefined;
  // Only a name that resolves is kept: the model's names, each in a few spellings, bound the map.
  if (type !== undefined) declared.named.set(sent, type);
  return type;
}

const INTEGERS = ['Edm.SByte', 'Edm.Byte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64'];
const NUMBERS = ['Edm.Single', 'Edm.Double', 'Edm.Decimal'];

/** MetadataUtilsCommon.CanConvertPrimitiveTypeTo, for a type name that is no constant of a query. */
function convertible(from: string, to: string): boolean {
  if (from === to || to === 'Edm.PrimitiveType') return true;
  // An integer converts to a wider one (SByte and Byte, of one width, to Int16 and wider) and to any other number.
  const integer = INTEGERS.indexOf(from);
  if (integer >= 0) return INTEGERS.indexOf(to) > Math.max(integer, 1) || NUMBERS.includes(to);
  if (from === 'Edm.Single') return to === 'Edm.Double';
  if (from === 'Edm.Date') return to === 'Edm.DateTimeOffset';
  // A spatial type's base (Edm.Geography) takes the types derived from it (IEdmType.IsAssignableFrom).
  return (to === 'Edm.Geography' || to === 'Edm.Geometry') && from.startsWith(to);
}

/** Throws the reader's 400 when `sent`, the `odata.type` annotation of `object`'s `property`, is refused there. */
export function checkPropertyType(type: StructuredType, property: string, sent: unknown, object: Readonly<Record<string, unknown>>): void {
  const declared = type.properties.get(property);
  if (declared === undefined) return;
  const name = readTypeName(sent);
  if (declared.navigation)
    throw new ValidationError(
      `The navigation property '${property}' has a property annotation 'odata.type'. Navigation links in request payloads can only have the 'odata.bind' property annotation.`,
    );
  if (!Object.hasOwn(object, property)) return;
  const { name: target, collection } = typeRef(declared.type);
  const kind = type.model.types.get(target)?.kind;
  if (kind === 'EntityType' || kind === 'ComplexType') {
    // A value that is no object (nor null) is refused as such before the annotation is looked at
    // (ValidateExpandedNestedResourceInfoPropertyValue): left to the schema.
    const value = object[property];
    const resource = typeof value === 'object' && !Array.isArray(value);
    if (collection || !resource) return;
    throw new ValidationError(
      "A complex property with an 'odata.type' property annotation was found. Complex properties must not have the 'odata.type' property annotation, instead the 'odata.type' should be specified as an instance annotation in the complex value.",
    );
  }
  if (kind === undefined && !target.startsWith('Edm.')) return;
  const item = kind === undefined ? target : `microsoft.graph.${target}`;
  const expected: TypeKind = collection ? 'Collection' : kind === 'EnumType' ? 'Enum' : 'Primitive';
  const found = resolveTypeName(name, type.model);
  if (expected === 'Primitive') {
    if (found.kind !== 'Primitive') throw new ValidationError(incorrectKind(name, expected, found.kind));
    if (!convertible(found.full ?? name, item)) throw new ValidationError(incompatible(name, item));
    return;
  }
  if (found.full === undefined) throw new ValidationError(unresolvedType(name));
  if (found.kind !== expected) throw new ValidationError(incorrectKind(name, expected, found.kind));
  const full = collection ? `Collection(${item})` : item;
  if (found.full !== full) throw new ValidationError(incompatible(found.full, full));
}
