// What the admin page knows of the server, checked against the server itself: the collections and the entity sets it
// browses, the columns it sorts on, the filter it writes, and the fault rules its templates make.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COLLECTIONS, COLLECTION_NAMES } from '../../server/collections.js';
import { parseFaultRule } from '../../server/faults/ruleSchema.js';
import { FIXTURES_DIR } from '../../server/paths.js';
import { RESOURCES } from '../../server/resources/registry.js';
import {
  CELL_CHARS,
  COLLECTION_VIEWS,
  LONG_WORD,
  SERVER_OWNED,
  cellText,
  cellWrap,
  displayNameFilter,
  editableBody,
  firstPageUrl,
} from '../../ui/collections.js';
import { FAULT_TEMPLATES, describeEffect, describeMatch, ruleOf } from '../../ui/faultTemplates.js';

function schemaProperties(collection: keyof typeof COLLECTIONS): string[] {
  const schema = JSON.parse(readFileSync(path.join(FIXTURES_DIR, `${COLLECTIONS[collection]}.schema.json`), 'utf8')) as { properties: object };
  return Object.keys(schema.properties);
}

describe('the collections the page shows', () => {
  it('are the stored collections, in their order', () => {
    expect(COLLECTION_VIEWS.map((v) => v.name)).toEqual(COLLECTION_NAMES);
  });

  it.each(COLLECTION_VIEWS.filter((v) => v.entitySet !== undefined).map((v) => [v.name, v] as const))(
    '%s: a beta entity set, columns of its type, sortable where Graph orders by them, updated as Graph updates it',
    (name, view) => {
      const resource = RESOURCES.find((r) => r.collection === name)!;
      expect(resource.surfaces.beta?.entitySet).toBe(view.entitySet);
      const properties = schemaProperties(name as keyof typeof COLLECTIONS);
      for (const column of view.columns!) {
        expect(properties).toContain(column.key);
        expect(resource.queryable.includes(column.key)).toBe(column.sortable);
      }
      expect(resource.operations).toContain(view.update === 'PUT' ? 'replace' : 'update');
      expect(resource.operations).toEqual(expect.arrayContaining(['list', 'get', 'create', 'delete']));
      for (const key of Object.keys(view.template!)) expect(properties).toContain(key);
    },
  );

  it('the others have no entity set in beta, or one Graph never updates nor deletes, and the page says where Graph serves them', () => {
    for (const view of COLLECTION_VIEWS.filter((v) => v.entitySet === undefined)) {
      const resource = RESOURCES.find((r) => r.collection === view.name);
      const entitySet = resource?.surfaces.beta?.entitySet;
      if (entitySet === undefined) {
        expect(view.servedUnder).toMatch(/^access\w+\/\{id\}\//);
        continue;
      }
      // Resource requests: created and read, never changed, so the page shows them without an editor.
      expect(view.servedUnder).toBe(entitySet);
      expect(resource!.operations).not.toEqual(expect.arrayContaining(['update']));
      expect(resource!.operations).not.toEqual(expect.arrayContaining(['delete']));
    }
  });
});

describe('the list URL', () => {
  it('asks for a page, the count, the columns, the order and the filter', () => {
    const view = COLLECTION_VIEWS[0]!;
    expect(firstPageUrl(view, { pageSize: 25 })).toBe(
      '/beta/identityGovernance/entitlementManagement/accessPackages?$top=25&$count=true&$select=id,displayName,description,isHidden,catalogId,modifiedDateTime',
    );
    const url = firstPageUrl(view, { pageSize: 100, orderBy: { key: 'modifiedDateTime', descending: true }, filter: "  O'Brien & Co " });
    expect(decodeURIComponent(url)).toMatch(/&\$orderby=modifiedDateTime desc&\$filter=contains\(tolower\(displayName\),'o''brien & co'\)$/);
  });

  it('an empty filter box filters nothing', () => {
    expect(displayNameFilter('   ')).toBeUndefined();
    expect(displayNameFilter('Sales')).toBe("contains(tolower(displayName),'sales')");
  });

  it('the editor leaves out what the server owns and the OData annotations', () => {
    const record = { '@odata.context': 'x', '@odata.type': '#t', id: '1', displayName: 'a', isHidden: false, createdBy: 'u', modifiedDateTime: 'd' };
    expect(editableBody(record)).toEqual({ displayName: 'a', isHidden: false });
    expect(SERVER_OWNED).toContain('createdDateTime');
  });
});

describe('a table cell', () => {
  it(`breaks a word anywhere only from ${LONG_WORD} characters on; keeps a GUID, a count and "no" on one line`, () => {
    expect(cellWrap('3f6b5c7e-1d2a-4b8c-9e0f-a1b2c3d4e5f6')).toBe('whole');
    expect([cellWrap('no'), cellWrap('12'), cellWrap('x'.repeat(LONG_WORD - 1))]).toEqual(['whole', 'whole', 'whole']);
    expect(cellWrap(cellText('2026-11-01T08:30:15Z'))).toBeNull();
    expect(cellWrap('Development team access for the research group, renewed yearly')).toBeNull();
    expect(cellWrap('')).toBeNull();
    expect(cellWrap('x'.repeat(LONG_WORD))).toBe('long-words');
    expect(cellWrap(`a ${'x'.repeat(LONG_WORD)} b`)).toBe('long-words');
    expect(cellWrap(cellText('L'.repeat(200_000)))).toBe('long-words');
  });

  it('shows a date to the second, a Boolean as yes or no, an object as JSON, nothing for null', () => {
    expect(cellText('2026-11-01T08:30:15.1234567Z')).toBe('2026-11-01 08:30:15');
    expect([cellText(true), cellText(false), cellText(null), cellText(undefined)]).toEqual(['yes', 'no', '', '']);
    expect(cellText({ a: 1 })).toBe('{"a":1}');
  });

  it(`cuts a long text at ${CELL_CHARS} characters, never between the two halves of an emoji`, () => {
    expect(cellText('x'.repeat(CELL_CHARS))).toBe('x'.repeat(CELL_CHARS));
    expect(cellText('x'.repeat(CELL_CHARS + 1))).toBe(`${'x'.repeat(CELL_CHARS)}…`);
    // The emoji's high half is the 200th unit: the cut comes before it, not in it.
    const emoji = `${'x'.repeat(CELL_CHARS - 1)}😀tail`;
    expect(cellText(emoji)).toBe(`${'x'.repeat(CELL_CHARS - 1)}…`);
    expect(cellText(`${'x'.repeat(CELL_CHARS - 2)}😀tail`)).toBe(`${'x'.repeat(CELL_CHARS - 2)}😀…`);
  });
});

describe('the fault templates', () => {
  it.each(FAULT_TEMPLATES.map((t) => [t.label, t] as const))('%s: its rule, as the form starts, is one the faults API accepts', (_label, template) => {
    const effect = Object.fromEntries(template.fields.map((f) => [f.key, f.initial]));
    const rule = ruleOf(template, effect, { method: template.method });
    expect(parseFaultRule(rule)).toEqual(rule);
    expect(describeEffect(rule)).not.toBe('');
  });

  it('match fields become the rule’s, numbers as numbers, blanks left out', () => {
    const throttled = FAULT_TEMPLATES.find((t) => t.id === 'throttled')!;
    const rule = ruleOf(
      throttled,
      { retryAfter: '3' },
      { name: ' burst ', method: 'POST', path: '/beta/**', probability: '0.5', after: '', every: '2', times: '4' },
    );
    expect(rule).toEqual({ name: 'burst', method: 'POST', path: '/beta/**', probability: 0.5, every: 2, times: 4, status: 429, retryAfter: 3 });
    expect(parseFaultRule(rule)).toEqual(rule);
    expect(describeMatch(rule)).toBe('POST /beta/** · probability 0.5 · every 2nd · 4 times');
    expect(describeEffect(rule)).toBe('429, Retry-After 3 s');
  });

  it('a range of latency, and a failure after commit', () => {
    const latency = FAULT_TEMPLATES.find((t) => t.id === 'latency')!;
    expect(ruleOf(latency, { latency: '100', latencyMax: '400' }, {})).toEqual({ latency: { min: 100, max: 400 } });
    const after = FAULT_TEMPLATES.find((t) => t.id === 'after-commit')!;
    const rule = ruleOf(after, { status: '502' }, { method: 'PATCH' });
    expect(rule).toEqual({ method: 'PATCH', phase: 'after', status: 502 });
    expect(describeEffect(rule)).toBe('502, after commit');
  });
});
