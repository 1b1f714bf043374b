// The data file's format: what the snapshot looks like on disk, and reading it back (telling the emulator's own
// file from any other JSON is dataFileCheck.ts's).
import { MAX_BODY_DEPTH, TOO_DEEP, firstRepeatedName, jsonLimitPassed, withoutByteOrderMark } from '../jsonFile.js';
import { jsonSyntaxProblem } from '../jsonSyntax.js';
import { IN_ANOTHER_ENCODING, isUtf8, notUtf8Reason } from '../utf8Bytes.js';
import { COLLECTION_NAMES } from '../collections.js';
import type { Dataset } from './records.js';

/** The data file's first key: its format marker, naming what wrote it and the version of its layout. */
export const FORMAT_KEY = 'dataFormat';
export const DATA_FORMAT = 'graph-accesspackages-emulator/1';
/**
 * `object[key] = value` as JSON.parse sets it: an own property whatever the key. A tenant may be named
 * `__proto__`, which an assignment would take as the object's prototype, losing the tenant.
 */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The key of the other tenants' data, after the default tenant's collections. */
export const TENANTS_KEY = 'tenants';

/**
 * The data file's content: the default tenant's collections at the top level, as a file written before there
 * were tenants has them (such a file loads unchanged as the default tenant), and every other tenant's under
 * `tenants`, by id. Without other tenants there is no `tenants` key.
 */
export interface DataFile extends Dataset {
  tenants?: Record<string, Dataset>;
}

/** One tenant's collections, a head line and a line per record each; `last` ends the last collection's line. */
function* collectionLines(data: Dataset, last: string): Generator<string> {
  for (const [n, name] of COLLECTION_NAMES.entries()) {
    const records: readonly object[] = data[name];
    const close = n === COLLECTION_NAMES.length - 1 ? last : ',\n';
    if (records.length === 0) {
      yield `"${name}": []${close}`;
      continue;
    }
    yield `"${name}": [\n`;
    for (let i = 0; i < records.length; i += 1) yield `${JSON.stringify(records[i])}${i === records.length - 1 ? '\n' : ',\n'}`;
    yield `]${close}`;
  }
}

/**
 * The data file's text, one record per line: readable, diffable, and still plain JSON for lowdb and for
 * people. Yielded a line at a time so that a large snapshot can be written while the server goes on
 * answering (see DurableJSONFile.write), instead of being built as one string in one go. Other tenants
 * follow the default one's collections: `"tenants": {`, then per tenant `"<id>": {`, its collections, `}`.
 */
export function* datasetLines(data: DataFile): Generator<string> {
  yield `{\n"${FORMAT_KEY}": "${DATA_FORMAT}",\n`;
  const tenants = Object.entries(data.tenants ?? {});
  yield* collectionLines(data, tenants.length === 0 ? '\n' : ',\n');
  if (tenants.length > 0) {
    yield `"${TENANTS_KEY}": {\n`;
    for (const [n, [id, dataset]] of tenants.entries()) {
      yield `${JSON.stringify(id)}: {\n`;
      yield* collectionLines(dataset, '\n');
      yield n === tenants.length - 1 ? '}\n' : '},\n';
    }
    yield '}\n';
  }
  yield '}\n';
}

export function serializeDataset(data: DataFile): string {
  let text = '';
  for (const line of datasetLines(data)) text += line;
  return text;
}

/**
 * Read a data file. A file in serializeDataset's layout is parsed one record line at a time, which halves
 * the time and the peak memory of one JSON.parse over the whole text (no copy of the file as one string);
 * anything else (hand-edited, pretty-printed) goes through JSON.parse, its refusal told by jsonSyntax.ts.
 */
export function parseDataset(bytes: Buffer): unknown {
  const lines = new RecordLines();
  const inLayout = lines.push(bytes) ? lines.end() : undefined;
  if (inLayout !== undefined) return inLayout;
  // Read as UTF-8, a file saved in another encoding (a hand-written one, in Windows-1252) would be served, and its
  // next snapshot written, with U+FFFD in place of its accented letters.
  if (!isUtf8(bytes)) throw new SyntaxError(`it is not UTF-8: ${notUtf8Reason(bytes)} (${IN_ANOTHER_ENCODING}); save it as UTF-8`);
  return parsedWhole(withoutByteOrderMark(bytes.toString('utf8')));
}

/**
 * A data file in another layout, parsed whole; a name written twice in one object (a collection copied in, a
 * record's property) is refused: JSON.parse keeps the last, and the next snapshot would erase the other for good.
 */
