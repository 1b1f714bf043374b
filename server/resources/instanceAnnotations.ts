// The instance annotations (`@odata.x` members) a request body's objects may carry, as Graph's OData reader reads a
// resource, the entity and each complex value or nested entity in it alike (Microsoft.OData.Core,
// ODataJsonResourceDeserializer.ReadEntryInstanceAnnotation): `odata.type`, `odata.id`, `odata.etag`, the links and
// the media annotations are read, each as a string (`odata.id` may be null), and `odata.context`, which the reader
// reads at the start of the payload and of a nested resource (ODataJsonReader.ReadResourceStart), is left as it was
// (a GET's answer may be nested whole); any other annotation the reader knows (`odata.bind`, `odata.count`,
// `odata.nextLink`, …) has no place in a resource and is refused (ODataAnnotationNames.
// ValidateIsCustomAnnotationName). One the reader does not know (`@odata.typo`) it skips, as the emulator does.
// The messages are the reader's (SRResources: ODataJsonPropertyAndValueDeserializer_UnexpectedAnnotationProperties,
// JsonReaderExtensions_CannotReadPropertyValueAsString, ODataJsonReaderUtils_AnnotationWithNullValue,
// JsonReaderExtensions_UnexpectedNodeDetected).
import { KNOWN_ODATA_ANNOTATIONS } from './propertyAnnotations.js';

/** Read as a string; `nullable`: a null is read too. `odata.type` is checked with the entity's type (bodyType.ts). */
const READ: ReadonlyMap<string, { nullable: boolean }> = new Map([
  ['odata.id', { nullable: true }],
  ['odata.etag', { nullable: false }],
  ['odata.editLink', { nullable: false }],
  ['odata.readLink', { nullable: false }],
  ['odata.mediaEditLink', { nullable: false }],
  ['odata.mediaReadLink', { nullable: false }],
  ['odata.mediaContentType', { nullable: false }],
  ['odata.mediaEtag', { nullable: false }],
]);

/** Known to the reader, and no annotation of a resource. */
const REFUSED = new Set([...KNOWN_ODATA_ANNOTATIONS].filter((name) => !READ.has(name) && name !== 'odata.type' && name !== 'odata.context'));

/** A value as .NET writes the primitive the reader read: `True`, `5`. */
function shown(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
}

/** Why the reader refuses one instance annotation's value, or undefined. */
function refusedValue(name: string, value: unknown): string | undefined {
  if (REFUSED.has(name)) {
    return `The annotation '${name}' was found. This annotation is either not recognized or not expected at the current position.`;
  }
  const read = READ.get(name);
  if (read === undefined || typeof value === 'string') return undefined;
  if (typeof value === 'object' && value !== null) {
    const node = Array.isArray(value) ? 'StartArray' : 'StartObject';
    return `An unexpected '${node}' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected.`;
  }
  if (value === null) {
    return read.nullable
      ? undefined
      : `The '${name}' instance or property annotation has a null value. In OData, the '${name}' instance or property annotation must have a non-null string value.`;
  }
  return `Cannot read the value '${shown(value)}' for the property '${name}' as a quoted JSON string value.`;
}

/**
 * The reader's message for the first instance annotation of the body, or of an object nested in it (a complex value,
 * an item of a collection, a nested entity), that it refuses; undefined when it reads them all. An annotation's own
 * value is no resource and is not looked into.
 */
export function refusedInstanceAnnotation(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const refused = refusedInstanceAnnotation(item);
      if (refused !== undefined) return refused;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, member] of Object.entries(value)) {
    const at = key.indexOf('@');
    if (at === 0 && key.startsWith('@odata.')) {
      const refused = refusedValue(key.slice(1), member);
      if (refused !== undefined) return refused;
      continue;
    }
    if (at > 0) continue;
    const refused = refusedInstanceAnnotation(member);
    if (refused !== undefined) return refused;
  }
  return undefined;
}
