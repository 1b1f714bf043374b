// A property annotation (`accessPackageCatalog@odata.bind`, `displayName@odata.type`) annotates a property of the
// entity's type. Graph's OData reader (Microsoft.OData.Core, ODataJsonResourceDeserializer.ReadPropertyWithoutValue)
// looks the annotated property up in the model before it reads what the annotation says, so one naming a property
// the type does not have is refused as that property itself is: "The property 'catalog' does not exist on type
// 'microsoft.graph.accessPackage'. …". An annotation in the odata namespace the reader does not know
// (`foo@odata.typo`) is skipped by it, property and all (ODataJsonDeserializer.SkipOverUnknownODataAnnotation);
// a custom one (`foo@contoso.x`) is skipped once the property is looked up (ReadODataOrCustomInstanceAnnotationValue,
// then ReadPropertyWithoutValue when no value follows): the known and the custom ones name a property here. So v1.0's `catalog@odata.bind` on a beta package, or beta's
// `accessPackageCatalog@odata.bind` on a v1.0 one, names no catalog: a 400, not a package put in General.
import type { ResourceSchema } from '../jsonSchema.js';

/** The odata annotations Microsoft.OData.Core knows (ODataAnnotationNames.KnownODataAnnotationNames). */
export const KNOWN_ODATA_ANNOTATIONS: ReadonlySet<string> = new Set([
  'odata.context',
  'odata.type',
  'odata.id',
  'odata.etag',
  'odata.editLink',
  'odata.readLink',
  'odata.mediaEditLink',
  'odata.mediaReadLink',
  'odata.mediaContentType',
  'odata.mediaEtag',
  'odata.count',
  'odata.nextLink',
  'odata.bind',
  'odata.associationLink',
  'odata.navigationLink',
  'odata.deltaLink',
  'odata.removed',
  'odata.delta',
  'odata.null',
]);

/**
 * The first property a body's known odata or custom property annotations name that the type does not have (nor declares as a
 * navigation property); the emulator's own stored links (x-internal) are no properties of the type.
 */
export function annotatedUnknownProperty(body: Readonly<Record<string, unknown>>, schema: ResourceSchema): string | undefined {
  for (const key in body) {
    const at = key.indexOf('@');
    // `@odata.type` is an instance annotation: it annotates the entity, not a property. An odata one the reader does
    // not know it skips, property and all; a custom one it skips once it has found the property.
    if (at <= 0) continue;
    const name = key.slice(at + 1);
    if (name.startsWith('odata.') && !KNOWN_ODATA_ANNOTATIONS.has(name)) continue;
    const property = key.slice(0, at);
    const declared = Object.hasOwn(schema.properties, property) ? schema.properties[property] : undefined;
    if (declared === undefined || declared['x-internal'] === true) return property;
  }
  return undefined;
}
