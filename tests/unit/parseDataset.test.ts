import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jsonSyntaxProblem } from '../../server/jsonSyntax.js';
import { DATA_FORMAT, FORMAT_KEY, RecordLines, datasetLines, parseDataset, serializeDataset } from '../../server/store/dataFileFormat.js';
import { DurableJSONFile } from '../../server/store/durableJsonFile.js';
import { StoreError } from '../../server/store/store.js';
import { type AccessPackage, type AccessPackageCatalog, type Dataset, datasetOf } from '../../server/store/records.js';

const pkg = (id: string, displayName: string): AccessPackage => ({
  id,
  catalogId: null,
  createdBy: null,
  createdDateTime: '2026-01-01T00:00:00.0000000Z',
  description: null,
  displayName,
  isHidden: false,
  isRoleScopesVisible: false,
  modifiedBy: null,
  modifiedDateTime: '2026-01-01T00:00:00.0000000Z',
});
const catalog = { id: 'c1', displayName: 'General' } as AccessPackageCatalog;
/** What reading a file the emulator wrote gives: the data and the format marker. */
const marked = (dataset: Dataset) => ({ [FORMAT_KEY]: DATA_FORMAT, ...dataset });

describe('parseDataset', () => {
  const datasets: [string, Dataset][] = [
    ['empty', datasetOf({ accessPackages: [], accessPackageCatalogs: [] })],
    ['packages only', datasetOf({ accessPackages: [pkg('a', 'Sales'), pkg('b', 'Tax')], accessPackageCatalogs: [] })],
    ['catalogs only', datasetOf({ accessPackages: [], accessPackageCatalogs: [catalog] })],
    [
      'text that looks like layout',
      datasetOf({ accessPackages: [pkg('a', '],\n{"x": [\n}'), pkg('b', 'é ✓ "quoted" \\ back')], accessPackageCatalogs: [catalog] }),
    ],
  ];
  it.each(datasets)('reads back what serializeDataset wrote: %s', (_name, dataset) => {
    expect(parseDataset(Buffer.from(serializeDataset(dataset)))).toEqual(marked(dataset));
  });

  it.each(['__proto__', 'constructor', 'hasOwnProperty'])('reads back a tenant named %s as its own entry, its records kept', (tenant) => {
    const own = datasetOf({ accessPackages: [pkg('a', 'Default')], accessPackageCatalogs: [] });
    const theirs = datasetOf({ accessPackages: [pkg('b', 'Theirs')], accessPackageCatalogs: [catalog] });
    const tenants = JSON.parse(`{${JSON.stringify(tenant)}: ${JSON.stringify(theirs)}}`) as Record<string, Dataset>;
    const read = parseDataset(Buffer.from(serializeDataset({ ...own, tenants }))) as { tenants: Record<string, Dataset> };
    expect(Object.keys(read.tenants)).toEqual([tenant]);
    expect(Object.hasOwn(read.tenants, tenant)).toBe(true);
    expect(Object.getPrototypeOf(read.tenants)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(read.tenants, tenant)?.value).toEqual(theirs);
  });

  it('reads any other JSON layout, such as a pretty-printed or hand-edited file', () => {
    const dataset = datasetOf({ accessPackages: [pkg('a', 'Sales')], accessPackageCatalogs: [catalog] });
    expect(parseDataset(Buffer.from(JSON.stringify(dataset, null, 2)))).toEqual(dataset);
    expect(parseDataset(Buffer.from(serializeDataset(dataset).replaceAll('\n', '\r\n')))).toEqual(marked(dataset));
    expect(parseDataset(Buffer.from('{"accessPackages":[]}'))).toEqual({ accessPackages: [] });
  });

  it('reads a hand-written file that starts with a UTF-8 byte order mark (RFC 8259 §8.1)', () => {
    const records = datasetOf({ accessPackages: [pkg('a', 'Sales')], accessPackageCatalogs: [catalog] });
    expect(parseDataset(Buffer.from(`\uFEFF${JSON.stringify(records, null, 2)}`))).toEqual(records);
  });

  it('throws a SyntaxError for a damaged file, whichever layout it has', () => {
    const damaged = serializeDataset(datasetOf({ accessPackages: [pkg('a', 'Sales'), pkg('b', 'Tax')], accessPackageCatalogs: [] })).replace('"Tax"', '"Tax');
    expect(() => parseDataset(Buffer.from(damaged))).toThrow(SyntaxError);
    expect(() => parseDataset(Buffer.from('{\n"accessPackages": [\n'))).toThrow(SyntaxError);
  });

  it('refuses a file nested deeper than a request body may be, before JSON.parse builds it', () => {
    const deep = `{"accessPackages": [{"id": "a", "description": ${'['.repeat(200_000)}${']'.repeat(200_000)}}]}`;
    expect(() => parseDataset(Buffer.from(deep))).toThrow(
      new SyntaxError('it nests arrays and objects more than 100 levels deep, as no record, rule or setting does'),
    );
  });

  it('says where a file that is not JSON stops being JSON, quoting none of it', () => {
    expect(() => parseDataset(Buffer.from('root:x:0:0:root:/root:/bin/bash\n'))).toThrow(new SyntaxError('a JSON value was expected at line 1, column 1'));
  });

  it.each([
    ['a first line other than {', (text: string) => text.replace(/^\{\n/, '[\n')],
    ['a format marker that is no JSON string', (text: string) => text.replace(`"${DATA_FORMAT}",`, `"${DATA_FORMAT}\\q",`)],
  ])('refuses a file in the layout with %s where JSON.parse does, rather than reading its records', (_name, damage) => {
    const text = damage(serializeDataset(datasetOf({ accessPackages: [pkg('a', 'Sales')], accessPackageCatalogs: [catalog] })));
    let thrown: unknown;
    try {
      JSON.parse(text);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SyntaxError);
    // In words that quote none of the file (jsonSyntax.ts).
    expect(() => parseDataset(Buffer.from(text))).toThrow(new SyntaxError(jsonSyntaxProblem(text)));
  });
});

/** Feed `bytes` to a RecordLines cut at `cuts`; what end() answers, or 'other' if push() refused a piece. */
function inPieces(bytes: Buffer, cuts: number[]): unknown {
  const lines = new RecordLines();
  const bounds = [0, ...[...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b), bytes.length];
  for (let i = 1; i < bounds.length; i += 1) if (!lines.push(bytes.subarray(bounds[i - 1], bounds[i]))) return 'other';
  return lines.end();
}

describe('RecordLines: the data file layout read in pieces', () => {
  const dataset = datasetOf({ accessPackages: [pkg('a', 'Sales – Tax ✓'), pkg('b', '],\n{"x": [\n}'), pkg('c', 'Zoë')], accessPackageCatalogs: [catalog] });
  const bytes = Buffer.from(serializeDataset(dataset));

  it('reads the same whatever the pieces, even cut inside a line or a multi-byte character', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => expect(inPieces(bytes, cuts)).toEqual(marked(dataset))),
      { numRuns: 300 },
    );
    for (let at = 0; at <= bytes.length; at += 1) expect(inPieces(bytes, [at])).toEqual(marked(dataset));
  });

  it.each([
    ['pretty-printed JSON', JSON.stringify(dataset, null, 2)],
    ['CRLF line ends', serializeDataset(dataset).replaceAll('\n', '\r\n')],
    ['a damaged record', serializeDataset(dataset).replace('"Zoë"', '"Zoë')],
    ['a file cut short', serializeDataset(dataset).slice(0, -3)],
    ['text after the closing brace', `${serializeDataset(dataset)}{}\n`],
    ['nothing', ''],
  ])('leaves %s to JSON.parse', (_name, text) => {
    expect([undefined, 'other']).toContain(inPieces(Buffer.from(text), [7, 100]));
  });

  it.each([
    ['a file on one line', Buffer.from(JSON.stringify(marked(dataset)))],
    ['zeros', Buffer.alloc(64 * 1024)],
  ])('knows %s for another layout at its first piece, rather than carrying it whole as one line', (_name, piece) => {
    // Carried to its end, a one-line file of 600 MB was copied again at every piece (minutes), then failed to be made
    // one string: a stack trace instead of the data file's refusal.
    const lines = new RecordLines();
    expect(lines.push(piece.subarray(0, 1))).toBe(true);
    expect(lines.push(piece.subarray(1))).toBe(false);
  });

  it('a data file of more than a megabyte is read in pieces by the store adapter, and a damaged one still names its problem', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pieces-'));
    try {
      const big = datasetOf({ accessPackages: Array.from({ length: 5_000 }, (_, i) => pkg(`id-${i}`, `Package – ${i}`)), accessPackageCatalogs: [catalog] });
      const file = path.join(dir, 'db.json');
      await writeFile(file, serializeDataset(big));
      const adapter = new DurableJSONFile<Dataset>(file, datasetLines, parseDataset, () => new RecordLines());
      expect(await adapter.read()).toEqual(marked(big));
      await writeFile(file, serializeDataset(big).replace('"Package – 4999"', '"Package – 4999'));
      const error = await adapter.read().catch((err: unknown) => err);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ kind: 'corrupt', message: expect.stringContaining('is not valid JSON') });
      await writeFile(file, '  \n');
      expect(await adapter.read()).toBeNull();
      await rm(file);
      expect(await adapter.read()).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the data file with other tenants', () => {
  const main = datasetOf({ accessPackages: [pkg('a', 'Default tenant')], accessPackageCatalogs: [catalog] });
  const workerOne = datasetOf({ accessPackages: [pkg('b', 'Worker one'), pkg('c', '"tenants": {\n}')] });
  const data = { ...main, tenants: { 'worker-1': workerOne, 'worker.2': datasetOf({}) } };
  const file = { [FORMAT_KEY]: DATA_FORMAT, ...data };
  const text = serializeDataset(data);

  it('keeps one record per line: the marker, the default tenant at the top level, each other tenant under "tenants"', () => {
    const lines = text.split('\n');
    expect(lines.slice(0, 5)).toEqual(['{', `"${FORMAT_KEY}": "${DATA_FORMAT}",`, '"accessPackages": [', JSON.stringify(main.accessPackages[0]), '],']);
    const tenants = lines.indexOf('"tenants": {');
    expect(lines.slice(tenants, tenants + 5)).toEqual([
      '"tenants": {',
      '"worker-1": {',
      '"accessPackages": [',
      `${JSON.stringify(workerOne.accessPackages[0])},`,
      JSON.stringify(workerOne.accessPackages[1]),
    ]);
    // The last tenant's last collection, then the ends of that tenant, of "tenants" and of the file.
    expect(lines.slice(-5)).toEqual(['"accessPackageIncompatibilities": []', '}', '}', '}', '']);
    expect(JSON.parse(text)).toEqual(file);
  });

  it('is read back whatever the pieces, by the streaming reader', () => {
    const bytes = Buffer.from(text);
    expect(inPieces(bytes, [])).toEqual(file);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => expect(inPieces(bytes, cuts)).toEqual(file)),
      { numRuns: 200 },
    );
  });

  it('is written without "tenants" when there is no other tenant: a single-tenant file is unchanged', () => {
    expect(serializeDataset({ ...main, tenants: {} })).toBe(serializeDataset(main));
    expect(serializeDataset(main)).not.toContain('tenants');
  });

  it('refuses a file with "tenants" written twice, rather than keep the second and lose the tenants of the first', () => {
    const second = `"tenants": {\n"worker-3": {\n"accessPackages": []\n}\n}\n}\n`;
    const twice = text.replace(/\}\n\}\n\}\n$/, `}\n},\n${second}`);
    expect(() => parseDataset(Buffer.from(twice))).toThrow(new SyntaxError("the name 'tenants' is written twice in one object; only the last would count"));
    // Without the comma between them, the refusal is JSON.parse's.
    const unseparated = text.replace(/\}\n\}\n\}\n$/, `}\n}\n${second}`);
    expect(() => JSON.parse(unseparated)).toThrow(SyntaxError);
    expect(() => parseDataset(Buffer.from(unseparated))).toThrow(SyntaxError);
    for (const damaged of [twice, unseparated]) expect([undefined, 'other']).toContain(inPieces(Buffer.from(damaged), [5]));
  });

  it.each([
    ['a tenant twice', text.replace('"worker.2": {', '"worker-1": {')],
    ['"tenants" inside a tenant', text.replace('"worker.2": {\n', '"worker.2": {\n"tenants": {\n')],
    ['a tenant id with other characters', text.replace('"worker.2": {', '"worker 2": {')],
    ['a tenant left open', text.replace(/\}\n\}\n\}\n$/, '}\n}\n')],
    ['the format marker inside a tenant', text.replace('"worker.2": {\n', `"worker.2": {\n"${FORMAT_KEY}": "${DATA_FORMAT}",\n`)],
  ])('leaves %s to JSON.parse', (_name, damaged) => {
    expect([undefined, 'other']).toContain(inPieces(Buffer.from(damaged), [5]));
  });
});
