// accessPackageResourceRequests in v1.0, the entity set `resourceRequests`: the request names its catalog as
// `"catalog": {"id": …}` and its resource as `resource`, writes requestType in camel case (`adminAdd`) and shows
// its outcome as `state` (`delivered`), with the time it was made.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/resources/accesspackageresourcerequest?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/entitlementmanagement-list-resourcerequests?view=graph-rest-1.0
import type { Row, Surface } from '../definition.js';
import { camel, pascal } from '../enumSpelling.js';

export const resourceRequestsV1: Surface = {
  entitySet: 'resourceRequests',
  // Both contain their target in v1.0's CSDL: an expanded one carries its @odata.context.
  navigation: { catalog: 'catalog', resource: 'accessPackageResource' },
  schema: 'v1.0/accessPackageResourceRequest',
  queryable: ['id', 'createdDateTime', 'requestType', 'state'],
  // The list page's own example: "$filter=catalog/id eq '…'" finds the requests of one catalog.
  filterPaths: { 'catalog/id': 'catalogId' },
  project: ({ id, createdDateTime, requestType, requestState }) => ({ id, createdDateTime, requestType: camel(requestType), state: camel(requestState) }),
  inbound(body) {
    const { catalog, resource, requestType, ...rest } = body;
    const catalogId = (catalog as Row | null | undefined)?.['id'];
    return {
      ...rest,
      ...(requestType === undefined ? {} : { requestType: pascal(requestType) }),
      ...(catalogId === undefined ? {} : { catalogId }),
      ...(resource === undefined ? {} : { accessPackageResource: resource }),
    };
  },
};
