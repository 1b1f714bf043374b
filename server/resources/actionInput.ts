// What a request to a bound action may carry, read before its handler runs, for every action alike.
// - The body holds the action's parameters as the version's CSDL declares them (fixtures/csdl/, the document
//   GET /{version}/$metadata serves), so what is accepted is what $metadata says. Graph's OData parameter reader
//   (Microsoft.OData.Core) refuses a parameter the action does not declare, in the words below
//   (ODataParameterReaderCore_ParameterNameNotInMetadata), and a value it cannot convert to the parameter's type;
//   an odata instance annotation it knows is refused but `@odata.context` (refusedInstanceAnnotation), custom ones
//   (`@contoso.note`) and unknown odata ones are skipped as the reader skips them (skippedInParameters); a null for a
//   parameter declared Nullable="false" is refused in its words (checkParameter). No body is no parameters.
//   A body that is not a JSON object is entitlement management's 400 InvalidModel "Model is not valid.", as for a
//   create (chosen: not documented for actions).
// - The query string takes no system query option: an action answers all it has in one response, with nothing
//   to select, filter, sort or page (chosen: not documented). An unknown `$` option is refused as lists refuse it;
//   a known one, naming the operation; `$format` is let through as lists let it through.
//   https://learn.microsoft.com/graph/api/accesspackage-getapplicablepolicyrequirements?view=graph-rest-beta
import { GraphError } from '../graphErrors.js';
import { isGraphDateTime } from '../graphTime.js';
import { type ApiVersion, type CsdlModel, type CsdlProperty, allProperties, csdlModel, typeRef } from '../metadata/csdl.js';
import { readOptions } from '../odata/queryOptions.js';
import { checkBodyType } from './bodyType.js';
import { afterTheProperty, refusedValue, unexpectedAnnotation } from './instanceAnnotations.js';
import { checkPropertyType, structuredType, valueType } from './propertyTypes.js';
import { nullValueRefused } from './nullCollections.js';
import { KNOWN_ODATA_ANNOTATIONS } from './propertyAnnotations.js';
import type { Row } from './definition.js';
import { literalRefused, unknownProperty } from './validation.js';

/** The JSON values each Edm type of a parameter takes (null aside: whether one is allowed is the action's to say). */
const EDM_VALUES: Record<string, (value: unknown) => boolean> = {
  'Edm.String': (value) => typeof value === 'string',
  // As a create reads one (graphTime.ts): Date.parse alone takes '1' for a date.
  'Edm.DateTimeOffset': (value) => typeof value === 'string' && isGraphDateTime(value),
};

/**
 * Throws in Graph's words when the value cannot be read as the declared type, a structured one property by property;
 * `nullable` is the declaration's Nullable (a parameter's or a property's), which an enum value is checked against.
 */
function checkValue(name: string, value: unknown, type: string, model: CsdlModel, nullable: boolean): void {
  const { version } = model;
  const { name: typeName, collection } = typeRef(type);
  const csdlType = model.types.get(typeName);
  // An enum value (beta's subject.subjectLifecycle) names a member, and is null only where its property is nullable:
  // refused in the words a create's body gets for one (validation.ts; chosen: not documented for actions).
  if (csdlType?.kind === 'EnumType' && !collection) {
    const named = value === null ? nullable : typeof value === 'string' && csdlType.members.includes(value);
    if (!named) throw GraphError.of('badRequest', literalRefused(name, value, `microsoft.graph.${typeName}`));
    return;
  }
  if (value === null) return;
  const edm = EDM_VALUES[type];
  if (edm !== undefined) {
    if (!edm(value)) throw GraphError.of('badRequest', literalRefused(name, value, type));
    return;
  }
  // A collection or another primitive type (no action declares one yet) is left to the handler to read.
  if (collection || !['EntityType', 'ComplexType'].includes(csdlType?.kind ?? '')) return;
  const qualified = `microsoft.graph.${typeName}`;
  if (typeof value !== 'object' || Array.isArray(value)) throw GraphError.of('badRequest', literalRefused(name, value, qualified));
  // Its @odata.type names the parameter's type or one derived from it, as a create's body must (bodyType.ts).
  checkBodyType(value as Row, qualified, version);
  const properties = allProperties(model, typeName).filter((p) => !p.navigation);
  const declared = structuredType(model, typeName);
  const read = declared === undefined ? undefined : valueType(declared, value as Row);
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('@')) {
      // Its instance annotations too: the reader refuses `@odata.count`, an `@odata.etag` that is no string, … here.
      const refused = key.startsWith('@odata.') ? refusedValue(key.slice(1), inner) : undefined;
      if (refused !== undefined) throw GraphError.of('badRequest', refused);
      continue;
    }
    const at = key.indexOf('@');
    // A structured value is read by the resource reader, as a create's body is (instanceAnnotations.ts,
    // propertyAnnotations.ts): a property annotation in the odata namespace it does not know is skipped; a known or
    // a custom one names a property of the type, refused as that property when the type has none; a custom one after
    // its property is refused; a type annotation is read against its property's type (propertyTypes.ts); the rest
    // are read and left out.
    if (at > 0) {
      const annotation = key.slice(at + 1);
      const odata = annotation.startsWith('odata.');
      if (odata && !KNOWN_ODATA_ANNOTATIONS.has(annotation)) continue;
      const annotated = key.slice(0, at);
      if (!properties.some((p) => p.name === annotated)) throw GraphError.of('badRequest', unknownProperty(annotated, qualified));
      const keys = Object.keys(value);
      if (!odata && keys.includes(annotated) && keys.indexOf(annotated) < keys.indexOf(key)) {
        throw GraphError.of('badRequest', afterTheProperty(annotation, annotated));
      }
      if (annotation === 'odata.type' && read !== undefined) checkPropertyType(read, annotated, inner, value as Row);
      continue;
    }
    const property = properties.find((p) => p.name === key);
    if (property === undefined) throw GraphError.of('badRequest', unknownProperty(key, qualified));
    checkValue(key, inner, property.type, model, property.nullable);
  }
}

