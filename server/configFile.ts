// Validation of a JSON config file against the schema generated from the settings table, with a message
// that names the offending key the way the user wrote it.
import { type JsonSchema, type SchemaProblem, createAjv, firstProblem } from './jsonSchema.js';

export type { JsonSchema };

function sentence(problem: SchemaProblem): string {
  if (problem.unknownProperty !== undefined) {
    return `unknown key '${problem.unknownProperty}' (keys are the setting names of docs/configuration.md, e.g. port, dataFile)`;
  }
  const text = problem.sentence.replace(/\.$/, '');
  return problem.field === '' ? text : `'${problem.field}'${text.slice(problem.field.length)}`;
}

/** Undefined when `value` matches `schema`, otherwise one sentence naming every problem (a file is fixed at once). */
export function validateConfigFile(schema: JsonSchema, value: unknown): string | undefined {
  const validate = createAjv({ allErrors: true }).compile(schema);
  if (validate(value)) return undefined;
  return (validate.errors ?? []).map((error) => sentence(firstProblem([error], '', 'the top level'))).join('; ');
}
