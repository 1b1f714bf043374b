// The resource schemas come from the CSDL excerpts (fixtures/csdl/): the committed files are what
// `npm run schemas` writes, they follow the global beta model, and they check nested settings.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAjv } from '../../server/jsonSchema.js';
import { allProperties, csdlModel, derivedTypes, readCsdl } from '../../server/metadata/csdl.js';
import { allSchemaFiles } from '../../server/metadata/jsonSchemas.js';
import { FIXTURES_DIR } from '../../server/paths.js';
import { createValidator } from '../../server/resources/validation.js';

const files = allSchemaFiles();

describe('npm run schemas', () => {
  it.each([...files.keys()])('%s is current', (relative) => {
    const committed = JSON.parse(readFileSync(path.join(FIXTURES_DIR, relative), 'utf8')) as unknown;
    expect(committed).toEqual(files.get(relative));
  });

  it.each([...files.keys()])('%s compiles with the strict Ajv the emulator uses', (relative) => {
    expect(() => createAjv().compile(files.get(relative)!)).not.toThrow();
  });
});

describe('the CSDL excerpts', () => {
  it('follow the global beta model: uniqueName on packages and catalogs, privilegeLevel on catalogs, uniqueName an alternate key', () => {
    const beta = csdlModel('beta');
    const names = (type: string) => allProperties(beta, type).map((p) => p.name);
    expect(names('accessPackage')).toEqual(expect.arrayContaining(['id', 'catalogId', 'uniqueName', 'accessPackageAssignmentPolicies']));
    expect(names('accessPackageCatalog')).toEqual(expect.arrayContaining(['uniqueName', 'privilegeLevel', 'accessPackages']));
    expect(beta.types.get('accessPackage')!.alternateKeys).toEqual(['uniqueName']);
    expect(derivedTypes(beta, 'userSet').map((t) => t.name)).toEqual(expect.arrayContaining(['singleUser', 'groupMembers', 'externalSponsors']));
  });

  it('keep v1.0 names apart: catalog, assignmentPolicies, resourceRoleScopes, state', () => {
    const v1 = csdlModel('v1.0');
    expect(allProperties(v1, 'accessPackage').map((p) => p.name)).toEqual(
      expect.arrayContaining(['catalog', 'assignmentPolicies', 'resourceRoleScopes', 'incompatibleGroups']),
    );
    expect(allProperties(v1, 'accessPackage').map((p) => p.name)).not.toContain('catalogId');
    expect(allProperties(v1, 'accessPackageCatalog').map((p) => p.name)).toContain('state');
  });

  it('declare v1.0 navigations of complex types as v1.0-Prod does; only the hinted one becomes part of a value sent', () => {
    const v1 = csdlModel('v1.0');
    const question = allProperties(v1, 'accessPackageResourceAttributeQuestion').find((p) => p.name === 'question');
    // As v1.0-Prod.csdl declares it: a navigation without ContainsTarget (so no `question@odata.context`).
    expect(question).toEqual({ name: 'question', type: 'graph.accessPackageQuestion', nullable: true, navigation: true, containsTarget: false });
    const resource = files.get('v1.0/accessPackageResource.schema.json')!;
    const definitions = resource['definitions'] as Record<string, { properties: Record<string, unknown> }>;
    expect(JSON.stringify(definitions['accessPackageResourceAttributeSource']!.properties['question'])).toContain(
      '"$ref":"#/definitions/accessPackageQuestion"',
    );
    // The hint alone brings it in: the same model without hints for inline navigations leaves it out.
    const unhinted = allSchemaFiles({
      ...(JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'csdl', 'hints.json'), 'utf8')) as NonNullable<Parameters<typeof allSchemaFiles>[0]>),
      inlineNavigations: { beta: [], 'v1.0': [] },
    }).get('v1.0/accessPackageResource.schema.json')!;
    const bare = unhinted['definitions'] as Record<string, { properties: Record<string, unknown> }>;
    expect(bare['accessPackageResourceAttributeSource']!.properties).not.toHaveProperty('question');
  });

  it('declare beta’s accessPackageSubject with the subjectLifecycle beta-Prod has, typed as v1.0-Prod types it', () => {
    const beta = csdlModel('beta');
    expect(allProperties(beta, 'accessPackageSubject').find((p) => p.name === 'subjectLifecycle')).toEqual({
      name: 'subjectLifecycle',
      type: 'graph.accessPackageSubjectLifecycle',
      nullable: false,
      navigation: false,
      containsTarget: false,
    });
    expect(beta.types.get('accessPackageSubjectLifecycle')).toMatchObject({
      kind: 'EnumType',
      members: ['notDefined', 'notGoverned', 'governed', 'unknownFutureValue'],
      memberValues: [0, 1, 2, 3],
    });
  });

  it('declare v1.0’s lifecycle workflow subject sets in microsoft.graph.identityGovernance, as v1.0-Prod does', () => {
    const v1 = csdlModel('v1.0');
    expect(v1.types.get('ruleBasedSubjectSet')).toBeUndefined();
    expect(v1.types.get('identityGovernance.ruleBasedSubjectSet')).toMatchObject({ kind: 'ComplexType', baseType: 'subjectSet', abstract: false });
    expect(allProperties(v1, 'identityGovernance.ruleBasedSubjectSet')).toEqual([
      { name: 'rule', type: 'Edm.String', nullable: false, navigation: false, containsTarget: false },
    ]);
    expect(allProperties(v1, 'identityGovernance.groupBasedSubjectSet')).toEqual([
      { name: 'groups', type: 'Collection(graph.group)', nullable: true, navigation: true, containsTarget: false },
    ]);
    const policy = files.get('v1.0/accessPackageAssignmentPolicy.schema.json')!;
    const subjectSet = (policy['definitions'] as Record<string, { properties: Record<string, { enum?: string[] }> }>)['subjectSet']!;
    expect(subjectSet.properties['@odata.type']!.enum).toEqual(
      expect.arrayContaining(['#microsoft.graph.identityGovernance.ruleBasedSubjectSet', '#microsoft.graph.identityGovernance.groupBasedSubjectSet']),
    );
    expect(subjectSet.properties['@odata.type']!.enum).not.toContain('#microsoft.graph.ruleBasedSubjectSet');
  });

  it('reads comments, self-closing elements and attributes, and refuses text content', () => {
    const doc = (inner: string) =>
      `<?xml version="1.0"?><!-- c --><edmx:Edmx><edmx:DataServices><Schema Namespace="x">${inner}</Schema></edmx:DataServices></edmx:Edmx>`;
    const model = readCsdl(doc('<EnumType Name="e"><Member Name="a" Value="0" /></EnumType>'), 'beta');
    expect(model.types.get('e')).toMatchObject({ kind: 'EnumType', members: ['a'] });
    expect(() => readCsdl(doc('stray text'), 'beta')).toThrow(/Unexpected text/);
    const twoSchemas = (namespace: string) =>
      `<edmx:Edmx><edmx:DataServices><Schema Namespace="microsoft.graph"><ComplexType Name="a" /></Schema><Schema Namespace="${namespace}"><ComplexType Name="b" BaseType="graph.a" /></Schema></edmx:DataServices></edmx:Edmx>`;
    expect(readCsdl(twoSchemas('microsoft.graph.inner'), 'v1.0').types.get('inner.b')).toMatchObject({ name: 'inner.b', baseType: 'a' });
    expect(() => readCsdl(twoSchemas('contoso'), 'v1.0')).toThrow("The v1.0 CSDL excerpt has a Schema outside microsoft.graph: 'contoso'.");
    // Only a namespace inside microsoft.graph, named to its dot; a second microsoft.graph schema's types keep their names.
    expect(() => readCsdl(twoSchemas('microsoft.graphs'), 'v1.0')).toThrow("The v1.0 CSDL excerpt has a Schema outside microsoft.graph: 'microsoft.graphs'.");
    expect(readCsdl(twoSchemas('microsoft.graph'), 'v1.0').types.get('b')).toMatchObject({ name: 'b', baseType: 'a' });
  });
});

