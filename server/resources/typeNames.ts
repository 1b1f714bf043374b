// A type name a request body sends in an `odata.type` annotation, read and resolved as Graph's OData reader
// (Microsoft.OData.Core) reads and resolves it. The value is read as a string
// (ODataJsonPropertyAndValueDeserializer.ReadODataTypeAnnotationValue → JsonReaderExtensions.ReadStringValue), one `#`
// dropped (ReaderUtils.RemovePrefixOfTypeName) and a core type named without its namespace given it
// (ReaderUtils.AddEdmPrefixOfTypeName, EdmCoreModel.FindDeclaredType: `#String` is `Edm.String`,
// `#Collection(Int32)` is `Collection(Edm.Int32)`). The name is then resolved against the model
// (ReaderValidationUtils.ResolvePayloadTypeName → MetadataUtils.ResolveTypeName): a core type, a type of the
// namespace or its alias (`graph.x`, bodyType.ts), a collection of one; a name the model does not have is taken to be
// of the kind the reader assumes when it cannot tell, Complex, and so is an empty name.
import { ValidationError } from '../errors.js';
import { type ApiVersion, type CsdlModel, csdlModel } from '../metadata/csdl.js';

export const NAMESPACE = 'microsoft.graph.';
// The alias the CSDL gives the namespace (`<Schema Namespace="microsoft.graph" Alias="graph">`), which Graph's OData
// reader resolves in a type name as the namespace itself (Microsoft.OData.Edm ExtensionMethods.FindType →
// ReplaceAlias): `#graph.accessPackage` names `microsoft.graph.accessPackage`.
export const ALIAS = 'graph.';

/** An EdmTypeKind, as the reader's messages name it. */
export type TypeKind = 'Primitive' | 'Complex' | 'Entity' | 'Enum' | 'Collection' | 'Untyped' | 'Path';

const SPATIAL = ['', 'Point', 'LineString', 'Polygon', 'Collection', 'MultiPolygon', 'MultiLineString', 'MultiPoint'];
const PRIMITIVES = [
  ...['Binary', 'Boolean', 'Byte', 'Date', 'DateTimeOffset', 'Decimal', 'Double', 'Duration', 'Guid'],
  ...['Int16', 'Int32', 'Int64', 'SByte', 'Single', 'Stream', 'String', 'TimeOfDay', 'PrimitiveType'],
  ...SPATIAL.flatMap((shape) => [`Geography${shape}`, `Geometry${shape}`]),
];

/** The types of EdmCoreModel by their names without the `Edm.` namespace, and their kinds. */
const CORE: ReadonlyMap<string, TypeKind> = new Map<string, TypeKind>([
  ...PRIMITIVES.map((name) => [name, 'Primitive'] as const),
  ['ComplexType', 'Complex'],
  ['EntityType', 'Entity'],
  ['Untyped', 'Untyped'],
  ...['AnnotationPath', 'PropertyPath', 'NavigationPropertyPath'].map((name) => [name, 'Path'] as const),
]);

/** The kind of each kind of type of the CSDL excerpt. */
export const KINDS = { EntityType: 'Entity', ComplexType: 'Complex', EnumType: 'Enum' } as const;

/** A JSON value as .NET writes the primitive the reader read: `True`, `5`. */
export function shown(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
}

/** The reader's words for an object or an array where it reads a primitive value (JsonReaderExtensions.ReadNext). */
export function unexpectedNode(value: object): string {
  const node = Array.isArray(value) ? 'StartArray' : 'StartObject';
  return `An unexpected '${node}' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected.`;
}

/** A name in the namespace, or its alias, without it (`accessPackage`); undefined for a name in no such namespace. */
export function namespaced(name: string): string | undefined {
  if (name.startsWith(NAMESPACE)) return name.slice(NAMESPACE.length);
  return name.startsWith(ALIAS) ? name.slice(ALIAS.length) : undefined;
}

