// Request validation against the JSON Schemas in fixtures/ (derived from the beta CSDL), the same files
// that drive json-schema-faker. Ajv does the checking; this module only turns its first error into
// Graph's wording. https://learn.microsoft.com/graph/api/resources/accesspackage?view=graph-rest-beta
import type { Ajv, ValidateFunction } from 'ajv';
import { COLLECTIONS, type ResourceName } from '../collections.js';
import { ValidationError } from '../errors.js';
import { type PropertySchema, type ResourceSchema, createAjv, firstProblem, readResourceSchema } from '../jsonSchema.js';
import { misplacedProperty } from './derivedTypes.js';
import { checkBodyType, checkNestedTypes } from './bodyType.js';
import { csdlModel, typeRef } from '../metadata/csdl.js';
import { invalidIdMessage } from './keys.js';
import { withPrimitiveStrings } from './primitiveStrings.js';
import { annotatedUnknownProperty } from './propertyAnnotations.js';
import { readAnnotations } from './instanceAnnotations.js';
import { type StructuredType, structuredType } from './propertyTypes.js';

export type { ResourceName };

export type { PropertySchema, ResourceSchema };

/** A stored type (beta, or the emulator's own), or a v1.0 type a v1.0 request body is checked against. */
export type SchemaName = ResourceName | `v1.0/${string}`;

export function loadSchema(resource: SchemaName): ResourceSchema & Record<string, unknown> {
  return readResourceSchema(resource);
}

export interface ResourceValidator {
  readonly schema: ResourceSchema;
  /**
   * The body as a record when it is valid; otherwise throws a ValidationError naming the first offending property in
   * Graph's words. `stored` checks a record of a data file, which may carry the emulator's internal links.
   */
  check(body: unknown, stored?: boolean): Record<string, unknown>;
  /** Stored property names (not navigation, not accepted-and-dropped), in schema order, internal links included. */
  readonly propertyNames: readonly string[];
}

const compiled = new Map<SchemaName, ResourceValidator>();

/** The process-wide validator of a resource: compiling one costs tens of milliseconds, so each is compiled once. */
export function validatorFor(resource: SchemaName): ResourceValidator {
  let validator = compiled.get(resource);
  if (!validator) {
    validator = createValidator(resource);
    compiled.set(resource, validator);
  }
  return validator;
}

export function createValidator(resource: SchemaName, ajv?: Ajv): ResourceValidator {
  const schema = loadSchema(resource);
  // Compiled on first use: ajv's code generation takes tens of milliseconds that start-up need not wait for.
  let compiled: ValidateFunction | undefined;
  const validator = (): ValidateFunction => (compiled ??= (ajv ?? createAjv()).compile(schema));
  const typeName = schema['x-odataType'];
  const version = resource.startsWith('v1.0/') ? 'v1.0' : 'beta';
  const entityName = typeName.replace(/^microsoft\.graph\./, '');
  // The entity's type in the version's model, once (null: the model has none), for readAnnotations.
  let entityType: StructuredType | null | undefined;
  const navigations = new Map(
    Object.entries(schema.properties).flatMap(([name, p]) => (p['x-navigation'] === undefined ? [] : [[name, p['x-navigation']] as const])),
  );
  // The entities a body may nest under a navigation property (a package's catalog, a policy's package, a role's
  // resource; a catalog's packages, a list), each read as its own type.
  const nestable = [...navigations].map(([name, type]): Nestable => {
    const { name: target, collection } = typeRef(type);
    return { property: name, schema: (version === 'v1.0' ? `v1.0/${target}` : target) as SchemaName, collection, type };
  });
  return {
    schema,
    propertyNames: Object.entries(schema.properties)
      .filter(([, p]) => p['x-navigation'] === undefined && p['x-ignored'] === undefined)
      .map(([name]) => name),
    check(body: unknown, stored = false): Record<string, unknown> {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new ValidationError(`The request body must be a JSON object representing a '${typeName}'.`);
      }
      // The emulator's own links are not properties of the Graph type: a client naming one names an unknown property.
      const internal = stored ? undefined : Object.keys(body).find((name) => schema.properties[name]?.['x-internal'] === true);
      if (internal !== undefined) throw new ValidationError(unknownProperty(internal, typeName));
      if (!stored) {
        const annotated = annotatedUnknownProperty(body as Record<string, unknown>, schema);
        if (annotated !== undefined) throw new ValidationError(unknownProperty(annotated, typeName));
        entityType ??= structuredType(csdlModel(version), entityName) ?? null;
        body = readAnnotations(body, true, entityType ?? undefined);
        checkBodyType(body as Record<string, unknown>, typeName, version);
        checkNestedTypes(body as Record<string, unknown>, navigations, version);
      }
      const validate = validator();
      if (!validate(body)) {
        // Only a body the schema refuses can hold a string sent for a Boolean or an Int32 (primitiveStrings.ts): the
        // conversion walks the body, and a valid body, nearly every one, need not pay for it.
        const converted = stored ? body : withPrimitiveStrings(schema, body as Record<string, unknown>);
        // The problem is the converted body's; the literal the message quotes is the one the client sent.
        if (converted === body || !validate(converted)) {
          throw new ValidationError(describe(validate.errors, schema, body as Record<string, unknown>));
        }
        body = converted;
      }
      const misplaced = stored ? undefined : misplacedProperty(schema, body as Record<string, unknown>);
      if (misplaced !== undefined) throw new ValidationError(unknownProperty(misplaced.property, misplaced.typeName));
      if (!stored) checkNestedEntities(body as Record<string, unknown>, nestable);
      return body as Record<string, unknown>;
    },
  };
}

