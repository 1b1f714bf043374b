// The data file's format: what the snapshot looks like on disk, and reading it back.
import { COLLECTION_NAMES } from '../collections.js';
import type { Dataset } from './types.js';

/**
 * The data file's text, one record per line: readable, diffable, and still plain JSON for lowdb and for
 * people. Yielded a line at a time so that a large snapshot can be written while the server goes on
 * answering (see DurableJSONFile.write), instead of being built as one string in one go.
 */
export function* datasetLines(data: Dataset): Generator<string> {
  yield '{\n';
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
const CLOSE = /^\],?$/;

/**
 * serializeDataset's layout read a piece at a time, so that a data file can be read in pieces of a
 * megabyte instead of as one Buffer (which, at 35 MB, stayed resident until the next full collection:
 * 40 MB of RSS after start-up). push() answers false, and end() undefined, for text in any other layout.
 */
export class RecordLines {
  private state: 'start' | 'head' | 'records' | 'done' | 'other' = 'start';
  private records: unknown[] = [];
  private readonly data: Record<string, unknown[]> = {};
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
  end(): Record<string, unknown[]> | undefined {
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
          this.state = 'other';
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
}
