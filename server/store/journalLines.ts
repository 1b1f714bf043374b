// What a journal line may hold: an entry exactly as the emulator writes one, whose record follows its
// resource's JSON Schema (fixtures/<type>.schema.json, the schema request bodies are checked against). A line
// that is valid JSON of another shape is damage like any other: replaying it would put into the data what no
// client could have written, or stop the start with a stack trace. How the files are read back is journalFiles.ts's.
import type { Ajv, ValidateFunction } from 'ajv';
import { COLLECTIONS, COLLECTION_NAMES, type CollectionName } from '../collections.js';
import { createAjv, firstProblem, readResourceSchema } from '../jsonSchema.js';
import { STORED_TENANT_ID_RULE, isStoredTenantId } from '../tenantIds.js';
import type { EntityOf } from './records.js';
import { isJsonObject } from '../jsonObject.js';

/**
 * The fields of each operation. `t`, the tenant a change belongs to, is optional (absent: the default tenant)
 * but for a drop, whose tenant is never the default one.
 */
const FIELDS = {
  put: ['op', 'c', 'r', 't'],
  del: ['op', 'c', 'id', 't'],
  reset: ['op', 'ds', 'shift', 'n', 't'],
  drop: ['op', 't'],
  batch: ['op', 'changes', 't'],
} as const;
const OPS = Object.keys(FIELDS) as (keyof typeof FIELDS)[];
/** The changes of a batch: puts and deletes whose tenant is the batch's. */
const CHANGE_FIELDS = { put: ['op', 'c', 'r'], del: ['op', 'c', 'id'] } as const;
const CHANGE_OPS = Object.keys(CHANGE_FIELDS) as (keyof typeof CHANGE_FIELDS)[];
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

/** The first thing wrong with the shape of a parsed journal line, in a few words; undefined for an entry's shape. */
export function entryShapeProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return 'not a JSON object';
  const { op, t } = value;
  const problem = fieldsProblem(value, FIELDS, OPS);
  if (problem !== undefined) return problem;
  // The default tenant is written without `t`: a `t` naming it is not a line the emulator writes.
  if ((t !== undefined || op === 'drop') && !isStoredTenantId(t)) return `'t' (the tenant) is ${JSON.stringify(t)}, not a tenant id (${STORED_TENANT_ID_RULE})`;
  if (op === 'drop') return undefined;
  if (op === 'reset') return resetProblem(value);
  if (op === 'batch') return batchProblem(value['changes']);
  return changeProblem(value);
}

/** An `op` of `ops` and no field but those of its op. */
function fieldsProblem(value: Record<string, unknown>, fields: Readonly<Record<string, readonly string[]>>, ops: readonly string[]): string | undefined {
  const { op } = value;
  if (!ops.includes(op as string)) return `'op' is ${JSON.stringify(op)}, not ${ops.map((o) => `'${o}'`).join(', ')}`;
  const extra = Object.keys(value).find((key) => !fields[op as string]!.includes(key));
  return extra === undefined ? undefined : `unknown field '${extra}' in a '${op as string}'`;
}

/** A put's collection and record id, or a delete's collection and id. */
function changeProblem(value: Record<string, unknown>): string | undefined {
  const { op, c } = value;
  if (typeof c !== 'string' || !Object.hasOwn(COLLECTIONS, c)) return `'c' is ${JSON.stringify(c)}, not one of ${COLLECTION_NAMES.join(', ')}`;
  if (op === 'del') return typeof value['id'] === 'string' ? undefined : `'id' is ${JSON.stringify(value['id'])}, not a string`;
  const record = value['r'];
  if (!isJsonObject(record)) return `'r' is ${JSON.stringify(record)}, not a record`;
  return typeof record['id'] === 'string' ? undefined : `'r.id' is ${JSON.stringify(record['id'])}, not a string`;
}

/** A batch holds a non-empty list of puts and deletes, each without a tenant of its own. */
function batchProblem(changes: unknown): string | undefined {
  if (!Array.isArray(changes) || changes.length === 0) return `'changes' is ${JSON.stringify(changes)}, not a list of changes`;
  for (const [i, change] of changes.entries()) {
    const problem = isJsonObject(change) ? (fieldsProblem(change, CHANGE_FIELDS, CHANGE_OPS) ?? changeProblem(change)) : 'not a JSON object';
    if (problem !== undefined) return `changes[${i}]: ${problem}`;
  }
  return undefined;
}

