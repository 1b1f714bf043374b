// The resource JSON Schemas (fixtures/*.schema.json, fixtures/v1.0/*.schema.json) derived from the CSDL
// excerpts and the hints beside them (fixtures/csdl/hints.json): Edm types become JSON types, complex types
// become definitions (a type with derived types accepts the properties of each, named by @odata.type), and
// the hints add what the CSDL does not say (read-only, defaults, generator hints, internal links).
// `npm run schemas` writes them; tests/unit/schemas.test.ts checks the committed files are current.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonSchema } from '../jsonSchema.js';
import { FIXTURES_DIR } from '../paths.js';
import { type ApiVersion, type CsdlModel, type CsdlProperty, allProperties, csdlModel, derivedTypes, typeRef } from './csdl.js';

interface TypeHints {
  properties?: Record<string, JsonSchema>;
  /** Stored, never shown: links to the parent record. */
  internal?: Record<string, JsonSchema>;
  /**
   * Accepted in request bodies and dropped, with the reason; `collectionOf` names the entity type of a collection-valued
   * navigation property of the live model that the excerpt leaves out (a policy's custom extension settings).
   */
  accepted?: Record<string, string | { reason: string; collectionOf: string }>;
}

/**
 * An accepted property's schema: any value, but for a collection-valued navigation property a list of entities, as
 * Graph's reader reads one (a deep insert: `"x"`, `null` or a list of strings is a 400, as for the navigation
 * properties the excerpt has, resources/validation.ts).
 */
function acceptedSchema(hint: string | { reason: string; collectionOf: string }): JsonSchema {
  if (typeof hint === 'string') return { 'x-ignored': hint };
  return { 'x-ignored': hint.reason, 'x-edmType': `Collection(${hint.collectionOf})`, type: 'array', items: { type: 'object' } };
}

interface SchemaHints {
  beta: Record<string, TypeHints>;
  'v1.0': Record<string, TypeHints>;
  internalTypes: Record<string, { description: string; properties: Record<string, JsonSchema> }>;
  /** Per version, the navigation properties of complex types a client sends inline, as `Type.property`. */
  inlineNavigations: Record<ApiVersion, string[]>;
}

function readHints(): SchemaHints {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'csdl', 'hints.json'), 'utf8')) as SchemaHints;
}

const INT32 = { minimum: -2147483648, maximum: 2147483647 };

function primitive(edm: string): JsonSchema {
  switch (edm) {
    case 'Edm.Boolean':
      return { type: 'boolean' };
    case 'Edm.Int32':
      return { type: 'integer', ...INT32 };
    case 'Edm.Int64':
      return { type: 'integer' };
    case 'Edm.Double':
      return { type: 'number' };
    case 'Edm.DateTimeOffset':
      return { type: 'string', format: 'date-time' };
    case 'Edm.Duration':
      // jsonSchema.ts's `duration`: ISO 8601 as Edm.Duration writes it, within what .NET's TimeSpan holds.
      return { type: 'string', format: 'duration' };
    case 'Edm.Date':
      // jsonSchema.ts's `date`: a day of the calendar as Graph's OData library reads an Edm.Date.
      return { type: 'string', format: 'date' };
    case 'Edm.Guid':
      return { type: 'string', format: 'uuid' };
    default:
      return { type: 'string' };
  }
}

function nullable(schema: JsonSchema): JsonSchema {
  if (schema['$ref'] !== undefined) return { anyOf: [{ type: 'null' }, schema] };
  const enumValues = schema['enum'] as unknown[] | undefined;
  return { ...schema, type: [schema['type'] as string, 'null'], ...(enumValues ? { enum: [...enumValues, null] } : {}) };
}

/** Builds one schema's definitions while it walks the types its properties name. */
class SchemaWriter {
  readonly definitions: Record<string, JsonSchema> = {};

  constructor(
    private readonly model: CsdlModel,
    /** `Type.property` of each navigation property of a complex type sent inline (SchemaHints.inlineNavigations). */
    private readonly inline: ReadonlySet<string> = new Set(),
  ) {}

  /** The JSON Schema of a value of a CSDL type reference, null allowed unless the CSDL forbids it. */
  value(property: Pick<CsdlProperty, 'type' | 'nullable'>): JsonSchema {
    const { name, collection } = typeRef(property.type);
    const item = name.startsWith('Edm.') ? primitive(name) : this.named(name);
    if (collection) return { type: ['array', 'null'], items: item };
    return property.nullable ? nullable(item) : item;
  }

  private named(name: string): JsonSchema {
    const type = this.model.types.get(name);
    if (!type) throw new Error(`The ${this.model.version} CSDL excerpt names '${name}' but does not define it.`);
    if (type.kind === 'EnumType') return { type: 'string', enum: type.members };
    if (this.definitions[name] === undefined) {
      this.definitions[name] = {};
      this.definitions[name] = this.complex(name);
    }
    return { $ref: `#/definitions/${name}` };
  }

