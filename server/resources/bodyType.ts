// The `@odata.type` a request body gives the entity it sends (or a structured action parameter). Graph's OData reader
// reads it as a type name (typeNames.ts), resolves it against the model and refuses a name the model does not have, a
// type of another kind (a complex type, a primitive, a collection) and a type of its kind that is neither the
// expected one nor one derived from it, in these words (Microsoft.OData.Core: ODataReaderCore.
// ApplyResourceTypeNameFromPayload → ReaderValidationUtils.ResolveAndValidateNonPrimitiveTargetType:
// ValidationUtils_UnrecognizedTypeName, _IncorrectTypeKind, _ResourceTypeNotAssignableToExpectedType for an entity,
// _IncompatibleType for a complex value).
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta (its example
// sends "#microsoft.graph.accessPackage")
import { ValidationError } from '../errors.js';
import { type ApiVersion, csdlModel, derivedTypes, typeRef } from '../metadata/csdl.js';
import { structuredType, valueType } from './propertyTypes.js';
import {
  ALIAS,
  BACK_END_NAMESPACE,
  KINDS,
  NAMESPACE,
  type ResolvedType,
  incompatible,
  incorrectKind,
  readTypeName,
  resolveTypeName,
  unresolvedType,
} from './typeNames.js';

/**
 * A nested value's `@odata.type` written with the alias (`#graph.singleUser`, `graph.singleUser`) as Graph writes the
 * type (`#microsoft.graph.singleUser`), when a version's model has it; undefined for any other name, left as sent (a
 * name no model has is refused as before, in the words that quote it as sent).
 */
export function aliasResolved(sent: string): string | undefined {
  const name = sent.startsWith('#') ? sent.slice(1) : sent;
  if (!name.startsWith(ALIAS)) return undefined;
  const short = name.slice(ALIAS.length);
  return csdlModel('beta').types.has(short) || csdlModel('v1.0').types.has(short) ? `#${NAMESPACE}${short}` : undefined;
}

/**
 * Throws Graph's 400 when a body's `@odata.type` (with or without '#', with the namespace or its alias) does not name
 * `typeName` (`microsoft.graph.x`, an entity or a complex type) or a type derived from it in the version's model. A
 * body without one is of the expected type.
 */
export function checkBodyType(body: Readonly<Record<string, unknown>>, typeName: string, version: ApiVersion): void {
  if (!Object.hasOwn(body, '@odata.type')) return;
  const expected = typeName.startsWith(NAMESPACE) ? typeName.slice(NAMESPACE.length) : typeName;
  const model = csdlModel(version);
  // The type or one derived from it, as readAnnotations found (and kept) it: the common case, read once per name.
  const declared = structuredType(model, expected);
  if (declared !== undefined && valueType(declared, body) !== undefined) return;
  const name = readTypeName(body['@odata.type']);
  const kind = KINDS[model.types.get(expected)?.kind ?? 'EntityType'];
  const backEnd = version === 'beta' && name === `${BACK_END_NAMESPACE}${expected}`;
  const found: ResolvedType = backEnd ? { kind, full: typeName } : resolveTypeName(name, model);
  if (found.full === undefined) throw new ValidationError(unresolvedType(name));
  if (found.kind !== kind) throw new ValidationError(incorrectKind(name, kind, found.kind));
  const short = found.full.slice(NAMESPACE.length);
  if (short === expected || derivedTypes(model, expected).some((type) => type.name === short)) return;
  if (kind === 'Complex') throw new ValidationError(incompatible(found.full, typeName));
  throw new ValidationError(
    `A resource with type '${found.full}' was found, but it is not assignable to the expected type '${typeName}'. The type specified in the resource must be equal to either the expected type or a derived type.`,
  );
}

/**
 * checkBodyType for each entity the body nests under a navigation property (`accessPackageCatalog: {id}`, v1.0's
 * `catalog`, a policy's `accessPackage`), against the property's declared type: Graph's reader resolves a nested
 * resource's `@odata.type` as it does the body's own. `navigations` maps a property to its CSDL type.
 */
export function checkNestedTypes(body: Readonly<Record<string, unknown>>, navigations: ReadonlyMap<string, string>, version: ApiVersion): void {
  for (const [property, type] of navigations) {
    const value = body[property];
    const { name } = typeRef(type);
    for (const entity of Array.isArray(value) ? value : [value]) {
      if (typeof entity === 'object' && entity !== null && !Array.isArray(entity))
        checkBodyType(entity as Record<string, unknown>, `${NAMESPACE}${name}`, version);
    }
  }
}
