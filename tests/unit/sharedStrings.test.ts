// String identity is not observable from JavaScript; what is: values are unchanged, the pool holds one
// entry per distinct value of the repeating properties, and it stops growing at its limit.
import { describe, expect, it } from '@jest/globals';
import { SharedStrings } from '../../server/store/sharedStrings.js';

const record = (i: number, creator: string) => ({
  id: `id-${i}`,
  displayName: `Package ${i}`,
  catalogId: 'catalog-1',
  createdBy: creator,
  modifiedBy: creator,
  createdDateTime: `2026-01-01T00:00:0${i % 10}.0000000Z`,
  modifiedDateTime: `2026-01-01T00:00:0${i % 10}.0000000Z`,
});

describe('SharedStrings', () => {
  it('leaves every value as it was and returns the record itself', () => {
    const strings = new SharedStrings();
    const original = record(1, 'ada@contoso.com');
    const copy = structuredClone(original);
    expect(strings.compact(original)).toBe(original);
    expect(original).toEqual(copy);
  });

  it('pools one string per distinct value of the repeating properties only', () => {
    const strings = new SharedStrings();
    for (let i = 0; i < 100; i += 1) strings.compact(record(i, i % 2 === 0 ? 'ada@contoso.com' : 'alan@contoso.com'));
    // catalog-1, ada, alan: ids, names and dates are not pooled.
    expect(strings.size).toBe(3);
  });

  it('stops pooling new values at its limit and still answers with the value', () => {
    const strings = new SharedStrings(2);
    expect(strings.share('a')).toBe('a');
    expect(strings.share('b')).toBe('b');
    expect(strings.share('c')).toBe('c');
    expect(strings.size).toBe(2);
  });

  it('skips properties a record does not have and values that are not strings', () => {
    const strings = new SharedStrings();
    const catalog = { id: 'c', catalogStatus: 'Published', catalogType: 'UserManaged', catalogId: null, createdBy: null };
    strings.compact(catalog);
    expect(catalog).toEqual({ id: 'c', catalogStatus: 'Published', catalogType: 'UserManaged', catalogId: null, createdBy: null });
    expect(strings.size).toBe(2);
  });
});
