// What a journal line may hold: an entry exactly as the emulator writes one, whose record follows its
// resource's JSON Schema (fixtures/<type>.schema.json, the schema request bodies are checked against). A line
// that is valid JSON of another shape is damage like any other: replaying it would put into the data what no
// client could have written, or stop the start with a stack trace.
import type { Ajv, ValidateFunction } from 'ajv';
import { COLLECTIONS, COLLECTION_NAMES, type CollectionName } from '../collections.js';
import { createAjv, firstProblem, readResourceSchema } from '../jsonSchema.js';
import { STORED_TENANT_ID_RULE, isStoredTenantId } from '../tenantIds.js';

/**
 * The fields of each operation. `t`, the tenant a change belongs to, is optional (absent: the default tenant)
 * but for a drop, whose tenant is never the default one.
 */
const FIELDS = { put: ['op', 'c', 'r', 't'], del: ['op', 'c', 'id', 't'], reset: ['op', 'ds', 'shift', 'n', 't'], drop: ['op', 't'] } as const;
const OPS = Object.keys(FIELDS) as (keyof typeof FIELDS)[];
/** A stored dataset's name (datasetFiles.ts). */
const DATASET_ID = /^[0-9a-f]{32}$/;

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
  if (!OPS.includes(op as keyof typeof FIELDS)) return `'op' is ${JSON.stringify(op)}, not ${OPS.map((o) => `'${o}'`).join(', ')}`;
  const fields: readonly string[] = FIELDS[op as keyof typeof FIELDS];
  const extra = Object.keys(value).find((key) => !fields.includes(key));
  if (extra !== undefined) return `unknown field '${extra}' in a '${op}'`;
  // The default tenant is written without `t`: a `t` naming it is not a line the emulator writes.
  if ((t !== undefined || op === 'drop') && !isStoredTenantId(t)) return `'t' (the tenant) is ${JSON.stringify(t)}, not a tenant id (${STORED_TENANT_ID_RULE})`;
  if (op === 'drop') return undefined;
  if (op === 'reset') return resetProblem(value);
  if (typeof c !== 'string' || !Object.hasOwn(COLLECTIONS, c)) return `'c' is ${JSON.stringify(c)}, not one of ${COLLECTION_NAMES.join(', ')}`;
  if (op === 'del') return typeof value['id'] === 'string' ? undefined : `'id' is ${JSON.stringify(value['id'])}, not a string`;
  const record = value['r'];
  if (!isObject(record)) return `'r' is ${JSON.stringify(record)}, not a record`;
  return typeof record['id'] === 'string' ? undefined : `'r.id' is ${JSON.stringify(record['id'])}, not a string`;
}

/** A reset names a stored dataset, its record count, and how far its dates move (whole milliseconds). */
function resetProblem(value: Record<string, unknown>): string | undefined {
  const { ds, shift, n } = value;
  if (typeof ds !== 'string' || !DATASET_ID.test(ds)) return `'ds' is ${JSON.stringify(ds)}, not a stored dataset's name`;
  if (shift !== undefined && !Number.isSafeInteger(shift)) return `'shift' is ${JSON.stringify(shift)}, not a whole number of milliseconds`;
  if (!Number.isSafeInteger(n) || (n as number) < 0) return `'n' is ${JSON.stringify(n)}, not a record count`;
  return undefined;
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