describe('the policy schema', () => {
  const validator = createValidator('accessPackageAssignmentPolicy');

  it('takes the settings of the create page, derived question and approver types named by @odata.type', () => {
    const body = {
      accessPackageId: '56ff43fd-6b05-48df-9634-956a777fce6d',
      displayName: 'Users from connected organizations can request',
      durationInDays: 365,
      requestorSettings: { scopeType: 'AllExistingConnectedOrganizationSubjects', acceptRequests: true, allowedRequestors: [] },
      requestApprovalSettings: {
        isApprovalRequired: true,
        approvalMode: 'Serial',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 14,
            primaryApprovers: [{ '@odata.type': '#microsoft.graph.groupMembers', isBackup: true, id: 'x', description: 'group' }],
          },
        ],
      },
      questions: [{ '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', isRequired: false, isSingleLineQuestion: false }],
      expiration: { type: 'afterDuration', duration: 'P365D' },
    };
    expect(validator.check(body)).toBe(body);
  });

  it('refuses a value of the wrong type inside the settings, an approver without its type, and the emulator’s own links', () => {
    expect(() => validator.check({ requestorSettings: { acceptRequests: 'yes' } })).toThrow(/requestorSettings/);
    expect(() => validator.check({ requestApprovalSettings: { approvalStages: [{ primaryApprovers: [{ isBackup: true }] }] } })).toThrow(
      /requestApprovalSettings/,
    );
    expect(() => validator.check({ v1Settings: {} })).toThrow(
      "The property 'v1Settings' does not exist on type 'microsoft.graph.accessPackageAssignmentPolicy'.",
    );
  });

  it('holds a request body, not a stored record, to the properties of the type its @odata.type names', () => {
    const body = { requestorSettings: { allowedRequestors: [{ '@odata.type': '#microsoft.graph.singleUser', id: 'x', managerLevel: 1 }] } };
    expect(() => validator.check(body)).toThrow("The property 'managerLevel' does not exist on type 'microsoft.graph.singleUser'.");
    // A data file an earlier version wrote with such a value still loads.
    expect(validator.check(body, true)).toBe(body);
  });
});