  /**
   * A complex type with the properties of its derived types too; @odata.type names which one a value is. With
   * derived types, `x-typeProperties` lists each one's own and inherited properties: a value whose @odata.type names
   * one may carry only those (resources/derivedTypes.ts checks request bodies against it).
   */
  private complex(name: string): JsonSchema {
    const type = this.model.types.get(name)!;
    const derived = derivedTypes(this.model, name);
    const variants = [type, ...derived].filter((t) => !t.abstract);
    const properties: Record<string, JsonSchema> = {};
    const typeProperties: Record<string, string[]> = {};
    for (const variant of [type, ...derived]) {
      // A navigation property of a complex type is taken only where the hints name it as sent inline (v1.0's
      // resource attribute question, as example 5 of
      // https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests?view=graph-rest-1.0 sends
      // it); any other (a request requirements object's questions) is never part of a value a client sends.
      const own = allProperties(this.model, variant.name).filter((property) => !property.navigation || this.inline.has(`${variant.name}.${property.name}`));
      for (const property of own) properties[property.name] ??= this.value(property);
      if (!variant.abstract) typeProperties[`microsoft.graph.${variant.name}`] = own.map((property) => property.name);
    }
    const names = variants.flatMap((t) => [`#microsoft.graph.${t.name}`, `microsoft.graph.${t.name}`]);
    properties['@odata.type'] = { type: 'string', enum: names };
    return {
      type: 'object',
      properties,
      patternProperties: { '^@odata\\.': {} },
      additionalProperties: false,
      ...(type.abstract ? { required: ['@odata.type'] } : {}),
      ...(derived.length > 0 ? { 'x-typeProperties': typeProperties } : {}),
    };
  }
}

function schemaId(version: ApiVersion | 'internal', name: string): string {
  return `https://graph-emulator.local/schemas/${version === 'beta' || version === 'internal' ? '' : `${version}/`}${name}.json`;
}

const ENVELOPE = { type: 'object' } as const;
const ANNOTATIONS = { '^@odata\\.': {}, '@odata\\.(bind|type|id|etag|context)$': {} };

/** The schema of one entity type of a version, hints applied. */
function entitySchema(version: ApiVersion, name: string, hints: TypeHints, inline: readonly string[], model = csdlModel(version)): JsonSchema {
  const writer = new SchemaWriter(model, new Set(inline));
  const properties: Record<string, JsonSchema> = {};
  for (const property of allProperties(model, name)) {
    const hint = hints.properties?.[property.name] ?? {};
    if (property.navigation) {
      // A contained collection the hints mark x-inline (v1.0's policy questions) is sent inline in a create or PUT
      // body, as OData's deep insert does, its entities checked as complex values are.
      const inline = hint['x-inline'] === true ? writer.value(property) : {};
      properties[property.name] = {
        'x-navigation': property.type,
        ...(typeRef(property.type).collection ? inline : { type: ['object', 'null'] }),
        ...hint,
      };
      continue;
    }
    const base = property.name === 'id' ? { type: 'string' } : writer.value(property);
    const edmType = typeRef(property.type).name;
    properties[property.name] = { ...base, 'x-edmType': edmType.startsWith('Edm.') ? edmType : property.type, ...hint };
  }
  for (const [internal, schema] of Object.entries(hints.internal ?? {})) properties[internal] = { ...schema, readOnly: true, 'x-internal': true };
  for (const [accepted, hint] of Object.entries(hints.accepted ?? {})) properties[accepted] = acceptedSchema(hint);
  const derivation = `Generated by \`npm run schemas\` from the ${version} CSDL excerpt (fixtures/csdl/${version}.xml) and fixtures/csdl/hints.json: edit those, not this file.`;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: schemaId(version, name),
    title: `microsoft.graph.${name}`,
    description: `${version} ${name}. ${derivation} Navigation properties carry x-navigation and are never stored inline; x-internal properties are stored links a client never sees; x-ignored ones are accepted in a body and dropped; x-fake names the generator of a value (server/tenantData/fakers.ts).`,
    'x-odataType': `microsoft.graph.${name}`,
    ...ENVELOPE,
    properties,
    patternProperties: ANNOTATIONS,
    additionalProperties: false,
    ...(Object.keys(writer.definitions).length > 0 ? { definitions: sortedKeys(writer.definitions) } : {}),
  };
}

/** A stored type the emulator keeps for itself (no CSDL counterpart). */
function internalSchema(name: string, spec: SchemaHints['internalTypes'][string]): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: schemaId('internal', name),
    title: name,
    description: `${spec.description} Generated by \`npm run schemas\` from fixtures/csdl/hints.json.`,
    'x-odataType': name,
    ...ENVELOPE,
    properties: spec.properties,
    additionalProperties: false,
  };
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every schema file, path relative to fixtures/ → content. */
export function allSchemaFiles(hints = readHints()): Map<string, JsonSchema> {
  const files = new Map<string, JsonSchema>();
  for (const [name, typeHints] of Object.entries(hints.beta))
    files.set(`${name}.schema.json`, entitySchema('beta', name, typeHints, hints.inlineNavigations.beta));
  for (const [name, typeHints] of Object.entries(hints['v1.0']))
    files.set(`v1.0/${name}.schema.json`, entitySchema('v1.0', name, typeHints, hints.inlineNavigations['v1.0']));
  for (const [name, spec] of Object.entries(hints.internalTypes)) files.set(`${name}.schema.json`, internalSchema(name, spec));
  return files;
}
