// The instance annotations (`@odata.x` members) a request body's objects may carry, as Graph's OData reader reads a
// resource, the entity and each complex value or nested entity in it alike (Microsoft.OData.Core,
// ODataJsonResourceDeserializer.ReadEntryInstanceAnnotation): `odata.type`, `odata.id`, `odata.etag`, the links and
// the media annotations are read, each as a string (`odata.id` may be null), and `odata.context`, which the reader
// reads at the start of the payload and of a nested resource (ODataJsonReader.ReadResourceStart), as a string or
// null whose fragment a request's reader does not check (refusedContext; a GET's answer may be nested whole); of those a nested value keeps its `odata.type` alone, as Graph answers no
// other in a complex value; any other annotation the reader knows (`odata.bind`, `odata.count`,
// `odata.nextLink`, …) has no place in a resource and is refused (ODataAnnotationNames.
// ValidateIsCustomAnnotationName). One the reader does not know (`@odata.typo`) it skips, as the emulator does;
// custom annotations (`@contoso.note`, `displayName@contoso.x`) it skips too, and the emulator leaves them out.
// The messages are the reader's (SRResources: ODataJsonPropertyAndValueDeserializer_UnexpectedAnnotationProperties,
// JsonReaderExtensions_CannotReadPropertyValueAsString, ODataJsonReaderUtils_AnnotationWithNullValue,
// JsonReaderExtensions_UnexpectedNodeDetected).
import { ValidationError } from '../errors.js';
import { aliasResolved, checkBodyType } from './bodyType.js';
import { refuseNullCollection } from './nullCollections.js';
import { KNOWN_ODATA_ANNOTATIONS } from './propertyAnnotations.js';
import { type StructuredType, checkPropertyType, memberType, valueType } from './propertyTypes.js';
import { NAMESPACE, shown, unexpectedNode } from './typeNames.js';

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

/**
 * Why the reader refuses one instance annotation (`odata.count`, an `odata.etag` that is no string) of a resource, or
 * of a structured action parameter, which it reads as one (actionInput.ts); undefined when it reads or skips it.
 */
export function refusedValue(name: string, value: unknown): string | undefined {
  if (REFUSED.has(name)) return unexpectedAnnotation(name);
  if (name === 'odata.context') return refusedContext(value);
  const read = READ.get(name);
  if (read === undefined || typeof value === 'string') return undefined;
  if (typeof value === 'object' && value !== null) return unexpectedNode(value);
  if (value === null) {
    return read.nullable
      ? undefined
      : `The '${name}' instance or property annotation has a null value. In OData, the '${name}' instance or property annotation must have a non-null string value.`;
  }
  return `Cannot read the value '${shown(value)}' for the property '${name}' as a quoted JSON string value.`;
}

/**
 * Why the reader refuses an `@odata.context`: it reads one first in each object, wherever it was sent (its reordering
 * reader moves it there), as a string or null (ODataJsonDeserializer.ReadContextUriAnnotation → JsonReaderExtensions.
 * ReadStringValue, whose words differ from the other annotations'), and in a request takes any string: a relative one is
 * resolved against the service root and its fragment, which names what the payload is, is not parsed
 * (ODataJsonContextUriParser.Parse, needParseFragment only when reading a response). So a context URL copied from
 * another answer is taken, as it is here.
 */
function refusedContext(value: unknown): string | undefined {
  if (typeof value === 'string' || value === null) return undefined;
  if (typeof value === 'object') return unexpectedNode(value);
  return `Cannot read the value '${shown(value)}' as a quoted JSON string value.`;
}

/** The reader's words for an odata annotation it knows where it takes none (UnexpectedAnnotationProperties). */
export function unexpectedAnnotation(name: string): string {
  return `The annotation '${name}' was found. This annotation is either not recognized or not expected at the current position.`;
}

/** The reader's words for a property annotation that comes after its property (PropertyAnnotationAfterTheProperty). */
export function afterTheProperty(annotation: string, property: string): string {
  return `An annotation with name '${annotation}' for property '${property}' was detected after the property, or after an annotation for another property. In OData, annotations for a property must be in a single group and must appear before the property they annotate.`;
}

/**
 * Whether the reader skips a member: a custom instance annotation (`@contoso.note`, any name outside the odata
 * namespace: the reader includes none unless told to, ODataMessageReaderSettings.ShouldIncludeAnnotation), or a
 * property annotation that is custom (`displayName@contoso.x`) or in the odata namespace but unknown to it
 * (`displayName@odata.typo`, ODataJsonDeserializer.SkipOverUnknownODataAnnotation). Throws the reader's 400 for a
 * custom property annotation after its property: its reordering reader (ReorderingJsonReader, for a body not sent
 * as odata.streaming) moves an odata one before the property and keeps a custom one where it was, which then finds
 * the property read (PropertyAndAnnotationCollector.CheckIfPropertyOpenForAnnotations). A nested value's
 * `x@odata.type` of a property it has is left out too, once checked (readAnnotations; the top level's are kept for the schema).
 * `top`: the body's own level, whose custom annotations annotatedUnknownProperty has matched with its type's
 * properties; below it, one of a property the value's type (`type`, when the model has it) declares is skipped, and
 * one whose property the type does not have is kept, for the schema to refuse as it is named.
 */