// The namespace of the beta back end's own model: the `@odata.type` a beta GET answers (outbound.ts), accepted when
// a client sends a body it read back (chosen: not documented).
export const BACK_END_NAMESPACE = 'Microsoft.IGAELM.EC.FrontEnd.ExternalModel.';

/**
 * The model's name (`accessPackage`) of a sent type name without its `#`, or undefined when the version's model has
 * no such type; `expected` is the name the back end's namespace may give (BACK_END_NAMESPACE).
 */
export function resolvedTypeName(name: string, expected: string, version: ApiVersion): string | undefined {
  if (version === 'beta' && name === `${BACK_END_NAMESPACE}${expected}`) return expected;
  const short = namespaced(name);
  return short !== undefined && csdlModel(version).types.has(short) ? short : undefined;
}

/** The reader's words for a type name the model does not have (ValidationUtils_UnrecognizedTypeName). */
export function unresolvedType(name: string): string {
  return `A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`;
}

/** The reader's words for a type of another kind than the one expected (ValidationUtils_IncorrectTypeKind). */
export function incorrectKind(name: string, expected: TypeKind, found: TypeKind): string {
  return `Incompatible type kinds were found. The type '${name}' was found to be of kind '${found}' instead of the expected kind '${expected}'.`;
}

/** The reader's words for a type of the kind expected that is not the one expected (ValidationUtils_IncompatibleType). */
export function incompatible(name: string, expected: string): string {
  return `A value was encountered that has a type name that is incompatible with the metadata. The value specified its type as '${name}', but the type specified in the metadata is '${expected}'.`;
}

/** A core type's full name (`String`, `Edm.String` → `Edm.String`); undefined for any other name. */
function coreName(name: string): string | undefined {
  const short = name.startsWith('Edm.') ? name.slice('Edm.'.length) : name;
  return CORE.has(short) ? `Edm.${short}` : undefined;
}

/** The item type's name of `Collection(…)` (EdmLibraryExtensions.GetCollectionItemTypeName); undefined for another. */
function itemName(name: string, nested = false): string | undefined {
  if (!name.startsWith('Collection(') || !name.endsWith(')') || name.length === 'Collection()'.length) return undefined;
  if (nested) throw new ValidationError('Nested collection instances are not allowed.');
  const item = name.slice('Collection('.length, -1);
  itemName(item, true);
  return item;
}

/** The type name an `odata.type` annotation's value gives, or the reader's 400 for a value it cannot read as one. */
export function readTypeName(value: unknown): string {
  if (typeof value !== 'string') {
    if (value === null)
      throw new ValidationError(
        "The 'odata.type' instance annotation value '' is not a valid type name. The value of the 'odata.type' instance annotation must be a non-empty string.",
      );
    if (typeof value === 'object') throw new ValidationError(unexpectedNode(value));
    throw new ValidationError(`Cannot read the value '${shown(value)}' as a quoted JSON string value.`);
  }
  const name = value.startsWith('#') ? value.slice(1) : value;
  const item = itemName(name);
  if (item === undefined) return coreName(name) ?? name;
  const core = coreName(item);
  return core === undefined ? name : `Collection(${core})`;
}

/** A read type name resolved: its kind, and its full name when the model has the type. */
export interface ResolvedType {
  kind: TypeKind;
  full?: string;
}

/** `name` (as readTypeName gives it) resolved against the version's model. */
export function resolveTypeName(name: string, model: CsdlModel): ResolvedType {
  const item = itemName(name);
  if (item !== undefined) {
    const { full } = resolveTypeName(item, model);
    return full === undefined ? { kind: 'Collection' } : { kind: 'Collection', full: `Collection(${full})` };
  }
  const core = name.startsWith('Edm.') ? CORE.get(name.slice('Edm.'.length)) : undefined;
  if (core !== undefined) return { kind: core, full: name };
  const short = namespaced(name);
  const type = short === undefined ? undefined : model.types.get(short);
  return type === undefined ? { kind: 'Complex' } : { kind: KINDS[type.kind], full: `${NAMESPACE}${type.name}` };
}
