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
  return parseRecordLines(bytes) ?? JSON.parse(bytes.toString('utf8'));
}

const NEWLINE = 0x0a;

function parseRecordLines(bytes: Buffer): Record<string, unknown[]> | undefined {
  const lines: [number, number][] = [];
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(NEWLINE, start);
    lines.push([start, end === -1 ? bytes.length : end]);
    start = end === -1 ? bytes.length : end + 1;
  }
  const text = (i: number) => bytes.toString('utf8', lines[i]![0], lines[i]![1]);
  if (lines.length < 2 || text(0) !== '{' || text(lines.length - 1) !== '}') return undefined;
  const data: Record<string, unknown[]> = {};
  let i = 1;
  while (i < lines.length - 1) {
    const head = /^"(\w+)": \[(\],?)?$/.exec(text(i));
    if (!head) return undefined;
    const records: unknown[] = [];
    data[head[1]!] = records;
    i += 1;
    if (head[2] !== undefined) continue;
    for (; i < lines.length - 1; i += 1) {
      const [start, end] = lines[i]!;
      if (bytes[start] !== 0x7b) break; // not '{': the closing bracket
      try {
        records.push(JSON.parse(bytes.toString('utf8', start, bytes[end - 1] === 0x2c ? end - 1 : end)));
      } catch {
        return undefined;
      }
    }
    if (!/^\],?$/.test(text(i))) return undefined;
    i += 1;
  }
  return data;
}