/** A reset names a stored dataset, its record count, and how far its dates move (whole milliseconds). */
function resetProblem(value: Record<string, unknown>): string | undefined {
  const { ds, shift, n } = value;
  if (typeof ds !== 'string' || !DATASET_ID.test(ds)) return `'ds' is ${JSON.stringify(ds)}, not a stored dataset's name`;
  if (shift !== undefined && !Number.isSafeInteger(shift)) return `'shift' is ${JSON.stringify(shift)}, not a whole number of milliseconds`;
  if (!Number.isSafeInteger(n) || (n as number) < 0) return `'n' is ${JSON.stringify(n)}, not a record count`;
  return undefined;
}

/** What is wrong with a record of `collection` against its resource schema, naming it as `where`; undefined when nothing is. */
export function recordProblem(collection: CollectionName, record: unknown, where: string): string | undefined {
  const validate = validatorOf(collection);
  if (validate(record)) return undefined;
  return `${where} does not follow the ${COLLECTIONS[collection]} schema: ${firstProblem(validate.errors, where, where).sentence.replace(/\.$/, '')}`;
}

/** The entry's shape, then a put's record against its resource schema: what the file store replays. */
export function journalLineProblem(value: unknown): string | undefined {
  const shape = entryShapeProblem(value);
  if (shape !== undefined) return shape;
  const entry = value as JournalLine;
  if (entry.op === 'put') return putRecordProblem(entry);
  if (entry.op !== 'batch') return undefined;
  for (const [i, change] of entry.changes.entries()) {
    const problem = change.op === 'put' ? putRecordProblem(change) : undefined;
    if (problem !== undefined) return `changes[${i}]: ${problem}`;
  }
  return undefined;
}

function putRecordProblem({ c, r }: { c: CollectionName; r: unknown }): string | undefined {
  const validate = validatorOf(c);
  if (validate(r)) return undefined;
  return `the ${COLLECTIONS[c]} record does not follow its schema: ${firstProblem(validate.errors, 'r', 'r').sentence.replace(/\.$/, '')}`;
}

/** A write of one record, as a put or del line holds it, or one change of a batch. */
export type RecordEntry = { op: 'put'; c: CollectionName; r: EntityOf<CollectionName> } | { op: 'del'; c: CollectionName; id: string };

/**
 * One line of the store's write-ahead journal (`db.json.journal`; the request journal's entry is another thing,
 * http/journalEntry.ts). `t` names the tenant (absent: the default tenant, as in journals written before there
 * were tenants); a tenant is added by its first reset and dropped with one entry.
 */
export type JournalLine =
  | { op: 'put'; t?: string; c: CollectionName; r: EntityOf<CollectionName> }
  | { op: 'del'; t?: string; c: CollectionName; id: string }
  /**
   * Several puts and deletes of one tenant made by one write (a delete with what goes with it, a move): one line,
   * so a crash leaves all of them or none, replayed in order.
   */
  | { op: 'batch'; t?: string; changes: RecordEntry[] }
  /**
   * The tenant's whole state replaced by a stored dataset (datasetFiles.ts), every Graph timestamp in it moved by
   * `shift` ms (absent: 0); `n` is its record count. What came before it in the journal no longer counts for that
   * tenant; a tenant that does not exist is added with it.
   */
  | { op: 'reset'; t?: string; ds: string; shift?: number; n: number }
  /** The tenant removed with all its data. */
  | { op: 'drop'; t: string };

/** What an entry costs to replay: a reset counts the records it puts in place, a batch its changes. */
export function entryWeight(entry: JournalLine): number {
  if (entry.op === 'reset') return Math.max(1, entry.n);
  return entry.op === 'batch' ? entry.changes.length : 1;
}

/** What is wrong with a parsed line, or undefined for an entry to replay. */
export type EntryCheck = (entry: unknown) => string | undefined;
