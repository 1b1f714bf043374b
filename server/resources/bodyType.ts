// The `@odata.type` a request body gives the entity it sends. Graph's OData reader resolves it against the model and
// refuses a name the model does not have, and a type that is neither the entity's nor one derived from it, in
// these words (Microsoft.OData.Core: ValidationUtils_UnrecognizedTypeName, ..._ResourceTypeNotAssignableToExpectedType).
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta (its example
// sends "#microsoft.graph.accessPackage")
import { ValidationError } from '../errors.js';
import { type ApiVersion, csdlModel, derivedTypes, typeRef } from '../metadata/csdl.js';

const NAMESPACE = 'microsoft.graph.';
// The namespace of the beta back end's own model: the `@odata.type` a beta GET answers (outbound.ts), accepted when
// a client sends a body it read back (chosen: not documented).
const BACK_END_NAMESPACE = 'Microsoft.IGAELM.EC.FrontEnd.ExternalModel.';

// The alias the CSDL gives the namespace (`<Schema Namespace="microsoft.graph" Alias="graph">`), which Graph's OData
// reader resolves in a type name as the namespace itself (Microsoft.OData.Edm ExtensionMethods.FindType →
// ReplaceAlias): `#graph.accessPackage` names `microsoft.graph.accessPackage`.
const ALIAS = 'graph.';

/**
 * The model's name (`accessPackage`) of a sent type name without its `#`, or undefined when the version's model has
 * no such type; `expected` is the name the back end's namespace may give (BACK_END_NAMESPACE).
 */
export function resolvedTypeName(name: string, expected: string, version: ApiVersion): string | undefined {
  if (version === 'beta' && name === `${BACK_END_NAMESPACE}${expected}`) return expected;
  const prefix = name.startsWith(NAMESPACE) ? NAMESPACE : name.startsWith(ALIAS) ? ALIAS : undefined;
  if (prefix === undefined) return undefined;
  const short = name.slice(prefix.length);
  return csdlModel(version).types.has(short) ? short : undefined;
}

/** The reader's words for a type name the model does not have (ValidationUtils_UnrecognizedTypeName). */
export function unresolvedType(name: string): string {
  return `A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`;
}

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
 * Throws Graph's 400 when a body's `@odata.type` (with or without '#', with the namespace or its alias) does not name `typeName` (`microsoft.graph.x`)
 * or a type derived from it in the version's model. A body without one is the entity's type.
 */
export function checkBodyType(body: Readonly<Record<string, unknown>>, typeName: string, version: ApiVersion): void {
  if (!Object.hasOwn(body, '@odata.type')) return;
  const sent = body['@odata.type'];
  // A value that is no string names no type (chosen: its JSON text is quoted as the name).
  const name = typeof sent === 'string' ? sent.replace(/^#/, '') : JSON.stringify(sent);
  const expected = typeName.startsWith(NAMESPACE) ? typeName.slice(NAMESPACE.length) : typeName;
  const found = typeof sent === 'string' ? resolvedTypeName(name, expected, version) : undefined;
  if (found === undefined) throw new ValidationError(unresolvedType(name));
  if (found === expected || derivedTypes(csdlModel(version), expected).some((type) => type.name === found)) return;
  throw new ValidationError(
    `A resource with type '${NAMESPACE}${found}' was found, but it is not assignable to the expected type '${typeName}'. The type specified in the resource must be equal to either the expected type or a derived type.`,
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