function skipped(object: Readonly<Record<string, unknown>>, key: string, at: number, index: number, top: boolean, type?: StructuredType): boolean {
  if (at === 0) return !key.startsWith('@odata.');
  const name = key.slice(at + 1);
  const property = key.slice(0, at);
  // A nested value's property typed by its annotation (`"allowedRequestors@odata.type": "#Collection(…userSet)"`) is
  // read by the reader as the top level's are (checked in readAnnotations); the property itself is checked, the
  // annotation not kept.
  if (name === 'odata.type') return !top && Object.hasOwn(object, property);
  if (name.startsWith('odata.')) return !KNOWN_ODATA_ANNOTATIONS.has(name);
  // One of a property the value's type declares and the value leaves out is skipped, as at the top.
  if (!Object.hasOwn(object, property)) return top || (type?.properties.has(property) ?? false);
  if (Object.keys(object).indexOf(property) < index) throw new ValidationError(afterTheProperty(name, property));
  return true;
}

/**
 * The body as Graph's OData reader reads its annotations, in the walk that checks them: the first instance
 * annotation of the body, or of an object nested in it (a complex value, an item of a collection, a nested entity),
 * that the reader refuses is a ValidationError in its words, and so is a property's `odata.type` annotation the
 * reader refuses for the property's declared type (propertyTypes.ts), and so is a collection-valued property sent as
 * null (nullCollections.ts); the members it skips (skipped above) and a
 * nested object's instance annotations but its type are left out, in a copy of each object that had one (the body
 * itself when none had). An annotation's own value is no resource and is not looked into. `declared`: the type the value is declared as, when the model has it (the body's entity,
 * then each structured property's); an object whose `@odata.type` names another is not checked below it.
 */
export function readAnnotations(value: unknown, top = true, declared?: StructuredType): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const read = readAnnotations(item, false, declared);
      if (read === item) return;
      copy ??= [...value];
      copy[index] = read;
    });
    return copy ?? value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  const type = declared === undefined ? undefined : valueType(declared, object);
  // A complex value whose type is none the reader takes is refused before any of its properties is read, in the
  // words of a body's own type (a nested entity's is checked with the body's: checkNestedTypes).
  if (type === undefined && declared !== undefined && declared.model.types.get(declared.name)?.kind === 'ComplexType') {
    checkBodyType(object, `${NAMESPACE}${declared.name}`, declared.model.version);
  }
  let copy: Record<string, unknown> | undefined;
  let index = -1;
  for (const [key, member] of Object.entries(object)) {
    index += 1;
    const at = key.indexOf('@');
    if (at > 0 && type !== undefined && key.slice(at + 1) === 'odata.type') {
      const property = key.slice(0, at);
      checkPropertyType(type, property, member, object);
      // One of a property the type declares is read whether the value holds the property or not (the reader reads a
      // property without a value: ReadNestedPropertyInfoWithoutValue), and left out below the top.
      if (!top && type.properties.has(property)) {
        copy ??= { ...object };
        delete copy[key];
        continue;
      }
    }
    if (at >= 0 && skipped(object, key, at, index, top, type)) {
      copy ??= { ...object };
      delete copy[key];
      continue;
    }
    if (at === 0) {
      const refused = refusedValue(key.slice(1), member);
      if (refused !== undefined) throw new ValidationError(refused);
      if (top) continue;
      // A nested value's other annotations (`@odata.id`, `@odata.etag`, a link, `@odata.context`) the reader reads
      // into the nested resource's metadata, which the service keeps nowhere: Graph answers none of them in a
      // complex value. Its type, which says which derived type it is, is kept as Graph writes it: the code that
      // reads a complex value by its type (derived types, a policy's requestors) knows the one name (bodyType.ts).
      const full = key === '@odata.type' && typeof member === 'string' ? aliasResolved(member) : undefined;
      if (key === '@odata.type' && full === undefined) continue;
      copy ??= { ...object };
      if (full === undefined) delete copy[key];
      else copy[key] = full;
      continue;
    }
    if (at > 0) continue;
    // The reader reads the properties in order: a null collection is refused where it comes (nullCollections.ts).
    if (member === null && type !== undefined) refuseNullCollection(type, key);
    const inner = type !== undefined && typeof member === 'object' && member !== null ? memberType(type, key) : undefined;
    const read = readAnnotations(member, false, inner);
    if (read === member) continue;
    copy ??= { ...object };
    copy[key] = read;
  }
  return copy ?? value;
}
