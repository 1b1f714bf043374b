// What a journal line may hold: an entry exactly as the emulator writes one, whose record follows its
// resource's JSON Schema (fixtures/<type>.schema.json, the schema request bodies are checked against). A line
// that is valid JSON of another shape is damage like any other: replaying it would put into the data what no
// client could have written, or stop the start with a stack trace. Also how the journal files are read back at
// open, and which retired generations beside it are the emulator's own (journal.ts writes them).
import { constants } from 'node:fs';
import { type FileHandle, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import { COLLECTIONS, COLLECTION_NAMES, type CollectionName } from '../collections.js';
import { fileAccessError } from '../errors.js';
import { createAjv, firstProblem, readResourceSchema } from '../jsonSchema.js';
import { STORED_TENANT_ID_RULE, isStoredTenantId } from '../tenantIds.js';
import { type OwnFiles, READ_APPEND } from './ownFiles.js';
import type { StoreFs } from './storeFs.js';
import { type EntityOf, StoreError } from './types.js';

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

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first thing wrong with the shape of a parsed journal line, in a few words; undefined for an entry's shape. */
export function entryShapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
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
  if (!isObject(record)) return `'r' is ${JSON.stringify(record)}, not a record`;
  return typeof record['id'] === 'string' ? undefined : `'r.id' is ${JSON.stringify(record['id'])}, not a string`;
}

/** A batch holds a non-empty list of puts and deletes, each without a tenant of its own. */
function batchProblem(changes: unknown): string | undefined {
  if (!Array.isArray(changes) || changes.length === 0) return `'changes' is ${JSON.stringify(changes)}, not a list of changes`;
  for (const [i, change] of changes.entries()) {
    const problem = isObject(change) ? (fieldsProblem(change, CHANGE_FIELDS, CHANGE_OPS) ?? changeProblem(change)) : 'not a JSON object';
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
export function journalEntryProblem(value: unknown): string | undefined {
  const shape = entryShapeProblem(value);
  if (shape !== undefined) return shape;
  const entry = value as JournalEntry;
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
 * One line of the journal. `t` names the tenant (absent: the default tenant, as in journals written before there
 * were tenants); a tenant is added by its first reset and dropped with one entry.
 */
export type JournalEntry =
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

/** What is wrong with a parsed line, or undefined for an entry to replay . */
export type EntryCheck = (entry: unknown) => string | undefined;

/**
 * Parse a journal; a torn last line (a crash mid-append, never acknowledged) is dropped and reported by offset.
 * A complete line that `check` refuses is damage, like a line that is not JSON.
 */
export function parseJournal(text: string, file: string, check: EntryCheck = entryShapeProblem): { entries: JournalEntry[]; validBytes: number } {
  const entries: JournalEntry[] = [];
  let offset = 0;
  let lineNo = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    lineNo += 1;
    const line = text.slice(offset, end === -1 ? text.length : end);
    // Torn: the last line without its newline (a crash mid-append), or ending the file with the NUL bytes a power
    // loss leaves where an append's blocks never reached the disk. A complete line that is not JSON is damage:
    // dropping it would lose an acknowledged write without a word.
    const last = end === -1 || (end === text.length - 1 && line.includes('\u0000'));
    let entry: JournalEntry | undefined;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      entry = undefined;
    }
    if (entry === undefined || end === -1) {
      if (last) break; // torn tail
      throw new StoreError('corrupt', `The journal ${file} is damaged at line ${lineNo}. It was left untouched.`);
    }
    // Complete JSON of the wrong shape was written by something else: damage, not a torn append.
    const problem = check(entry);
    if (problem !== undefined) throw new StoreError('corrupt', `The journal ${file} is damaged at line ${lineNo}: ${problem}. It was left untouched.`);
    entries.push(entry);
    offset = end + 1;
  }
  return { entries, validBytes: Buffer.byteLength(text.slice(0, offset)) };
}

/**
 * A retired generation's suffix as the emulator writes it: a count from 1, without leading zeros, and far
 * below what a date (`db.json.journal.20261201`) or a timestamp reads as. A retired file is removed once a
 * snapshot covers it, so generations stay small: reaching a million would take a million compactions in a
 * row whose removals all failed.
 */
const GENERATION = /^[1-9]\d{0,5}$/;

/** The generations of retired journals beside `file` (`<file>.<n>`), oldest first; other names are never touched. */
export async function retiredGenerations(file: string): Promise<number[]> {
  const prefix = `${path.basename(file)}.`;
  return (await readdir(path.dirname(file)))
    .filter((name) => name.startsWith(prefix) && GENERATION.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

/** What the journal files of `file` hold when it opens: journal.ts replays `entries` and goes on writing the current file. */
export interface JournalFiles {
  /** Retired generations, oldest first. */
  retired: number[];
  /** The retired files' entries, oldest first, then the current file's. */
  entries: JournalEntry[];
  /** The current file's entries alone. */
  current: JournalEntry[];
  /** Bytes of the current file up to its torn tail, if any; `bytes` is all of it. */
  validBytes: number;
  bytes: number;
  /** The current file, open for reading and appending (ownFiles.ts); undefined when there is none yet. */
  handle: FileHandle | undefined;
}

/** The text of one of the journal's files, opened as ownFiles.ts opens them; undefined when it does not exist. */
async function readOwn(file: string, flags: number, what: string, own: OwnFiles, fs: StoreFs): Promise<{ handle: FileHandle; text: string } | undefined> {
  const handle = await own.open(file, flags, what, fs);
  if (handle === undefined) return undefined;
  try {
    return { handle, text: await handle.readFile('utf8') };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw fileAccessError(err, `Cannot read the ${what} ${file}`) ?? err;
  }
}

/** Read the retired files and the current one; the current one's handle is the caller's, to append to or close. */
export async function readJournalFiles(file: string, check: EntryCheck, own: OwnFiles, fs: StoreFs): Promise<JournalFiles> {
  const retired = await retiredGenerations(file);
  const entries: JournalEntry[] = [];
  for (const generation of retired) {
    const name = `${file}.${generation}`;
    const read = await readOwn(name, constants.O_RDONLY, 'retired journal', own, fs);
    await read?.handle.close();
    // A retired file was complete when it was retired; a torn tail can only be a write never acknowledged.
    for (const entry of parseJournal(read?.text ?? '', name, check).entries) entries.push(entry);
  }
  const read = await readOwn(file, READ_APPEND, 'journal', own, fs);
  const text = read?.text ?? '';
  try {
    const current = parseJournal(text, file, check);
    for (const entry of current.entries) entries.push(entry);
    return { retired, entries, current: current.entries, validBytes: current.validBytes, bytes: Buffer.byteLength(text), handle: read?.handle };
  } catch (err) {
    await read?.handle.close().catch(() => undefined);
    throw err;
  }
}