/** The entity types the emulator stores, each with a schema in both versions. */
const STORED_TYPES = new Set<string>(Object.values(COLLECTIONS));

/** A navigation property a body may nest entities under, and the schema of their type. */
interface Nestable {
  property: string;
  schema: SchemaName;
  collection: boolean;
  /** As the CSDL writes it: `graph.accessPackage`, `Collection(graph.accessPackage)`. */
  type: string;
}

/**
 * Each entity a body nests under a navigation property, read against the property's type as the body is against its
 * own: Graph's OData reader reads a nested resource as it reads the top level, so a property its type does not have
 * or a value of the wrong type is the same 400 (`accessPackageCatalog: {"id": …, "displayName": 5}`). A
 * collection-valued one holds a list of entities (a deep insert, which the emulator does not store: these lists are
 * read-only); anything else there (`"accessPackages": "x"`, a list of strings) cannot be read as one: a 400 naming it.
 */
function checkNestedEntities(body: Readonly<Record<string, unknown>>, nestable: readonly Nestable[]): void {
  for (const { property, schema, collection, type } of nestable) {
    const value = body[property];
    if (value === undefined) continue;
    if (!collection) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) checkNestedEntity(schema, value as Record<string, unknown>);
      continue;
    }
    const entities = Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
    if (!entities) throw new ValidationError(literalRefused(property, value, type.replace(/(^|\()graph\./g, '$1microsoft.graph.')));
    // A type the emulator stores is read as its own; a group's or a question's (read where questions are kept) is not.
    if (STORED_TYPES.has(typeRef(type).name)) for (const item of value as Record<string, unknown>[]) checkNestedEntity(schema, item);
  }
}

/**
 * An entity a body nests, read against its type as the reader reads it. Its `id` is an Edm.String to the reader, so
 * one that is no GUID is no reason for a 400 here: it names no record, which the service answers (a catalog
 * InvalidModel, a role 404), as it answers an unknown GUID.
 */
export function checkNestedEntity(schema: SchemaName, value: Readonly<Record<string, unknown>>): void {
  if (typeof value['id'] !== 'string') {
    validatorFor(schema).check(value);
    return;
  }
  const { id: _id, ...rest } = value;
  validatorFor(schema).check(rest);
}

