// Validation of a JSON config file against the schema generated from the settings table, with a message
// that names the offending key the way the user wrote it.
import { Ajv, type ErrorObject } from 'ajv';

export type JsonSchema = { [keyword: string]: unknown };

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the top level' : `'${error.instancePath.slice(1).replaceAll('/', '.')}'`;
  if (error.keyword === 'additionalProperties') {
    return `unknown key '${(error.params as { additionalProperty: string }).additionalProperty}' (keys are the setting names of the README table, e.g. port, dataFile)`;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}

/** Undefined when `value` matches `schema`, otherwise one sentence naming every problem. */
export function validateConfigFile(schema: JsonSchema, value: unknown): string | undefined {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(schema);
  if (validate(value)) return undefined;
  return (validate.errors ?? []).map(describe).join('; ');
}
