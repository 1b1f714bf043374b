// A collection-valued property sent as null in a request body (`"allowedRequestors": null`, a policy's
// `"questions": null`, a stage's `"primaryApprovers": null`), at the top of a create, a PATCH or a PUT or in any complex
// value or nested entity in it. Graph's OData reader (Microsoft.OData.Core) refuses it, whatever the CSDL's Nullable,
// which for a collection is its items' (EdmCollectionTypeReference): a collection is empty, never null
// (ReaderValidationUtils.ValidateNullValueAllowed, reached from ValidateExpandedNestedResourceInfoPropertyValue for a
// collection of complex values and from ReadNonEntityValue for one of primitives or enums). Its words are those of
// SRResources ReaderValidationUtils_NullNamedValueForNullableType (every such property of the model, no Nullable
// written) and …ForNonNullableType. A navigation property's null is the nested entities' check (validation.ts).
import { ValidationError } from '../errors.js';
import { typeRef } from '../metadata/csdl.js';
import type { StructuredType } from './propertyTypes.js';
import { NAMESPACE } from './typeNames.js';

/** Throws the reader's 400 when `property` of `type` is a structural collection, whose value was sent as null. */
export function refuseNullCollection(type: StructuredType, property: string): void {
  const declared = type.properties.get(property);
  if (declared === undefined || declared.navigation) return;
  const { name, collection } = typeRef(declared.type);
  if (!collection) return;
  const expected = `Collection(${name.startsWith('Edm.') ? name : `${NAMESPACE}${name}`})[Nullable=${declared.nullable ? 'True' : 'False'}]`;
  const why = declared.nullable ? 'cannot be null but it can have null values' : 'does not allow null values';
  throw new ValidationError(
    `A null value was found for the property named '${property}', which has the expected type '${expected}'. The expected type '${expected}' ${why}.`,
  );
}
