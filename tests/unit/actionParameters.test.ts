// A bound action's parameter checked against its declaration as the CSDL reader gives it: an enum parameter takes
// a member of its enum, and null only where the Parameter element leaves Nullable unset (OData CSDL §12.8: a
// parameter is nullable unless it says Nullable="false"). No action served declares a non-nullable enum parameter
// yet (fixtures/csdl/*.xml), so the declaration here is a small excerpt of its own.
// https://docs.oasis-open.org/odata/odata-csdl-xml/v4.01/odata-csdl-xml-v4.01.html#sec_Parameter
import { describe, expect, it } from '@jest/globals';
import { GraphError } from '../../server/graphErrors.js';
import { readCsdl } from '../../server/metadata/csdl.js';
import { checkParameter } from '../../server/resources/actionInput.js';

const EXCERPT = `<edmx:Edmx><edmx:DataServices><Schema Namespace="microsoft.graph">
  <EntityType Name="accessPackage"><Key><PropertyRef Name="id" /></Key><Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
  <EnumType Name="accessPackageSubjectLifecycle"><Member Name="notDefined" Value="0" /><Member Name="governed" Value="2" /></EnumType>
  <Action Name="govern" IsBound="true">
    <Parameter Name="bindingParameter" Type="graph.accessPackage" />
    <Parameter Name="lifecycle" Type="graph.accessPackageSubjectLifecycle" Nullable="false" />
    <Parameter Name="previous" Type="graph.accessPackageSubjectLifecycle" />
  </Action>
</Schema></edmx:DataServices></edmx:Edmx>`;

const model = readCsdl(EXCERPT, 'beta');
const [lifecycle, previous] = model.actions.get('govern')!;

/** The GraphError a check throws, as the answer's status, code and message; undefined when it takes the value. */
function refusal(check: () => void): { status: number; code: string; message: string } | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    return { status: err.status, code: err.code, message: err.message };
  }
}

describe('an enum parameter', () => {
  it('is read with its Nullable as the CSDL reader gives it', () => {
    expect(lifecycle).toEqual({ name: 'lifecycle', type: 'graph.accessPackageSubjectLifecycle', nullable: false, navigation: false });
    expect(previous).toMatchObject({ name: 'previous', nullable: true });
  });

  it('Nullable="false": a member of its enum, refused in the words of a property’s enum value; never null, refused as the reader refuses a null', () => {
    expect(refusal(() => checkParameter(lifecycle!, 'governed', model))).toBeUndefined();
    const type = 'microsoft.graph.accessPackageSubjectLifecycle[Nullable=False]';
    expect(refusal(() => checkParameter(lifecycle!, null, model))).toEqual({
      status: 400,
      code: 'BadRequest',
      message: `A null value was found for the property named 'lifecycle', which has the expected type '${type}'. The expected type '${type}' does not allow null values.`,
    });
    for (const [value, shown] of [
      ['Governed', 'Governed'],
      [2, '2'],
    ] as const) {
      expect(refusal(() => checkParameter(lifecycle!, value, model))).toEqual({
        status: 400,
        code: 'BadRequest',
        message: `Invalid value for property 'lifecycle': cannot convert the literal '${shown}' to the expected type 'microsoft.graph.accessPackageSubjectLifecycle'.`,
      });
    }
  });

  it('nullable (no Nullable written): null or a member', () => {
    expect(refusal(() => checkParameter(previous!, null, model))).toBeUndefined();
    expect(refusal(() => checkParameter(previous!, 'notDefined', model))).toBeUndefined();
    expect(refusal(() => checkParameter(previous!, 'bogus', model))?.message).toBe(
      "Invalid value for property 'previous': cannot convert the literal 'bogus' to the expected type 'microsoft.graph.accessPackageSubjectLifecycle'.",
    );
  });
});