// The two ways a body fails its type, in Graph's words: an unknown property as the live service answers it (400,
// https://learn.microsoft.com/graph/errors), a wrong type as Graph's OData library words it (the create page's own
// example sends "Boolean": https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages?view=graph-rest-beta).
// Sources per message: docs/graph-fidelity.md#one-error-envelope.
function describe(errors: ValidateFunction['errors'], schema: ResourceSchema, body: Record<string, unknown>): string {
  const typeName = schema['x-odataType'];
  if (!errors?.length) return `The request body is not a valid '${typeName}'.`;
  const problem = firstProblem(errors);
  if (problem.unknownProperty !== undefined && problem.field === '') return unknownProperty(problem.unknownProperty, typeName);
  // An id that is a string but no GUID: said as a key that is no GUID is (keys.ts), not as a string that is no string.
  const id = body['id'];
  if (typeof id === 'string' && errors.some((e) => e.instancePath === '/id' && e.keyword === 'format')) {
    return invalidIdMessage(id, typeName.replace(/^microsoft\.graph\./, ''));
  }
  // A complex value naming a property its type does not have: Graph's reader names that type, as at the top level.
  const nested = errors.find((e) => e.keyword === 'additionalProperties' && e.instancePath !== '');
  if (nested !== undefined) {
    const type = complexTypeAt(schema, nested.instancePath, body);
    if (type !== undefined) return unknownProperty(String((nested.params as Record<string, unknown>)['additionalProperty']), type);
  }
  const declared = schema.properties[problem.property];
  // The CSDL's alias (`graph.privilegeLevel`) written as Graph's messages write types: `microsoft.graph.privilegeLevel`.
  const expected = (declared?.['x-edmType'] ?? declared?.['x-navigation'] ?? 'a valid value').replace(/(^|\()graph\./g, '$1microsoft.graph.');
  return literalRefused(problem.property, body[problem.property], expected);
}

/** Graph's words for a value of the wrong type: the literal as sent (a string unquoted) and the type it needed. */
export function literalRefused(property: string, literal: unknown, expected: string): string {
  // A number as JSON.parse read it (its text is gone): one past a double's range is Infinity, not JSON's null.
  const shown = typeof literal === 'string' ? literal : typeof literal === 'number' ? String(literal) : JSON.stringify(literal);
  return `Invalid value for property '${property}': cannot convert the literal '${shown}' to the expected type '${expected}'.`;
}

type Node = Record<string, unknown>;

/** The CSDL name of the complex value at a JSON pointer of the body: its @odata.type, else the declared type. */
function complexTypeAt(schema: ResourceSchema, pointer: string, body: Record<string, unknown>): string | undefined {
  const definitions = ((schema as unknown as Node)['definitions'] ?? {}) as Record<string, Node>;
  const resolve = (node: Node | undefined): Node | undefined => {
    const ref = (node?.['anyOf'] as Node[] | undefined)?.find((n) => typeof n['$ref'] === 'string')?.['$ref'] ?? node?.['$ref'];
    return typeof ref === 'string' ? resolve(definitions[ref.replace('#/definitions/', '')]) : node;
  };
  let node: Node | undefined = schema as unknown as Node;
  let value: unknown = body;
  let name: string | undefined;
  for (const segment of pointer.split('/').slice(1)) {
    const items: Node | undefined = (node?.['items'] as Node | undefined) ?? undefined;
    const next: Node | undefined = /^\d+$/.test(segment) ? items : (node?.['properties'] as Record<string, Node> | undefined)?.[segment];
    const ref = ((next?.['anyOf'] as Node[] | undefined)?.find((n) => typeof n['$ref'] === 'string')?.['$ref'] ?? next?.['$ref']) as string | undefined;
    if (ref !== undefined) name = ref.replace('#/definitions/', '');
    node = resolve(next);
    value = (value as Record<string, unknown> | undefined)?.[segment];
  }
  const odataType = (value as Record<string, unknown> | undefined)?.['@odata.type'];
  if (typeof odataType === 'string') return odataType.replace(/^#/, '');
  return name === undefined ? undefined : `microsoft.graph.${name}`;
}

export function unknownProperty(name: string, typeName: string): string {
  return `The property '${name}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type.`;
}