function parsedWhole(text: string): unknown {
  // No record nests this deep; a value that did would overflow the stack wherever it is written back or refused.
  if (jsonLimitPassed(text, MAX_BODY_DEPTH) === 'depth') throw new SyntaxError(`it ${TOO_DEEP}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault: a file of other contents, reached by a link, would be
    // shown in part.
    throw new SyntaxError(jsonSyntaxProblem(text));
  }
  const repeated = firstRepeatedName(text);
  if (repeated !== undefined) throw new SyntaxError(`the name '${repeated}' is written twice in one object; only the last would count`);
  return value;
}

const NEWLINE = 0x0a;
const HEAD = /^"(\w+)": \[(\],?)?$/;
const MARKER = new RegExp(`^"${FORMAT_KEY}": (".*"),$`);
const CLOSE = /^\],?$/;
const TENANTS = `"${TENANTS_KEY}": {`;
const TENANT_HEAD = /^"([A-Za-z0-9._-]+)": \{$/;

/**
 * serializeDataset's layout read a piece at a time, so that a data file can be read in pieces of a
 * megabyte instead of as one Buffer (which, at 35 MB, stayed resident until the next full collection:
 * 40 MB of RSS after start-up). push() answers false, and end() undefined, for text in any other layout.
 */
export class RecordLines {
  private state: 'start' | 'head' | 'records' | 'tenants' | 'done' | 'other' = 'start';
  private records: unknown[] = [];
  private readonly data: Record<string, unknown> = {};
  /** Where collection heads go: the top level, or the tenant being read. */
  private target: Record<string, unknown> = this.data;
  private tenants: Record<string, Record<string, unknown>> | undefined;
  /**
   * The start of a line that the last pieces cut, joined only once its end is read: joined at every piece, a line of
   * many pieces was copied again at each (a one-line file of 600 MB took minutes).
   */
  private carry: Buffer[] = [];
  private carried = 0;

  /** Take the next piece of the file; false once the text is known not to be in this layout. */
  push(piece: Buffer): boolean {
    let start = 0;
    for (;;) {
      const end = piece.indexOf(NEWLINE, start);
      if (end === -1) break;
      if (this.carried === 0) this.line(piece, start, end);
      else {
        const whole = Buffer.concat([...this.carry, piece.subarray(start, end)]);
        this.carry = [];
        this.carried = 0;
        this.line(whole, 0, whole.length);
      }
      if (this.state === 'other') return false;
      start = end + 1;
    }
    if (start < piece.length) {
      // Copied: the reader reuses its buffer for the next piece.
      this.carry.push(Buffer.from(piece.subarray(start)));
      this.carried += piece.length - start;
      // The layout's first line is `{` alone: a longer one (a file on one line, zeros) is another layout, known now
      // rather than after the whole file was carried as one line.
      if (this.state === 'start' && this.carried > 1) {
        this.state = 'other';
        return false;
      }
    }
    return true;
  }

  /** The data read, or undefined if the text is not in this layout or ends before its closing brace. */
  end(): Record<string, unknown> | undefined {
    if (this.carried > 0) {
      const last = Buffer.concat(this.carry);
      this.carry = [];
      this.carried = 0;
      this.line(last, 0, last.length);
    }
    return this.state === 'done' ? this.data : undefined;
  }

  private line(bytes: Buffer, start: number, end: number): void {
    switch (this.state) {
      case 'start':
        this.state = bytes.toString('utf8', start, end) === '{' ? 'head' : 'other';
        return;
      case 'records':
        if (bytes[start] === 0x7b) {
          // '{': a record, with the comma that separates it from the next one if there is one. One that is not UTF-8
          // was not written by the emulator: the file is read whole, and refused there (parseDataset). Its bytes are
          // checked only when their text holds U+FFFD, which a text of no other character above U+00FF cannot.
          const text = bytes.toString('utf8', start, bytes[end - 1] === 0x2c ? end - 1 : end);
          if (text.includes('\uFFFD') && !isUtf8(bytes.subarray(start, end))) {
            this.state = 'other';
            return;
          }
          try {
            this.records.push(JSON.parse(text));
          } catch {
            this.state = 'other';
          }
          return;
        }
        this.state = CLOSE.test(bytes.toString('utf8', start, end)) ? 'head' : 'other';
        return;
      case 'head':
        this.head(bytes.toString('utf8', start, end));
        return;
      case 'tenants':
        this.tenantHead(bytes.toString('utf8', start, end));
        return;
      case 'done':
        if (end > start) this.state = 'other';
        return;
    }
  }

  /** A collection's head, the format marker, the end of a tenant or of the file, or the start of the other tenants. */
  private head(text: string): void {
    const inTenant = this.target !== this.data;
    if (text === '}' || (inTenant && text === '},')) {
      this.target = this.data;
      this.state = inTenant ? 'tenants' : 'done';
      return;
    }
    if (text === TENANTS && !inTenant && this.tenants === undefined) {
      this.tenants = {};
      this.data[TENANTS_KEY] = this.tenants;
      this.state = 'tenants';
      return;
    }
    const head = HEAD.exec(text);
    if (!head) {
      if (inTenant) this.state = 'other';
      else this.marker(text);
      return;
    }
    // A collection named twice is no file this layout writes: read as any other JSON, whose check refuses it.
    if (Object.hasOwn(this.target, head[1]!)) {
      this.state = 'other';
      return;
    }
    this.records = [];
    setOwn(this.target, head[1]!, this.records);
    if (head[2] === undefined) this.state = 'records';
  }

  /** Between two tenants: the next one's head, or the end of them all. */
  private tenantHead(text: string): void {
    if (text === '}') {
      this.state = 'head';
      return;
    }
    const head = TENANT_HEAD.exec(text);
    if (!head || Object.hasOwn(this.tenants!, head[1]!)) {
      this.state = 'other';
      return;
    }
    this.target = {};
    setOwn(this.tenants!, head[1]!, this.target);
    this.state = 'head';
  }

  /** The format marker's line, `"dataFormat": "…",`; any other line leaves the layout. */
  private marker(text: string): void {
    const marker = MARKER.exec(text);
    try {
      if (marker) this.data[FORMAT_KEY] = JSON.parse(marker[1]!);
      else this.state = 'other';
    } catch {
      this.state = 'other';
    }
  }
}
