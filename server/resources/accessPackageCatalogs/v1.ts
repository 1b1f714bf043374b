// accessPackageCatalogs in v1.0, the entity set `catalogs`: v1.0 names the status `state` and writes both it and
// catalogType in camel case (`published`, `userManaged`), where beta writes `Published`, `UserManaged`; its
// relationships are `accessPackages`, `resources`, `resourceRoles`, `resourceScopes`.
// https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-1.0
import type { Row, Surface } from '../definition.js';

const camel = (value: unknown) => (typeof value === 'string' ? value.charAt(0).toLowerCase() + value.slice(1) : value);
const pascal = (value: unknown) => (typeof value === 'string' ? value.charAt(0).toUpperCase() + value.slice(1) : value);

const cache = new WeakMap<Row, Row>();

export const catalogsV1: Surface = {
  entitySet: 'catalogs',
  navigation: {
    accessPackages: 'accessPackages',
    resources: 'accessPackageResources',
    resourceRoles: 'accessPackageResourceRoles',
    resourceScopes: 'accessPackageResourceScopes',
  },
  schema: 'v1.0/accessPackageCatalog',
  queryable: ['id', 'displayName', 'description', 'catalogType', 'state', 'isExternallyVisible', 'createdDateTime', 'modifiedDateTime'],
  project(record) {
    let view = cache.get(record);
    if (!view) {
      const { id, createdDateTime, description, displayName, isExternallyVisible, modifiedDateTime } = record;
      view = {
        id,
        catalogType: camel(record['catalogType']),
        createdDateTime,
        description,
        displayName,
        isExternallyVisible,
        modifiedDateTime,
        state: camel(record['catalogStatus']),
      };
      cache.set(record, view);
    }
    return view;
  },
  inbound(body) {
    const { state, ...rest } = body;
    return state === undefined ? { ...rest } : { ...rest, catalogStatus: pascal(state) };
  },
};
