import { describe, expect, it } from '@jest/globals';
import { compileFilter } from '../../server/odata/filterCompile.js';
import { parseFilter } from '../../server/odata/filterParser.js';
import { catalogsV1 } from '../../server/resources/accessPackageCatalogs/v1.js';
import { csdlEntityModel } from '../../server/resources/typeModel.js';
import { graphErrorOf } from '../support/errors.js';

// v1.0's catalog, whose state (unpublished 1, published 2, unknownFutureValue 3) and catalogType (userManaged 1,
// serviceDefault 2, serviceManaged 3, unknownFutureValue 4) are enums in fixtures/csdl/v1.0.xml.
const model = csdlEntityModel('v1.0', 'accessPackageCatalog', catalogsV1.queryable!, 'catalogs');
const RECORDS = [
  { id: '1', displayName: 'published', state: 'published', catalogType: 'userManaged' },
  { id: '2', displayName: 'Other', state: 'unpublished', catalogType: 'serviceDefault' },
  { id: '3', displayName: 'Unknown', state: 'unknownFutureValue', catalogType: 'unknownFutureValue' },
  { id: '4', displayName: null, state: null, catalogType: null },
];

function matching(filter: string): number[] {
  const predicate = compileFilter(parseFilter(filter), model);
  return RECORDS.flatMap((r, i) => (predicate(r) ? [i + 1] : []));
}

describe('an enum property in $filter', () => {
  it('is typed by its enum, not as a string', () => {
    expect(model.properties.get('state')).toMatchObject({ edmType: 'microsoft.graph.accessPackageCatalogState' });
    expect(model.properties.get('catalogtype')?.enumType?.members.get('serviceManaged')).toBe(3);
  });

  it.each<[string, number[]]>([
    ["state eq 'published'", [1]],
    ["state ne 'published'", [2, 3, 4]],
    ["'unpublished' eq state", [2]],
    ["catalogType eq 'unknownFutureValue'", [3]],
    ['state eq null', [4]],
    ['state ne null', [1, 2, 3]],
    // an integral number, or a string of one, names the member of that value
    ['state eq 1', [2]],
    ['state eq 1L', [2]],
    ['state eq 02', [1]],
    ["state eq '2'", [1]],
    ['catalogType ne 4', [1, 2, 4]],
    // the qualified literal: with the namespace or its alias; the type's and the member's names in any case
    ["catalogType eq microsoft.graph.accessPackageCatalogType'userManaged'", [1]],
    ["catalogType eq graph.accessPackageCatalogType'serviceDefault'", [2]],
    ["catalogType eq Microsoft.Graph.AccessPackageCatalogType'ServiceDefault'", [2]],
    ["state eq microsoft.graph.accessPackageCatalogState'2'", [1]],
    ["state eq microsoft.graph.accessPackageCatalogState'9'", []],
    // ordered by the members' values: unpublished 1 < published 2 < unknownFutureValue 3
    ["state gt microsoft.graph.accessPackageCatalogState'unpublished'", [1, 3]],
    ["state le microsoft.graph.accessPackageCatalogState'published'", [1, 2]],
    ["microsoft.graph.accessPackageCatalogState'published' lt state", [3]],
    // a string property compared by the member it names
    ['state eq displayName', [1, 4]],
    ['state eq id', []],
    ["state eq 'published' and catalogType eq 'userManaged'", [1]],
  ])('%s', (filter, expected) => {
    expect(matching(filter)).toEqual(expected);
  });

  const incompatible = (left: string, right: string, kind: string) =>
    `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${kind}'.`;
  const STATE = 'microsoft.graph.accessPackageCatalogState';
  const TYPE = 'microsoft.graph.accessPackageCatalogType';
  const signature = (name: string, args: string) =>
    `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(${args}).`;
  const pair = 'Edm.String Nullable=true, Edm.String Nullable=true';

  it.each<[string, string]>([
    ["catalogType eq 'bogus'", "The string 'bogus' is not a valid enumeration type constant."],
    ["catalogType eq 'UserManaged'", "The string 'UserManaged' is not a valid enumeration type constant."],
    ["state ne 'Published'", "The string 'Published' is not a valid enumeration type constant."],
    ['state eq 7', "The string '7' is not a valid enumeration type constant."],
    ["state eq ''", "The string '' is not a valid enumeration type constant."],
    ["state eq microsoft.graph.accessPackageCatalogState'bogus'", `The string '${STATE}'bogus'' is not a valid enumeration type constant.`],
    ["state eq microsoft.graph.accessPackageCatalogState''", `The string '${STATE}''' is not a valid enumeration type constant.`],
    ["state eq microsoft.graph.nothing'published'", "The string 'microsoft.graph.nothing'published'' is not a valid enumeration type constant."],
    ["displayName eq Edm.String'x'", "The string 'Edm.String'x'' is not a valid enumeration type constant."],
    ["contains(state,'pub')", signature('contains', pair)],
    ["startswith(state,'pub')", signature('startswith', pair)],
    ["endswith(catalogType,'Managed')", signature('endswith', pair)],
    ["contains(displayName,microsoft.graph.accessPackageCatalogState'published')", signature('contains', pair)],
    ["tolower(state) eq 'published'", signature('tolower', 'Edm.String Nullable=true')],
    ["state gt 'a'", incompatible(STATE, 'Edm.String', 'GreaterThan')],
    ["state le 'published'", incompatible(STATE, 'Edm.String', 'LessThanOrEqual')],
    ['state gt 1', incompatible(STATE, 'Edm.Int32', 'GreaterThan')],
    ['state lt null', incompatible(STATE, '<null>', 'LessThan')],
    ['state eq 1.5', incompatible(STATE, 'Edm.Single', 'Equal')],
    ['state eq 2.0', incompatible(STATE, 'Edm.Single', 'Equal')],
    ['state eq 2D', incompatible(STATE, 'Edm.Double', 'Equal')],
    ['state eq 2M', incompatible(STATE, 'Edm.Decimal', 'Equal')],
    // Past Int64 the library reads a Decimal, which names no member: not the enum-constant message.
    ['state eq 99999999999999999999', incompatible(STATE, 'Edm.Decimal', 'Equal')],
    // An Int32 or Int64 names a member as .NET writes its value: every digit, no leading zero.
    ['state eq 007', "The string '7' is not a valid enumeration type constant."],
    ['state eq 9223372036854775807', "The string '9223372036854775807' is not a valid enumeration type constant."],
    ['state eq true', incompatible(STATE, 'Edm.Boolean', 'Equal')],
    ['state eq catalogType', incompatible(STATE, TYPE, 'Equal')],
    [`state eq ${TYPE}'userManaged'`, incompatible(STATE, TYPE, 'Equal')],
    [`isExternallyVisible eq ${STATE}'published'`, incompatible('Edm.Boolean', STATE, 'Equal')],
    ['state gt displayName', incompatible(STATE, 'Edm.String', 'GreaterThan')],
    ['state and true', incompatible(STATE, 'Edm.Boolean', 'And')],
    ['not state', `A unary operator with an incompatible type was detected. Found operand type '${STATE}' for operator kind 'Not'.`],
    ['state', 'The $filter expression must evaluate to a single boolean value.'],
  ])('%s is a 400 InvalidFilter', (filter, message) => {
    const err = graphErrorOf(() => compileFilter(parseFilter(filter), model));
    expect([err.status, err.code, err.message]).toEqual([400, 'InvalidFilter', `OData query is invalid: ${message}`]);
  });
});
