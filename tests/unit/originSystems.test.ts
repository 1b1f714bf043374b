import { describe, expect, it } from '@jest/globals';
import { kindOfSystem, namedResource } from '../../server/resources/accessPackageResources/originSystems.js';

describe('namedResource', () => {
  it.each([
    ['https://contoso.sharepoint.com/sites/Sales', 'Sales'],
    ['https://contoso.sharepoint.com/sites/Sales/', 'Sales'],
    ['https://contoso.sharepoint.com/sites/Sales///', 'Sales'],
    ['Sales', 'Sales'],
    ['///', '///'],
  ])("names a site %s by its address's last segment: %s", (originId, displayName) => {
    expect(namedResource('site', originId)).toEqual({ displayName, description: originId });
  });

  it('names a group and an application the same for the same originId, in any case', () => {
    const id = 'E93E24D1-2B65-4A6C-A1DD-654A12225487';
    const group = namedResource('group', id);
    expect(group).toEqual(namedResource('group', id.toLowerCase().toUpperCase()));
    expect(group.displayName).toMatch(/^[A-Z][a-z]+ team E93E24D1$/);
    expect(namedResource('group', id.toLowerCase()).displayName.split(' ')[0]).toBe(group.displayName.split(' ')[0]);
    expect(namedResource('application', id).displayName).toMatch(/^[A-Z][a-z]+ app E93E24D1$/);
  });

  it('reads a long run of slashes in time linear in its length', () => {
    // The pattern it replaced, /\/+$/, took seconds on such a text; the name is what follows the last slash kept.
    const originId = `${'/'.repeat(200_000)}x/`;
    expect(namedResource('site', originId).displayName).toBe('x');
  });
});

describe('kindOfSystem', () => {
  it.each([
    ['AadGroup', 'group'],
    ['AadApplication', 'application'],
    ['SharePointOnline', 'site'],
    ['aadgroup', undefined],
    [5, undefined],
  ])('%s is %s', (system, kind) => {
    expect(kindOfSystem(system)).toBe(kind);
  });
});
