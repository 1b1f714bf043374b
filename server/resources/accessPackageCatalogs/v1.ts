// accessPackageCatalogs in v1.0, the entity set `catalogs`: v1.0 names the status `state` and writes both it and
// catalogType in camel case (`published`, `userManaged`), where beta writes `Published`, `UserManaged`; its
// relationships are `accessPackages`, `resources`, `resourceRoles`, `resourceScopes`.
// https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-1.0
import type { Row, Surface } from '../definition.js';
import { camel, pascal } from '../enumSpelling.js';

/**
 * A beta value (a plain string there) as a member of v1.0's enum, `unknownFutureValue` when it names none: the
 * OData way to answer a value a client's enum cannot hold, instead of one its SDK fails to read.
 */
const member = (value: unknown, members: readonly string[]) => {
  const named = camel(value);
  return named === null || named === undefined || members.includes(named as string) ? named : 'unknownFutureValue';
};
const STATES = ['unpublished', 'published'];
const TYPES = ['userManaged', 'serviceDefault', 'serviceManaged'];

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
        catalogType: member(record['catalogType'], TYPES),
        createdDateTime,
        description,
        displayName,
        isExternallyVisible,
        modifiedDateTime,
        state: member(record['catalogStatus'], STATES),
      };
      cache.set(record, view);
    }
    return view;
  },
  inbound(body) {
    const { state, ...rest } = body;
    // `unknownFutureValue` is what a beta value v1.0 cannot name reads as: sent back, it leaves that value as it was
    // (a create gets the default), so a v1.0 GET sent back as a PATCH changes nothing (chosen: not documented).
    return state === undefined || state === 'unknownFutureValue' ? { ...rest } : { ...rest, catalogStatus: pascal(state) };
  },
};