/**
 * Throws in Graph's words when a parameter's value is not one its declaration (as the CSDL reader gives it) takes: a
 * value of its type, and a null only where it is nullable. A null for a `Nullable="false"` parameter (moveToCatalog's
 * catalogId) is refused before its type is read, as the parameter reader validates every null value
 * (ReaderValidationUtils.ValidateNullValue), in the words it gives a property's (nullCollections.ts).
 */
export function checkParameter(parameter: CsdlProperty, value: unknown, model: CsdlModel): void {
  if (value === null && !parameter.nullable) throw GraphError.of('badRequest', nullValueRefused(parameter.name, parameter.type, false));
  checkValue(parameter.name, value, parameter.type, model, parameter.nullable);
}

/**
 * Whether the parameter reader skips a member of the parameters object, and throws its 400 for an annotation it
 * refuses: a custom instance annotation (`@contoso.note`) and a property annotation in the odata namespace it does
 * not know (`catalogId@odata.typo`) are skipped, as a resource's are; a known odata one annotating a parameter is
 * refused (its propertyAnnotationValueReader); a custom one is skipped when its parameter follows it, and refused
 * when the parameter is missing or comes first (ReadNextParameter: PropertyWithoutValue; the reordering reader keeps
 * a custom annotation after its parameter, which is then read). Microsoft.OData.Core ODataJsonParameterDeserializer.
 */
function skippedInParameters(body: Readonly<Record<string, unknown>>, name: string, index: number): boolean {
  const at = name.indexOf('@');
  if (at < 0) return false;
  if (at === 0) return true;
  const annotation = name.slice(at + 1);
  if (annotation.startsWith('odata.')) {
    if (!KNOWN_ODATA_ANNOTATIONS.has(annotation)) return true;
    throw GraphError.of(
      'badRequest',
      'An OData property annotation was found for a parameter payload; however, parameter payloads do not support OData property annotations.',
    );
  }
  const parameter = name.slice(0, at);
  const position = Object.hasOwn(body, parameter) ? Object.keys(body).indexOf(parameter) : -1;
  if (position > index) return true;
  throw GraphError.of(
    'badRequest',
    position < 0
      ? `One or more property annotations for property '${parameter}' were found in a parameter payload without the property to annotate. Parameter payloads must not contain property annotations for properties that are not in the payload.`
      : afterTheProperty(annotation, parameter),
  );
}

// The instance annotations the reader's reordering (ReorderingJsonReader) puts first, in its order, after
// `odata.context`; the other odata ones follow in the body's order, then the parameters.
const READ_FIRST = ['odata.removed', 'odata.type', 'odata.id', 'odata.etag'];

/**
 * The first odata instance annotation of the parameters object the reader refuses: every one it knows but
 * `odata.context` (ODataJsonParameterDeserializer.ReadNextParameter: "OData instance annotations are not supported in
 * parameter payloads"); `odata.context` is read at the payload's start (ODataJsonDeserializer.ReadPayloadStart), one
 * it does not know skipped (SkipOverUnknownODataAnnotation). Each comes before any parameter.
 */
function refusedInstanceAnnotation(body: Readonly<Row>): string | undefined {
  const first = READ_FIRST.find((name) => Object.hasOwn(body, `@${name}`));
  if (first !== undefined) return first;
  for (const key in body) {
    if (!key.startsWith('@odata.')) continue;
    const name = key.slice(1);
    if (name !== 'odata.context' && KNOWN_ODATA_ANNOTATIONS.has(name)) return name;
  }
  return undefined;
}

/** The action's parameters from the request body: an empty set for no body; throws on what the CSDL does not allow. */
export function actionParameters(body: unknown, action: string, version: ApiVersion): Row {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw GraphError.of('invalidModel');
  // `odata.context` is read first, before the annotations refusedInstanceAnnotation names: a string or null.
  const context = Object.hasOwn(body, '@odata.context') ? refusedValue('odata.context', (body as Row)['@odata.context']) : undefined;
  if (context !== undefined) throw GraphError.of('badRequest', context);
  const refused = refusedInstanceAnnotation(body as Row);
  if (refused !== undefined) throw GraphError.of('badRequest', unexpectedAnnotation(refused));
  const model = csdlModel(version);
  const declared = model.actions.get(action) ?? [];
  let index = -1;
  for (const [name, value] of Object.entries(body)) {
    index += 1;
    if (name.startsWith('@odata.') || skippedInParameters(body as Row, name, index)) continue;
    const parameter = declared.find((p) => p.name === name);
    if (parameter === undefined)
      throw GraphError.of('badRequest', `The parameter '${name}' in the request payload is not a valid parameter for the operation '${action}'.`);
    checkParameter(parameter, value, model);
  }
  return body as Row;
}

/** Throws when the URL carries a system query option. */
export function refuseQueryOptions(originalUrl: string, action: string): void {
  if (!originalUrl.includes('?')) return;
  const named = [...readOptions(originalUrl).values.keys()].find((name) => name !== 'format');
  if (named !== undefined) throw GraphError.of('badRequest', `The query parameter '$${named}' is not supported for the operation '${action}'.`);
}
