// The CSDL excerpts of fixtures/csdl/ read into a model: the entity, complex and enum types, with their
// properties, base types and alternate keys, and the bound actions and functions. One excerpt per API version.
// https://docs.oasis-open.org/odata/odata-csdl-xml/v4.01/odata-csdl-xml-v4.01.html
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR } from '../paths.js';
import { type XmlElement, childrenNamed, parseXml } from './xmlTree.js';

export type ApiVersion = 'beta' | 'v1.0';
export const API_VERSIONS: readonly ApiVersion[] = ['beta', 'v1.0'];

export interface CsdlProperty {
  name: string;
  /** As written: `Edm.String`, `graph.approvalSettings`, `Collection(graph.userSet)`. */
  type: string;
  nullable: boolean;
  navigation: boolean;
  /** A navigation property's `ContainsTarget="true"`: its entities are reached only through it (CSDL §8.4). */
  containsTarget?: boolean;
}

interface CsdlType {
  kind: 'EntityType' | 'ComplexType' | 'EnumType';
  name: string;
  baseType?: string;
  abstract: boolean;
  properties: CsdlProperty[];
  /** Enum members in order. */
  members: string[];
  /** Each member's value, in the same order: its `Value`, else its position (CSDL §10.2.2). */
  memberValues: number[];
  /** Alternate key property names (Org.OData.Core.V1.AlternateKeys). */
  alternateKeys: string[];
}

export interface CsdlModel {
  version: ApiVersion;
  /** The excerpt as read, for $metadata. */
  document: XmlElement;
  types: ReadonlyMap<string, CsdlType>;
  /** Each bound action's parameters after its binding parameter: what a request body may carry. */
  actions: ReadonlyMap<string, readonly CsdlProperty[]>;
}

function excerptPath(version: ApiVersion): string {
  return path.join(FIXTURES_DIR, 'csdl', `${version}.xml`);
}

/** `Collection(graph.x)` → `{ name: 'x', collection: true }`; Edm types keep their `Edm.` prefix. */
export function typeRef(type: string): { name: string; collection: boolean } {
  const collection = type.startsWith('Collection(');
  const inner = collection ? type.slice('Collection('.length, -1) : type;
  return { name: inner.replace(/^(graph|microsoft\.graph)\./, ''), collection };
}

function alternateKeysOf(element: XmlElement): string[] {
  const annotation = childrenNamed(element, 'Annotation').find((a) => a.attributes['Term'] === 'Org.OData.Core.V1.AlternateKeys');
  if (!annotation) return [];
  const names: string[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === 'PropertyValue' && e.attributes['Property'] === 'Name' && e.attributes['PropertyPath']) names.push(e.attributes['PropertyPath']);
    for (const child of e.children) walk(child);
  };
  walk(annotation);
  return names;
}

function readType(element: XmlElement): CsdlType {
  const kind = element.name as CsdlType['kind'];
  const properties = element.children
    .filter((c) => c.name === 'Property' || c.name === 'NavigationProperty')
    .map((c) => ({
      name: c.attributes['Name']!,
      type: c.attributes['Type']!,
      nullable: c.attributes['Nullable'] !== 'false',
      navigation: c.name === 'NavigationProperty',
      containsTarget: c.attributes['ContainsTarget'] === 'true',
    }));
  return {
    kind,
    name: element.attributes['Name']!,
    baseType: element.attributes['BaseType']?.replace(/^graph\./, ''),
    abstract: element.attributes['Abstract'] === 'true',
    properties,
    members: childrenNamed(element, 'Member').map((m) => m.attributes['Name']!),
    memberValues: childrenNamed(element, 'Member').map((m, i) => Number(m.attributes['Value'] ?? i)),
    alternateKeys: alternateKeysOf(element),
  };
}

/** An action's parameters but the first, the binding parameter (CSDL §12.2: a bound action's first parameter). */
function parametersOf(action: XmlElement): CsdlProperty[] {
  return childrenNamed(action, 'Parameter')
    .slice(action.attributes['IsBound'] === 'true' ? 1 : 0)
    .map((p) => ({ name: p.attributes['Name']!, type: p.attributes['Type']!, nullable: p.attributes['Nullable'] !== 'false', navigation: false }));
}

/**
 * How a schema's types are named in the model: those of microsoft.graph by their own names (`subjectSet`), those of a
 * namespace inside it by the rest of their qualified name (`identityGovernance.ruleBasedSubjectSet`, as v1.0-Prod
 * declares it), so that `microsoft.graph.` before a model name is always the type's qualified name.
 */
function namePrefix(namespace: string | undefined, version: ApiVersion): string {
  if (namespace === 'microsoft.graph') return '';
  if (namespace?.startsWith('microsoft.graph.')) return `${namespace.slice('microsoft.graph.'.length)}.`;
  throw new Error(`The ${version} CSDL excerpt has a Schema outside microsoft.graph: '${namespace}'.`);
}

export function readCsdl(text: string, version: ApiVersion): CsdlModel {
  const document = parseXml(text);
  const schemas = childrenNamed(childrenNamed(document, 'edmx:DataServices')[0]!, 'Schema');
  if (schemas.length === 0) throw new Error(`The ${version} CSDL excerpt has no Schema.`);
  const types = new Map<string, CsdlType>();
  const actions = new Map<string, CsdlProperty[]>();
  schemas.forEach((schema, index) => {
    // The first schema is the model's own, whatever its namespace is called (a test's excerpt names it `x`).
    const prefix = index === 0 ? '' : namePrefix(schema.attributes['Namespace'], version);
    for (const element of schema.children) {
      if (element.name === 'EntityType' || element.name === 'ComplexType' || element.name === 'EnumType') {
        const type = readType(element);
        types.set(`${prefix}${type.name}`, { ...type, name: `${prefix}${type.name}` });
      }
      if (element.name === 'Action') actions.set(element.attributes['Name']!, parametersOf(element));
    }
  });
  return { version, document, types, actions };
}

const models = new Map<ApiVersion, CsdlModel>();

/** The version's excerpt, read once per process. */
export function csdlModel(version: ApiVersion): CsdlModel {
  let model = models.get(version);
  if (!model) {
    model = readCsdl(readFileSync(excerptPath(version), 'utf8'), version);
    models.set(version, model);
  }
  return model;
}

/** A type's own properties after its base types', as OData inherits them. */
export function allProperties(model: CsdlModel, name: string): CsdlProperty[] {
  const type = model.types.get(name);
  if (!type) throw new Error(`The ${model.version} CSDL excerpt has no type '${name}'.`);
  return [...(type.baseType ? allProperties(model, type.baseType) : []), ...type.properties];
}

/** Every type deriving from `name`, directly or not. */
export function derivedTypes(model: CsdlModel, name: string): CsdlType[] {
  const direct = [...model.types.values()].filter((t) => t.baseType === name);
  return direct.flatMap((t) => [t, ...derivedTypes(model, t.name)]);
}
