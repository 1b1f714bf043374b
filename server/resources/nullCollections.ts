// A collection-valued property sent as null in a request body (`"allowedRequestors": null`, a policy's
// `"questions": null`, a stage's `"primaryApprovers": null`), at the top of a create, a PATCH or a PUT or in any complex
// value or nested entity in it. Graph's OData reader (Microsoft.OData.Core) refuses it, whatever the CSDL's Nullable,
// which for a collection is its items' (EdmCollectionTypeReference): a collection is empty, never null
// (ReaderValidationUtils.ValidateNullValueAllowed, reached from ValidateExpandedNestedResourceInfoPropertyValue for a
// collection of complex values and from ReadNonEntityValue for one of primitives or enums). Its words are those of
// SRResources ReaderValidationUtils_NullNamedValueForNullableType (every such property of the model, no Nullable
// written) and …ForNonNullableType. A navigation property's null is the nested entities' check (validation.ts).
// The same words refuse a null for a bound action's parameter declared Nullable="false" (actionInput.ts), as the
// parameter reader checks its values with the same ValidateNullValue.
import { ValidationError } from '../errors.js';
import { typeRef } from '../metadata/csdl.js';
import type { StructuredType } from './propertyTypes.js';
import { NAMESPACE } from './typeNames.js';

/** The reader's name of a declared type with its Nullable: `Edm.String[Nullable=False]`, `Collection(microsoft.graph.x)[Nullable=True]`. */
function expectedType(type: string, nullable: boolean): string {
  const { name, collection } = typeRef(type);
  const full = name.startsWith('Edm.') ? name : `${NAMESPACE}${name}`;
  return `${collection ? `Collection(${full})` : full}[Nullable=${nullable ? 'True' : 'False'}]`;
}

/**
 * The reader's words for a null that `type` does not take: …ForNonNullableType, or for a collection whose items may be
 * null (`nullable`) …ForNullableType.
 */
export function nullValueRefused(property: string, type: string, nullable: boolean): string {
  const expected = expectedType(type, nullable);
  const why = nullable ? 'cannot be null but it can have null values' : 'does not allow null values';
  return `A null value was found for the property named '${property}', which has the expected type '${expected}'. The expected type '${expected}' ${why}.`;
}

/** Throws the reader's 400 when `property` of `type` is a structural collection, whose value was sent as null. */
export function refuseNullCollection(type: StructuredType, property: string): void {
  const declared = type.properties.get(property);
  if (declared === undefined || declared.navigation || !typeRef(declared.type).collection) return;
  throw new ValidationError(nullValueRefused(property, declared.type, declared.nullable));
}
