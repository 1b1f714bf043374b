import { describe, expect, it } from '@jest/globals';
import { parseDataset, serializeDataset } from '../../server/store/dataFileFormat.js';
import { type AccessPackage, type AccessPackageCatalog, type Dataset, datasetOf } from '../../server/store/types.js';

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
    expect(parseDataset(Buffer.from(serializeDataset(dataset)))).toEqual(dataset);
  });

  it('reads any other JSON layout, such as a pretty-printed or hand-edited file', () => {
    const dataset = datasetOf({ accessPackages: [pkg('a', 'Sales')], accessPackageCatalogs: [catalog] });
    expect(parseDataset(Buffer.from(JSON.stringify(dataset, null, 2)))).toEqual(dataset);
    expect(parseDataset(Buffer.from(serializeDataset(dataset).replaceAll('\n', '\r\n')))).toEqual(dataset);
    expect(parseDataset(Buffer.from('{"accessPackages":[]}'))).toEqual({ accessPackages: [] });
  });

  it('throws a SyntaxError for a damaged file, whichever layout it has', () => {
    const damaged = serializeDataset(datasetOf({ accessPackages: [pkg('a', 'Sales'), pkg('b', 'Tax')], accessPackageCatalogs: [] })).replace('"Tax"', '"Tax');
    expect(() => parseDataset(Buffer.from(damaged))).toThrow(SyntaxError);
    expect(() => parseDataset(Buffer.from('{\n"accessPackages": [\n'))).toThrow(SyntaxError);
  });
});
