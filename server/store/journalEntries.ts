// What a journal line may hold: an entry exactly as the emulator writes one, whose record follows its
// resource's JSON Schema (fixtures/<type>.schema.json, the schema request bodies are checked against). A line
// that is valid JSON of another shape is damage like any other: replaying it would put into the data what no
// client could have written, or stop the start with a stack trace.
import type { Ajv, ValidateFunction } from 'ajv';
import { COLLECTIONS, COLLECTION_NAMES, type CollectionName } from '../collections.js';
import { createAjv, firstProblem, readResourceSchema } from '../jsonSchema.js';

/** The fields of each operation; `t`, the tenant a change belongs to, is optional (absent: the default tenant). */
const FIELDS = { put: ['op', 'c', 'r', 't'], del: ['op', 'c', 'id', 't'] } as const;

let ajv: Ajv | undefined;
const validators = new Map<CollectionName, ValidateFunction>();

/** A collection's record schema, compiled on the first entry of that collection a replay meets. */
function validatorOf(collection: CollectionName): ValidateFunction {
  let validate = validators.get(collection);
  if (validate === undefined) {
    ajv ??= createAjv();
    validate = ajv.compile(readResourceSchema(COLLECTIONS[collection]));
    validators.set(collection, validate);
  }
  return validate;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first thing wrong with the shape of a parsed journal line, in a few words; undefined for an entry's shape. */
export function entryShapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  const { op, c, t } = value;
  if (op !== 'put' && op !== 'del') return `'op' is ${JSON.stringify(op)}, not 'put' or 'del'`;
  const extra = Object.keys(value).find((key) => !(FIELDS[op] as readonly string[]).includes(key));
  if (extra !== undefined) return `unknown field '${extra}' in a '${op}'`;
  if (typeof c !== 'string' || !Object.hasOwn(COLLECTIONS, c)) return `'c' is ${JSON.stringify(c)}, not one of ${COLLECTION_NAMES.join(', ')}`;
  if (t !== undefined && typeof t !== 'string') return `'t' (the tenant) is ${JSON.stringify(t)}, not a string`;
  if (op === 'del') return typeof value['id'] === 'string' ? undefined : `'id' is ${JSON.stringify(value['id'])}, not a string`;
  const record = value['r'];
  if (!isObject(record)) return `'r' is ${JSON.stringify(record)}, not a record`;
  return typeof record['id'] === 'string' ? undefined : `'r.id' is ${JSON.stringify(record['id'])}, not a string`;
}

/** The entry's shape, then a put's record against its resource schema: what the file store replays. */
export function journalEntryProblem(value: unknown): string | undefined {
  const shape = entryShapeProblem(value);
  if (shape !== undefined || (value as { op: string }).op !== 'put') return shape;
  const { c, r } = value as { c: CollectionName; r: unknown };
  const validate = validatorOf(c);
  if (validate(r)) return undefined;
  return `the ${COLLECTIONS[c]} record does not follow its schema: ${firstProblem(validate.errors, 'r', 'r').sentence.replace(/\.$/, '')}`;
}
