// How a stored type is seen in one API version (a TypeView): what its reads may name, how a record looks on
// the wire (the emulator's internal links left out, v1.0's names where they differ), and its navigation
// properties by the version's names. Built once per version and resource.
import { COLLECTIONS } from '../collections.js';
import { type ApiVersion, allProperties, csdlModel } from '../metadata/csdl.js';
import type { EntityModel } from '../odata/entityModel.js';
import type { ExpandScope } from '../odata/expand.js';
import type { Store } from '../store/store.js';
import type { MutableRow, Navigation, ResourceDefinition, Row, Surface } from './definition.js';
import { csdlEntityModel, withFilterPaths } from './typeModel.js';
import { type ResourceValidator, type SchemaName, validatorFor } from './validation.js';

export interface NavigationView {
  /** The version's name of the navigation property. */
  name: string;
  navigation: Navigation;
  view(): TypeView;
  /** Whether the version's CSDL declares it `ContainsTarget="true"` (read on first use, for an $expand's annotations). */
  contained(): boolean;
}

export interface TypeView {
  version: ApiVersion;
  resource: ResourceDefinition;
  surface: Surface;
  /** The version's CSDL type name. */
  typeName: string;
  /** What $select and $orderby may name. */
  model: EntityModel;
  /** What $filter may name: the model and the documented paths. */
  filterModel: EntityModel;
  scope: ExpandScope;
  /** True when the wire form keeps the stored names, so $filter and $orderby read stored records as they are. */
  storedNames: boolean;
  project(record: Row, store: Store): Row;
  /** By lower-cased name. */
  navigation: ReadonlyMap<string, NavigationView>;
  validator(): ResourceValidator;
}

/** The record without the properties named; the record itself when there are none. */
function stripper(dropped: readonly string[]): (record: Row) => Row {
  if (dropped.length === 0) return (record) => record;
  const cache = new WeakMap<Row, Row>();
  return (record) => {
    let view = cache.get(record);
    if (view === undefined) {
      const copy: MutableRow = { ...record };
      for (const name of dropped) delete copy[name];
      view = copy;
      cache.set(record, view);
    }
    return view;
  };
}

const views = new Map<ApiVersion, Map<ResourceDefinition, TypeView>>();

/** The view of a resource in a version, built on first use. */
export function viewOf(resource: ResourceDefinition, version: ApiVersion): TypeView {
  let byResource = views.get(version);
  if (!byResource) {
    byResource = new Map();
    views.set(version, byResource);
  }
  let view = byResource.get(resource);
  if (!view) {
    view = buildView(resource, version);
    byResource.set(resource, view);
  }
  return view;
}

/** The parts of a view read from the version's CSDL excerpt: what its reads may name, and what its records hide. */
interface CsdlParts {
  model: EntityModel;
  filterModel: EntityModel;
  strip: (record: Row) => Row;
}

function csdlParts(resource: ResourceDefinition, version: ApiVersion, surface: Surface, typeName: string): CsdlParts {
  const model = csdlEntityModel(version, typeName, surface.queryable ?? resource.queryable, surface.entitySet ?? resource.collection);
  // What the stored record holds that the version's type does not: the internal links, and properties another version has.
  const shown = new Set(allProperties(csdlModel(version), typeName).map((p) => p.name));
  const strip = stripper(validatorFor(COLLECTIONS[resource.collection]).propertyNames.filter((name) => !shown.has(name)));
  return { model, filterModel: withFilterPaths(model, surface.filterPaths ?? resource.filterPaths), strip };
}

/**
 * The view's routes are built with the app; what it reads from the CSDL excerpt, on the first request that needs it:
 * parsing a version's excerpt is about 3 ms of a start (bench/README.md, "Start-up through npm start"), and a client
 * of one version never needs the other's.
 */
function buildView(resource: ResourceDefinition, version: ApiVersion): TypeView {
  const surface = resource.surfaces[version] ?? {};
  const typeName = surface.typeName ?? resource.typeName;
  const schemaName = (surface.schema ?? COLLECTIONS[resource.collection]) as SchemaName;
  let parts: CsdlParts | undefined;
  const csdl = (): CsdlParts => {
    parts ??= csdlParts(resource, version, surface, typeName);
    return parts;
  };
  const names = surface.navigation ?? Object.fromEntries(Object.keys(resource.navigation ?? {}).map((n) => [n, n]));
  const expandable = new Set(resource.expandable ?? Object.keys(resource.navigation ?? {}));
  const navigation = new Map<string, NavigationView>();
  for (const [name, stored] of Object.entries(names)) {
    const nav = resource.navigation?.[stored];
    if (!nav) continue;
    let contained: boolean | undefined;
    const containedOf = () => allProperties(csdlModel(version), typeName).some((p) => p.name === name && p.containsTarget === true);
    navigation.set(name.toLowerCase(), {
      name,
      navigation: nav,
      view: () => viewOf(nav.target(), version),
      contained: () => {
        contained ??= containedOf();
        return contained;
      },
    });
  }
  const scope: ExpandScope = {
    get model() {
      return csdl().model;
    },
    expandable: new Map(
      [...navigation.entries()]
        .filter(([, n]) => expandable.has(names[n.name]!))
        .map(([key, n]) => [key, { name: n.name, scope: () => n.view().scope }] as const),
    ),
  };
  const project = surface.project;
  return {
    version,
    resource,
    surface,
    typeName,
    get model() {
      return csdl().model;
    },
    get filterModel() {
      return csdl().filterModel;
    },
    scope,
    storedNames: project === undefined,
    project: project ?? ((record) => csdl().strip(record)),
    navigation,
    validator: () => validatorFor(schemaName),
  };
}
