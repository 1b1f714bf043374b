// The one Ajv setup and the one reading of its errors, for every JSON Schema the emulator checks: the
// resource schemas (request bodies, fixtures), the faults schema and the config-file schema.
import type { Ajv, ErrorObject, Options } from 'ajv';
import type ajvErrorsModule from 'ajv-errors';
import type addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FIXTURES_DIR } from './paths.js';
import { isGraphDate, isGraphDateTime, isGraphDuration } from './graphTime.js';

// Ajv is loaded on the first schema compiled, not on import: the container healthcheck reads the config
// (whose file schema is checked here) and must not pay for Ajv's load. The packages are CommonJS. Its plugins are
// loaded with it, from the same copy: a plugin writes code with Ajv's code generator, and one loaded from another
// copy would write with names Ajv does not recognise.
// In the command line's bundle (CommonJS, where `require` is Node's) the three are bundled, and these calls run
// their code with no file read: loaded from node_modules on the first write, a load that met a full descriptor
// table (EMFILE) failed for good, Node keeping their package.json as missing, and every later write was a 500.
// From the sources and the library's ES modules (no `require`), they come from node_modules.
const load: (id: 'ajv' | 'ajv-formats' | 'ajv-errors') => unknown =
  typeof require === 'function'
    ? (id) => (id === 'ajv' ? require('ajv') : id === 'ajv-formats' ? require('ajv-formats') : require('ajv-errors'))
    : createRequire(import.meta.url);
let loaded: { Ajv: typeof Ajv; addFormats: typeof addFormatsModule.default; addErrorMessages: typeof ajvErrorsModule.default } | undefined;

function ajvModules(): NonNullable<typeof loaded> {
  loaded ??= {
    Ajv: (load('ajv') as { Ajv: typeof Ajv }).Ajv,
    // ajv-formats and ajv-errors have a default export; from CommonJS the callable sits on `.default`.
    addFormats: (load('ajv-formats') as { default: typeof addFormatsModule.default }).default,
    addErrorMessages: (load('ajv-errors') as { default: typeof ajvErrorsModule.default }).default,
  };
  return loaded;
}

export type JsonSchema = { [keyword: string]: unknown };

/** A resource schema, fixtures/<type>.schema.json: JSON Schema with the CSDL's facts as annotations. */
export interface PropertySchema {
  type?: string | string[];
  format?: string;
  readOnly?: boolean;
  default?: unknown;
  'x-edmType'?: string;
  'x-navigation'?: string;
  'x-settableOnCreate'?: boolean;
  /** Which realistic value generator fills this property in generated fixtures. */
  'x-fake'?: string;
  /** Stored by the emulator (a link to a parent record), never accepted from a client nor shown to one. */
  'x-internal'?: boolean;
  /** Accepted in a request body and dropped; the value says why. */
  'x-ignored'?: string;
  /** A contained navigation a create or PUT body may send inline (deep insert), checked as its schema says. */
  'x-inline'?: boolean;
}

export interface ResourceSchema {
  title: string;
  'x-odataType': string;
  properties: Record<string, PropertySchema>;
}

/** A resource schema by its type name (`accessPackage`, `v1.0/accessPackage`): fixtures/<name>.schema.json. */
export function readResourceSchema(name: string): ResourceSchema & Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, `${name}.schema.json`), 'utf8')) as ResourceSchema & Record<string, unknown>;
}

/** Annotation keywords of fixtures/*.schema.json: CSDL facts and generator hints, not constraints. */
const ANNOTATIONS = [
  ['x-edmType', 'string'],
  ['x-odataType', 'string'],
  ['x-navigation', 'string'],
  ['x-settableOnCreate', 'boolean'],
  ['x-fake', 'string'],
  ['x-internal', 'boolean'],
  ['x-ignored', 'string'],
  ['x-inline', 'boolean'],
  ['x-typeProperties', 'object'],
] as const;

interface AjvOptions extends Pick<Options, 'allErrors' | 'strictRequired' | 'validateSchema'> {
  /** ajv-errors' `errorMessage` keyword (it needs `allErrors`). */
  errorMessages?: boolean;
}

/**
 * Strict Ajv (unknown keywords are schema bugs) with the formats and annotation keywords the schemas use.
 * Schemas are not checked against JSON Schema's meta-schema here (`validateSchema`): every schema the emulator
 * compiles is its own, and a test checks each against it (jsonSchema.test.ts). Compiling the meta-schema cost each
 * instance 12–18 ms, paid by the first write of each resource, the first fault rule and every healthcheck's reading
 * of a config file; strict mode still refuses an unknown keyword or a bad type name when a schema is compiled.
 */
export function createAjv({ errorMessages = false, validateSchema = false, ...options }: AjvOptions = {}): Ajv {
  const { Ajv: AjvClass, addFormats, addErrorMessages } = ajvModules();
  const ajv = new AjvClass({ strict: true, allowUnionTypes: true, validateSchema, ...options });
  addFormats(ajv, ['uuid']);
  // Graph's DateTimeOffset, not JSON Schema's date-time (which takes a space for the T and second 60).
  ajv.addFormat('date-time', isGraphDateTime);
  ajv.addFormat('duration', isGraphDuration);
  ajv.addFormat('date', isGraphDate);
  if (errorMessages) addErrorMessages(ajv);
  for (const [keyword, schemaType] of ANNOTATIONS) ajv.addKeyword({ keyword, schemaType });
  return ajv;
}

/** The first thing wrong with a value, as a reader of the input names it. */
export interface SchemaProblem {
  /** `rules[2].latency.min`, `port`, or '' for the whole value. */
  field: string;
  /** The top-level property the problem is in ('' for the whole value): Graph's messages name it. */
  property: string;
  /** Set when the value has a property its schema does not declare. */
  unknownProperty?: string;
  /** One sentence, e.g. `rules[0].status must be <= 599.` */
  sentence: string;
}

/** `/rules/2/latency/min` → `rules[2].latency.min`, after `where`. */
function fieldName(instancePath: string, where: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`));
  return `${where}${parts.join('')}`.replace(/^\./, '');
}

/**
 * The first of Ajv's errors as one problem. `where` prefixes the field (a file name's key path, `rule`);
 * `whole` names the value itself when the problem is at its top level.
 */
export function firstProblem(errors: readonly ErrorObject[] | null | undefined, where = '', whole = 'the body'): SchemaProblem {
  const error = errors?.[0];
  if (error === undefined) return { field: '', property: '', sentence: `${where || whole} is not valid.` };
  const field = fieldName(error.instancePath, where);
  const named = field === '' ? whole : field;
  const property = error.instancePath.split('/')[1] ?? '';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String(params['additionalProperty']);
      return { field, property, unknownProperty: unknown, sentence: `${named}: unknown field '${unknown}'.` };
    }
    case 'required':
      return { field, property, sentence: `${named}.${String(params['missingProperty'])} is required.` };
    case 'dependencies':
      return { field, property, sentence: `${named}.${String(params['property'])} needs ${String(params['missingProperty'])}.` };
    case 'enum':
      return { field, property, sentence: `${named} must be one of ${(params['allowedValues'] as unknown[]).map(String).join(', ')}.` };
    default:
      return { field, property, sentence: `${named} ${error.message ?? 'is not valid'}.` };
  }
}
