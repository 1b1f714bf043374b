// The data file's format: what the snapshot looks like on disk, reading it back, and telling the
// emulator's own file from any other JSON (a package.json given as DATA_FILE must never be overwritten).
import { COLLECTIONS, COLLECTION_NAMES } from '../collections.js';
import type { Dataset } from './types.js';

/** The data file's first key: its format marker, naming what wrote it and the version of its layout. */
export const FORMAT_KEY = 'dataFormat';
export const DATA_FORMAT = 'graph-accesspackages-emulator/1';

/**
 * The data file's text, one record per line: readable, diffable, and still plain JSON for lowdb and for
 * people. Yielded a line at a time so that a large snapshot can be written while the server goes on
 * answering (see DurableJSONFile.write), instead of being built as one string in one go.
 */
export function* datasetLines(data: Dataset): Generator<string> {
  yield `{\n"${FORMAT_KEY}": "${DATA_FORMAT}",\n`;
  for (const [n, name] of COLLECTION_NAMES.entries()) {
    const records: readonly object[] = data[name];
    const close = n === COLLECTION_NAMES.length - 1 ? '\n' : ',\n';
    if (records.length === 0) {
      yield `"${name}": []${close}`;
      continue;
    }
    yield `"${name}": [\n`;
    for (let i = 0; i < records.length; i += 1) yield `${JSON.stringify(records[i])}${i === records.length - 1 ? '\n' : ',\n'}`;
    yield `]${close}`;
  }
  yield '}\n';
}

export function serializeDataset(data: Dataset): string {
  let text = '';
  for (const line of datasetLines(data)) text += line;
  return text;
}

/**
 * Read a data file. A file in serializeDataset's layout is parsed one record line at a time, which halves
 * the time and the peak memory of one JSON.parse over the whole text (no copy of the file as one string);
 * anything else (hand-edited, pretty-printed) goes through JSON.parse, whose error names the problem.
 */
export function parseDataset(bytes: Buffer): unknown {
  const lines = new RecordLines();
  return (lines.push(bytes) ? lines.end() : undefined) ?? JSON.parse(bytes.toString('utf8'));
}

const NEWLINE = 0x0a;
const HEAD = /^"(\w+)": \[(\],?)?$/;
const MARKER = new RegExp(`^"${FORMAT_KEY}": (".*"),$`);
const CLOSE = /^\],?$/;

/**
 * serializeDataset's layout read a piece at a time, so that a data file can be read in pieces of a
 * megabyte instead of as one Buffer (which, at 35 MB, stayed resident until the next full collection:
 * 40 MB of RSS after start-up). push() answers false, and end() undefined, for text in any other layout.
 */
export class RecordLines {
  private state: 'start' | 'head' | 'records' | 'done' | 'other' = 'start';
  private records: unknown[] = [];
  private readonly data: Record<string, unknown> = {};
  /** The start of a line that the last piece cut. */
  private carry: Buffer | undefined;

  /** Take the next piece of the file; false once the text is known not to be in this layout. */
  push(piece: Buffer): boolean {
    let start = 0;
    for (;;) {
      const end = piece.indexOf(NEWLINE, start);
      if (end === -1) break;
      if (this.carry === undefined) this.line(piece, start, end);
      else {
        const whole = Buffer.concat([this.carry, piece.subarray(start, end)]);
        this.carry = undefined;
        this.line(whole, 0, whole.length);
      }
      if (this.state === 'other') return false;
      start = end + 1;
    }
    if (start < piece.length) this.carry = Buffer.concat(this.carry === undefined ? [piece.subarray(start)] : [this.carry, piece.subarray(start)]);
    return true;
  }

  /** The data read, or undefined if the text is not in this layout or ends before its closing brace. */
  end(): Record<string, unknown> | undefined {
    if (this.carry !== undefined) {
      const last = this.carry;
      this.carry = undefined;
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
          // '{': a record, with the comma that separates it from the next one if there is one
          try {
            this.records.push(JSON.parse(bytes.toString('utf8', start, bytes[end - 1] === 0x2c ? end - 1 : end)));
          } catch {
            this.state = 'other';
          }
          return;
        }
        this.state = CLOSE.test(bytes.toString('utf8', start, end)) ? 'head' : 'other';
        return;
      case 'head': {
        const text = bytes.toString('utf8', start, end);
        if (text === '}') {
          this.state = 'done';
          return;
        }
        const head = HEAD.exec(text);
        if (!head) {
          this.marker(text);
          return;
        }
        this.records = [];
        this.data[head[1]!] = this.records;
        if (head[2] === undefined) this.state = 'records';
        return;
      }
      case 'done':
        if (end > start) this.state = 'other';
        return;
    }
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

/** A few of `keys`, quoted, for a message. */
function someOf(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).map((key) => `'${key}'`);
  return keys.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/**
 * Whether a parsed data file is the emulator's own and shaped like one; names the first problem. Its own
 * file carries the format marker, or, written before the marker existed, holds the collections and nothing
 * else (then gets the marker at its next snapshot).
 */
export function checkDataset(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the top level must be a JSON object';
  const data = value as Record<string, unknown>;
  const keys = Object.keys(data);
  const format = data[FORMAT_KEY];
  if (format === undefined) {
    const foreign = keys.filter((key) => !Object.hasOwn(COLLECTIONS, key));
    if (keys.length === 0) return `it has no "${FORMAT_KEY}" marker and none of the emulator's collections`;
    if (foreign.length > 0 || !keys.includes('accessPackages')) {
      return `it has no "${FORMAT_KEY}" marker, and its keys (${someOf(keys)}) are not the emulator's collections`;
    }
  } else if (format !== DATA_FORMAT) {
    return `its "${FORMAT_KEY}" is ${JSON.stringify(format)}; this emulator reads '${DATA_FORMAT}'`;
  } else {
    const unknown = keys.find((key) => key !== FORMAT_KEY && !Object.hasOwn(COLLECTIONS, key));
    if (unknown !== undefined) return `unknown top-level key '${unknown}'`;
  }
  for (const name of COLLECTION_NAMES) {
    const list = data[name];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `'${name}' must be an array`;
    const bad = list.findIndex((r) => typeof r !== 'object' || r === null || typeof (r as { id?: unknown }).id !== 'string');
    if (bad !== -1) return `${name}[${bad}] must be an object with a string id`;
  }
  return undefined;
}
