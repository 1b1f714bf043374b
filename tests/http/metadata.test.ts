// GET /beta/$metadata and /v1.0/$metadata: the CSDL of what the emulator implements, generated from the excerpts
// the resource schemas come from, readable by a CSDL reader and consistent with the schemas.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { type ApiVersion, allProperties, readCsdl } from '../../server/metadata/csdl.js';
import { childrenNamed } from '../../server/metadata/xmlTree.js';
import { loadSchema } from '../../server/resources/validation.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { section } from '../support/markdown.js';

const app = createApp({ store: new MemoryStore() });

async function metadata(version: ApiVersion, query = '') {
  return request(app)
    .get(`/${version}/$metadata${query}`)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    });
}

describe('$metadata', () => {
  it.each(['beta', 'v1.0'] as const)('serves the %s CSDL as XML, with no token, as Graph does', async (version) => {
    const res = await metadata(version);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe('application/xml;charset=utf-8');
    expect(res.headers['odata-version']).toBe('4.0');
    const text = res.body as string;
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<edmx:Edmx Version="4.0"')).toBe(true);
    expect(text).not.toContain('<!--');
    const model = readCsdl(text, version);
    const container = childrenNamed(childrenNamed(childrenNamed(model.document, 'edmx:DataServices')[0]!, 'Schema')[0]!, 'EntityContainer')[0]!;
    expect(container.children.map((c) => c.attributes['Name'])).toEqual(['identityGovernance']);
    const sets = allProperties(model, 'entitlementManagement').map((p) => p.name);
    expect(sets).toEqual(
      version === 'beta'
        ? ['id', 'accessPackageAssignmentPolicies', 'accessPackageCatalogs', 'accessPackageResourceRequests', 'accessPackages']
        : ['id', 'accessPackages', 'assignmentPolicies', 'catalogs', 'resourceRequests'],
    );
  });

  it('describes what the schemas check: every stored property of a beta type is in the document, uniqueName an alternate key', async () => {
    const model = readCsdl((await metadata('beta')).body as string, 'beta');
    for (const type of ['accessPackage', 'accessPackageCatalog', 'accessPackageAssignmentPolicy', 'accessPackageResourceRoleScope'] as const) {
      const schema = loadSchema(type);
      const declared = Object.entries(schema.properties)
        .filter(([, p]) => p['x-internal'] === undefined && p['x-ignored'] === undefined)
        .map(([name]) => name);
      expect(declared.sort()).toEqual(
        allProperties(model, type)
          .map((p) => p.name)
          .sort(),
      );
    }
    expect(model.types.get('accessPackage')!.alternateKeys).toEqual(['uniqueName']);
    expect((await metadata('beta')).body).toContain('<Action Name="moveToCatalog" IsBound="true">');
  });

  it('describes v1.0’s request requirements with their questions, in v1.0’s question types', async () => {
    const model = readCsdl((await metadata('v1.0')).body as string, 'v1.0');
    const names = (type: string) => allProperties(model, type).map((p) => `${p.name}:${p.type}`);
    expect(names('accessPackageAssignmentRequestRequirements')).toContain('questions:Collection(graph.accessPackageQuestion)');
    expect(names('accessPackageTextInputQuestion').sort()).toEqual(
      [
        'id:Edm.String',
        'isAnswerEditable:Edm.Boolean',
        'isRequired:Edm.Boolean',
        'isSingleLineQuestion:Edm.Boolean',
        'localizations:Collection(graph.accessPackageLocalizedText)',
        'regexPattern:Edm.String',
        'sequence:Edm.Int32',
        'text:Edm.String',
      ].sort(),
    );
    expect(names('accessPackageMultipleChoiceQuestion')).toEqual(
      expect.arrayContaining(['choices:Collection(graph.accessPackageAnswerChoice)', 'isMultipleSelectionAllowed:Edm.Boolean']),
    );
    expect(names('accessPackageAnswerChoice')).toEqual([
      'actualValue:Edm.String',
      'localizations:Collection(graph.accessPackageLocalizedText)',
      'text:Edm.String',
    ]);
  });

  it('declares v1.0’s lifecycle workflow subject sets in microsoft.graph.identityGovernance, as v1.0-Prod does', async () => {
    const text = (await metadata('v1.0')).body as string;
    expect(text).toContain('<Schema Namespace="microsoft.graph.identityGovernance" xmlns="http://docs.oasis-open.org/odata/ns/edm">');
    const model = readCsdl(text, 'v1.0');
    expect(model.types.get('identityGovernance.ruleBasedSubjectSet')).toMatchObject({ kind: 'ComplexType', baseType: 'subjectSet' });
    expect(model.types.has('ruleBasedSubjectSet')).toBe(false);
  });

  it('takes $format=xml, refuses another format with 406, and answers the path case-insensitively', async () => {
    expect((await metadata('beta', '?$format=xml')).status).toBe(200);
    const refused = await request(app).get('/beta/$metadata?$format=json');
    expectGraphError(refused, 406, 'NotAcceptable', "The $format 'json' is not supported for $metadata; use xml.");
    // The answer docs/graph-fidelity.md gives.
    expect(section('docs/graph-fidelity.md', 'One error envelope')).toContain(`another \`$format\` is 406 \`NotAcceptable\` "${refused.body.error.message}"`);
    expect((await request(app).get('/V1.0/$METADATA')).status).toBe(200);
    const slashed = await request(app).get('/beta/$Metadata/');
    expect(slashed.status).toBe(200);
    expect(slashed.headers['content-type']).toBe('application/xml;charset=utf-8');
    // Only the version's own document: a $metadata segment elsewhere is a path like any other.
    expect((await request(app).get('/beta/identityGovernance/$metadata')).headers['content-type']).not.toMatch(/xml/);
  });

  it.each([
    ['post', '/beta/$metadata'],
    ['delete', '/beta/$metadata'],
    ['put', '/v1.0/$metadata'],
    ['patch', '/V1.0/$Metadata/'],
  ] as const)('answers %s %s with 405 and Allow: GET, HEAD, with no token', async (method, path) => {
    const res = await request(app)[method](path).set('client-request-id', 'mine-2');
    expectGraphError(res, 405, 'MethodNotAllowed', `The HTTP method '${method.toUpperCase()}' is not allowed for the requested resource.`);
    expect(res.headers['allow']).toBe('GET, HEAD');
    expect(res.headers['client-request-id']).toBe('mine-2');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });
});
